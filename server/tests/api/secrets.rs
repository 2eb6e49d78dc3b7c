//! The user side: add, show, update, reveal, grant, revoke, remove.

use axum::http::StatusCode;
use serde_json::json;

use crate::TestApi;

#[tokio::test]
async fn a_secret_through_its_life() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    let admin = api.login("admin").await;

    let r = api.call("POST", "/api/v1/models/prod/secrets", Some(&writer), Some(json!({
        "name": "db", "description": "main", "content": {"password": "s3cret"}, "content_base64": {"cert": "aGk="}
    }))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let uri = r.body["uri"].as_str().expect("uri").to_owned();
    assert!(uri.starts_with("secret:"));

    let r = api
        .call("GET", "/api/v1/models/prod/secrets/db", Some(&writer), None)
        .await;
    assert_eq!(
        (
            r.status,
            r.body["revision"].as_i64(),
            r.body["uri"].as_str()
        ),
        (StatusCode::OK, Some(1), Some(uri.as_str()))
    );
    assert!(
        r.body.get("content").is_none(),
        "show never carries content"
    );

    let r = api
        .call(
            "PATCH",
            "/api/v1/models/prod/secrets/db",
            Some(&writer),
            Some(json!({"content": {"password": "two"}, "expected_revision": 1})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["new_revision"].as_i64()),
        (StatusCode::OK, Some(2))
    );
    let r = api
        .call(
            "PATCH",
            "/api/v1/models/prod/secrets/db",
            Some(&writer),
            Some(json!({"content": {"password": "three"}, "expected_revision": 1})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let r = api
        .call(
            "PATCH",
            "/api/v1/models/prod/secrets/db",
            Some(&writer),
            Some(json!({"content": {"password": "two"}})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["new_revision"].as_i64()),
        (StatusCode::OK, None),
        "identical content makes no revision"
    );

    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets/db/reveal",
            Some(&writer),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "writers cannot reveal");
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets/db/reveal",
            Some(&admin),
            Some(json!({"revision": 1})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["content"]["password"].as_str()),
        (StatusCode::OK, Some("s3cret"))
    );
    assert_eq!(r.body["content_base64"]["cert"].as_str(), Some("aGk="));

    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets/db/grant",
            Some(&writer),
            Some(json!({"applications": ["mysql", "wordpress"]})),
        )
        .await;
    assert_eq!(r.body["changed"], json!(["mysql", "wordpress"]));
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets/db/revoke",
            Some(&writer),
            Some(json!({"applications": ["wordpress"]})),
        )
        .await;
    assert_eq!(r.body["changed"], json!(["wordpress"]));
    let r = api
        .call(
            "GET",
            &format!("/api/v1/models/prod/secrets/{uri}"),
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(
        r.body["access"][0]["target"].as_str(),
        Some("application-mysql")
    );
    assert_eq!(r.body["access"].as_array().map(Vec::len), Some(1));

    let r = api
        .call(
            "DELETE",
            "/api/v1/models/prod/secrets/db?revision=1",
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api
        .call(
            "GET",
            "/api/v1/models/prod/secrets?search=db",
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(r.body["items"][0]["revision"].as_i64(), Some(2));
    let r = api
        .call(
            "DELETE",
            "/api/v1/models/prod/secrets/db",
            Some(&writer),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api
        .call("GET", "/api/v1/models/prod/secrets/db", Some(&writer), None)
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("secret \"db\" not found"))
    );
}

#[tokio::test]
async fn pages_follow_the_cursor() {
    let api = TestApi::new().await;
    let writer = api.login("writer").await;
    for i in 0..7 {
        let r = api
            .call(
                "POST",
                "/api/v1/models/prod/secrets",
                Some(&writer),
                Some(json!({"name": format!("s{i}"), "content": {"token": "t"}})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/models/prod/secrets?limit=3".to_owned();
    loop {
        let r = api.call("GET", &path, Some(&writer), None).await;
        seen.extend(
            r.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["name"].as_str().expect("name").to_owned()),
        );
        match r.body["next"].as_str() {
            Some(next) => path = format!("/api/v1/models/prod/secrets?limit=3&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen, ["s0", "s1", "s2", "s3", "s4", "s5", "s6"]);
}

#[tokio::test]
async fn readers_see_no_checksum_and_a_reveal_gives_the_keyed_one() {
    let api = TestApi::new().await;
    let (writer, reader, admin) = (
        api.login("writer").await,
        api.login("reader").await,
        api.login("admin").await,
    );
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(&writer),
            Some(json!({
                "name": "pin", "content": {"pin": "4821"}
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let shown = api
        .call(
            "GET",
            "/api/v1/models/prod/secrets/pin",
            Some(&reader),
            None,
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    let revision = &shown.body["revisions"][0];
    assert_eq!(revision["revision"], 1);
    assert!(revision.get("checksum").is_none(), "{revision}");
    let revealed = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets/pin/reveal",
            Some(&admin),
            Some(json!({})),
        )
        .await;
    let checksum = revealed.body["checksum"].as_str().expect("checksum");
    // Juju's unkeyed checksum, which a reader could reverse by trying every PIN.
    use sha2::Digest as _;
    let unkeyed = format!("{:x}", sha2::Sha256::digest(br#"{"pin":"NDgyMQ=="}"#));
    assert_eq!(checksum.len(), 64);
    assert_ne!(checksum, unkeyed);
}

#[tokio::test]
async fn names_sort_the_way_people_read_them_across_pages() {
    let api = crate::TestApi::new().await;
    let admin = api.login("admin").await;
    for name in ["api-key-10", "api-key-2", "api-key-1", "db"] {
        let r = api
            .call(
                "POST",
                "/api/v1/models/prod/secrets",
                Some(&admin),
                Some(serde_json::json!({"name": name, "content": {"password": "x"}})),
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{:?}", r.body);
    }
    // One secret a page: each cursor must carry the sort key, not the name.
    let mut seen = Vec::new();
    let mut path = "/api/v1/models/prod/secrets?limit=1".to_owned();
    // Bounded: a cursor that does not move on must fail the test, not hang it.
    for _ in 0..10 {
        let r = api.call("GET", &path, Some(&admin), None).await;
        let page = r.body["items"].as_array().expect("items").clone();
        seen.extend(
            page.iter()
                .map(|s| s["name"].as_str().expect("name").to_owned()),
        );
        match r.body["next"].as_str() {
            Some(next) => path = format!("/api/v1/models/prod/secrets?limit=1&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen, ["api-key-1", "api-key-2", "api-key-10", "db"]);
    let r = api
        .call(
            "GET",
            "/api/v1/models/prod/secrets?order=desc",
            Some(&admin),
            None,
        )
        .await;
    let names: Vec<&str> = r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["db", "api-key-10", "api-key-2", "api-key-1"]);
}
