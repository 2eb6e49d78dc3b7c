//! Clients that hang up in the middle of their writes, many at once. A request's future is
//! dropped at whatever await it had reached; the single writer connection must come back clean
//! every time (the store's `writes_cut_at_any_point_leave_the_writer_usable` covers the points
//! one by one; this is the same through the running binary).

use std::io::Write as _;
use std::sync::Arc;

use crate::scale::{post, token};
use crate::{Server, agent};

#[test]
fn writers_that_hang_up_mid_request_leave_the_server_writing() {
    let server = Arc::new(Server::start(&[]));
    let bob = Arc::new(token(&server, "bob"));
    let created = post(
        &server,
        &bob,
        "/api/v1/models/prod/secrets",
        serde_json::json!({"name": "abandoned", "content": {"value": "start"}}),
    );
    let id = Arc::new(created["id"].as_str().expect("id").to_owned());
    let port = server.port;
    let hang_ups: Vec<_> = (0..16)
        .map(|t| {
            let (bob, id) = (bob.clone(), id.clone());
            std::thread::spawn(move || {
                for n in 0..10 {
                    let body = format!(r#"{{"content":{{"value":"thread {t} write {n}"}}}}"#);
                    let request = format!(
                        "PATCH /api/v1/models/prod/secrets/{id} HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                         Authorization: Bearer {bob}\r\nContent-Type: application/json\r\n\
                         Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let mut stream =
                        std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
                    stream.write_all(request.as_bytes()).expect("send");
                    // Gone before the answer: the server drops the request where it stands.
                    drop(stream);
                }
            })
        })
        .collect();
    for h in hang_ups {
        h.join().expect("thread");
    }
    // Nothing begun for a write that hung up may keep SQLite's write lock: an operator's
    // command in another process writes at once (its busy wait gives up after 10 s), with no
    // write through the server first to clear the way.
    crate::support::admin(
        server.data.path(),
        &["create-user", "carol"],
        Some("password-123\n"),
    );

    // Every later write and read is served, and the secret's revisions are whole.
    for n in 0..20 {
        let update = serde_json::json!({"content": {"value": format!("after {n}")}});
        let status = agent()
            .patch(&server.url(&format!("/api/v1/models/prod/secrets/{id}")))
            .header("Authorization", &format!("Bearer {bob}"))
            .send_json(&update)
            .expect("answered")
            .status()
            .as_u16();
        assert_eq!(status, 200, "write {n} after the hang-ups");
    }
    let detail: serde_json::Value = agent()
        .get(&server.url(&format!("/api/v1/models/prod/secrets/{id}")))
        .header("Authorization", &format!("Bearer {bob}"))
        .call()
        .expect("show")
        .into_body()
        .read_json()
        .expect("json");
    let numbers = crate::support::web::revision_numbers(&detail);
    let latest = detail["revision"].as_i64().expect("latest");
    assert_eq!(
        numbers,
        (1..=latest).collect::<Vec<_>>(),
        "no gap, no repeat"
    );
    let out = std::process::Command::new(crate::support::bin())
        .args(["admin", "--data-dir"])
        .arg(server.data.path())
        .arg("verify-audit")
        .output()
        .expect("verify-audit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
