//! Juju's `vault` secret backend served by Strongbox (issue 29, ADR 0030), through the running
//! binary: what Juju writes shows in Strongbox as a model of secrets, read-only there, with
//! every agent's read in the audit log; the backend's token and Strongbox's own tokens each
//! work only where they belong. (testkit/juju/strongbox.sh checks the Vault answers
//! themselves against OpenBao's.)

mod support;

use std::process::Command;

use serde_json::{Value, json};
use support::web::{Reach, Running, api_token, call, form_login};
use support::{bin, data_with_alice_and_prod, serve};

const MOUNT: &str = "wordpress-7a91d3";
const SECRET: &str = "d4kq8pbmp25c77ukat9g";

/// `strongbox admin juju-backend-token NAME`: the token, alone on standard output.
fn backend_token(data: &std::path::Path, name: &str) -> String {
    let out = Command::new(bin())
        .args(["admin", "--data-dir"])
        .arg(data)
        .args(["juju-backend-token", name])
        .output()
        .expect("admin");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    assert!(token.starts_with("sbxv_"), "{token}");
    token
}

/// A page's text as a person reads it: the markup left out.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn ok((status, body): (u16, Value)) -> Value {
    assert!((200..300).contains(&status), "{status}: {body}");
    body
}

/// The backend's mount with one secret of two revisions written as Juju writes them.
fn juju_wrote(sb: &Running, juju: &str) {
    let mount = json!({"type": "kv", "options": {"version": "1"}});
    ok(call(
        sb,
        "POST",
        &format!("/v1/sys/mounts/{MOUNT}"),
        juju,
        Some(mount),
    ));
    for (revision, value) in [(1, "czNjcmV0"), (2, "bjN3")] {
        let key = format!("/v1/{MOUNT}/{SECRET}-{revision}");
        ok(call(
            sb,
            "PUT",
            &key,
            juju,
            Some(json!({"password": value})),
        ));
    }
}

