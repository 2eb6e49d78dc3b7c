//! PostgreSQL taken away under a running server and brought back: readiness and requests
//! answer 503 quickly instead of hanging, and service resumes without a restart. Each test has
//! a throw-away cluster of its own (`scripts/pg-up.sh`), since it stops it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::web::{Reach, Running, agent, api_token, form_login};
use support::{PASSWORD, bin, closed_port, serve_with};

/// A cluster of this test's own, deleted when done.
struct Cluster {
    dir: String,
    url: String,
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scripts")
        .join(name)
}

impl Cluster {
    fn start() -> Cluster {
        let out = Command::new("bash")
            .arg(script("pg-up.sh"))
            .output()
            .expect("pg-up.sh");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let value = |name: &str| {
            text.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("{name} in {text}"))
                .to_owned()
        };
        Cluster {
            dir: value("PGDATA_DIR"),
            url: value("PG_URL"),
        }
    }

    fn ctl(&self, action: &str) {
        let ok = Command::new("bash")
            .arg(script("pg-ctl.sh"))
            .args([&self.dir, action])
            .status()
            .expect("pg-ctl.sh");
        assert!(ok.success(), "pg-ctl.sh {action}");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script("pg-down.sh"))
            .arg(&self.dir)
            .status();
    }
}

/// Status, body and how long the answer took.
fn timed_get(node: &Running, path: &str, token: Option<&str>) -> (u16, String, Duration) {
    let started = Instant::now();
    let mut request = agent().get(&node.url(path));
    if let Some(t) = token {
        request = request.header("Authorization", &format!("Bearer {t}"));
    }
    let (status, body) = match request.call() {
        Ok(r) => (
            r.status().as_u16(),
            r.into_body().read_to_string().unwrap_or_default(),
        ),
        Err(e) => (0, e.to_string()),
    };
    (status, body, started.elapsed())
}

#[test]
fn a_lost_database_gives_503_at_once_and_service_resumes_when_it_returns() {
    let cluster = Cluster::start();
    let data = tempfile::tempdir().expect("dir");
    let admin = |args: &[&str], stdin: Option<&str>| {
        let mut all = vec!["--database-url", cluster.url.as_str()];
        all.extend_from_slice(args);
        support::admin(data.path(), &all, stdin);
    };
    admin(
        &["create-user", "alice", "--superuser"],
        Some(&format!("{PASSWORD}\n")),
    );
    admin(&["create-model", "prod"], None);
    let node = serve_with(data.path(), &["--database-url", &cluster.url]);
    let token = api_token(&node, "alice");
    assert_eq!(timed_get(&node, "/readyz", None).0, 200);
    let cookie = form_login(&node, "alice", "/models").2.expect("a session");

    cluster.ctl("stop");
    let (status, _, took) = timed_get(&node, "/readyz", None);
    assert_eq!(status, 503, "not ready while the database is away");
    assert!(took < Duration::from_secs(5), "/readyz took {took:?}");
    let (status, body, took) = timed_get(&node, "/api/v1/models", Some(&token));
    assert_eq!(status, 503, "{body}");
    assert!(
        took < Duration::from_secs(6),
        "an API request took {took:?}"
    );
    let error: serde_json::Value = serde_json::from_str(&body).expect("a JSON error");
    assert_eq!(
        (error["error"].as_str(), error["message"].as_str()),
        (
            Some("busy"),
            Some("the database is unavailable; try again shortly")
        )
    );

    let started = Instant::now();
    let page = agent()
        .get(&node.url("/models"))
        .header("Cookie", &cookie)
        .call()
        .expect("answered");
    let status = page.status().as_u16();
    let html = page.into_body().read_to_string().unwrap_or_default();
    assert_eq!(
        status, 503,
        "a signed-in page says the database is away: {html}"
    );
    assert!(html.contains("cannot reach its database"), "{html}");
    assert!(started.elapsed() < Duration::from_secs(8));

    cluster.ctl("start");
    let deadline = Instant::now() + Duration::from_secs(20);
    while timed_get(&node, "/readyz", None).0 != 200 {
        assert!(
            Instant::now() < deadline,
            "not ready again after the database returned"
        );
        std::thread::yield_now();
    }
    assert_eq!(
        timed_get(&node, "/api/v1/models", Some(&token)).0,
        200,
        "requests are served again without a restart"
    );
    let back = agent()
        .get(&node.url("/models"))
        .header("Cookie", &cookie)
        .call()
        .expect("answered");
    assert_eq!(
        back.status().as_u16(),
        200,
        "the session outlived the outage"
    );
}

#[test]
fn an_unreachable_database_at_start_up_is_named_without_its_password() {
    let data = tempfile::tempdir().expect("dir");
    let port = closed_port();
    let url = format!("postgres://strongbox:hunter2@127.0.0.1:{port}/strongbox");
    let started = Instant::now();
    let out = Command::new(bin())
        .args(["serve", "--data-dir"])
        .arg(data.path())
        .args(["--database-url", &url, "--listen", "127.0.0.1:0"])
        .output()
        .expect("serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a non-zero exit");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        stderr.contains(&format!(
            "cannot open the database postgres://strongbox@127.0.0.1:{port}/strongbox"
        )) && stderr.contains("Connection refused"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "the password is not printed: {stderr}"
    );
}

