//! Many consumers on the event stream at once (issue 13): 500 open streams all hear one
//! update, and the server's memory stays within the benchmark's limit (150 MiB).

use std::io::{BufRead as _, BufReader};
use std::net::TcpStream;
use std::time::Duration;

use crate::scale::{app_with_granted_secret, token};
use crate::{Server, agent, peak_rss_mib};

const CONSUMERS: usize = 500;
const RSS_LIMIT_MIB: u64 = 150;

fn open_stream(port: u16, app_token: &str) -> BufReader<TcpStream> {
    let (status, stream, head) = crate::stream_caps::open(port, app_token);
    assert_eq!(status, 200, "{head}");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    BufReader::new(stream)
}

/// Reads up to the end of the next event and returns its text.
fn next_event(reader: &mut BufReader<TcpStream>) -> String {
    let mut event = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .expect("an event within the read timeout");
        assert!(n > 0, "the stream ended");
        if line.trim().is_empty() && event.contains("data:") {
            return event;
        }
        event.push_str(&line);
    }
}

#[test]
fn five_hundred_streams_hear_one_update_within_the_memory_limit() {
    // One token for all 500, past the default caps (8 per token, 256 per application).
    let server = Server::start(&[
        "--max-streams-per-token",
        "500",
        "--max-streams-per-application",
        "500",
    ]);
    let alice = token(&server, "alice");
    let granted = app_with_granted_secret(&server, &alice);
    let (app_token, id) = (granted.token, granted.secret);
    let read = agent()
        .get(&server.url(&format!("/api/v1/app/secrets/{id}")))
        .header("Authorization", &format!("Bearer {app_token}"))
        .call()
        .expect("tracked read");
    assert_eq!(read.status().as_u16(), 200);

    let mut streams: Vec<_> = (0..CONSUMERS)
        .map(|_| open_stream(server.port, &app_token))
        .collect();
    let update = serde_json::json!({"content": {"password": "two"}});
    let status = agent()
        .patch(&server.url(&format!("/api/v1/models/prod/secrets/{id}")))
        .header("Authorization", &format!("Bearer {alice}"))
        .send_json(&update)
        .expect("update")
        .status();
    assert_eq!(status.as_u16(), 200);
    for (n, stream) in streams.iter_mut().enumerate() {
        let event = next_event(stream);
        assert!(
            event.contains("event: secret-changed") && event.contains(&id),
            "consumer {n}: {event}"
        );
    }
    let peak = peak_rss_mib(server.pid());
    assert!(
        peak < RSS_LIMIT_MIB,
        "peak RSS {peak} MiB with {CONSUMERS} streams"
    );
}
