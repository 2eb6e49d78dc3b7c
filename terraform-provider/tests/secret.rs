//! `strongbox_secret` with the real `terraform`: apply, a no-op plan, a change made in place,
//! drift made on the server, import, destroy; each step checked on the server through the API.

mod support;

use api_types::secrets::{ContentInput, ListParams, UpdateSecret};
use std::collections::BTreeMap;
use support::{Server, Terraform};

fn secret_config(url: &str, name: &str, password: &str, info: &str) -> String {
    let provider = support::provider_block(url);
    format!(
        r#"{provider}
resource "strongbox_secret" "db" {{
  model = "prod"
  name  = "{name}"
  value = {{ password = "{password}", "cert#base64" = "aGVsbG8=" }}
  info  = "{info}"
}}
"#
    )
}

/// What the dashboard or the CLI would do: a new value for `key`, outside Terraform.
async fn change_elsewhere(server: &Server, id: &str, key: &str, value: &str) {
    let update = UpdateSecret {
        name: None,
        description: None,
        auto_prune: None,
        expected_revision: None,
        content: ContentInput {
            content: BTreeMap::from([(key.to_owned(), value.to_owned())]),
            content_base64: BTreeMap::new(),
        },
    };
    server
        .client
        .update_secret("prod", id, &update)
        .await
        .expect("change elsewhere");
}

async fn revealed(server: &Server, id: &str) -> BTreeMap<String, String> {
    server
        .client
        .reveal_secret("prod", id, None)
        .await
        .expect("reveal")
        .content
}

