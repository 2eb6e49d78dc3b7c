//! One application's event streams are capped: 8 per token by default, and per application
//! (256 by default, 64 here), on a node, each stream or long poll holding a connection and a
//! task. Before, a token could open them without end.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use crate::Server;
use crate::scale::{app_with_granted_secret, post, token};

/// Opens the application's event stream and reads the answer's head: its status, the stream
/// (open while the value lives, positioned at the body) and the head's text.
pub(crate) fn open(port: u16, app_token: &str) -> (u16, TcpStream, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!(
        "GET /api/v1/app/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\
         Authorization: Bearer {app_token}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("send");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("headers");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, stream, head)
}

/// The rest of a refused answer: its JSON body.
fn body(mut stream: TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    String::from_utf8_lossy(&rest).into_owned()
}

#[test]
fn a_token_and_an_application_hold_a_bounded_number_of_streams() {
    let server = Server::start(&["--max-streams-per-application", "64"]);
    let alice = token(&server, "alice");
    let first = app_with_granted_secret(&server, &alice).token;
    let mut open_streams = Vec::new();
    for _ in 0..8 {
        let (status, stream, head) = open(server.port, &first);
        assert_eq!(status, 200, "{head}");
        open_streams.push(stream);
    }
    let (status, refused, head) = open(server.port, &first);
    assert_eq!(status, 429, "the ninth stream of one token: {head}");
    let refused = body(refused);
    assert!(
        refused.contains("too_many_streams") && refused.contains("at most 8"),
        "{refused}"
    );
    // A stream closed gives its place back (once the server notices: at the latest, the
    // keep-alive it writes every 15 s fails).
    drop(open_streams.pop());
    let reopened = (0..100).find_map(|_| {
        let (status, stream, _) = open(server.port, &first);
        if status != 200 {
            crate::pause(Duration::from_millis(200));
        }
        (status == 200).then_some(stream)
    });
    open_streams.push(reopened.expect("a place once one closed"));

    // Across tokens, the application holds 64 at most.
    let label = serde_json::json!({"label": "unit"});
    let mut tokens = Vec::new();
    for _ in 0..8 {
        let issued = post(
            &server,
            &alice,
            "/api/v1/models/prod/applications/mysql/tokens",
            label.clone(),
        );
        tokens.push(issued["token"].as_str().expect("token").to_owned());
    }
    for t in &tokens[..7] {
        for _ in 0..8 {
            let (status, stream, head) = open(server.port, t);
            assert_eq!(status, 200, "{head}");
            open_streams.push(stream);
        }
    }
    assert_eq!(open_streams.len(), 64);
    let (status, refused, head) = open(server.port, &tokens[7]);
    assert_eq!(status, 429, "the 65th stream of one application: {head}");
    assert!(body(refused).contains("application"));
}
