//! Attacks and loads as they arrive at the running binary: many requests at once, hostile input,
//! stolen database files, pages past their old size limits. Each test here failed before its fix
//! (issues 7 and 9).

#[path = "../support/mod.rs"]
mod support;

mod body_limits;
mod redirects;
mod scale;
mod server_functions;
mod sessions;
mod sign_in;

use std::process::Child;
use support::{admin, free_port, serve_with};

pub const PASSWORD: &str = "password-123";

/// A server on a fresh data directory with superuser `alice`, model `prod` and writer `bob`.
pub struct Server {
    pub port: u16,
    pub data: tempfile::TempDir,
    child: Child,
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
        let port = free_port();
        let child = serve_with(data.path(), port, extra);
        Server { port, data, child }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits in a plain test thread. The lint against `thread::sleep` guards async runtimes; these
/// tests run none, and what they test (timeouts, back-off) is wall-clock time.
#[allow(clippy::disallowed_methods)]
pub fn pause(d: std::time::Duration) {
    std::thread::sleep(d);
}

/// An HTTP client that reports every status as it is and follows no redirect.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent()
}

/// `POST /api/v1/login`; the status.
pub fn api_login(server: &Server, user: &str, password: &str) -> u16 {
    let body = serde_json::json!({"username": user, "password": password});
    agent()
        .post(&server.url("/api/v1/login"))
        .send_json(&body)
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// The dashboard's sign-in form, posted as a browser without JavaScript posts it: the status,
/// the `Location` and the session cookie (`name=value`), if any.
pub fn form_login(server: &Server, user: &str, next: &str) -> (u16, String, Option<String>) {
    let page = agent()
        .get(&server.url("/login"))
        .call()
        .expect("login page")
        .into_body()
        .read_to_string()
        .expect("body");
    let action: String = page
        .split("action=\"")
        .find(|s| s.starts_with("/api/login"))
        .expect("the sign-in form")
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let res = agent()
        .post(&server.url(&action))
        .header("Accept", "text/html")
        .send_form([("username", user), ("password", PASSWORD), ("next", next)])
        .expect("answered");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let cookie = header("set-cookie").and_then(|c| c.split(';').next().map(str::to_owned));
    (
        res.status().as_u16(),
        header("location").unwrap_or_default(),
        cookie,
    )
}

/// `GET path` with the cookie; the status.
pub fn get_with_cookie(server: &Server, path: &str, cookie: &str) -> u16 {
    agent()
        .get(&server.url(path))
        .header("Cookie", cookie)
        .call()
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// The URL of a server function, read from the action of a form on `page`.
pub fn server_fn(server: &Server, cookie: &str, page: &str, name: &str) -> String {
    let html = agent()
        .get(&server.url(page))
        .header("Cookie", cookie)
        .call()
        .expect("page")
        .into_body()
        .read_to_string()
        .expect("body");
    html.split("action=\"")
        .find(|s| s.starts_with(&format!("/api/{name}")))
        .unwrap_or_else(|| panic!("no form posts to {name} on {page}"))
        .chars()
        .take_while(|c| *c != '"')
        .collect()
}

/// Posts a form to a server function as the hydrated dashboard does; the status and body.
pub fn post_form(
    server: &Server,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let res = agent()
        .post(&server.url(path))
        .header("Cookie", cookie)
        .header("Accept", "application/json")
        .send_form(form.iter().copied())
        .expect("answered");
    let status = res.status().as_u16();
    let body = res
        .into_body()
        .with_config()
        .limit(16 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    (status, body)
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
