//! `strongbox_secret` with the real `terraform`: apply, a no-op plan, a change made in place,
//! drift made on the server, import, destroy; each step checked on the server through the API.

mod support;

use api_types::secrets::ListParams;
use support::{Server, Terraform, change_elsewhere, revealed};

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
    let first = tf.ok(&["apply", "-auto-approve", "-input=false"]);
    let listed = secrets().await;
    assert_eq!(listed.len(), 1);
    let id = listed[0].id.to_string();
    assert_eq!(
        (
            listed[0].name.as_ref().map(|n| n.as_str()),
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
    let renamed = tf.ok(&["apply", "-auto-approve", "-input=false"]);
    let listed = secrets().await;
    assert_eq!(
        (
            listed[0].id.as_str(),
            listed[0].name.as_ref().map(|n| n.as_str()),
            listed[0].description.as_str(),
            listed[0].revision
        ),
        (id.as_str(), Some("db"), "", 2)
    );
    assert_eq!(revealed(&server, &id).await["password"], "n3w");
    assert_eq!(tf.plan_code(), 0);
    // A name dropped from the configuration is left as it is, not planned for ever.
    tf.config(&secret_config(&server.url, "db", "n3w", "").replace("  name  = \"db\"\n", ""));
    assert_eq!(
        tf.plan_code(),
        0,
        "no name in the configuration: nothing to change"
    );
    tf.config(&secret_config(&server.url, "db", "n3w", ""));

    // A value changed outside Terraform is drift, and apply puts the configured one back.
    change_elsewhere(&server, &id, "password", "from-the-dashboard").await;
    assert_eq!(tf.plan_code(), 2, "the next plan shows the drift");
    let healed = tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(revealed(&server, &id).await["password"], "n3w");
    assert_eq!(tf.plan_code(), 0);

    // No plaintext in what Terraform prints, applying, planning or showing.
    let printed = [
        first,
        renamed,
        healed,
        tf.ok(&["show"]),
        tf.ok(&["plan", "-input=false"]),
    ];
    for shown in printed {
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

/// A reader's token is enough to refresh and plan (nothing is revealed); applying is refused
/// with the server's own words. A secret removed elsewhere is planned again, and auto-prune
/// reaches the server.
#[tokio::test]
async fn a_reader_plans_but_cannot_apply_and_a_removed_secret_comes_back() {
    let server = Server::start().await;
    let admin = Terraform::new(&[("STRONGBOX_TOKEN", &server.token)]);
    let pruned = secret_config(&server.url, "db", "s3cret", "main db").replace(
        "  info  = \"main db\"",
        "  info  = \"main db\"\n  auto_prune = true",
    );
    admin.config(&pruned);
    admin.ok(&["apply", "-auto-approve", "-input=false"]);
    let shown = server
        .client
        .show_secret("prod", "db")
        .await
        .expect("added");
    assert!(shown.secret.auto_prune, "auto_prune reaches the server");

    let reader_token = server.member_token("rita", "read").await;
    let reader = Terraform::new(&[("STRONGBOX_TOKEN", &reader_token)]);
    reader.config(&secret_config(&server.url, "db", "s3cret", "main db"));
    let state = admin.state_file();
    std::fs::write(reader.path().join("terraform.tfstate"), state).expect("copy the state");
    reader.ok(&["plan", "-input=false", "-refresh-only"]);
    let refused = reader
        .run(&["apply", "-auto-approve", "-input=false"])
        .all();
    assert!(
        refused.contains("Cannot update the secret"),
        "a reader cannot turn auto-prune off: {refused}"
    );

    server
        .client
        .remove_secret("prod", shown.secret.id.as_str(), None)
        .await
        .expect("removed elsewhere");
    let plan = admin.run(&["plan", "-input=false"]).all();
    assert!(plan.contains("will be created"), "{plan}");
    admin.ok(&["apply", "-auto-approve", "-input=false"]);
    let again = server.client.show_secret("prod", "db").await.expect("back");
    assert_ne!(again.secret.id, shown.secret.id);
    server
        .client
        .remove_secret("prod", again.secret.id.as_str(), None)
        .await
        .expect("removed elsewhere");
    admin.ok(&["destroy", "-auto-approve", "-input=false", "-refresh=false"]);
}
