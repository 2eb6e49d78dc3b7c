//! From model to application to grant in one plan: `strongbox_application` with a token,
//! `strongbox_secret`, `strongbox_access_secret` and `data "strongbox_secret"`, with the real
//! `terraform`, checked on the server and by reading the secret with the issued token.

mod support;

use std::collections::BTreeSet;

use strongbox_client::Client;
use support::{Server, Terraform};

fn config(url: &str, applications: &str) -> String {
    let provider = support::provider_block(url);
    format!(
        r#"{provider}
resource "strongbox_application" "wp" {{
  model = "prod"
  name  = "wordpress"
  token {{
    label = "wordpress units"
  }}
}}
resource "strongbox_secret" "db" {{
  model = "prod"
  name  = "db"
  value = {{ password = "s3cret" }}
}}
resource "strongbox_access_secret" "db" {{
  model        = "prod"
  secret_id    = strongbox_secret.db.secret_id
  applications = [{applications}]
}}
data "strongbox_secret" "db" {{
  model = "prod"
  name  = strongbox_secret.db.name
}}
output "token" {{
  value     = strongbox_application.wp.token[0].value
  sensitive = true
}}
output "token_id" {{
  value = strongbox_application.wp.token[0].id
}}
output "looked_up" {{
  value = "${{data.strongbox_secret.db.secret_uri}} ${{data.strongbox_secret.db.revision}} ${{data.strongbox_secret.db.owner}}"
}}
"#
    )
}

async fn granted(server: &Server, secret: &str) -> BTreeSet<String> {
    let detail = server
        .client
        .show_secret("prod", secret)
        .await
        .expect("show");
    detail.access.into_iter().map(|a| a.target).collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| format!("application-{n}")).collect()
}

#[tokio::test]
async fn an_application_its_token_and_its_grant_in_one_plan() {
    let server = Server::start().await;
    let tf = Terraform::new(&[("STRONGBOX_TOKEN", &server.token)]);
    let both = r#"strongbox_application.wp.name, "mysql""#;
    tf.config(&config(&server.url, both));
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(granted(&server, "db").await, set(&["mysql", "wordpress"]));
    let apps = server.client.applications("prod").await.expect("apps");
    let wordpress = apps
        .iter()
        .find(|a| a.name.as_str() == "wordpress")
        .expect("added");
    assert_eq!(wordpress.tokens.len(), 1);
    assert_eq!(wordpress.tokens[0].label, "wordpress units");

    // The issued token reads the granted secret as the application.
    let shown = server.client.show_secret("prod", "db").await.expect("show");
    let uri = shown.secret.uri.to_string();
    let token = tf.ok(&["output", "-raw", "token"]);
    let app = Client::new(&server.url, Some(token.clone()), None).expect("client");
    let read = app.read_secret(&uri, None).await.expect("the app reads");
    assert_eq!(read.content["password"], "s3cret");
    assert_eq!(
        tf.ok(&["output", "-raw", "looked_up"]),
        format!("{uri} 1 model"),
        "the data source finds the secret by name, with read access"
    );
    assert_eq!(tf.plan_code(), 0);
    assert!(!tf.ok(&["show"]).contains(&token), "the token is sensitive");

    // A smaller set revokes; a grant made elsewhere is drift that apply takes back.
    tf.config(&config(&server.url, "strongbox_application.wp.name"));
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(granted(&server, "db").await, set(&["wordpress"]));
    let mysql = ["mysql".to_owned()];
    server
        .client
        .grant_secret("prod", "db", &mysql)
        .await
        .expect("grant elsewhere");
    assert_eq!(
        tf.plan_code(),
        2,
        "the grant made elsewhere shows in the plan"
    );
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    assert_eq!(granted(&server, "db").await, set(&["wordpress"]));

    // A token revoked elsewhere is issued again.
    let old_id: i64 = tf.ok(&["output", "-raw", "token_id"]).parse().expect("id");
    server
        .client
        .revoke_application_token("prod", "wordpress", old_id)
        .await
        .expect("revoke elsewhere");
    assert_eq!(tf.plan_code(), 2, "the revoked token shows in the plan");
    tf.ok(&["apply", "-auto-approve", "-input=false"]);
    let new_token = tf.ok(&["output", "-raw", "token"]);
    assert_ne!(new_token, token);
    let app = Client::new(&server.url, Some(new_token), None).expect("client");
    app.read_secret(&uri, None)
        .await
        .expect("the new token reads");
    assert_eq!(tf.plan_code(), 0);

    // Import of the grants and of the application; a bad identifier reads as Juju's does.
    tf.ok(&["state", "rm", "strongbox_access_secret.db"]);
    tf.ok(&[
        "import",
        "-input=false",
        "strongbox_access_secret.db",
        "prod:db",
    ]);
    assert_eq!(
        tf.plan_code(),
        0,
        "the imported grants match the configuration"
    );
    tf.ok(&["state", "rm", "strongbox_access_secret.db"]);
    let bad = tf.run(&[
        "import",
        "-input=false",
        "strongbox_access_secret.db",
        "prod",
    ]);
    assert!(
        bad.all()
            .contains(r#"Expected import identifier with format: <model>:<name>. Got: "prod""#),
        "{}",
        bad.all()
    );
    tf.ok(&[
        "import",
        "-input=false",
        "strongbox_access_secret.db",
        "prod:db",
    ]);

    tf.ok(&["destroy", "-auto-approve", "-input=false"]);
    let apps = server.client.applications("prod").await.expect("apps");
    let left: Vec<&str> = apps.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(left, ["mysql"], "destroy removes only what the plan made");
    let secrets = server
        .client
        .list_secrets("prod", &Default::default())
        .await
        .expect("list");
    assert!(secrets.items.is_empty());
}