/// A migration that fails part way leaves the schema at the last migration that succeeded:
/// each runs in a transaction of its own. Migration 5 is made to fail at its sixth statement by
/// a function already holding a name it creates.
#[tokio::test]
async fn a_failing_migration_leaves_the_schema_as_it_was() {
    use sqlx::Connection as _;
    let Some(admin_url) = testkit::postgres_url("the failing-migration test") else {
        return;
    };
    let database = testkit::pg::TestDatabase::create(&admin_url).await;
    let mut db = sqlx::PgConnection::connect(&database.url)
        .await
        .expect("connect");
    sqlx::query(
        "create function secret_search_on_grant() returns int language sql as $$ select 1 $$",
    )
    .execute(&mut db)
    .await
    .expect("the obstacle");
    let data = tempfile::tempdir().expect("dir");
    let start = || {
        Command::new(bin())
            .args(["admin", "--database-url", &database.url, "--data-dir"])
            .arg(data.path())
            .args(["create-model", "prod"])
            .output()
            .expect("admin")
    };
    let failed = start();
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("migration"), "{stderr}");

    let applied: Vec<i64> =
        sqlx::query_scalar("select version from _sqlx_migrations where success order by version")
            .fetch_all(&mut db)
            .await
            .expect("migrations");
    assert_eq!(applied, [1, 2, 3, 4], "migration 5 left no row");
    let half_done: Option<String> =
        sqlx::query_scalar("select to_regclass('secret_search_doc')::text")
            .fetch_one(&mut db)
            .await
            .expect("regclass");
    assert_eq!(
        half_done, None,
        "the table migration 5 made before failing is gone"
    );

    sqlx::query("drop function secret_search_on_grant()")
        .execute(&mut db)
        .await
        .expect("remove the obstacle");
    let fixed = start();
    assert!(
        fixed.status.success(),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    let count: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&mut db)
        .await
        .expect("migrations");
    let shipped = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../migrations/postgres"
    ))
    .expect("migrations directory")
    .filter(|f| {
        f.as_ref()
            .is_ok_and(|f| f.path().extension().is_some_and(|e| e == "sql"))
    })
    .count();
    assert_eq!(count as usize, shipped, "the next start applies the rest");
}

/// Node A remembers a grant; PostgreSQL restarts under readers on A; reads resume without a
/// restart of A, and a revoke made on B afterwards is seen by A's next read, every time: what
/// A remembered from before the restart is checked like anything else (docs/adr/0028).
#[test]
fn no_stale_read_on_one_node_across_a_postgresql_restart() {
    let cluster = Cluster::start();
    let pair = support::pair::pair(&cluster.url);
    let (token, id) = pair.granted_reader();
    let read = || support::pair::read_on(&pair.a, &token, &id);
    assert_eq!(read(), 200, "remembered on A");

    let stop = std::sync::atomic::AtomicBool::new(false);
    let statuses = std::thread::scope(|s| {
        let readers = s.spawn(|| {
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                seen.push(read());
            }
            seen
        });
        cluster.ctl("stop");
        support::pause(Duration::from_millis(500));
        cluster.ctl("start");
        let deadline = Instant::now() + Duration::from_secs(20);
        while read() != 200 {
            assert!(Instant::now() < deadline, "reads on A did not resume");
            support::pause(Duration::from_millis(100));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        readers.join().expect("readers")
    });
    assert!(
        statuses.iter().all(|s| [200, 503].contains(s)),
        "only served or busy while the database was away: {statuses:?}"
    );
    for i in 0..20 {
        pair.grant(&id, "reader", true);
        assert_eq!(read(), 403, "try {i}: a revoke on B is seen on A");
        pair.grant(&id, "reader", false);
        assert_eq!(read(), 200, "try {i}: granted again");
    }
}

/// PostgreSQL restarts while a node's pool holds connections it used a moment before; once the
/// database is back, no request meets one of those dead connections: every read, write,
/// application read and signed-in page is served, none answers 503.
#[test]
fn every_request_after_a_postgresql_restart_is_served() {
    let cluster = Cluster::start();
    let pair = support::pair::pair(&cluster.url);
    let (token, id) = pair.granted_reader();
    let alice = api_token(&pair.a, "alice");
    let cookie = form_login(&pair.a, "alice", "/models")
        .2
        .expect("a session");
    let page = |path: &str| {
        let answer = agent()
            .get(&pair.a.url(path))
            .header("Cookie", &cookie)
            .call()
            .expect("answered");
        answer.status().as_u16()
    };
    let mut n = 0;
    let mut requests = || {
        n += 1;
        let update = serde_json::json!({"content": {"password": format!("v{n}")}});
        let path = format!("/api/v1/models/prod/secrets/{id}");
        [
            (
                "application read",
                support::pair::read_on(&pair.a, &token, &id),
            ),
            (
                "API list",
                support::web::call(&pair.a, "GET", "/api/v1/models", &alice, None).0,
            ),
            (
                "update",
                support::web::call(&pair.a, "PATCH", &path, &alice, Some(update)).0,
            ),
            ("signed-in page", page("/models")),
        ]
    };
    // Every pooled connection in use at once, then idle in the pool.
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                for _ in 0..4 {
                    support::web::call(&pair.a, "GET", "/api/v1/models", &alice, None);
                }
            });
        }
    });
    for (what, status) in requests() {
        assert_eq!(status, 200, "{what} before the restart");
    }

    cluster.ctl("stop");
    cluster.ctl("start");
    for round in 0..20 {
        for (what, status) in requests() {
            assert_eq!(status, 200, "round {round}: {what} after the restart");
        }
    }
}
