//! Pages at sizes past their old limits.

use crate::{Server, agent, form_login};

/// A personal token for `user`, from `POST /api/v1/login`.
pub(crate) fn token(server: &Server, user: &str) -> String {
    crate::support::web::api_token(server, user)
}

/// `POST path` with a bearer token and a JSON body; the answer's JSON.
pub(crate) fn post(
    server: &Server,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let mut answer = agent()
        .post(&server.url(path))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(&body)
        .expect("answered");
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
    answer.body_mut().read_json().unwrap_or_default()
}

/// Application `mysql` with a token, and secret `db` (`password=one`) granted to it, all made by
/// `admin` through the API.
pub(crate) struct GrantedApp {
    pub token: String,
    pub token_id: i64,
    pub secret: String,
}

pub(crate) fn app_with_granted_secret(server: &Server, admin: &str) -> GrantedApp {
    let app = serde_json::json!({"name": "mysql"});
    post(server, admin, "/api/v1/models/prod/applications", app);
    let label = serde_json::json!({"label": "test"});
    let issued = post(
        server,
        admin,
        "/api/v1/models/prod/applications/mysql/tokens",
        label,
    );
    let body = serde_json::json!({"name": "db", "content": {"password": "one"}});
    let created = post(server, admin, "/api/v1/models/prod/secrets", body);
    let secret = created["id"].as_str().expect("id").to_owned();
    let grant = format!("/api/v1/models/prod/secrets/{secret}/grant");
    post(
        server,
        admin,
        &grant,
        serde_json::json!({"applications": ["mysql"]}),
    );
    GrantedApp {
        token: issued["token"].as_str().expect("token").to_owned(),
        token_id: issued["id"].as_i64().expect("token id"),
        secret,
    }
}

#[test]
fn the_applications_page_names_a_granted_secret_past_the_500th() {
    let server = Server::start(&[]);
    crate::support::admin(
        server.data.path(),
        &["add-application", "prod", "mysql"],
        None,
    );
    let bob = token(&server, "bob");
    // 500 secrets sort before the one mysql may read: the page used to take names from the
    // first 500 only, and listed this one by its bare ID.
    for n in 0..500 {
        let body = serde_json::json!({"name": format!("a-{n:03}"), "content": {"token": "x"}});
        post(&server, &bob, "/api/v1/models/prod/secrets", body);
    }
    let body = serde_json::json!({"name": "zz-granted", "content": {"token": "x"}});
    let created = post(&server, &bob, "/api/v1/models/prod/secrets", body);
    let id = created["id"].as_str().expect("id");
    let grant = format!("/api/v1/models/prod/secrets/{id}/grant");
    post(
        &server,
        &bob,
        &grant,
        serde_json::json!({"applications": ["mysql"]}),
    );

    let cookie = form_login(&server, "bob", "/models").2.expect("cookie");
    let page = agent()
        .get(&server.url("/models/prod/applications"))
        .header("Cookie", &cookie)
        .call()
        .expect("page")
        .into_body()
        .read_to_string()
        .expect("body");
    assert!(
        page.contains("zz-granted"),
        "the applications page does not name the granted secret"
    );
}
