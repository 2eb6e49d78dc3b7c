//! The access review through the API: usage behind each grant, flags and filters, the JSON and
//! CSV exports, bulk revoke and sign-off, and who may do which.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{Reply, TestApi};

/// Adds user secret `name` in prod and grants it to `apps`; returns its id.
async fn granted(api: &TestApi, admin: &str, name: &str, apps: &[&str]) -> String {
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(admin),
            Some(json!({"name": name, "content": {"password": "one"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/models/prod/secrets/{id}/grant");
    let r = api
        .call(
            "POST",
            &path,
            Some(admin),
            Some(json!({"applications": apps})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    id
}

async fn review(api: &TestApi, token: &str, query: &str) -> Reply {
    let path = format!("/api/v1/models/prod/access-review{query}");
    api.call("GET", &path, Some(token), None).await
}

fn items(r: &Reply) -> Vec<Value> {
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["items"].as_array().expect("items").clone()
}

/// (secret name, flags) of each item, in order.
fn names_and_flags(items: &[Value]) -> Vec<(String, Vec<String>)> {
    items
        .iter()
        .map(|i| {
            let flags = i["flags"].as_array().expect("flags");
            (
                i["secret_name"].as_str().unwrap_or_default().to_owned(),
                flags
                    .iter()
                    .map(|f| f.as_str().expect("f").to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_review_shows_usage_flags_and_agrees_with_its_csv() {
    let api = TestApi::new().await;
    let admin = api.login("admin").await;
    let reader = api.login("reader").await;
    let ten = granted(&api, &admin, "api-key-10", &["mysql"]).await;
    let two = granted(&api, &admin, "api-key-2", &["mysql"]).await;
    let mysql = api.app_token("prod", "mysql").await;
    let read = api
        .call(
            "GET",
            &format!("/api/v1/app/secrets/{two}"),
            Some(&mysql),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);

    let all = items(&review(&api, &reader, "").await);
    assert_eq!(
        names_and_flags(&all),
        [
            ("api-key-2".into(), vec![]),
            ("api-key-10".into(), vec!["never-read".to_owned()]),
        ],
        "names in natural order; the unread grant flagged"
    );
    assert_eq!(
        (
            &all[0]["reads_30d"],
            &all[0]["tracked_revision"],
            &all[0]["latest_revision"]
        ),
        (&json!(1), &json!(1), &json!(1))
    );
    assert!(all[0]["last_read_at"].is_string(), "{:?}", all[0]);
    assert_eq!(
        (&all[1]["last_read_at"], &all[1]["tracked_revision"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(all[1]["secret_id"], json!(ten));

    let update = api
        .call(
            "PATCH",
            &format!("/api/v1/models/prod/secrets/{two}"),
            Some(&admin),
            Some(json!({"content": {"password": "two"}})),
        )
        .await;
    assert_eq!(update.status, StatusCode::OK, "{:?}", update.body);
    let behind = items(&review(&api, &reader, "?flag=behind").await);
    assert_eq!(
        names_and_flags(&behind),
        [("api-key-2".into(), vec!["behind".to_owned()])]
    );
    let either = items(&review(&api, &reader, "?flag=behind&flag=never-read").await);
    assert_eq!(
        either.len(),
        2,
        "repeated flags select grants with any of them"
    );
    let none = items(&review(&api, &reader, "?application=wordpress").await);
    assert!(none.is_empty());

    // The CSV says what the JSON says, row for row.
    let csv = review(&api, &reader, "?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let json_items = items(&review(&api, &reader, "").await);
    let mut rows = csv::Reader::from_reader(csv.text.as_bytes());
    let header: Vec<String> = rows
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[..3], ["application", "secret_id", "secret_name"]);
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), json_items.len());
    for (row, item) in rows.iter().zip(&json_items) {
        for (column, cell) in header.iter().zip(row.iter()) {
            let expected = match &item[column] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Array(flags) => {
                    let flags: Vec<&str> = flags.iter().filter_map(Value::as_str).collect();
                    flags.join(" ")
                }
                other => other.to_string(),
            };
            assert_eq!(cell, expected, "column {column}");
        }
    }

    let bad = review(&api, &reader, "?flag=unused").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body["message"]
            .as_str()
            .expect("m")
            .contains("never-read, stale, behind or no-token")
    );
    let bad = review(&api, &reader, "?stale_days=0").await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );

    let audit = api
        .call(
            "GET",
            "/api/v1/models/prod/audit?action=access-review-export",
            Some(&admin),
            None,
        )
        .await;
    let exports = audit.body.as_array().expect("events");
    assert!(
        exports.len() >= 5 && exports.iter().all(|e| e["actor"] == json!("reader")),
        "every export is audited: {exports:?}"
    );
}

#[tokio::test]
async fn only_admins_revoke_in_bulk_or_sign_off_and_a_refusal_changes_nothing() {
    let api = TestApi::new().await;
    let admin = api.login("admin").await;
    let writer = api.login("writer").await;
    let reader = api.login("reader").await;
    let db = granted(&api, &admin, "db", &["mysql", "wordpress"]).await;
    let revoke = |grants: Value| Some(json!({ "grants": grants }));
    let path = "/api/v1/models/prod/access-review/revoke";
    let before = api.state().await;
    for who in [&reader, &writer] {
        let r = api
            .call(
                "POST",
                path,
                Some(who),
                revoke(json!([{"application": "mysql", "secret": db}])),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
        let r = api
            .call(
                "POST",
                "/api/v1/models/prod/access-review/sign-off",
                Some(who),
                Some(json!({"note": "x"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    }
    // One grant that does not exist: nothing at all is revoked.
    let r = api
        .call(
            "POST",
            path,
            Some(&admin),
            revoke(json!([{"application": "mysql", "secret": db}, {"application": "mysql", "secret": "nope"}])),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{:?}", r.body);
    assert_eq!(
        api.state().await,
        before,
        "a refused or failed revoke changed nothing"
    );

    let r = api
        .call(
            "POST",
            path,
            Some(&admin),
            revoke(json!([{"application": "mysql", "secret": db}, {"application": "wordpress", "secret": "db"}])),
        )
        .await;
    assert_eq!(
        (r.status, &r.body["revoked"]),
        (StatusCode::OK, &json!(2)),
        "{:?}",
        r.body
    );
    assert!(items(&review(&api, &reader, "").await).is_empty());
    let audit = api
        .call(
            "GET",
            "/api/v1/models/prod/audit?action=secret-revoke",
            Some(&admin),
            None,
        )
        .await;
    let revokes: Vec<&Value> = audit
        .body
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["outcome"] == json!("success"))
        .collect();
    assert_eq!(revokes.len(), 2, "one event per grant: {revokes:?}");

    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/access-review/sign-off",
            Some(&admin),
            Some(json!({"note": "quarterly review"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let list = api
        .call(
            "GET",
            "/api/v1/models/prod/access-review/sign-offs",
            Some(&reader),
            None,
        )
        .await;
    assert_eq!(
        (
            &list.body[0]["reviewed_by"],
            &list.body[0]["note"],
            &list.body[0]["grant_count"]
        ),
        (&json!("admin"), &json!("quarterly review"), &json!(0))
    );
}

#[tokio::test]
async fn concurrent_reads_are_all_counted_while_the_review_is_exported() {
    const READS: usize = 25;
    let api = TestApi::new().await;
    let admin = api.login("admin").await;
    let id = granted(&api, &admin, "shared", &["mysql", "wordpress"]).await;
    let mut tokens = Vec::new();
    for app in ["mysql", "wordpress"] {
        for _ in 0..4 {
            tokens.push(api.app_token("prod", app).await);
        }
    }
    let path = format!("/api/v1/app/secrets/{id}");
    let readers = tokens.iter().map(|token| {
        let (api, path) = (&api, &path);
        async move {
            for _ in 0..READS {
                let r = api.call("GET", path, Some(token), None).await;
                assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            }
        }
    });
    let exports = async {
        for _ in 0..10 {
            assert_eq!(review(&api, &admin, "").await.status, StatusCode::OK);
        }
    };
    futures_util::join!(futures_util::future::join_all(readers), exports);
    let counts: Vec<(String, i64)> = items(&review(&api, &admin, "").await)
        .iter()
        .map(|i| {
            (
                i["application"].as_str().expect("a").to_owned(),
                i["reads_30d"].as_i64().expect("n"),
            )
        })
        .collect();
    let each = (4 * READS) as i64;
    assert_eq!(counts, [("mysql".into(), each), ("wordpress".into(), each)]);
}
