//! `value_wo`: a value Terraform sends but never stores, with the real `terraform`.

mod support;

use support::{Server, Terraform, change_elsewhere, revealed};

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
        .id
        .to_string();
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
