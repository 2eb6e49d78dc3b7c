//! What operators watch: Prometheus metrics on an address of their own, and JSON logs.

mod support;

use std::process::Command;

use support::web::{Reach, agent, api_token, form_login};
use support::{bin, data_with_alice_and_prod, serve_with};

fn get(url: &str) -> (u16, String) {
    match agent().get(url).call() {
        Ok(r) => (
            r.status().as_u16(),
            r.into_body().read_to_string().unwrap_or_default(),
        ),
        Err(e) => (0, e.to_string()),
    }
}

/// The lines of `text` for `metric` that carry every one of `labels`.
fn lines<'a>(text: &'a str, metric: &str, labels: &[&str]) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.starts_with(metric) && labels.iter().all(|label| l.contains(label)))
        .collect()
}

#[test]
fn metrics_count_requests_by_route_and_status_on_their_own_address() {
    let data = data_with_alice_and_prod();
    let node = serve_with(data.path(), &["--metrics-listen", "127.0.0.1:0"]);
    let metrics_addr = format!(
        "127.0.0.1:{}",
        node.metrics_port.expect("the metrics address")
    );
    let token = api_token(&node, "alice");
    let auth = format!("Bearer {token}");
    for _ in 0..3 {
        let status = agent()
            .get(&node.url("/api/v1/models"))
            .header("Authorization", &auth)
            .call()
            .expect("models")
            .status();
        assert_eq!(status.as_u16(), 200);
    }
    let missing = agent()
        .get(&node.url("/api/v1/models/nowhere/secrets"))
        .header("Authorization", &auth)
        .call()
        .expect("answered");
    assert_eq!(missing.status().as_u16(), 404);

    let (status, text) = get(&format!("http://{metrics_addr}/metrics"));
    assert_eq!(status, 200, "{text}");
    let models = lines(
        &text,
        "strongbox_http_requests_total",
        &[
            "route=\"/api/v1/models\"",
            "method=\"GET\"",
            "status=\"200\"",
        ],
    );
    assert_eq!(models.len(), 1, "{text}");
    assert!(models[0].ends_with(" 3"), "three requests: {}", models[0]);
    let refused = lines(
        &text,
        "strongbox_http_requests_total",
        &["route=\"/api/v1/models/{model}/secrets\"", "status=\"404\""],
    );
    assert_eq!(refused.len(), 1, "routes, not raw paths: {text}");
    assert!(
        !lines(
            &text,
            "strongbox_http_request_duration_seconds_bucket",
            &["le=\"0.005\""]
        )
        .is_empty(),
        "a latency histogram: {text}"
    );
    assert!(
        !lines(
            &text,
            "strongbox_audit_events_total",
            &["outcome=\"denied\""]
        )
        .is_empty(),
        "the refused listing was audited and counted: {text}"
    );
    assert!(
        !lines(&text, "strongbox_db_connections", &["state=\"open\""]).is_empty(),
        "{text}"
    );
    // Signed in, so that the sign-in gate's redirect cannot stand in for the answer.
    let cookie = form_login(&node, "alice", "/models").2.expect("signed in");
    let answer = agent()
        .get(&node.url("/metrics"))
        .header("Cookie", &cookie)
        .call()
        .expect("answered");
    let status = answer.status().as_u16();
    let body = answer.into_body().read_to_string().unwrap_or_default();
    assert_eq!(status, 404, "not on the main address: {body}");
    assert!(!body.contains("strongbox_http_requests_total"));
}

#[test]
fn json_logs_are_one_object_per_line() {
    let data = data_with_alice_and_prod();
    let out = Command::new(bin())
        .args(["admin", "--log-format", "json", "--data-dir"])
        .arg(data.path())
        .args(["create-model", "staging"])
        .env("RUST_LOG", "info")
        .output()
        .expect("admin");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let opened = events
        .iter()
        .find(|e| e["message"] == "store open")
        .unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!(opened["level"], "INFO");
    assert!(opened["timestamp"].is_string() && opened["master_key"].is_string());
}

/// A one-shot command prints its result; logs only when asked (`RUST_LOG`).
#[test]
fn admin_commands_print_no_log_lines_unless_asked() {
    let data = data_with_alice_and_prod();
    let run = |rust_log: Option<&str>| {
        let mut command = Command::new(bin());
        command
            .args(["admin", "--data-dir"])
            .arg(data.path())
            .arg("verify-audit")
            .env_remove("RUST_LOG");
        if let Some(level) = rust_log {
            command.env("RUST_LOG", level);
        }
        command.output().expect("admin")
    };
    let quiet = run(None);
    assert!(quiet.status.success());
    assert_eq!(
        String::from_utf8_lossy(&quiet.stderr),
        "",
        "no INFO lines by default"
    );
    assert!(String::from_utf8_lossy(&quiet.stdout).starts_with("audit chain intact"));
    let asked = run(Some("info"));
    assert!(String::from_utf8_lossy(&asked.stderr).contains("store open"));
}