#[tokio::test]
async fn a_secret_through_apply_change_drift_import_and_destroy() {
    let server = Server::start().await;
    let tf = Terraform::new(&[("STRONGBOX_TOKEN", &server.token)]);
    let secrets = || async {
        server
            .client
            .list_secrets("prod", &ListParams::default())
            .await
            .expect("list")
            .items
    };

    tf.config(&secret_config(
        &server.url,
        "db-password",
        "s3cret",
        "main db",
    ));
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    let listed = secrets().await;
    assert_eq!(listed.len(), 1);
    let id = listed[0].id.clone();
    assert_eq!(
        (
            listed[0].name.as_deref(),
            listed[0].description.as_str(),
            listed[0].revision
        ),
        (Some("db-password"), "main db", 1)
    );
    let content = revealed(&server, &id).await;
    assert_eq!(
        (content["password"].as_str(), content["cert"].as_str()),
        ("s3cret", "hello"),
        "key#base64 values arrive decoded"
    );
    assert_eq!(
        tf.plan_code(),
        0,
        "a second plan after apply changes nothing"
    );

    // Rename, a new value, and an empty info that clears the description, all in place.
    tf.config(&secret_config(&server.url, "db", "n3w", ""));
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    let listed = secrets().await;
    assert_eq!(
        (
            listed[0].id.as_str(),
            listed[0].name.as_deref(),
            listed[0].description.as_str(),
            listed[0].revision
        ),
        (id.as_str(), Some("db"), "", 2)
    );
    assert_eq!(revealed(&server, &id).await["password"], "n3w");
    assert_eq!(tf.plan_code(), 0);

    // A value changed outside Terraform is drift, and apply puts the configured one back.
    change_elsewhere(&server, &id, "password", "from-the-dashboard").await;
    assert_eq!(tf.plan_code(), 2, "the next plan shows the drift");
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(revealed(&server, &id).await["password"], "n3w");
    assert_eq!(tf.plan_code(), 0);

    // No plaintext in what Terraform prints.
    for shown in [tf.ok(&["show"]), tf.ok(&["plan", "-input=false"])] {
        for plain in ["n3w", "s3cret", "from-the-dashboard", "aGVsbG8="] {
            assert!(!shown.contains(plain), "{plain} printed:\n{shown}");
        }
    }

    // Import by <model>:<name>; applying the configured value over it makes no revision.
    tf.ok(&["state", "rm", "strongbox_secret.db"]);
    let imported = tf.ok(&["import", "-input=false", "strongbox_secret.db", "prod:db"]);
    assert!(imported.contains("Import successful"), "{imported}");
    let revision = secrets().await[0].revision;
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(
        secrets().await[0].revision,
        revision,
        "same content, no new revision"
    );
    assert_eq!(tf.plan_code(), 0);
    tf.ok(&["state", "rm", "strongbox_secret.db"]);
    let bad = tf.run(&["import", "-input=false", "strongbox_secret.db", "db"]);
    assert!(!bad.0.status.success());
    assert!(
        bad.all()
            .contains(r#"Expected import identifier with format: <model>:<name>. Got: "db""#),
        "{}",
        bad.all()
    );
    tf.ok(&["import", "-input=false", "strongbox_secret.db", "prod:db"]);

    tf.ok(&["destroy", "-auto-approve", "-input=false"]);
    assert!(secrets().await.is_empty(), "destroy leaves nothing behind");
}

fn write_only_config(url: &str, password: &str, version: u32) -> String {
    let provider = support::provider_block(url);
    format!(
        r#"{provider}
resource "strongbox_secret" "api" {{
  model            = "prod"
  name             = "api-key"
  value_wo         = {{ key = "{password}" }}
  value_wo_version = {version}
}}
"#
    )
}

#[tokio::test]
async fn a_write_only_value_never_reaches_the_state() {
    let server = Server::start().await;
    let tf = Terraform::new(&[("STRONGBOX_TOKEN", &server.token)]);
    tf.config(&write_only_config(&server.url, "first-key-value", 1));
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    let id = server
        .client
        .show_secret("prod", "api-key")
        .await
        .expect("added")
        .secret
        .id;
    assert_eq!(revealed(&server, &id).await["key"], "first-key-value");
    assert_eq!(tf.plan_code(), 0);

    // The same version with another value sends nothing; a new version sends it.
    tf.config(&write_only_config(&server.url, "second-key-value", 1));
    assert_eq!(tf.plan_code(), 0, "write-only changes need a new version");
    tf.config(&write_only_config(&server.url, "second-key-value", 2));
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(revealed(&server, &id).await["key"], "second-key-value");

    // A value changed elsewhere is drift here too: apply sends the configured one again.
    change_elsewhere(&server, &id, "key", "from-elsewhere").await;
    assert_eq!(tf.plan_code(), 2);
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(revealed(&server, &id).await["key"], "second-key-value");
    assert_eq!(tf.plan_code(), 0);

    let state = tf.state_file();
    assert!(
        state.contains(&id),
        "the state file is the one in use: {state}"
    );
    for plain in ["first-key-value", "second-key-value"] {
        assert!(!state.contains(plain), "{plain} is in the state file");
        assert!(!tf.ok(&["show", "-json"]).contains(plain));
    }

    // The content is given exactly once, and a write-only value comes with its version.
    tf.config(&write_only_config(&server.url, "k", 3).replace(
        "value_wo_version = 3",
        "value_wo_version = 3\n  value = { key = \"x\" }",
    ));
    let both = tf.run(&["plan", "-input=false"]).all();
    assert!(
        both.contains("Set exactly one of value and value_wo"),
        "{both}"
    );
    tf.config(&write_only_config(&server.url, "k", 3).replace("  value_wo_version = 3\n", ""));
    let unversioned = tf.run(&["plan", "-input=false"]).all();
    assert!(
        unversioned.contains("value_wo needs value_wo_version"),
        "{unversioned}"
    );
}

#[tokio::test]
async fn a_missing_or_wrong_provider_setting_names_the_attribute_and_the_variable() {
    let server = Server::start().await;
    let resource = r#"
resource "strongbox_secret" "x" {
  model = "prod"
  name  = "x"
  value = { token = "b" }
}
"#;
    let no_url = Terraform::new(&[("STRONGBOX_TOKEN", &server.token)]);
    no_url.config(&format!("provider \"strongbox\" {{}}\n{resource}"));
    let out = no_url.run(&["plan", "-input=false"]).all();
    assert!(
        out.contains("No Strongbox server") && out.contains("STRONGBOX_SERVER"),
        "{out}"
    );

    let wrong_token = Terraform::new(&[
        ("STRONGBOX_TOKEN", "sbp_wrong"),
        ("STRONGBOX_SERVER", &server.url),
    ]);
    wrong_token.config(&format!("provider \"strongbox\" {{}}\n{resource}"));
    let out = wrong_token.run(&["plan", "-input=false"]).all();
    assert!(
        out.contains("Token refused") && out.contains("STRONGBOX_TOKEN"),
        "{out}"
    );

    // A refusal from the server is a diagnostic with its message, not a crash.
    let ok = Terraform::new(&[("STRONGBOX_TOKEN", &server.token)]);
    ok.config(&format!(
        "provider \"strongbox\" {{\n  url = \"{}\"\n}}\n{}",
        server.url,
        resource.replace("\"prod\"", "\"nowhere\"")
    ));
    let out = ok.run(&["apply", "-auto-approve", "-input=false"]).all();
    assert!(
        out.contains("Cannot add the secret") && out.contains("model \"nowhere\" not found"),
        "{out}"
    );
}
