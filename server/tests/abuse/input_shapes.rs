//! Every refusal of malformed input, in the documented shape. The routes come from the API's
//! own OpenAPI document and the server functions from the registry the server mounts, so a new
//! endpoint is covered without anyone adding it here. Before, bad query values and path
//! segments got plain-text 400s (`Failed to deserialize query string: …`), and a server
//! function called with malformed arguments got 500 `{"Transport": …}`.

use serde_json::Value;

use crate::scale::{post, token};
use crate::support::request;
use crate::{Server, agent, form_login};

/// A request made of `method`, `path` and a raw `body`, with `token`: (status, body).
fn raw(server: &Server, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    request(server.port, method, path, Some(token), Some(body))
        .unwrap_or_else(|| panic!("{method} {path}: no answer"))
}

/// The API's documented error: `{"error": code, "message": text}` with a 4xx status.
fn assert_documented(what: &str, status: u16, body: &str) {
    assert!(
        (400..500).contains(&status),
        "{what}: status {status}, body {body}"
    );
    let json: Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("{what}: {status} not JSON ({e}): {body}"));
    assert!(
        json["error"].is_string() && json["message"].is_string(),
        "{what}: {status} {body}"
    );
}

/// Each operation of the OpenAPI document: method, path template, its query parameters, and
/// whether it takes a body.
fn operations(doc: &Value) -> Vec<(String, String, Vec<String>, bool)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let query = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "query")
                        .filter_map(|p| p["name"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            out.push((
                method.to_uppercase(),
                path.clone(),
                query,
                op.get("requestBody").is_some(),
            ));
        }
    }
    out
}

