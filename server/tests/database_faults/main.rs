//! PostgreSQL taken away under a running server and brought back: readiness and requests
//! answer 503 quickly instead of hanging, and service resumes without a restart. Each test has
//! a throw-away cluster of its own (`scripts/pg-up.sh`), since it stops it.

#[path = "../support/mod.rs"]
mod support;

mod cluster;
mod restarts;

use std::process::Command;
use std::time::{Duration, Instant};

use cluster::Cluster;
use support::web::{Reach, Running, agent, api_token, form_login};
use support::{PASSWORD, bin, closed_port, serve_with};

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
