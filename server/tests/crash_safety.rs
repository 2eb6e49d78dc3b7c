//! Kill the server with SIGKILL while eight clients write through the API. After a restart,
//! every write the server acknowledged is there and readable, nothing half-written is visible,
//! and the audit chain verifies.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod support;

use support::{BIN, admin, free_port, serve};
const CLIENTS: usize = 8;

/// One HTTP/1.1 request on a fresh connection: (status, body), or `None` if the server is gone.
fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let status = raw.split(' ').nth(1)?.parse().ok()?;
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, dechunk(&body)))
}

/// Axum answers with chunked bodies; join the chunks.
fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_owned();
        };
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    if out.is_empty() { body.to_owned() } else { out }
}

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

#[test]
fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    admin(
        &data,
        &["create-user", "ops", "--superuser"],
        Some("password-123\n"),
    );
    admin(&data, &["create-model", "prod"], None);
    let port = free_port();
    let mut server = serve(&data, port);
    let token = login(port);

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (token, acknowledged, stop) = (token.clone(), acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                for n in 0..10_000 {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let name = format!("c{c}-{n}");
                    let body =
                        format!(r#"{{"name":"{name}","content":{{"value":"payload-{c}-{n}"}}}}"#);
                    match request(
                        port,
                        "POST",
                        "/api/v1/models/prod/secrets",
                        Some(&token),
                        Some(&body),
                    ) {
                        Some((201, _)) => acknowledged.lock().expect("lock").push(name),
                        Some((status, body)) => panic!("unexpected {status}: {body}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < 200
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::yield_now();
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.join().expect("client");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    eprintln!("{} writes acknowledged before SIGKILL", acknowledged.len());
    assert!(
        acknowledged.len() >= 200,
        "only {} writes acknowledged",
        acknowledged.len()
    );

    let mut server = serve(&data, port);
    let mut stored = Vec::new();
    let mut after = String::new();
    loop {
        let path = format!("/api/v1/models/prod/secrets?limit=500&after={after}");
        let (status, body) = request(port, "GET", &path, Some(&token), None).expect("list");
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).expect("json");
        for item in page["items"].as_array().expect("items") {
            assert_eq!(
                item["revision"].as_i64(),
                Some(1),
                "a listed secret has its revision: {item}"
            );
            stored.push(item["name"].as_str().expect("name").to_owned());
        }
        match page["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    for name in &acknowledged {
        assert!(stored.contains(name), "acknowledged write {name} was lost");
    }
    for name in stored
        .iter()
        .filter(|n| !acknowledged.contains(n))
        .chain(acknowledged.iter().take(5))
    {
        let (status, body) = request(
            port,
            "POST",
            &format!("/api/v1/models/prod/secrets/{name}/reveal"),
            Some(&token),
            Some("{}"),
        )
        .expect("reveal");
        assert_eq!(status, 200, "{name} is stored but not readable: {body}");
        assert!(body.contains("payload-"), "{body}");
    }
    server.kill().expect("stop");
    server.wait().expect("reaped");

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
