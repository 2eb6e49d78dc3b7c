//! The dashboard and the API over HTTP as a browser or a script reaches them: sign-in forms,
//! cookies, server functions. For any running server (`Reach`).

use crate::support::PASSWORD;

/// A running server's address.
pub trait Reach {
    fn url(&self, path: &str) -> String;
}

impl<T: Reach> Reach for std::sync::Arc<T> {
    fn url(&self, path: &str) -> String {
        T::url(self, path)
    }
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
pub fn api_login(server: &impl Reach, user: &str, password: &str) -> u16 {
    let body = serde_json::json!({"username": user, "password": password});
    agent()
        .post(&server.url("/api/v1/login"))
        .send_json(&body)
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// The dashboard's sign-in form, posted as a browser without JavaScript posts it: the status,
/// the `Location` and the session cookie (`name=value`), if any.
pub fn form_login(server: &impl Reach, user: &str, next: &str) -> (u16, String, Option<String>) {
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
pub fn get_with_cookie(server: &impl Reach, path: &str, cookie: &str) -> u16 {
    agent()
        .get(&server.url(path))
        .header("Cookie", cookie)
        .call()
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// The URL of a server function, read from the action of a form on `page`.
pub fn server_fn(server: &impl Reach, cookie: &str, page: &str, name: &str) -> String {
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
    server: &impl Reach,
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

/// A personal token for `user` (password `PASSWORD`), from `POST /api/v1/login`.
pub fn api_token(server: &impl Reach, user: &str) -> String {
    let body = serde_json::json!({"username": user, "password": PASSWORD, "label": "test"});
    let answer: serde_json::Value = agent()
        .post(&server.url("/api/v1/login"))
        .send_json(&body)
        .expect("login")
        .into_body()
        .read_json()
        .expect("json");
    answer["token"].as_str().expect("token").to_owned()
}

/// One request with a bearer token and an optional JSON body: the status and the JSON answer
/// (`null` when there is none).
pub fn call(
    node: &impl Reach,
    method: &str,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let url = node.url(path);
    let auth = format!("Bearer {token}");
    let response = match (method, body) {
        ("GET", _) => agent().get(&url).header("Authorization", &auth).call(),
        ("DELETE", _) => agent().delete(&url).header("Authorization", &auth).call(),
        ("PATCH", Some(b)) => agent()
            .patch(&url)
            .header("Authorization", &auth)
            .send_json(&b),
        ("PUT", Some(b)) => agent()
            .put(&url)
            .header("Authorization", &auth)
            .send_json(&b),
        (_, b) => agent()
            .post(&url)
            .header("Authorization", &auth)
            .send_json(b.unwrap_or_default()),
    }
    .expect("answered");
    let status = response.status().as_u16();
    let body = response.into_body().read_json().unwrap_or_default();
    (status, body)
}

/// A server process of a test's own, stopped when dropped.
pub struct Running {
    pub port: u16,
    /// The metrics listener's port, with `--metrics-listen`.
    pub metrics_port: Option<u16>,
    pub child: std::process::Child,
}

impl Reach for Running {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The revision numbers a secret's detail (`GET …/secrets/{id}`) lists, in its order.
pub fn revision_numbers(detail: &serde_json::Value) -> Vec<i64> {
    detail["revisions"]
        .as_array()
        .expect("revisions")
        .iter()
        .map(|r| r["revision"].as_i64().expect("number"))
        .collect()
}
