//! What the API accepts, the dashboard accepts, however its form encodes it; what is far too
//! large is refused with 413 and a message for the content field, not a 500.

use std::sync::{Arc, Barrier};

use crate::{Server, form_login, post_form, server_fn};

fn add_secret(server: &Server, cookie: &str, name: &str, value: &str) -> (u16, String) {
    let add = server_fn(
        server,
        cookie,
        "/models/prod/secrets?dialog=add",
        "add_secret",
    );
    post_form(
        server,
        &add,
        cookie,
        &[
            ("model", "prod"),
            ("name", name),
            ("description", ""),
            ("content[entries][0][key]", "text"),
            ("content[entries][0][value]", value),
        ],
    )
}

#[test]
fn a_valid_secret_is_accepted_however_its_form_encodes() {
    let server = Server::start(&[]);
    let cookie = form_login(&server, "bob", "/models").2.expect("cookie");
    // 749,980 bytes of text: 999,976 base64 characters with the key, within the 1 MB limit;
    // percent-encoded, the form is 2.25 MB.
    let accents = "é".repeat(374_990);
    let (status, body) = add_secret(&server, &cookie, "accents", &accents);
    assert_eq!(status, 200, "{}", &body[..body.len().min(300)]);
}

#[test]
fn a_far_too_large_post_is_refused_with_413_for_the_content_field() {
    let server = Server::start(&[]);
    let cookie = form_login(&server, "bob", "/models").2.expect("cookie");
    let (status, body) = add_secret(&server, &cookie, "huge", &"a".repeat(5_000_000));
    assert_eq!(status, 413, "{}", &body[..body.len().min(300)]);
    assert!(body.contains(r#""field":"content""#), "{body}");
    assert!(body.contains("request too large"), "{body}");
}

/// Sends a sign-in of `size` bytes but the last, waits at `sent` and then at `go`, sends the
/// last byte, and returns the answer's status.
fn slow_post(port: u16, size: usize, sent: &Barrier, go: &Barrier) -> u16 {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let head = format!(
        "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {size}\r\nConnection: close\r\n\r\n"
    );
    let body = vec![b'x'; size];
    let written = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body[..size - 1]));
    sent.wait();
    go.wait();
    if written
        .and_then(|()| stream.write_all(&body[size - 1..]))
        .is_err()
    {
        return 0;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// `BODY_BUDGET_KIB` in server/src/http/body_limit.rs.
const BUDGET_MIB: u64 = 128;

#[test]
fn large_posts_held_open_at_once_stay_within_a_memory_budget() {
    const SENDERS: usize = 150;
    let server = Arc::new(Server::start(&[]));
    let idle = crate::rss_mib(server.pid());
    let (sent, go) = (
        Arc::new(Barrier::new(SENDERS + 1)),
        Arc::new(Barrier::new(SENDERS + 1)),
    );
    // 150 anonymous sign-ins of 3.9 MB, each one byte short: 585 MB if the server held them all.
    let threads: Vec<_> = (0..SENDERS)
        .map(|_| {
            let (port, sent, go) = (server.port, sent.clone(), go.clone());
            std::thread::spawn(move || slow_post(port, 3_900_000, &sent, &go))
        })
        .collect();
    sent.wait();
    crate::pause(std::time::Duration::from_secs(1));
    let held = crate::rss_mib(server.pid());
    go.wait();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap_or(0)).collect();
    let count = |s: u16| statuses.iter().filter(|x| **x == s).count();
    let grown = held.saturating_sub(idle);
    eprintln!(
        "{} × 400, {} × 503; RSS {idle} MiB idle, {held} MiB while held (+{grown})",
        count(400),
        count(503)
    );
    // The budget is 128 MiB of declared bodies. Measured here (2026-12-02): RSS grew by 270 MiB
    // with it (the bodies admitted, their buffers as they grow, the refused ones drained, and
    // the allocator's slack), and by about 730 MiB without it. The bound sits between, with room
    // for a noisy machine.
    assert!(
        grown <= BUDGET_MIB * 5 / 2,
        "bodies held within the {BUDGET_MIB} MiB budget: RSS grew by {grown} MiB"
    );
    assert!(count(503) > 0, "past the budget, 503: {statuses:?}");
    assert_eq!(
        count(400) + count(503),
        SENDERS,
        "every post answered: {statuses:?}"
    );
}
