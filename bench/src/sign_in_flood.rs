//! Bad sign-ins at once against the served binary: every request must be answered, and peak
//! memory must stay under 200 MB (issue 7). Prints the statuses and the server's peak RSS.
//!
//!   cargo run --release -p bench --bin sign-in-flood -- [--bin target/release/strongbox] [--requests 1000]

use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::Instant;

/// The report goes to standard output, which is this program's product.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

struct Args {
    bin: String,
    requests: usize,
}

fn args() -> Args {
    let mut out = Args {
        bin: "target/release/strongbox".into(),
        requests: 1_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match (flag.as_str(), it.next()) {
            ("--bin", Some(v)) => out.bin = v,
            ("--requests", Some(v)) => out.requests = v.parse().unwrap_or(out.requests),
            _ => {
                eprintln!("usage: sign-in-flood [--bin PATH] [--requests N]");
                std::process::exit(2);
            }
        }
    }
    out
}

fn peak_rss_mib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

fn login(agent: &ureq::Agent, port: u16, user: &str, password: &str) -> u16 {
    match agent
        .post(&format!("http://127.0.0.1:{port}/api/v1/login"))
        .send_json(serde_json::json!({"username": user, "password": password}))
    {
        Ok(r) => r.status().as_u16(),
        Err(e) => {
            eprintln!("no answer: {e}");
            0
        }
    }
}

fn main() {
    let args = args();
    let data = tempfile::tempdir().expect("temporary directory");
    let mut admin = Command::new(&args.bin)
        .args(["admin", "--data-dir"])
        .arg(data.path())
        .args(["create-user", "alice"])
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the strongbox binary (build it with cargo build --release -p server)");
    use std::io::Write as _;
    if let Some(mut stdin) = admin.stdin.take() {
        let _ = stdin.write_all(b"password-123\n");
    }
    assert!(admin.wait().is_ok_and(|s| s.success()), "admin create-user");
    let served = testkit::serve_with(std::path::Path::new(&args.bin), data.path(), &[]);
    let (port, mut server) = (served.port, served.child);
    let pid = server.id();
    let idle = peak_rss_mib(pid);
    let gate = Arc::new(Barrier::new(args.requests));
    let started = Instant::now();
    let threads: Vec<_> = (0..args.requests)
        .map(|i| {
            let gate = gate.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                gate.wait();
                login(&agent, port, &format!("nobody{i}"), "wrong-password")
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap_or(0)).collect();
    let elapsed = started.elapsed();
    let peak = peak_rss_mib(pid);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let after = login(&agent, port, "alice", "password-123");
    let _ = server.kill();
    let _ = server.wait();
    let count = |s: u16| statuses.iter().filter(|x| **x == s).count();
    let unanswered = statuses.len() - count(401) - count(429) - count(503);
    say!("| figure | value |");
    say!("|---|---|");
    say!("| concurrent bad sign-ins | {} |", args.requests);
    say!(
        "| answered 401 / 503 busy / 429 | {} / {} / {} |",
        count(401),
        count(503),
        count(429)
    );
    say!("| not answered | {unanswered} |");
    say!("| wall time | {:.2} s |", elapsed.as_secs_f64());
    say!("| server peak RSS (idle → after) | {idle} MiB → {peak} MiB |");
    say!("| correct sign-in afterwards | {after} |");
    let ok = unanswered == 0 && peak < 200 && after == 200;
    say!(
        "target (all answered, peak < 200 MiB, still serving): {}",
        if ok { "met" } else { "NOT met" }
    );
    if !ok {
        std::process::exit(1);
    }
}
