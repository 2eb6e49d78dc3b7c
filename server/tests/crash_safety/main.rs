//! Kill the server with SIGKILL while eight clients write and four applications read through
//! the API. After a restart, every write the server acknowledged is there and readable, nothing
//! half-written is visible, every answered read left its audit event, every answered tracking
//! move stuck, and the audit chain verifies.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[path = "../support/mod.rs"]
mod support;

mod readers;

use support::{BIN, admin, request, serve};
const WRITERS: usize = 8;

fn login(port: u16) -> String {
    let (status, body) = request(
        port,
        "POST",
        "/api/v1/login",
        None,
        Some(r#"{"username":"ops","password":"password-123"}"#),
    )
    .expect("login");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    v["token"].as_str().expect("token").to_owned()
}

/// Writers add secrets until told to stop; each name the server answered 201 for is recorded.
fn start_writers(
    port: u16,
    token: &str,
    stop: &Arc<AtomicBool>,
) -> (Arc<Mutex<Vec<String>>>, Vec<JoinHandle<()>>) {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let clients = (0..WRITERS)
        .map(|c| {
            let (token, acknowledged, stop) =
                (token.to_owned(), acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                for n in 0..10_000 {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let name = format!("c{c}-{n}");
                    let body =
                        format!(r#"{{"name":"{name}","content":{{"value":"payload-{c}-{n}"}}}}"#);
                    let path = "/api/v1/models/prod/secrets";
                    match request(port, "POST", path, Some(&token), Some(&body)) {
                        Some((201, _)) => acknowledged.lock().expect("lock").push(name),
                        Some((status, body)) => panic!("unexpected {status}: {body}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    (acknowledged, clients)
}

#[test]
fn acknowledged_writes_and_reads_survive_sigkill() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    admin(
        &data,
        &["create-user", "ops", "--superuser"],
        Some("password-123\n"),
    );
    admin(&data, &["create-model", "prod"], None);
    let mut server = serve(&data);
    let port = server.port;
    let token = login(port);
    let readers = readers::Readers::set_up(port, &token);

    let stop = Arc::new(AtomicBool::new(false));
    let (acknowledged, writers) = start_writers(port, &token, &stop);
    let reading = readers.start(port, &token, &stop);
    let started = Instant::now();
    while (acknowledged.lock().expect("lock").len() < 200 || !reading.enough())
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::yield_now();
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reaped");
    stop.store(true, Ordering::SeqCst);
    for client in writers {
        client.join().expect("writer");
    }
    let answered = reading.join();
    let acknowledged = acknowledged.lock().expect("lock").clone();
    eprintln!(
        "{} writes, {} reads and {} tracking moves acknowledged before SIGKILL",
        acknowledged.len(),
        answered.reads.iter().sum::<usize>(),
        answered.refreshed.iter().filter(|r| **r > 1).count(),
    );
    assert!(
        acknowledged.len() >= 200,
        "only {} writes acknowledged",
        acknowledged.len()
    );
    // The kill must land while reads and tracking moves are under way, or the checks below
    // would hold for a server that answered none.
    for (r, reads) in answered.reads.iter().enumerate() {
        assert!(
            *reads >= 10,
            "reader {r}: only {reads} reads answered before SIGKILL"
        );
    }
    assert!(
        answered.refreshed.iter().any(|r| *r > 1),
        "a refresh moved some reader's tracking past revision 1: {:?}",
        answered.refreshed
    );

    // Clients find the restarted server where they left it.
    let server = support::serve_again(&data, port);
    check_writes(port, &token, &acknowledged);
    readers.check(port, &token, &answered);
    drop(server);

    let out = Command::new(BIN)
        .args(["admin", "--data-dir"])
        .arg(&data)
        .arg("verify-audit")
        .env("RUST_LOG", "warn")
        .output()
        .expect("verify");
    assert!(
        out.status.success(),
        "verify-audit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("audit chain intact"));
}

/// Every acknowledged secret is listed with its revision; every listed one is readable.
fn check_writes(port: u16, token: &str, acknowledged: &[String]) {
    let mut stored = Vec::new();
    let mut after = String::new();
    loop {
        let path = format!("/api/v1/models/prod/secrets?limit=500&after={after}");
        let (status, body) = request(port, "GET", &path, Some(token), None).expect("list");
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).expect("json");
        for item in page["items"].as_array().expect("items") {
            assert!(
                item["revision"].as_i64().is_some_and(|r| r >= 1),
                "a listed secret has its revision: {item}"
            );
            stored.push(item["name"].as_str().expect("name").to_owned());
        }
        match page["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    for name in acknowledged {
        assert!(stored.contains(name), "acknowledged write {name} was lost");
    }
    let written = |n: &&String| n.starts_with('c') && !acknowledged.contains(n);
    for name in stored
        .iter()
        .filter(written)
        .chain(acknowledged.iter().take(5))
    {
        let (status, body) = request(
            port,
            "POST",
            &format!("/api/v1/models/prod/secrets/{name}/reveal"),
            Some(token),
            Some("{}"),
        )
        .expect("reveal");
        assert_eq!(status, 200, "{name} is stored but not readable: {body}");
        assert!(body.contains("payload-"), "{body}");
    }
}
