//! Clients that open connections and never finish their request headers (slowloris): before
//! the fix, 1,000 of them were all still open after 35 s, each holding a socket. Now a
//! connection without its headers after a few seconds is closed, at most `--max-connections`
//! are served at once, and real requests are answered while thousands of slow ones arrive.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::{Server, pause};

const SLOW: usize = 5_000;

/// A connection that sends half a request's headers and then nothing.
fn slow_connection(port: u16) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .ok()?;
    Some(stream)
}

/// Whether the server has closed `stream` (or answered it, as hyper answers 408 before it
/// closes): looked at without waiting, so that thousands can be checked at once.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).expect("nonblocking");
    let mut buf = [0u8; 512];
    match stream.read(&mut buf) {
        Ok(n) => n == 0 || buf[..n].starts_with(b"HTTP/1.1 408"),
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

fn healthz(port: u16) -> Option<Duration> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer
        .starts_with("HTTP/1.1 200")
        .then(|| started.elapsed())
}

#[test]
fn slow_clients_are_cut_off_and_real_requests_still_answered() {
    let server = Server::start(&[]);
    let port = server.port;
    let opener = std::thread::spawn(move || {
        (0..SLOW)
            .filter_map(|_| slow_connection(port))
            .collect::<Vec<_>>()
    });
    // Real requests while the slow connections are being opened.
    let mut answered = Vec::new();
    while !opener.is_finished() {
        answered.push(healthz(port).expect("a real request answered during the flood"));
    }
    let mut slow = opener.join().expect("opener");
    assert!(slow.len() > SLOW * 9 / 10, "opened {}", slow.len());
    assert!(!answered.is_empty());
    let slowest = answered.iter().max().copied().unwrap_or_default();
    assert!(
        slowest < Duration::from_secs(3),
        "a real request took {slowest:?}"
    );
    assert!(healthz(port).is_some(), "answered once the flood is in");

    pause(Duration::from_secs(8));
    let still_open = slow
        .iter_mut()
        .map(closed_by_server)
        .filter(|closed| !closed)
        .count();
    assert_eq!(still_open, 0, "slow connections left open after 8 s");
}

#[test]
fn connections_past_the_bound_wait_until_one_closes() {
    let server = Server::start(&["--max-connections", "20"]);
    let port = server.port;
    let held: Vec<TcpStream> = (0..20).filter_map(|_| slow_connection(port)).collect();
    assert_eq!(held.len(), 20);
    pause(Duration::from_millis(300));
    // The twenty-first waits in the kernel's queue: no answer while all twenty are held …
    let mut waiting = TcpStream::connect(("127.0.0.1", port)).expect("queued");
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("send");
    waiting
        .set_read_timeout(Some(Duration::from_millis(1_500)))
        .expect("timeout");
    let mut buf = [0u8; 64];
    assert!(
        waiting.read(&mut buf).is_err(),
        "answered past --max-connections"
    );
    // … and is served once they are cut off.
    drop(held);
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut answer = String::new();
    waiting.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// The deadline is for headers, not for a kept-alive connection between requests: a client's
/// pooled connection, idle longer than the header deadline, still serves its next request
/// (hyper's own header timeout closed it under the client: "connection closed before message
/// completed").
#[test]
fn a_kept_alive_connection_outlives_the_header_deadline_between_requests() {
    let server = Server::start(&[]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let ask = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for round in 0..2 {
        stream.write_all(ask).expect("send");
        // `/healthz` answers `ok`: read up to the end of that body.
        let mut text = String::new();
        let mut chunk = [0u8; 4096];
        while !text.ends_with("\r\n\r\nok\n") {
            let n = stream.read(&mut chunk).expect("answer");
            assert!(n > 0, "round {round}: closed after {text:?}");
            text.push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
        assert!(text.starts_with("HTTP/1.1 200"), "round {round}: {text}");
        pause(Duration::from_secs(7));
    }
}
