//! Running the real `strongbox` binary in tests: admin commands, a server on a free port.
//! Each crate's tests pass the binary they test (`CARGO_BIN_EXE_strongbox` in the server's).

pub mod pg;
pub mod sqlite;

use std::io::Write as _;
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

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// `strongbox serve` on `port` with `extra` flags (e.g. `--session-idle-seconds 4`), once it
/// accepts connections.
pub fn serve_with(bin: &Path, data: &Path, port: u16, extra: &[&str]) -> Child {
    let child = Command::new(bin)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("serve");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::yield_now();
    }
    child
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
