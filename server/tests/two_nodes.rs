//! Two `strongbox serve` nodes on one PostgreSQL database, as production runs: sessions,
//! tokens, the sign-in back-off and concurrent writes hold across nodes. Needs
//! `TEST_POSTGRES_URL` (`scripts/test.sh` starts a throw-away cluster).

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use support::browser::{Browser, location, sent_on_to, through_provider};
use support::web::{
    Reach, Running, api_login, api_token, call, form_login, get_with_cookie, post_form, server_fn,
};
use support::{PASSWORD, bin};
use testkit::pg::TestDatabase;

/// Running A and node B on one database: B has a data directory of its own and A's master key.
struct Cluster {
    a: Running,
    b: Running,
    url: String,
    data_a: tempfile::TempDir,
    _data_b: tempfile::TempDir,
    _database: TestDatabase,
}

fn admin(data: &Path, url: &str, args: &[&str], stdin: Option<&str>) {
    let mut all = vec!["--database-url", url];
    all.extend_from_slice(args);
    support::admin(data, &all, stdin);
}

fn node(data: &Path, url: &str, key: &Path) -> Running {
    let extra = [
        "--database-url",
        url,
        "--master-key-file",
        key.to_str().expect("utf-8 path"),
    ];
    support::serve_with(data, &extra)
}

impl Cluster {
    /// `None` (and a note) when no PostgreSQL is configured.
    async fn start() -> Option<Cluster> {
        let admin_url = testkit::postgres_url("the two-node tests")?;
        let database = TestDatabase::create(&admin_url).await;
        let url = database.url.clone();
        let (data_a, data_b) = (
            tempfile::tempdir().expect("dir"),
            tempfile::tempdir().expect("dir"),
        );
        let pw = format!("{PASSWORD}\n");
        admin(
            data_a.path(),
            &url,
            &["create-user", "alice", "--superuser"],
            Some(&pw),
        );
        admin(data_a.path(), &url, &["create-model", "prod"], None);
        admin(data_a.path(), &url, &["create-user", "bob"], Some(&pw));
        admin(
            data_a.path(),
            &url,
            &["set-access", "prod", "bob", "write"],
            None,
        );
        let key = data_a.path().join("master.key");
        let a = node(data_a.path(), &url, &key);
        let b = node(data_b.path(), &url, &key);
        Some(Cluster {
            a,
            b,
            url,
            data_a,
            _data_b: data_b,
            _database: database,
        })
    }
}

#[tokio::test]
async fn sessions_and_tokens_hold_across_nodes() {
    let Some(c) = Cluster::start().await else {
        return;
    };
    let cookie = form_login(&c.a, "alice", "/models")
        .2
        .expect("a session on A");
    assert_eq!(
        get_with_cookie(&c.b, "/models", &cookie),
        200,
        "A's session works on B"
    );
    let logout = server_fn(&c.b, &cookie, "/models", "logout");
    let (status, body) = post_form(&c.b, &logout, &cookie, &[]);
    assert!(status < 400, "signed out on B: {status} {body}");
    assert_eq!(
        get_with_cookie(&c.a, "/models", &cookie),
        303,
        "signing out on B ends the session on A"
    );

    let bob = api_token(&c.a, "bob");
    assert_eq!(call(&c.b, "GET", "/api/v1/models", &bob, None).0, 200);
    assert_eq!(
        call(&c.a, "DELETE", "/api/v1/tokens/current", &bob, None).0,
        204
    );
    assert_eq!(
        call(&c.b, "GET", "/api/v1/models", &bob, None).0,
        401,
        "a token revoked on A is refused on B at once"
    );
}

#[tokio::test]
async fn the_sign_in_back_off_counts_failures_on_every_node() {
    let Some(c) = Cluster::start().await else {
        return;
    };
    for _ in 0..4 {
        assert_eq!(api_login(&c.a, "alice", "wrong-password"), 401);
    }
    assert_eq!(
        api_login(&c.b, "alice", PASSWORD),
        429,
        "four failures on A hold the account back on B too"
    );
}