#[test]
fn juju_s_secrets_show_as_a_read_only_model_with_every_read_audited() {
    let data = data_with_alice_and_prod();
    let juju = backend_token(data.path(), "ops");
    let sb = serve(data.path());
    let alice = api_token(&sb, "alice");
    juju_wrote(&sb, &juju);
    // A consuming unit's token, as Juju makes one: a read policy, ten minutes, no default.
    let rule = format!("path \"{MOUNT}/{SECRET}-*\" {{capabilities = [\"read\"]}}");
    let policy = format!("/v1/sys/policies/acl/{MOUNT}-{SECRET}-read");
    let put = call(&sb, "PUT", &policy, &juju, Some(json!({"policy": rule})));
    assert_eq!(put.0, 204, "{put:?}");
    let made = json!({"policies": [format!("{MOUNT}-{SECRET}-read")], "ttl": "10m", "no_default_policy": true});
    let unit = ok(call(
        &sb,
        "POST",
        "/v1/auth/token/create",
        &juju,
        Some(made),
    ));
    let unit = unit["auth"]["client_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let read = ok(call(
        &sb,
        "GET",
        &format!("/v1/{MOUNT}/{SECRET}-2"),
        &unit,
        None,
    ));
    assert_eq!(read["data"], json!({"password": "bjN3"}));

    // The mount is a model, and the secret is there under Juju's own ID, at revision 2.
    let models = ok(call(&sb, "GET", "/api/v1/models", &alice, None)).to_string();
    assert!(models.contains(MOUNT), "{models}");
    let shown = ok(call(
        &sb,
        "GET",
        &format!("/api/v1/models/{MOUNT}/secrets/{SECRET}"),
        &alice,
        None,
    ));
    assert_eq!(shown["revision"], json!(2), "{shown}");

    // Read-only: the dashboard offers no change there (prod still offers them to alice)...
    let (_, _, cookie) = form_login(&sb, "alice", "/models");
    let cookie = cookie.expect("a session");
    for (model, offered) in [(MOUNT, false), ("prod", true)] {
        let page = support::web::agent()
            .get(&sb.url(&format!("/models/{model}/secrets")))
            .header("Cookie", &cookie)
            .call()
            .expect("page")
            .into_body()
            .read_to_string()
            .expect("html");
        assert_eq!(page.contains("Add secret"), offered, "{model}");
        assert_eq!(page.contains("Juju owns this model"), !offered, "{model}");
        // The page names the backend that owns the model.
        let named = format!("through the secret backend ops (mount {MOUNT})");
        assert_eq!(text_of(&page).contains(&named), !offered, "{model}");
    }
    // ... and the dashboard's and the API's changes are refused, naming why.
    let secrets = format!("/api/v1/models/{MOUNT}/secrets");
    let add = json!({"name": "mine", "content": {"password": "x"}});
    let update = json!({"content": {"password": "changed"}});
    for (method, path, body) in [
        ("POST", secrets.clone(), Some(add)),
        ("PATCH", format!("{secrets}/{SECRET}"), Some(update)),
        ("DELETE", format!("{secrets}/{SECRET}"), None),
    ] {
        let (status, answer) = call(&sb, method, &path, &alice, body);
        assert_eq!(status, 403, "{method} {path}: {answer}");
        assert!(
            answer.to_string().contains("Juju owns this model"),
            "{answer}"
        );
    }
    assert_eq!(
        ok(call(
            &sb,
            "GET",
            &format!("/v1/{MOUNT}/{SECRET}-2"),
            &juju,
            None
        ))["data"],
        json!({"password": "bjN3"})
    );

    // The audit log has Juju's writes and read under the backend token's accessor.
    let audit = ok(call(
        &sb,
        "GET",
        &format!("/api/v1/models/{MOUNT}/audit"),
        &alice,
        None,
    ))
    .to_string();
    // An agent's read is under its own token's accessor, with the policies it held.
    let agent_read = format!(
        "read through Juju's backend at {MOUNT}/{SECRET}-2, under policies {MOUNT}-{SECRET}-read"
    );
    for expected in [
        "\"actor\":\"juju-backend-ops ",
        "\"actor\":\"token ",
        &agent_read,
        "\"action\":\"secret-update\",\"outcome\":\"success\",\"secret\":\"d4kq8pbmp25c77ukat9g\",\"revision\":2",
        "revision 2 created by Juju's backend",
    ] {
        assert!(audit.contains(expected), "{expected} missing from {audit}");
    }
}

#[test]
fn each_token_works_only_where_it_belongs() {
    let data = data_with_alice_and_prod();
    let juju = backend_token(data.path(), "ops");
    let sb = serve(data.path());
    let alice = api_token(&sb, "alice");
    juju_wrote(&sb, &juju);

    // The backend's token is no user and no application of Strongbox's.
    assert_eq!(call(&sb, "GET", "/api/v1/models", &juju, None).0, 401);
    assert_eq!(
        call(&sb, "GET", "/api/v1/models/prod/secrets", &juju, None).0,
        401
    );
    // A person's token is no Juju token: Vault's 403 "permission denied".
    for (method, path) in [
        ("GET", "/v1/sys/mounts".to_owned()),
        ("GET", format!("/v1/{MOUNT}/{SECRET}-1")),
    ] {
        let (status, body) = call(&sb, method, &path, &alice, None);
        assert_eq!(
            (status, body),
            (403, json!({"errors": ["permission denied"]})),
            "{path}"
        );
    }
    // A second backend sees none of the first's mounts, keys or policies.
    let other = backend_token(data.path(), "other");
    let mounts = ok(call(&sb, "GET", "/v1/sys/mounts", &other, None));
    assert_eq!(mounts["data"], json!({}));
    assert_eq!(
        call(&sb, "GET", &format!("/v1/{MOUNT}/{SECRET}-1"), &other, None).0,
        404
    );
    // Unmounting removes the model with its secrets.
    assert_eq!(
        call(
            &sb,
            "DELETE",
            &format!("/v1/sys/mounts/{MOUNT}"),
            &juju,
            None
        )
        .0,
        204
    );
    let models = ok(call(&sb, "GET", "/api/v1/models", &alice, None)).to_string();
    assert!(!models.contains(MOUNT), "{models}");
}

