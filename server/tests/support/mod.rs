//! Running the real `strongbox` binary: admin commands, a server on a port of its choosing.
#![allow(dead_code)]

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::time::Duration;

pub mod browser;
pub mod in_process;
pub mod pair;
pub mod web;

/// Every test user's password.
pub const PASSWORD: &str = "password-123";

pub const BIN: &str = env!("CARGO_BIN_EXE_strongbox");

/// The binary under test: this build's, or `STRONGBOX_TEST_BIN`, so that a test can be run
/// against an earlier release to show it fails there.
pub fn bin() -> String {
    std::env::var("STRONGBOX_TEST_BIN").unwrap_or_else(|_| BIN.to_owned())
}

pub fn admin(data: &Path, args: &[&str], stdin: Option<&str>) {
    testkit::admin(Path::new(&bin()), data, args, stdin);
}

/// A fresh data directory with alice (a superuser, password `password-123`) and model `prod`.
pub fn data_with_alice_and_prod() -> tempfile::TempDir {
    testkit::data_with_alice_and_prod(Path::new(&bin()))
}

/// A port nothing listens on.
pub fn closed_port() -> u16 {
    testkit::closed_port()
}

/// `strongbox serve` on a port it chose and keeps; stopped when dropped.
pub fn serve(data: &Path) -> web::Running {
    serve_with(data, &[])
}

/// `serve` with extra flags, e.g. `--session-idle-seconds 4`.
pub fn serve_with(data: &Path, extra: &[&str]) -> web::Running {
    let served = testkit::serve_with(Path::new(&bin()), data, extra);
    web::Running {
        port: served.port,
        metrics_port: served.metrics_port,
        child: served.child,
    }
}

/// The same data served again where its clients left it: a restart on `port`.
pub fn serve_again(data: &Path, port: u16) -> web::Running {
    serve_with(data, &["--listen", &format!("127.0.0.1:{port}")])
}

/// The status line of one request with a bearer token: `"HTTP/1.1 303 See Other"`.
pub fn status_with_bearer(port: u16, method: &str, path: &str, token: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(req.as_bytes()).expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    raw.lines().next().unwrap_or_default().to_owned()
}

/// The body of a plain GET.
pub fn get_body(port: u16, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    raw
}

/// One HTTP/1.1 request on a fresh connection: (status, body), or `None` if the server is gone.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Option<(u16, String)> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
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

/// Waits in a plain test thread. The lint against `thread::sleep` guards async runtimes; a
/// test that needs wall-clock time between two requests waits here on purpose.
#[allow(clippy::disallowed_methods, dead_code)]
pub fn pause(d: std::time::Duration) {
    std::thread::sleep(d);
}

/// What a CLI command did: success, stdout and stderr.
pub struct CliOut {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `strongbox` CLI with `config` as its configuration directory (server, token,
/// current model) and `stdin`, with no STRONGBOX_* variables of the test's environment.
pub fn run_cli(config: &Path, args: &[&str], stdin: &str) -> CliOut {
    run_cli_with(config, args, stdin, &[])
}

/// `run_cli` with these variables set too (VAULT_TOKEN, say).
pub fn run_cli_with(config: &Path, args: &[&str], stdin: &str, vars: &[(&str, &str)]) -> CliOut {
    let mut child = std::process::Command::new(BIN)
        .args(args)
        .envs(vars.iter().copied())
        .env("XDG_CONFIG_HOME", config)
        .env("RUST_LOG", "warn")
        .env_remove("STRONGBOX_SERVER")
        .env_remove("STRONGBOX_TOKEN")
        .env_remove("STRONGBOX_MODEL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin");
    let out = child.wait_with_output().expect("output");
    CliOut {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
