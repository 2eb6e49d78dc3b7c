//! Attacks and loads as they arrive at the running binary: many requests at once, hostile input,
//! stolen database files, pages past their old size limits. Each test here failed before its fix
//! (issues 7 and 9).

#[path = "../support/mod.rs"]
mod support;

mod abandoned;
mod body_limits;
mod event_streams;
mod input_shapes;
mod redirects;
mod revocation;
mod scale;
mod server_functions;
mod sessions;
mod sign_in;
mod slow_clients;
mod stream_caps;

pub use support::web::{
    Reach, agent, api_login, form_login, get_with_cookie, post_form, server_fn,
};
use support::{admin, serve_with};

pub use support::PASSWORD;

/// A server on a fresh data directory with superuser `alice`, model `prod` and writer `bob`.
pub struct Server {
    pub port: u16,
    running: support::web::Running,
    // After `running`: the server stops before its data directory goes.
    pub data: tempfile::TempDir,
}

impl Server {
    pub fn start(extra: &[&str]) -> Self {
        let data = tempfile::tempdir().expect("dir");
        let pw = format!("{PASSWORD}\n");
        admin(
            data.path(),
            &["create-user", "alice", "--superuser"],
            Some(&pw),
        );
        admin(data.path(), &["create-model", "prod"], None);
        admin(data.path(), &["create-user", "bob"], Some(&pw));
        admin(data.path(), &["set-access", "prod", "bob", "write"], None);
        let running = serve_with(data.path(), extra);
        Server {
            port: running.port,
            running,
            data,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.running.child.id()
    }
}

impl Reach for Server {
    fn url(&self, path: &str) -> String {
        Server::url(self, path)
    }
}

/// Waits in a plain test thread. The lint against `thread::sleep` guards async runtimes; these
/// tests run none, and what they test (timeouts, back-off) is wall-clock time.
#[allow(clippy::disallowed_methods)]
pub fn pause(d: std::time::Duration) {
    std::thread::sleep(d);
}

/// Resident memory of a process now, from /proc.
pub fn rss_mib(pid: u32) -> u64 {
    proc_status_kib(pid, "VmRSS:") / 1024
}

/// Peak resident memory of a process, from /proc.
pub fn peak_rss_mib(pid: u32) -> u64 {
    proc_status_kib(pid, "VmHWM:") / 1024
}

fn proc_status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"))
}
