//! The dashboard's server functions through the full router (sessions, same-origin check,
//! sign-in gate), as a browser calls them: the role checks hold there too.

use crate::scale::{post, token};
use crate::{PASSWORD, Server, agent, form_login, post_form, server_fn};

/// The secret's latest revision and description, as the API shows them to `token`'s holder.
fn state(server: &Server, token: &str, id: &str) -> (i64, String) {
    let detail: serde_json::Value = agent()
        .get(&server.url(&format!("/api/v1/models/prod/secrets/{id}")))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("show")
        .into_body()
        .read_json()
        .expect("json");
    (
        detail["revision"].as_i64().expect("revision"),
        detail["description"]
            .as_str()
            .expect("description")
            .to_owned(),
    )
}

#[test]
fn a_reader_cannot_update_or_grant_and_a_cross_site_post_is_refused() {
    let server = Server::start(&[]);
    let pw = format!("{PASSWORD}\n");
    let data = server.data.path();
    crate::support::admin(data, &["create-user", "carol"], Some(&pw));
    crate::support::admin(data, &["set-access", "prod", "carol", "read"], None);
    crate::support::admin(data, &["add-application", "prod", "mysql"], None);
    let bob = token(&server, "bob");
    let body =
        serde_json::json!({"name": "db", "description": "as set", "content": {"token": "t"}});
    let id = post(&server, &bob, "/api/v1/models/prod/secrets", body)["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let before = state(&server, &bob, &id);

    // The forms' addresses, from a page that offers them: a superuser's. (Reveal has no form
    // of its own to read its address from; the services' permission matrix covers it.)
    let page = format!("/models/prod/secrets/{id}");
    let alice = form_login(&server, "alice", "/models").2.expect("cookie");
    let update = server_fn(&server, &alice, &page, "update_secret");
    let grants = server_fn(&server, &alice, &page, "set_grants");

    let carol = form_login(&server, "carol", "/models").2.expect("cookie");
    let fields = [
        ("model", "prod"),
        ("id", id.as_str()),
        ("name", "db"),
        ("description", "changed by a reader"),
        ("applications[0]", "mysql"),
    ];
    for path in [&update, &grants] {
        let (status, body) = post_form(&server, path, &carol, &fields);
        assert_eq!(status, 403, "{path}: {body}");
    }
    assert_eq!(
        state(&server, &bob, &id),
        before,
        "a refused call changed the secret"
    );
    let granted: serde_json::Value = agent()
        .get(&server.url("/api/v1/models/prod/grants"))
        .header("Authorization", &format!("Bearer {bob}"))
        .call()
        .expect("grants")
        .into_body()
        .read_json()
        .expect("json");
    assert_eq!(granted, serde_json::json!([]), "a refused grant was made");

    // The writer's own session, from another site: refused before the function runs.
    let bob_cookie = form_login(&server, "bob", "/models").2.expect("cookie");
    let cross = agent()
        .post(&server.url(&update))
        .header("Cookie", &bob_cookie)
        .header("Accept", "application/json")
        .header("Sec-Fetch-Site", "cross-site")
        .send_form(fields.iter().copied())
        .expect("answered");
    assert_eq!(cross.status().as_u16(), 403);
    assert_eq!(
        state(&server, &bob, &id),
        before,
        "a cross-site post changed the secret"
    );
}
