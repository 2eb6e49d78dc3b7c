//! Running the real `strongbox` binary in tests: admin commands, a server on a port it chose.
//! Each crate's tests pass the binary they test (`CARGO_BIN_EXE_strongbox` in the server's).

pub mod oidc;
pub mod pg;
pub mod sqlite;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `strongbox admin --data-dir <data> <args…>` with `stdin` (a password, say) and expects
/// success.
pub fn admin(bin: &Path, data: &Path, args: &[&str], stdin: Option<&str>) {
    let mut child = Command::new(bin)
        .arg("admin")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("admin command");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
    }
    assert!(child.wait().expect("wait").success(), "admin {args:?}");
}

/// A fresh data directory with alice, a superuser whose password is `password-123`, and the
/// model `prod`: where most tests start.
pub fn data_with_alice_and_prod(bin: &Path) -> tempfile::TempDir {
    let data = tempfile::tempdir().expect("dir");
    admin(
        bin,
        data.path(),
        &["create-user", "alice", "--superuser"],
        Some("password-123\n"),
    );
    admin(bin, data.path(), &["create-model", "prod"], None);
    data
}

/// A running `strongbox serve`. The server binds the port itself (`--listen 127.0.0.1:0` unless
/// `extra` names one) and keeps it, and says where on stdout, so no other process can take the
/// port between choosing and binding it.
pub struct Served {
    pub child: Child,
    pub port: u16,
    /// The metrics listener's port, with `--metrics-listen`.
    pub metrics_port: Option<u16>,
}

/// `strongbox serve` with `extra` flags (e.g. `--session-idle-seconds 4`), once it accepts
/// connections.
pub fn serve_with(bin: &Path, data: &Path, extra: &[&str]) -> Served {
    let mut command = Command::new(bin);
    command.arg("serve").arg("--data-dir").arg(data).args(extra);
    if !extra.contains(&"--listen") {
        command.args(["--listen", "127.0.0.1:0"]);
    }
    let mut child = command
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut metrics_port = None;
    let port = announced(&mut child, "strongbox serve", |line| {
        if let Some(addr) = line.strip_prefix("metrics on http://") {
            metrics_port = Some(port_of(addr));
        }
        line.strip_prefix("strongbox listening on http://")
            .map(port_of)
    });
    Served {
        child,
        port,
        metrics_port,
    }
}

/// Reads `child`'s stdout until `found` recognizes a line (30 s at most, else the child is
/// killed and the test fails), then keeps draining it so that the child never blocks on a
/// full pipe.
pub(crate) fn announced<T>(
    child: &mut Child,
    what: &str,
    mut found: impl FnMut(&str) -> Option<T>,
) -> T {
    let stdout = child.stdout.take().expect("stdout");
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = said.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let wait = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = heard.recv_timeout(wait) else {
            let _ = child.kill();
            let status = child.wait().expect("wait");
            panic!("{what} did not come up ({status})");
        };
        if let Some(value) = found(&line) {
            return value;
        }
    }
}

/// The port of `127.0.0.1:8080/metrics`.
fn port_of(announced: &str) -> u16 {
    let addr = announced.split('/').next().unwrap_or_default();
    addr.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {announced:?}"))
}

/// A port nothing listens on, for tests of what happens when a peer is not there: bound and
/// released at once.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// The PostgreSQL server the tests may use, from `TEST_POSTGRES_URL` (`scripts/test.sh` starts
/// one). A suite that skips itself proves nothing, so in CI (`CI` set) a missing URL fails the
/// test; elsewhere the skip is said on stderr, naming what did not run.
pub fn postgres_url(what: &str) -> Option<String> {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => panic!(
            "TEST_POSTGRES_URL is not set, and CI must run {what} on PostgreSQL \
             (scripts/test.sh starts a cluster)"
        ),
        _ => {
            eprintln!(
                "SKIPPED: {what}: TEST_POSTGRES_URL is not set (scripts/test.sh starts a PostgreSQL cluster)"
            );
            None
        }
    }
}
