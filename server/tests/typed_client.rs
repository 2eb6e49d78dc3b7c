//! The typed client (`strongbox-client`) against the running binary: a secret's life through
//! it, and refusals read as codes and fields, not texts.

mod support;

use api_types::secrets::{AddSecret, ContentInput, ListParams, UpdateSecret};
use api_types::{ErrorCode, Field};
use domain::AccessLevel;
use strongbox_client::{Client, ClientError};
use support::{admin, data_with_alice_and_prod, serve};

fn content(key: &str, value: &str) -> ContentInput {
    ContentInput {
        content: [(key.to_owned(), value.to_owned())].into(),
        content_base64: Default::default(),
    }
}

#[tokio::test]
async fn a_secret_lives_through_the_typed_client() {
    let data = data_with_alice_and_prod();
    admin(data.path(), &["add-application", "prod", "mysql"], None);
    let server = serve(data.path());
    let url = format!("http://127.0.0.1:{}", server.port);

    let anonymous = Client::new(&url, None, None).expect("client");
    let login = anonymous
        .login("alice", "password-123", "typed")
        .await
        .expect("login");
    let alice = anonymous.with_token(login.token);
    let models = alice.models().await.expect("models");
    assert_eq!(
        models
            .iter()
            .map(|m| (m.name.as_str(), m.access))
            .collect::<Vec<_>>(),
        [("prod", AccessLevel::Admin)]
    );

    let add = AddSecret {
        name: Some("db".to_owned()),
        description: "primary".to_owned(),
        content: content("password", "one"),
    };
    let created = alice.add_secret("prod", &add).await.expect("add");
    let update = UpdateSecret {
        name: None,
        description: None,
        auto_prune: None,
        expected_revision: Some(1),
        content: content("password", "two"),
    };
    let updated = alice
        .update_secret("prod", "db", &update)
        .await
        .expect("update");
    assert_eq!((updated.revision, updated.new_revision), (2, Some(2)));
    let shown = alice
        .show_secret("prod", &created.uri.to_string())
        .await
        .expect("show");
    assert_eq!(
        (
            shown.secret.name.as_ref().map(|n| n.as_str()),
            shown.revisions.len()
        ),
        (Some("db"), 2)
    );
    let first = alice
        .reveal_secret("prod", "db", Some(1))
        .await
        .expect("reveal");
    assert_eq!(first.content["password"], "one");

    let granted = alice
        .grant_secret("prod", "db", &["mysql".to_owned()])
        .await
        .expect("grant");
    let mysql_name = domain::ApplicationName::parse("mysql").expect("name");
    assert_eq!(granted.changed, [mysql_name]);
    let token = alice
        .create_application_token("prod", "mysql", "typed")
        .await
        .expect("token");
    let mysql = anonymous.with_token(token.token);
    let read = mysql
        .read_secret(created.id.as_str(), None)
        .await
        .expect("read");
    assert_eq!(
        (read.revision, read.content["password"].as_str()),
        (2, "two")
    );

    let page = alice
        .list_secrets(
            "prod",
            &ListParams {
                search: Some("prim".to_owned()),
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(page.items.len(), 1);

    // Refusals come as the server's code and field.
    let again = alice.add_secret("prod", &add).await.expect_err("duplicate");
    assert_eq!(
        (again.code(), again.field()),
        (Some(ErrorCode::Conflict), Some(Field::Name))
    );
    let stale = alice
        .update_secret("prod", "db", &update)
        .await
        .expect_err("stale");
    assert_eq!(stale.code(), Some(ErrorCode::Conflict));
    let sort = ListParams {
        sort: Some("size".to_owned()),
        ..Default::default()
    };
    let bad = alice
        .list_secrets("prod", &sort)
        .await
        .expect_err("bad sort");
    assert_eq!(
        (bad.code(), bad.field()),
        (Some(ErrorCode::Invalid), Some(Field::Query))
    );
    let refused = mysql
        .show_secret("prod", "db")
        .await
        .expect_err("an application");
    assert_eq!(refused.code(), Some(ErrorCode::Forbidden));

    alice
        .remove_secret("prod", "db", None)
        .await
        .expect("remove");
    let gone = alice.show_secret("prod", "db").await.expect_err("removed");
    assert_eq!(gone.code(), Some(ErrorCode::NotFound));
    drop(server);
}

#[test]
fn a_ca_file_that_holds_no_certificate_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("missing.pem");
    let err = Client::new("https://strongbox.internal", None, Some(&missing)).expect_err("missing");
    assert!(matches!(err, ClientError::CaFile { .. }), "{err:?}");
    assert!(err.to_string().contains("missing.pem"), "{err}");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").expect("write");
    let err = Client::new("https://strongbox.internal", None, Some(&empty)).expect_err("empty");
    assert!(err.to_string().contains("no PEM certificate"), "{err}");
}
