//! Applications reading what they were granted, with Juju's tracking.

use axum::http::StatusCode;
use serde_json::json;

use crate::TestApi;

#[tokio::test]
async fn tracking_peek_and_refresh() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    let app = api.app_token("prod", "mysql").await;
    api.call(
        "POST",
        "/api/v1/models/prod/secrets",
        Some(&writer),
        Some(json!({"name": "db", "content": {"password": "one"}})),
    )
    .await;
    let r = api
        .call("GET", "/api/v1/models/prod/secrets/db", Some(&writer), None)
        .await;
    let id = r.body["id"].as_str().expect("id").to_owned();

    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{id}"),
            Some(&app),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::FORBIDDEN,
            Some("permission denied: the secret is not granted to this application")
        )
    );
    api.call(
        "POST",
        "/api/v1/models/prod/secrets/db/grant",
        Some(&writer),
        Some(json!({"applications": ["mysql"]})),
    )
    .await;
    let r = api
        .call("GET", "/api/v1/app/secrets", Some(&app), None)
        .await;
    assert_eq!(r.body[0]["name"].as_str(), Some("db"));

    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{id}"),
            Some(&app),
            None,
        )
        .await;
    assert_eq!(
        (
            r.body["revision"].as_i64(),
            r.body["content"]["password"].as_str()
        ),
        (Some(1), Some("one"))
    );
    api.call(
        "PATCH",
        "/api/v1/models/prod/secrets/db",
        Some(&writer),
        Some(json!({"content": {"password": "two"}})),
    )
    .await;
    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/secret:{id}"),
            Some(&app),
            None,
        )
        .await;
    assert_eq!(r.body["revision"].as_i64(), Some(1), "still tracking 1");
    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{id}?mode=peek"),
            Some(&app),
            None,
        )
        .await;
    assert_eq!(r.body["revision"].as_i64(), Some(2));
    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{id}"),
            Some(&app),
            None,
        )
        .await;
    assert_eq!(
        r.body["revision"].as_i64(),
        Some(1),
        "peek did not move the tracking"
    );
    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{id}?mode=refresh"),
            Some(&app),
            None,
        )
        .await;
    assert_eq!(
        (
            r.body["revision"].as_i64(),
            r.body["content"]["password"].as_str()
        ),
        (Some(2), Some("two"))
    );
    let r = api
        .call("GET", "/api/v1/models/prod/secrets/db", Some(&writer), None)
        .await;
    assert_eq!(
        r.body["revisions"][0]["obsolete"].as_bool(),
        Some(true),
        "revision 1 is obsolete now"
    );
    assert_eq!(r.body["revisions"][1]["tracked_by"], json!(["mysql"]));
}

#[tokio::test]
async fn an_application_sees_nothing_outside_its_grants_and_model() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    let foreign = api.app_token("staging", "mysql").await;
    let app = api.app_token("prod", "mysql").await;
    api.call(
        "POST",
        "/api/v1/models/prod/secrets",
        Some(&writer),
        Some(json!({"name": "db", "content": {"password": "one"}})),
    )
    .await;
    let id = api
        .call("GET", "/api/v1/models/prod/secrets/db", Some(&writer), None)
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{id}"),
            Some(&foreign),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another model's secret does not exist for it"
    );
    let r = api
        .call("GET", "/api/v1/models/prod/secrets", Some(&app), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "applications do not list the model"
    );
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets/db/reveal",
            Some(&app),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "applications cannot reveal"
    );
    let r = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{id}?mode=sideways"),
            Some(&app),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_application_owns_secrets_with_rotation_and_expiry() {
    let api = TestApi::new().await;
    let app = api.app_token("prod", "mysql").await;
    let other = api.app_token("prod", "wordpress").await;
    let writer = api.login("writer").await;
    let r = api.call("POST", "/api/v1/app/secrets", Some(&app), Some(json!({
        "label": "replication", "content": {"password": "p1"}, "rotate": "daily", "expire": "24h"
    }))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("id").to_owned();
    let r = api
        .call(
            "GET",
            &format!("/api/v1/models/prod/secrets/{id}"),
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(
        (r.body["owner"].as_str(), r.body["rotation"].as_str()),
        (Some("mysql"), Some("daily"))
    );

    let r = api
        .call(
            "PATCH",
            "/api/v1/app/secrets/replication",
            Some(&app),
            Some(json!({"content": {"password": "p2"}, "rotate": "weekly"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["new_revision"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{:?}",
        r.body
    );
    let r = api
        .call(
            "GET",
            "/api/v1/app/secrets/replication?mode=peek",
            Some(&app),
            None,
        )
        .await;
    assert_eq!(
        r.body["content"]["password"].as_str(),
        Some("p2"),
        "owners read their own by label"
    );

    let r = api
        .call(
            "PATCH",
            &format!("/api/v1/app/secrets/{id}"),
            Some(&other),
            Some(json!({"content": {"password": "x"}})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "another application cannot change it"
    );
    let r = api
        .call(
            "PATCH",
            &format!("/api/v1/models/prod/secrets/{id}"),
            Some(&writer),
            Some(json!({"description": "mine"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::FORBIDDEN,
            Some("This secret can only be modified by the application.")
        )
    );
    let r = api
        .call(
            "POST",
            "/api/v1/app/secrets",
            Some(&app),
            Some(json!({"label": "x", "content": {"token": "t"}, "rotate": "fortnightly"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("rotate policy \"fortnightly\" not valid")
        )
    );
    let r = api
        .call(
            "POST",
            "/api/v1/app/secrets",
            Some(&app),
            Some(json!({"label": "y", "content": {"token": "t"}, "expire": "-1h"})),
        )
        .await;
    assert_eq!(
        r.body["message"].as_str(),
        Some("negative expire duration \"-1h\" not valid")
    );
}

#[tokio::test]
async fn a_person_on_the_application_endpoints_is_refused_and_audited() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    let calls = [
        ("GET", "/api/v1/app/secrets", None),
        ("GET", "/api/v1/app/secrets/db", None),
        (
            "POST",
            "/api/v1/app/secrets",
            Some(json!({"label": "x", "content": {"token": "t"}})),
        ),
        (
            "PATCH",
            "/api/v1/app/secrets/db",
            Some(json!({"content": {"token": "t"}})),
        ),
    ];
    for (n, (method, path, body)) in calls.into_iter().enumerate() {
        let r = api.call(method, path, Some(&writer), body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(
            api.denied("writer").await,
            i64::try_from(n + 1).expect("small"),
            "{method} {path}: the refusal is in the audit log"
        );
    }
}