#[tokio::test]
async fn concurrent_updates_through_both_nodes_lose_nothing() {
    let Some(c) = Cluster::start().await else {
        return;
    };
    let bob = api_token(&c.a, "bob");
    let body = serde_json::json!({"name": "counter", "content": {"value": "start"}});
    let (status, created) = call(
        &c.a,
        "POST",
        "/api/v1/models/prod/secrets",
        &bob,
        Some(body),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/models/prod/secrets/{id}");

    // Eight writers, half on each node, each reading the revision and writing over it.
    let (c, bob, path) = (
        std::sync::Arc::new(c),
        std::sync::Arc::new(bob),
        std::sync::Arc::new(path),
    );
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (c, bob, path) = (c.clone(), bob.clone(), path.clone());
            std::thread::spawn(move || {
                let node = if w % 2 == 0 { &c.a } else { &c.b };
                let mut outcomes = Vec::new();
                for n in 0..15 {
                    let latest = call(node, "GET", &path, &bob, None).1["revision"].as_i64();
                    let update = serde_json::json!({
                        "expected_revision": latest,
                        "content": {"value": format!("writer {w} write {n}")},
                    });
                    outcomes.push(call(node, "PATCH", &path, &bob, Some(update)).0);
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<u16> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer"))
        .collect();
    let won = outcomes.iter().filter(|s| **s == 200).count();
    let lost = outcomes.iter().filter(|s| **s == 409).count();
    assert_eq!(won + lost, outcomes.len(), "only 200 or 409: {outcomes:?}");
    assert!(
        won > 0 && lost > 0,
        "writers raced: {won} won, {lost} refused"
    );

    let (_, detail) = call(&c.b, "GET", &path, &bob, None);
    let numbers = crate::support::web::revision_numbers(&detail);
    let expected: Vec<i64> = (1..=(won as i64 + 1)).collect();
    assert_eq!(
        numbers, expected,
        "one revision per accepted write, none repeated or lost"
    );

    let verified = Command::new(bin())
        .args(["admin", "--database-url", &c.url, "--data-dir"])
        .arg(c.data_a.path())
        .arg("verify-audit")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .output()
        .expect("verify-audit");
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

/// Model `prod`'s application `mysql` with a token, and secret `db` granted to it and read once
/// on node A; returns the app's token, the secret's id, the app's cursor and the token's id.
fn tracked_secret(c: &Cluster, alice: &str) -> (String, String, String, i64) {
    let ok = |(status, body): (u16, serde_json::Value)| {
        assert!((200..300).contains(&status), "{status}: {body}");
        body
    };
    let app = serde_json::json!({"name": "mysql"});
    ok(call(
        &c.a,
        "POST",
        "/api/v1/models/prod/applications",
        alice,
        Some(app),
    ));
    let label = serde_json::json!({"label": "events"});
    let tokens = "/api/v1/models/prod/applications/mysql/tokens";
    let issued = ok(call(&c.a, "POST", tokens, alice, Some(label)));
    let app_token = issued["token"].as_str().expect("token").to_owned();
    let token_id = issued["id"].as_i64().expect("token id");
    let body = serde_json::json!({"name": "db", "content": {"password": "one"}});
    let created = ok(call(
        &c.a,
        "POST",
        "/api/v1/models/prod/secrets",
        alice,
        Some(body),
    ));
    let id = created["id"].as_str().expect("id").to_owned();
    let grant = serde_json::json!({"applications": ["mysql"]});
    let path = format!("/api/v1/models/prod/secrets/{id}/grant");
    ok(call(&c.a, "POST", &path, alice, Some(grant)));
    ok(call(
        &c.a,
        "GET",
        &format!("/api/v1/app/secrets/{id}"),
        &app_token,
        None,
    ));
    let next = ok(call(&c.a, "GET", "/api/v1/app/events", &app_token, None))["next"]
        .as_str()
        .expect("next")
        .to_owned();
    (app_token, id, next, token_id)
}

/// A long poll on node A while `change` runs: the events it answered with, and how long after
/// `change` returned.
fn heard_on_a(
    c: &Cluster,
    app_token: &str,
    since: &str,
    change: impl FnOnce(),
) -> (serde_json::Value, std::time::Duration) {
    std::thread::scope(|s| {
        let waiting = s.spawn(|| {
            let poll = format!("/api/v1/app/events?since={since}&wait=20");
            let (status, page) = call(&c.a, "GET", &poll, app_token, None);
            assert_eq!(status, 200, "{page}");
            (page, std::time::Instant::now())
        });
        support::pause(std::time::Duration::from_millis(300));
        change();
        let changed = std::time::Instant::now();
        let (page, heard) = waiting.join().expect("poll");
        (page["events"].clone(), heard.duration_since(changed))
    })
}

fn update_on_b(c: &Cluster, alice: &str, id: &str, password: &str) {
    let update = serde_json::json!({"content": {"password": password}});
    let path = format!("/api/v1/models/prod/secrets/{id}");
    let (status, body) = call(&c.b, "PATCH", &path, alice, Some(update));
    assert_eq!(status, 200, "{body}");
}

/// An application waiting on node A hears of an update made through node B within a second.
#[tokio::test]
async fn a_consumer_on_one_node_hears_of_an_update_made_on_the_other() {
    let Some(c) = Cluster::start().await else {
        return;
    };
    let alice = api_token(&c.a, "alice");
    let (app_token, id, next, _) = tracked_secret(&c, &alice);
    let (events, took) = heard_on_a(&c, &app_token, &next, || {
        update_on_b(&c, &alice, &id, "two")
    });
    assert_eq!(events[0]["kind"], "secret-changed", "{events}");
    assert_eq!(events[0]["secret"], id.as_str(), "{events}");
    assert!(
        took < std::time::Duration::from_secs(1),
        "heard after {took:?}"
    );
}

/// The nodes' listening connections are killed just before an update: node A reconnects and
/// looks for what it missed, so the event still arrives (before the slow poll would find it).
#[tokio::test]
async fn killing_the_listening_connections_loses_no_event() {
    use sqlx::Connection as _;
    let Some(c) = Cluster::start().await else {
        return;
    };
    let alice = api_token(&c.a, "alice");
    let (app_token, id, next, _) = tracked_secret(&c, &alice);
    let mut admin = sqlx::PgConnection::connect(&c.url).await.expect("connect");
    let killed: Vec<bool> = sqlx::query_scalar(
        "select pg_terminate_backend(pid) from pg_stat_activity \
         where query ilike 'listen%' and datname = current_database()",
    )
    .fetch_all(&mut admin)
    .await
    .expect("terminate");
    assert_eq!(killed.len(), 2, "one listening connection per node");
    // Committed while node A's listener is down (it reconnects after a second).
    let (events, took) = heard_on_a(&c, &app_token, &next, || {
        update_on_b(&c, &alice, &id, "two")
    });
    assert_eq!(events[0]["kind"], "secret-changed", "{events}");
    assert!(
        took < std::time::Duration::from_secs(4),
        "heard after {took:?}"
    );
}

/// A token revoked through node B ends the application's long poll on node A at once: the
/// revoke writes no event, so it wakes the other nodes itself (else A's 5 s poll would).
#[tokio::test]
async fn a_token_revoked_on_one_node_ends_the_wait_on_the_other() {
    let Some(c) = Cluster::start().await else {
        return;
    };
    let alice = api_token(&c.a, "alice");
    let (app_token, _, next, token_id) = tracked_secret(&c, &alice);
    std::thread::scope(|s| {
        let waiting = s.spawn(|| {
            let poll = format!("/api/v1/app/events?since={next}&wait=20");
            call(&c.a, "GET", &poll, &app_token, None).0
        });
        support::pause(std::time::Duration::from_millis(300));
        let path = format!("/api/v1/models/prod/applications/mysql/tokens/{token_id}");
        let (status, body) = call(&c.b, "DELETE", &path, &alice, None);
        assert_eq!(status, 204, "{body}");
        let revoked = std::time::Instant::now();
        assert_eq!(waiting.join().expect("poll"), 401);
        assert!(
            revoked.elapsed() < std::time::Duration::from_secs(2),
            "ended after {:?}",
            revoked.elapsed()
        );
    });
}

/// `mysql`'s reads of its one grant, as node's review export counts them.
fn reads_in_review(node: &Running, alice: &str) -> i64 {
    let path = "/api/v1/models/prod/access-review?application=mysql";
    let (status, review) = call(node, "GET", path, alice, None);
    assert_eq!(status, 200, "{review}");
    review["items"][0]["reads_30d"].as_i64().expect("reads_30d")
}

/// A node adds reads up in memory and writes the counts about once a second (ADR 0024): node
/// A's review sees node B's reads within seconds, and B writes the last of them as it stops.
#[tokio::test]
async fn reads_counted_on_one_node_reach_the_review_on_the_other() {
    let Some(mut c) = Cluster::start().await else {
        return;
    };
    let alice = api_token(&c.a, "alice");
    let (app_token, id, _, _) = tracked_secret(&c, &alice);
    let read_on_b = |times: usize| {
        let path = format!("/api/v1/app/secrets/{id}");
        for _ in 0..times {
            let (status, body) = call(&c.b, "GET", &path, &app_token, None);
            assert_eq!(status, 200, "{body}");
        }
    };
    read_on_b(5);
    let started = std::time::Instant::now();
    loop {
        let counted = reads_in_review(&c.a, &alice);
        if counted == 6 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "A's review counts {counted} of 6 reads"
        );
        support::pause(std::time::Duration::from_millis(100));
    }

    read_on_b(7);
    let stopped = Command::new("kill")
        .args(["-TERM", &c.b.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    c.b.child.wait().expect("B stops");
    assert_eq!(
        reads_in_review(&c.a, &alice),
        13,
        "B wrote the reads it had counted as it stopped"
    );
}

/// A sign-in through the OpenID provider begun on node A finishes on node B: the flow is in
/// the database. (That a session works on every node is `sessions_and_tokens_hold_across_nodes`.)
#[tokio::test]
async fn a_provider_sign_in_begun_on_one_node_finishes_on_the_other() {
    let Some(admin_url) = testkit::postgres_url("the two-node provider sign-in") else {
        return;
    };
    let database = TestDatabase::create(&admin_url).await;
    let url = database.url.clone();
    let b_port = support::closed_port();
    let redirect = format!("http://127.0.0.1:{b_port}/auth/oidc/callback");
    let provider = testkit::oidc::OidcProvider::start(&redirect, false);
    provider.set_accounts(r#"{"grace": {"groups": ["ops"]}}"#);
    let (data_a, data_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    admin(data_a.path(), &url, &["create-model", "prod"], None);
    let key = data_a.path().join("master.key");
    let secret = provider.secret_file();
    let b_listen = format!("127.0.0.1:{b_port}");
    let flags = |listen: Option<&str>| {
        let mut f = vec![
            "--database-url".to_owned(),
            url.clone(),
            "--master-key-file".to_owned(),
            key.to_str().expect("path").to_owned(),
            "--oidc-issuer".to_owned(),
            provider.issuer.clone(),
            "--oidc-client-id".to_owned(),
            testkit::oidc::CLIENT_ID.to_owned(),
            "--oidc-client-secret-file".to_owned(),
            secret.to_str().expect("path").to_owned(),
            "--oidc-redirect-url".to_owned(),
            redirect.clone(),
            "--oidc-group".to_owned(),
            "ops=prod:read".to_owned(),
        ];
        if let Some(l) = listen {
            f.extend(["--listen".to_owned(), l.to_owned()]);
        }
        f
    };
    let a_flags = flags(None);
    let a = support::serve_with(
        data_a.path(),
        &a_flags.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let b_flags = flags(Some(&b_listen));
    let b = support::serve_with(
        data_b.path(),
        &b_flags.iter().map(String::as_str).collect::<Vec<_>>(),
    );

    let browser = Browser::new();
    let begun = browser.get(&a.url("/auth/oidc/login?next=/models/prod"));
    assert_eq!(begun.status(), 303);
    let callback = through_provider(&browser, &location(&begun), "grace");
    assert!(
        callback.starts_with(&b.url("/auth/oidc/callback")),
        "{callback}"
    );
    let landed = browser.get(&callback);
    assert_eq!(
        sent_on_to(&landed),
        "/models/prod",
        "B finished what A began"
    );
    let signed_in = browser.get(&b.url("/models/prod"));
    assert_eq!(
        signed_in.status(),
        200,
        "grace reads prod through her group"
    );
}
