//! The whole life of a secret on PostgreSQL, when `TEST_POSTGRES_URL` names a server: the same
//! services, the other store. (The storage conformance suite covers the store call by call.)

use backend::service::{ReadMode, SecretUpdate};
use backend::store::postgres::PgStore;
use backend::{Caller, Keyring, Services};
use domain::{AccessLevel, RevisionNumber, UserName};
use std::sync::Arc;

use crate::support::{app_name, content, model, new_secret, sref};

#[tokio::test]
async fn a_secret_lives_and_dies_on_postgres() {
    let Some(url) = testkit::postgres_url("a secret's life on PostgreSQL") else {
        return;
    };
    let database = testkit::pg::TestDatabase::create(&url).await;
    let store = PgStore::connect(&database.url).await.expect("postgres");
    let dir = tempfile::tempdir().expect("dir");
    let key_path = dir.path().join("master.key");
    let keys = Arc::new(Keyring::open(&key_path, true).expect("keys"));
    let services = Services::new(
        Arc::new(store.clone()),
        keys.clone(),
        Arc::new(backend::SystemClock),
    );
    services.ensure_master_key().await.expect("key");

    let sys = Caller::system();
    let prod = model("prod");
    services.create_model(&sys, &prod).await.expect("model");
    let alice = services
        .create_user(
            &sys,
            &UserName::parse("alice").expect("n"),
            backend::password::Password::new("password-123".into()),
            false,
        )
        .await
        .expect("user");
    services
        .set_member(&sys, &prod, &alice.name, AccessLevel::Admin)
        .await
        .expect("member");
    let alice = Caller::user(alice.id, alice.name);
    let app = services
        .add_application(&sys, &prod, &app_name("mysql"))
        .await
        .expect("app");
    let (_, token) = services
        .create_application_token(&alice, &prod, &app_name("mysql"), "ci")
        .await
        .expect("token");
    let app_caller = services
        .authenticate_token(token.expose())
        .await
        .expect("token works");

    let added = services
        .add_secret(&alice, &prod, new_secret("db", "password=one"))
        .await
        .expect("add");
    let uri = sref(&added.id.uri());
    services
        .grant_secret(&alice, &prod, &uri, std::slice::from_ref(&app.name))
        .await
        .expect("grant");
    let on = SecretUpdate {
        auto_prune: Some(true),
        ..SecretUpdate::default()
    };
    services
        .update_secret(&alice, &prod, &uri, on)
        .await
        .expect("auto-prune");
    assert_eq!(
        services
            .read_content(&app_caller, &prod, &uri, ReadMode::Tracked)
            .await
            .expect("read")
            .revision,
        RevisionNumber::FIRST
    );
    let two = SecretUpdate {
        content: Some(content("password=two")),
        ..SecretUpdate::default()
    };
    services
        .update_secret(&alice, &prod, &uri, two)
        .await
        .expect("update");
    let refreshed = services
        .read_content(&app_caller, &prod, &uri, ReadMode::Refresh)
        .await
        .expect("refresh");
    assert_eq!(refreshed.content.decoded()["password"], b"two");
    let details = services
        .show_secret(&alice, &prod, &uri)
        .await
        .expect("show");
    assert_eq!(
        details.revisions.len(),
        1,
        "revision 1 was pruned once nothing tracked it"
    );

    let err = services
        .add_secret(&alice, &prod, new_secret("db", "other=yyy"))
        .await
        .expect_err("dup");
    assert_eq!(err.to_string(), "secret with name \"db\" already exists");
    let stranger = services
        .reveal(&app_caller, &prod, &uri, None)
        .await
        .expect_err("apps cannot reveal");
    assert!(matches!(stranger, backend::ServiceError::Forbidden(_)));

    let new_key = backend::MasterKey::generate();
    backend::crypto::write_key_file(&keys.files().next, &new_key).expect("next key");
    services
        .rotate_master_key(&sys, &new_key)
        .await
        .expect("rotate");
    keys.files().promote_next().expect("promote");
    let revealed = services
        .reveal(&alice, &prod, &uri, None)
        .await
        .expect("reveal after rotation");
    assert_eq!(revealed.content.decoded()["password"], b"two");
    let verified = services.verify_audit(&sys).await.expect("verify");
    assert!(verified.is_ok(), "{verified:?}");
}
