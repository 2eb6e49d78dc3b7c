//! Applications, tokens, members, grant review and audit through the API.

use axum::http::StatusCode;
use serde_json::json;

use crate::TestApi;

#[tokio::test]
async fn admins_manage_applications_and_their_tokens() {
    let api = TestApi::new().await;
    let admin = api.login("admin").await;
    let reader = api.login("reader").await;

    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/applications",
            Some(&reader),
            Some(json!({"name": "redis"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/applications",
            Some(&admin),
            Some(json!({"name": "redis"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/applications",
            Some(&admin),
            Some(json!({"name": "redis"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::CONFLICT,
            Some("application \"redis\" already exists")
        )
    );

    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/applications/redis/tokens",
            Some(&admin),
            Some(json!({"label": "ci"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let (id, token) = (
        r.body["id"].as_i64().expect("id"),
        r.body["token"].as_str().expect("token").to_owned(),
    );
    assert!(token.starts_with("sbxa_"));
    let r = api
        .call("GET", "/api/v1/app/secrets", Some(&token), None)
        .await;
    assert_eq!(
        (r.status, r.body.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    let r = api
        .call(
            "GET",
            "/api/v1/models/prod/applications",
            Some(&reader),
            None,
        )
        .await;
    let redis = r
        .body
        .as_array()
        .expect("apps")
        .iter()
        .find(|a| a["name"] == "redis")
        .expect("redis")
        .clone();
    assert_eq!(redis["tokens"][0]["label"].as_str(), Some("ci"));
    assert!(
        !r.body.to_string().contains(&token),
        "listing never shows a token"
    );

    let r = api
        .call(
            "DELETE",
            &format!("/api/v1/models/prod/applications/redis/tokens/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api
        .call("GET", "/api/v1/app/secrets", Some(&token), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a revoked token no longer works"
    );
    let r = api
        .call(
            "DELETE",
            "/api/v1/models/prod/applications/redis",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn members_grant_review_and_audit() {
    let api = TestApi::new().await;
    let admin = api.login("admin").await;
    let reader = api.login("reader").await;
    let r = api
        .call(
            "PUT",
            "/api/v1/models/prod/members/reader",
            Some(&admin),
            Some(json!({"access": "write"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api
        .call(
            "PUT",
            "/api/v1/models/prod/members/reader",
            Some(&admin),
            Some(json!({"access": "owner"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("access level \"owner\" not valid: use read, write or admin")
        )
    );
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(&reader),
            Some(json!({"name": "now-allowed", "content": {"token": "t"}})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "the new level applies at once"
    );
    api.call(
        "POST",
        "/api/v1/models/prod/secrets/now-allowed/grant",
        Some(&reader),
        Some(json!({"applications": ["mysql"]})),
    )
    .await;
    api.call(
        "POST",
        "/api/v1/models/prod/secrets/now-allowed/reveal",
        Some(&reader),
        Some(json!({})),
    )
    .await;

    let r = api
        .call("GET", "/api/v1/models/prod/grants", Some(&reader), None)
        .await;
    assert_eq!(
        r.body,
        json!([{
            "application": "mysql", "secret": r.body[0]["secret"], "secret_name": "now-allowed",
            "granted_by": "reader", "granted_at": r.body[0]["granted_at"]
        }])
    );
    let r = api
        .call(
            "GET",
            "/api/v1/models/prod/audit?action=secret-reveal",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (r.body[0]["actor"].as_str(), r.body[0]["outcome"].as_str()),
        (Some("reader"), Some("denied"))
    );
    let r = api
        .call(
            "GET",
            "/api/v1/models/prod/audit?actor=reader&limit=2",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.body.as_array().map(Vec::len), Some(2));
    let r = api
        .call(
            "POST",
            "/api/v1/models",
            Some(&admin),
            Some(json!({"name": "dev"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only superusers create models"
    );
}

#[tokio::test]
async fn users_tokens_diff_and_membership_removal() {
    let api = TestApi::new().await;
    let root = api.login("root").await;
    let admin = api.login("admin").await;

    let r = api.call("GET", "/api/v1/users", Some(&admin), None).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only superusers manage users"
    );
    let r = api
        .call(
            "POST",
            "/api/v1/users",
            Some(&root),
            Some(json!({"name": "dana", "password": "long-enough"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = api
        .call(
            "POST",
            "/api/v1/users",
            Some(&root),
            Some(json!({"name": "erin", "password": "short"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("password must be at least 8 characters")
        )
    );
    let r = api
        .call(
            "PATCH",
            "/api/v1/users/dana",
            Some(&root),
            Some(json!({"superuser": true, "password": "another-one"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api.call("GET", "/api/v1/users", Some(&root), None).await;
    let dana = r
        .body
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["name"] == "dana")
        .expect("dana")
        .clone();
    assert_eq!(dana["superuser"], json!(true));
    let r = api
        .call(
            "POST",
            "/api/v1/login",
            None,
            Some(json!({"username": "dana", "password": "another-one"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "the new password works");
    let r = api
        .call("POST", "/api/v1/users/dana/end-sessions", Some(&root), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    let r = api.call("GET", "/api/v1/tokens", Some(&admin), None).await;
    let mine = r.body.as_array().expect("tokens").clone();
    assert_eq!(mine.len(), 1, "admin has the one token from login");
    let id = mine[0]["id"].as_i64().expect("id");
    let r = api
        .call("DELETE", &format!("/api/v1/tokens/{id}"), Some(&root), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "someone else's token");
    let r = api
        .call(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api.call("GET", "/api/v1/models", Some(&admin), None).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a revoked personal token stops working"
    );

    let writer = api.login("writer").await;
    api.call(
        "POST",
        "/api/v1/models/prod/secrets",
        Some(&writer),
        Some(json!({"name": "cfg", "content": {"keep": "1", "edit": "2", "gone": "3"}})),
    )
    .await;
    api.call(
        "PATCH",
        "/api/v1/models/prod/secrets/cfg",
        Some(&writer),
        Some(json!({"content": {"keep": "1", "edit": "x", "fresh": "4"}})),
    )
    .await;
    let r = api
        .call(
            "GET",
            "/api/v1/models/prod/secrets/cfg/diff?from=1&to=2",
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(
        r.body,
        json!({"added": ["fresh"], "removed": ["gone"], "changed": ["edit"], "unchanged": ["keep"]})
    );

    let r = api
        .call(
            "DELETE",
            "/api/v1/models/prod/members/writer",
            Some(&root),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api
        .call("GET", "/api/v1/models/prod/secrets", Some(&writer), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "no longer a member: the model is not there for them"
    );
}
