//! An error changes nothing: every mutating endpoint, sent a request that is wrong only in its
//! last part, answers an error and leaves the database as it was.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::TestApi;

struct Case {
    method: &'static str,
    path: String,
    body: Option<Value>,
    /// Which token sends it: "root", or an application's.
    as_app: bool,
}

fn case(method: &'static str, path: &str, body: Option<Value>) -> Case {
    Case {
        method,
        path: path.to_owned(),
        body,
        as_app: false,
    }
}

#[tokio::test]
async fn every_mutating_endpoint_changes_nothing_when_its_last_field_is_wrong() {
    let api = TestApi::new().await;
    let root = api.login("root").await;
    let app = api.app_token("prod", "mysql").await;
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(&root),
            Some(json!({
                "name": "db", "description": "main", "content": {"password": "s3cret"}
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("id").to_owned();
    let r = api
        .call(
            "POST",
            "/api/v1/app/secrets",
            Some(&app),
            Some(json!({
                "label": "own", "content": {"token": "t0"}
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let own = r.body["id"].as_str().expect("id").to_owned();
    let s = format!("/api/v1/models/prod/secrets/{id}");
    let huge_key = json!({"name": "k", "content": {"a".repeat(1_500_000): "v"}});
    let many_keys: serde_json::Map<String, Value> = (0..20_000)
        .map(|i| (format!("key{i}"), json!("v")))
        .collect();
    let cases = [
        case("POST", "/api/v1/models/prod/secrets", Some(huge_key)),
        case(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(json!({"name": "k", "content": many_keys})),
        ),
        case(
            "POST",
            "/api/v1/models",
            Some(json!({"name": "Not A Model!"})),
        ),
        case(
            "POST",
            "/api/v1/models/prod/applications",
            Some(json!({"name": "BAD_"})),
        ),
        case(
            "PUT",
            "/api/v1/models/prod/members/writer",
            Some(json!({"access": "owner"})),
        ),
        case("DELETE", "/api/v1/models/prod/members/nobody", None),
        case("DELETE", "/api/v1/models/prod/applications/nope", None),
        case(
            "DELETE",
            "/api/v1/models/prod/applications/mysql/tokens/9999",
            None,
        ),
        case(
            "POST",
            "/api/v1/models/prod/applications/nope/tokens",
            Some(json!({"label": "x"})),
        ),
        case(
            "POST",
            "/api/v1/users",
            Some(json!({"name": "newbie", "superuser": true, "password": "short"})),
        ),
        case(
            "PATCH",
            "/api/v1/users/writer",
            Some(json!({"superuser": true, "password": "short"})),
        ),
        case("POST", "/api/v1/users/nobody/end-sessions", None),
        case("DELETE", "/api/v1/users/writer/tokens/9999", None),
        case("DELETE", "/api/v1/tokens/9999", None),
        case(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(json!({
                "name": "new", "description": "d", "content": {"good-key": "v", "BAD": "x"}
            })),
        ),
        case(
            "PATCH",
            &s,
            Some(json!({
                "name": "renamed", "description": "new", "auto_prune": true,
                "content": {"password": "changed", "BAD": "x"}
            })),
        ),
        case(
            "PATCH",
            &s,
            Some(json!({
                "name": "renamed", "description": "new", "content": {"password": "changed"},
                "expected_revision": 7
            })),
        ),
        case("DELETE", &format!("{s}?revision=99"), None),
        case(
            "POST",
            &format!("{s}/grant"),
            Some(json!({"applications": ["mysql", "nope"]})),
        ),
        case(
            "POST",
            &format!("{s}/revoke"),
            Some(json!({"applications": ["mysql", "nope"]})),
        ),
        Case {
            as_app: true,
            ..case(
                "POST",
                "/api/v1/app/secrets",
                Some(json!({
                    "label": "mine", "description": "d", "rotate": "daily", "content": {"BAD": "x"}
                })),
            )
        },
        Case {
            as_app: true,
            ..case(
                "PATCH",
                &format!("/api/v1/app/secrets/{own}"),
                Some(json!({
                    "label": "renamed", "description": "new", "rotate": "daily",
                    "content": {"token": "t1", "BAD": "x"}
                })),
            )
        },
    ];
    for c in cases {
        let before = api.state().await;
        let token = if c.as_app { &app } else { &root };
        let r = api
            .call(c.method, &c.path, Some(token), c.body.clone())
            .await;
        assert!(
            r.status.is_client_error(),
            "{} {} {:?}: answered {} {:?}",
            c.method,
            c.path,
            c.body,
            r.status,
            r.body
        );
        assert_eq!(
            api.state().await,
            before,
            "{} {} {:?} changed the database",
            c.method,
            c.path,
            c.body
        );
    }
}

/// Every mutating operation the OpenAPI document lists, found there rather than in a list
/// kept by hand, refused three ways: without a valid token, with path values that name nothing,
/// and (where it takes one) with a body of the wrong shape. Each refusal leaves every table as
/// it was. A new endpoint is covered the day it is documented.
#[tokio::test]
async fn every_documented_mutation_refused_changes_nothing() {
    let api = TestApi::new().await;
    let root = api.login("root").await;
    let doc = api
        .call("GET", "/api/v1/openapi.json", None, None)
        .await
        .body;
    let mut mutations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let method = method.to_uppercase();
            if ["POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()) {
                mutations.push((method, path.clone(), op.get("requestBody").is_some()));
            }
        }
    }
    assert!(
        mutations.len() >= 25,
        "{} mutating operations",
        mutations.len()
    );
    // Path values that name nothing: `prod` for the model, so that the checks go past it.
    let fill = |template: &str| {
        template
            .split('/')
            .map(|segment| match segment {
                "{model}" => "prod",
                s if s.starts_with('{') => "9999",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    let (mut refusals, mut anonymous) = (0, 0);
    for (method, template, takes_body) in &mutations {
        let path = fill(template);
        let body = takes_body.then(|| json!([]));
        let mut tries = vec![(Some("sbxp_not-a-token"), body.clone(), "an unknown token")];
        if template.contains('{') {
            tries.push((
                Some(root.as_str()),
                Some(json!({})),
                "path values naming nothing",
            ));
        }
        if *takes_body {
            tries.push((
                Some(root.as_str()),
                Some(json!([])),
                "a body of the wrong shape",
            ));
        }
        for (token, body, what) in tries {
            let before = api.state().await;
            let r = api.call(method, &path, token, body.clone()).await;
            assert!(
                r.status.is_client_error(),
                "{method} {template} with {what}: answered {} {:?}",
                r.status,
                r.body
            );
            assert_eq!(
                api.state().await,
                before,
                "{method} {template} with {what} changed the database"
            );
            refusals += 1;
            // Sign-in (with a password, or a command line's request to be approved in the
            // dashboard) is the one mutation open to anyone.
            if r.status == StatusCode::UNAUTHORIZED || template.starts_with("/api/v1/login") {
                anonymous += usize::from(what == "an unknown token");
            }
        }
    }
    assert_eq!(
        anonymous,
        mutations.len(),
        "an unknown token is refused everywhere"
    );
    assert!(refusals > mutations.len() * 2, "{refusals} refusals");
}
