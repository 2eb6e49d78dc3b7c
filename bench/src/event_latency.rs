//! Time from an update to its `secret-changed` at a consumer on the event stream, measured
//! against the served binary, one update at a time. Prints one line for `bench/report.py`:
//! `sb-event SAMPLES P50_MS P99_MS MISSED`.
//! Usage: event-latency URL APP_TOKEN PERSONAL_TOKEN MODEL SECRET_ID [SAMPLES]

use std::io::{BufRead as _, Write as _};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, app, personal, model, secret, rest @ ..] = args.as_slice() else {
        eprintln!("usage: event-latency URL APP_TOKEN PERSONAL_TOKEN MODEL SECRET_ID [SAMPLES]");
        std::process::exit(2);
    };
    let samples: usize = rest.first().and_then(|n| n.parse().ok()).unwrap_or(200);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let read = format!("{url}/api/v1/app/secrets/{secret}?mode=refresh");
    let refresh = || {
        agent
            .get(&read)
            .header("Authorization", &format!("Bearer {app}"))
            .call()
            .expect("refresh");
    };
    refresh();

    // The stream's lines, stamped as they arrive, read on a thread of their own.
    let (lines, arrived) = mpsc::channel::<(Instant, String)>();
    let stream = agent
        .get(&format!("{url}/api/v1/app/events"))
        .header("Accept", "text/event-stream")
        .header("Authorization", &format!("Bearer {app}"))
        .call()
        .expect("event stream");
    std::thread::spawn(move || {
        let reader = std::io::BufReader::new(stream.into_body().into_reader());
        for line in reader.lines().map_while(Result::ok) {
            if lines.send((Instant::now(), line)).is_err() {
                return;
            }
        }
    });

    let update = format!("{url}/api/v1/models/{model}/secrets/{secret}");
    let mut took = Vec::with_capacity(samples);
    let mut missed = 0;
    for n in 0..samples {
        while arrived.try_recv().is_ok() {}
        let body = serde_json::json!({"content": {"password": format!("event-{n}-{}", rand::random::<u64>())}});
        let sent = Instant::now();
        let status = agent
            .patch(&update)
            .header("Authorization", &format!("Bearer {personal}"))
            .send_json(&body)
            .expect("update")
            .status();
        assert!(status.is_success(), "update: {status}");
        let heard = loop {
            match arrived.recv_timeout(Duration::from_secs(5)) {
                Ok((at, line)) if line.starts_with("data:") && line.contains(secret.as_str()) => {
                    break Some(at);
                }
                Ok(_) => {}
                Err(_) => break None,
            }
        };
        match heard {
            Some(at) => took.push(at.duration_since(sent)),
            None => missed += 1,
        }
        refresh();
    }
    took.sort();
    let ms = |q: f64| {
        took.get(((took.len() as f64 - 1.0) * q).round() as usize)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let line = format!(
        "sb-event {} {:.2} {:.2} {missed}",
        took.len(),
        ms(0.5),
        ms(0.99)
    );
    writeln!(std::io::stdout(), "{line}").expect("stdout");
}