/// `template` with each `{param}` replaced by `value`.
fn fill(template: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(value);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_route_refuses_malformed_paths_queries_and_bodies_in_the_documented_shape() {
    let server = Server::start(&[]);
    let alice = token(&server, "alice");
    let doc: Value = agent()
        .get(&server.url("/api/v1/openapi.json"))
        .call()
        .expect("doc")
        .into_body()
        .read_json()
        .expect("json");
    let ops = operations(&doc);
    assert!(ops.len() > 30, "the document lists the API: {}", ops.len());
    let mut checked = 0;
    for (method, template, query, takes_body) in &ops {
        // A segment that is not UTF-8 once decoded, where a name or a number is expected.
        if template.contains('{') {
            let path = fill(template, "%FF%FE");
            let (status, body) = raw(&server, method, &path, &alice, "{}");
            assert_documented(&format!("{method} {path}"), status, &body);
            checked += 1;
        }
        let path = fill(template, "prod");
        for q in query {
            for bad in [
                format!("{q}=%FF"),
                format!("{q}=1&{q}=2"),
                format!("{q}=-1x"),
            ] {
                let (status, body) = raw(&server, method, &format!("{path}?{bad}"), &alice, "{}");
                // Some values are valid strings; what must never happen is a plain-text
                // refusal or a 500.
                if status >= 400 {
                    assert_documented(&format!("{method} {path}?{bad}"), status, &body);
                }
                checked += 1;
            }
        }
        if *takes_body {
            for bad in ["{\"unclosed", "[1, 2]", "{\"name\": 7, \"content\": 8}"] {
                let (status, body) = raw(&server, method, &path, &alice, bad);
                assert_documented(&format!("{method} {path} with {bad}"), status, &body);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} malformed requests");
    let (status, body) = raw(&server, "GET", "/api/v1/app/events?since=abc", &alice, "");
    assert_eq!(status, 400, "{body}");
    assert_documented("since=abc", status, &body);
}

#[test]
fn every_server_function_refuses_malformed_arguments_in_its_documented_shape() {
    let server = Server::start(&[]);
    let functions: Vec<(&str, http::Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(
        functions
            .iter()
            .any(|(p, _)| p.starts_with("/api/update_secret")),
        "the server functions are listed: {functions:?}"
    );
    let cookie = form_login(&server, "alice", "/models").2.expect("cookie");
    let mut refused = 0;
    for (path, method) in &functions {
        for session in [None, Some(cookie.as_str())] {
            for body in ["%FF%FE=%FF&[=1", "model[=x&model=1&model=2"] {
                let url = match *method {
                    http::Method::GET => server.url(&format!("{path}?{body}")),
                    _ => server.url(path),
                };
                let mut req = agent()
                    .post(&url)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded");
                if *method == http::Method::GET {
                    req = agent().post(&url).header("Accept", "application/json");
                }
                if let Some(c) = session {
                    req = req.header("Cookie", c);
                }
                let answer = req.send(body).expect("answered");
                let status = answer.status().as_u16();
                let text = answer.into_body().read_to_string().unwrap_or_default();
                let what = format!("{method} {path} (session: {})", session.is_some());
                // A function without arguments has nothing to refuse and answers as usual.
                assert!(status < 500, "{what}: {status} {text}");
                if status >= 400 {
                    let parsed: Result<app::error::AppError, _> = serde_json::from_str(&text);
                    assert!(parsed.is_ok(), "{what}: {status} {text}");
                }
                if status == 400 {
                    refused += 1;
                }
            }
        }
    }
    assert!(
        refused > functions.len(),
        "malformed arguments refused with 400 {refused} times over {} functions",
        functions.len()
    );
}

/// `{"content": {"a": "one", "a": "two"}}` was last-wins; an ambiguous request must not
/// change a secret.
#[test]
fn a_key_given_twice_is_refused_and_changes_nothing() {
    let server = Server::start(&[]);
    let bob = token(&server, "bob");
    let created = post(
        &server,
        &bob,
        "/api/v1/models/prod/secrets",
        serde_json::json!({"name": "db", "content": {"key": "zero"}}),
    );
    let id = created["id"].as_str().expect("id");
    let (status, body) = raw(
        &server,
        "PATCH",
        &format!("/api/v1/models/prod/secrets/{id}"),
        &bob,
        r#"{"content": {"key": "one", "key": "two"}}"#,
    );
    assert_eq!(status, 422, "{body}");
    assert!(body.contains(r#"duplicate key \"key\""#), "{body}");
    let (status, body) = raw(
        &server,
        "POST",
        "/api/v1/models/prod/secrets",
        &bob,
        r#"{"name": "other", "content_base64": {"key": "eA==", "key": "eQ=="}}"#,
    );
    assert_eq!(status, 422, "{body}");
    let (_, detail) = raw(
        &server,
        "GET",
        &format!("/api/v1/models/prod/secrets/{id}"),
        &bob,
        "",
    );
    let detail: Value = serde_json::from_str(&detail).expect("json");
    assert_eq!(detail["revision"], 1, "no new revision: {detail}");
    let (status, _) = raw(
        &server,
        "GET",
        "/api/v1/models/prod/secrets/other",
        &bob,
        "",
    );
    assert_eq!(status, 404, "no secret made");
}

/// A zero-width space or a right-to-left override makes two names look the same: refused in
/// names and token labels, with the character named.
#[test]
fn names_with_invisible_formatting_characters_are_refused() {
    let server = Server::start(&[]);
    let bob = token(&server, "bob");
    for (name, code) in [
        ("s_granted\u{200b}_a", "U+200B"),
        ("\u{202e}gnp.exe", "U+202E"),
    ] {
        let body = serde_json::json!({"name": name, "content": {"key": "b"}}).to_string();
        let (status, answer) = raw(&server, "POST", "/api/v1/models/prod/secrets", &bob, &body);
        assert_eq!(status, 422, "{answer}");
        let answer: Value = serde_json::from_str(&answer).expect("json");
        assert_eq!(answer["field"], "name", "{answer}");
        assert!(
            answer["message"].as_str().unwrap_or("").contains(code),
            "{answer}"
        );
    }
    let body = serde_json::json!({"username": "bob", "password": crate::PASSWORD, "label": "lap\u{200b}top"});
    let (status, answer) = raw(&server, "POST", "/api/v1/login", &bob, &body.to_string());
    assert_eq!(status, 422, "{answer}");
    // Descriptions keep them: they are free text, shown escaped.
    let body = serde_json::json!({"name": "plain", "description": "pay\u{200b}roll", "content": {"key": "b"}});
    let (status, answer) = raw(
        &server,
        "POST",
        "/api/v1/models/prod/secrets",
        &bob,
        &body.to_string(),
    );
    assert_eq!(status, 201, "{answer}");
}