/// A client may send any token as its method. Each must not become a label of its own: 300
/// requests with 4 KB method names once grew the registry (and every scrape) by 1.2 MB, and
/// 6,000 of 50 KB took the server from 83 to 417 MB.
#[test]
fn methods_a_client_makes_up_are_counted_as_other() {
    use std::io::{Read as _, Write as _};
    let data = data_with_alice_and_prod();
    let node = serve_with(data.path(), &["--metrics-listen", "127.0.0.1:0"]);
    let port = node.port;
    let metrics_addr = format!(
        "127.0.0.1:{}",
        node.metrics_port.expect("the metrics address")
    );
    let sent = 300;
    for i in 0..sent {
        let method = format!("M{i:04}{}", "X".repeat(4096));
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let head = format!(
            "{method} /api/v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("write");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
    let (status, text) = get(&format!("http://{metrics_addr}/metrics"));
    assert_eq!(status, 200);
    assert!(
        !text.contains("XXXXXXXX"),
        "a made-up method became a label"
    );
    let other: u64 = lines(
        &text,
        "strongbox_http_requests_total",
        &["method=\"other\""],
    )
    .iter()
    .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
    .sum();
    assert_eq!(other, sent, "each made-up method counted once, as other");
    assert!(
        text.len() < 64 * 1024,
        "the scrape stays small: {} bytes",
        text.len()
    );
}

/// The audited events a node's metrics count as written in a transaction, over every outcome.
fn audited_in_transactions(metrics_port: u16) -> u64 {
    let (status, text) = get(&format!("http://127.0.0.1:{metrics_port}/metrics"));
    assert_eq!(status, 200, "{text}");
    lines(
        &text,
        "strongbox_audit_events_total",
        &["path=\"transaction\""],
    )
    .iter()
    .map(|l| {
        l.rsplit(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    })
    .sum()
}

/// A write whose COMMIT fails recorded nothing, so the metric does not count its event. A
/// deferred constraint trigger on PostgreSQL refuses one secret's insert at COMMIT, after the
/// audit event was appended in the same transaction.
#[tokio::test]
async fn a_write_whose_commit_fails_is_not_counted_as_audited() {
    use sqlx::Connection as _;
    let Some(admin_url) = testkit::postgres_url("the audit metric's commit test") else {
        return;
    };
    let database = testkit::pg::TestDatabase::create(&admin_url).await;
    let data = tempfile::tempdir().expect("dir");
    let on_db = |args: &[&str]| {
        let mut all = vec!["--database-url", database.url.as_str()];
        all.extend_from_slice(args);
        all.iter().map(|a| a.to_string()).collect::<Vec<_>>()
    };
    let pw = format!("{}\n", support::PASSWORD);
    let create_user = on_db(&["create-user", "alice", "--superuser"]);
    let create_user: Vec<&str> = create_user.iter().map(String::as_str).collect();
    support::admin(data.path(), &create_user, Some(&pw));
    let create_model = on_db(&["create-model", "prod"]);
    let create_model: Vec<&str> = create_model.iter().map(String::as_str).collect();
    support::admin(data.path(), &create_model, None);
    let node = serve_with(
        data.path(),
        &[
            "--database-url",
            &database.url,
            "--metrics-listen",
            "127.0.0.1:0",
        ],
    );
    let mut conn = sqlx::PgConnection::connect(&database.url)
        .await
        .expect("connect");
    sqlx::raw_sql(
        "create function refuse_at_commit() returns trigger language plpgsql as \
         $$ begin raise exception 'refused at commit'; end $$; \
         create constraint trigger refuse_doomed after insert on secret \
         deferrable initially deferred for each row when (new.name = 'doomed') \
         execute function refuse_at_commit();",
    )
    .execute(&mut conn)
    .await
    .expect("the trigger");
    let token = api_token(&node, "alice");
    let metrics_port = node.metrics_port.expect("the metrics address");
    let add = |name: &str| {
        let body = serde_json::json!({"name": name, "content": {"password": "s3cret"}});
        match agent()
            .post(&node.url("/api/v1/models/prod/secrets"))
            .header("Authorization", &format!("Bearer {token}"))
            .send_json(&body)
        {
            Ok(r) => r.status().as_u16(),
            Err(e) => panic!("{e}"),
        }
    };
    let before = audited_in_transactions(metrics_port);
    assert_eq!(add("kept"), 201);
    let status = add("doomed");
    assert!(status >= 500, "the failed commit answered {status}");
    assert_eq!(
        audited_in_transactions(metrics_port),
        before + 1,
        "only the committed write's event is counted"
    );
}
