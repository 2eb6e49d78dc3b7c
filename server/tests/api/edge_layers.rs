//! The API and the Vault surface pass none of the dashboard's cookie layers (docs/adr/0033),
//! but every layer at the edge: security headers, the same-origin check, the request id.

use serde_json::json;

use crate::TestApi;

#[tokio::test]
async fn token_answers_carry_the_security_headers_and_a_request_id() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    for path in [
        "/api/v1/models/prod/secrets",
        "/v1/sys/health",
        "/api/v1/nowhere",
    ] {
        let res = api
            .http
            .get(api.app.url(path))
            .bearer_auth(&writer)
            .send()
            .await
            .expect("answered");
        let h = res.headers();
        let header = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("cache-control"), "no-store", "{path}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        assert!(!header("content-security-policy").is_empty(), "{path}");
        assert_eq!(header("x-request-id").len(), 32, "{path}");
    }
}

/// The writer's POST of a new secret, sent as a browser on `site` would send it.
async fn post_from(api: &TestApi, writer: &str, site: &str) -> u16 {
    api.http
        .post(api.app.url("/api/v1/models/prod/secrets"))
        .bearer_auth(writer)
        .header("Sec-Fetch-Site", site)
        .json(&json!({"name": "db", "content": {"password": "one"}}))
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_cross_site_post_to_the_api_is_refused_and_changes_nothing() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    let before = api.state().await;
    assert_eq!(post_from(&api, &writer, "cross-site").await, 403);
    assert_eq!(
        api.state().await,
        before,
        "a cross-site post changed something"
    );
    assert_eq!(
        post_from(&api, &writer, "same-origin").await,
        201,
        "the same post from the same origin"
    );
}