#[test]
fn a_token_asked_for_longer_than_vaults_maximum_gets_the_maximum_with_vaults_warning() {
    let data = data_with_alice_and_prod();
    let juju = backend_token(data.path(), "ops");
    let sb = serve(data.path());
    let made = |ttl: Value| {
        let body = json!({"policies": ["x"], "ttl": ttl, "no_default_policy": true});
        ok(call(
            &sb,
            "POST",
            "/v1/auth/token/create",
            &juju,
            Some(body),
        ))
    };
    // OpenBao 2.7.2 answers the same: 768 h, and this warning.
    let long = made(json!("1000h"));
    assert_eq!(long["auth"]["lease_duration"], json!(768 * 3600), "{long}");
    assert_eq!(
        long["warnings"],
        json!([
            "TTL of \"1000h\" exceeded the effective max_ttl of \"768h\"; TTL value is capped accordingly"
        ])
    );
    let lookup = ok(call(&sb, "GET", "/v1/auth/token/lookup-self", &juju, None));
    assert!(lookup["data"]["ttl"].is_number(), "{lookup}");
    let agent = made(json!("10m"));
    assert_eq!(agent["auth"]["lease_duration"], json!(600), "{agent}");
    assert_eq!(agent["warnings"], Value::Null);
}

#[test]
fn a_leaked_backend_token_is_replaced_and_every_token_made_from_it_dies_at_once() {
    let data = data_with_alice_and_prod();
    let juju = backend_token(data.path(), "ops");
    let sb = serve(data.path());
    juju_wrote(&sb, &juju);
    let made = json!({"policies": [format!("{MOUNT}-read")], "ttl": "10m"});
    let rule = format!("path \"{MOUNT}/*\" {{capabilities = [\"read\"]}}");
    let policy = format!("/v1/sys/policies/acl/{MOUNT}-read");
    assert_eq!(
        call(&sb, "PUT", &policy, &juju, Some(json!({"policy": rule}))).0,
        204
    );
    let agent = ok(call(
        &sb,
        "POST",
        "/v1/auth/token/create",
        &juju,
        Some(made),
    ));
    let agent = agent["auth"]["client_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let key = format!("/v1/{MOUNT}/{SECRET}-1");
    assert_eq!(call(&sb, "GET", &key, &agent, None).0, 200);

    // Making it again is refused, and says how to replace it.
    let again = admin(data.path(), &["juju-backend-token", "ops"]);
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("juju-backend-token ops --replace"), "{said}");
    let unknown = admin(data.path(), &["juju-backend-token", "nope", "--replace"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no Juju backend is named \"nope\""));

    let replaced = admin(data.path(), &["juju-backend-token", "ops", "--replace"]);
    assert!(replaced.status.success(), "{replaced:?}");
    let fresh = String::from_utf8(replaced.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    // The old token and the agent's made from it are refused at once; the new one finds the
    // backend's mount and secrets where they were.
    let denied = (403, json!({"errors": ["permission denied"]}));
    assert_eq!(call(&sb, "GET", "/v1/sys/mounts", &juju, None), denied);
    assert_eq!(call(&sb, "GET", &key, &agent, None), denied);
    let mounts = ok(call(&sb, "GET", "/v1/sys/mounts", &fresh, None));
    assert!(
        mounts["data"].get(format!("{MOUNT}/")).is_some(),
        "{mounts}"
    );
    assert_eq!(
        ok(call(&sb, "GET", &key, &fresh, None))["data"],
        json!({"password": "czNjcmV0"})
    );
}

fn admin(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .args(["admin", "--data-dir"])
        .arg(data)
        .args(args)
        .output()
        .expect("admin")
}
