//! Every refusal and every bad input is a JSON error with the right status, never a 500.

use axum::http::StatusCode;
use serde_json::json;

use crate::TestApi;

#[tokio::test]
async fn errors_have_codes_statuses_and_messages() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    let reader = api.login("reader").await;
    let add = |body| {
        api.call(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(&writer),
            Some(body),
        )
    };

    let r = api.call("GET", "/api/v1/models", None, None).await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let r = api
        .call("GET", "/api/v1/models", Some("sbxp_not-a-token"), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = api
        .call(
            "POST",
            "/api/v1/login",
            None,
            Some(json!({"username": "writer", "password": "nope"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::UNAUTHORIZED,
            Some("wrong user name or password")
        )
    );

    let r = add(json!({"name": "k", "content": {"fo": "x"}})).await;
    assert_eq!(
        (
            r.status,
            r.body["error"].as_str(),
            r.body["message"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid"),
            Some("key \"fo\" not valid")
        )
    );
    // The body names the part of the request at fault, for a client to put the message there.
    assert_eq!(r.body["field"].as_str(), Some("key"));
    let r = add(json!({"name": "k", "content_base64": {"cert": "not base64!"}})).await;
    assert_eq!(
        (r.body["message"].as_str(), r.body["field"].as_str()),
        (
            Some("value for key \"cert\" is not valid base64"),
            Some("value")
        )
    );
    let r = add(json!({"name": "k"})).await;
    assert_eq!(
        r.body["message"].as_str(),
        Some("empty secret value not valid")
    );
    let r = add(json!({"name": "big", "content": {"blob": "x".repeat(750_001)}})).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("base64 encoded secret content for key \"blob\" too large: 1000004 bytes")
        )
    );
    let r = add(json!({"name": "dup", "content": {"token": "t"}})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = add(json!({"name": "dup", "content": {"token": "t"}})).await;
    assert_eq!(
        (
            r.status,
            r.body["message"].as_str(),
            r.body["field"].as_str()
        ),
        (
            StatusCode::CONFLICT,
            Some("secret with name \"dup\" already exists"),
            Some("name")
        )
    );
    let r = api
        .call("POST", "/api/v1/models/prod/secrets", Some(&writer), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "no body: {:?}", r.body);
    let r = api
        .call(
            "GET",
            "/api/v1/models/prod/secrets?after=garbage",
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    // The dashboard's secrets table answers the same values in the same words (one parser).
    for (query, message) in [
        (
            "sort=size",
            "sort \"size\" not valid: use name, created or updated",
        ),
        ("order=down", "order \"down\" not valid: use asc or desc"),
    ] {
        let path = format!("/api/v1/models/prod/secrets?{query}");
        let r = api.call("GET", &path, Some(&writer), None).await;
        assert_eq!(
            (
                r.status,
                r.body["message"].as_str(),
                r.body["field"].as_str()
            ),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
                Some("query")
            ),
            "{query}"
        );
    }

    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(&reader),
            Some(json!({"name": "x", "content": {"token": "t"}})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (StatusCode::FORBIDDEN, Some("permission denied"))
    );
    let r = api
        .call("GET", "/api/v1/models/staging/secrets", Some(&reader), None)
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("model \"staging\" not found")),
        "not a member: not found"
    );
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets/dup/grant",
            Some(&writer),
            Some(json!({"applications": ["ghost"]})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("application \"ghost\" not found")
        )
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_api() {
    let api = TestApi::new().await;
    let r = api.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let paths = r.body["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/login",
        "/api/v1/models",
        "/api/v1/models/{model}/secrets",
        "/api/v1/models/{model}/secrets/{secret}/reveal",
        "/api/v1/app/secrets/{secret}",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the document");
    }
    assert!(r.body["components"]["securitySchemes"]["bearer"].is_object());
}
