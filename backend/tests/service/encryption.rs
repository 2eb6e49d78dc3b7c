//! Encryption at rest (product spec §6).

use backend::crypto::CryptoError;
use backend::service::SecretUpdate;
use backend::store::sqlite::SqliteStore;
use backend::{Caller, InternalError, Keyring, ServiceError, Services};
use base64::Engine as _;
use std::sync::Arc;

use crate::support::{World, content, new_secret, sref};

const CANARY: &str = "CANARY-7f3c9a1e-plaintext-must-never-hit-disk";

#[tokio::test]
async fn a_plaintext_canary_appears_nowhere_on_disk() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(
        &w.writer,
        m,
        new_secret("canary", &format!("token={CANARY}")),
    )
    .await
    .expect("add");
    let update = SecretUpdate {
        content: Some(content(&format!("token={CANARY}\nother={CANARY}"))),
        ..SecretUpdate::default()
    };
    s.update_secret(&w.writer, m, &sref("canary"), update)
        .await
        .expect("update");
    let revealed = s
        .reveal(&w.admin, m, &sref("canary"), None)
        .await
        .expect("reveal");
    assert_eq!(
        revealed.content.decoded()["token"],
        CANARY.as_bytes(),
        "the content is really there"
    );

    let encoded = base64::engine::general_purpose::STANDARD.encode(CANARY);
    let mut files = 0;
    for entry in std::fs::read_dir(w.h.dir.path()).expect("dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        for needle in [CANARY.as_bytes(), encoded.as_bytes()] {
            assert!(
                !bytes.windows(needle.len()).any(|win| win == needle),
                "{} holds the canary",
                path.display()
            );
        }
        files += 1;
    }
    assert!(files >= 3, "database, WAL and key file were all checked");
}

#[tokio::test]
async fn ciphertext_moved_to_another_row_fails_with_a_clear_error() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let a = s
        .add_secret(&w.writer, m, new_secret("a", "token=alpha"))
        .await
        .expect("a");
    let b = s
        .add_secret(&w.writer, m, new_secret("b", "token=bravo"))
        .await
        .expect("b");
    w.h.sql(&format!(
        "update secret_revision set (ciphertext, nonce, wrapped_key, key_nonce) = \
         (select ciphertext, nonce, wrapped_key, key_nonce from secret_revision where secret_id = '{}') \
         where secret_id = '{}'",
        a.id, b.id
    ))
    .await;
    let err = s
        .reveal(&w.admin, m, &sref("b"), None)
        .await
        .expect_err("must not decrypt");
    let ServiceError::Internal(InternalError::Crypto(crypto @ CryptoError::Decrypt { .. })) = &err
    else {
        panic!("expected a decryption error, got {err:?}");
    };
    assert_eq!(
        crypto.to_string(),
        format!(
            "revision 1 of secret \"secret:{}\" failed to decrypt: the stored ciphertext does not belong to this revision or was altered",
            b.id
        )
    );
    assert_eq!(err.to_string(), "internal error", "users see no details");
    s.reveal(&w.admin, m, &sref("a"), None)
        .await
        .expect("the original row still opens");
}

#[tokio::test]
async fn all_content_reads_back_after_rotating_the_master_key() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    for i in 0..5 {
        s.add_secret(
            &w.writer,
            m,
            new_secret(&format!("s{i}"), &format!("token=value-{i}")),
        )
        .await
        .expect("add");
        let update = SecretUpdate {
            content: Some(content(&format!("token=value-{i}-b"))),
            ..SecretUpdate::default()
        };
        s.update_secret(&w.writer, m, &sref(&format!("s{i}")), update)
            .await
            .expect("update");
    }
    let old_key = std::fs::read(&w.h.key_path).expect("key");
    let count =
        w.h.rotate_master_key(&Caller::system())
            .await
            .expect("rotate");
    assert_eq!(count, 10);
    assert_ne!(
        std::fs::read(&w.h.key_path).expect("key"),
        old_key,
        "the key file holds the new key"
    );
    assert!(
        !w.h.keys.files().next.exists(),
        "the pending file was promoted"
    );
    let ids =
        w.h.count("select count(distinct master_key_id) from secret_revision")
            .await;
    assert_eq!(ids, 1);

    // A restarted server knows only the new key file.
    let store = SqliteStore::connect(&format!("sqlite://{}", w.h.db_path.display()))
        .await
        .expect("store");
    let keys = Arc::new(Keyring::open(&w.h.key_path, false).expect("keyring"));
    let fresh = Services::new(Arc::new(store), keys, w.h.clock.clone());
    fresh
        .ensure_master_key()
        .await
        .expect("the database's key is found");
    for i in 0..5 {
        for (rev, want) in [(1, format!("value-{i}")), (2, format!("value-{i}-b"))] {
            let r = domain::RevisionNumber::new(rev).expect("rev");
            let out = fresh
                .reveal(&w.admin, m, &sref(&format!("s{i}")), Some(r))
                .await
                .expect("reveal");
            assert_eq!(out.content.decoded()["token"], want.as_bytes());
        }
    }
    s.add_secret(&w.writer, m, new_secret("after", "token=new"))
        .await
        .expect("the running server picks up the new key");
    s.reveal(&w.admin, m, &sref("after"), None)
        .await
        .expect("and reads it");
}

#[tokio::test]
async fn a_server_refuses_a_key_that_does_not_match_the_database() {
    let w = World::new().await;
    w.h.services
        .add_secret(&w.writer, &w.model, new_secret("x", "token=1"))
        .await
        .expect("add");
    let other_dir = tempfile::tempdir().expect("dir");
    let keys =
        Arc::new(Keyring::open(&other_dir.path().join("master.key"), true).expect("keyring"));
    let store = SqliteStore::connect(&format!("sqlite://{}", w.h.db_path.display()))
        .await
        .expect("store");
    let services = Services::new(Arc::new(store), keys, w.h.clock.clone());
    let err = services.ensure_master_key().await.expect_err("wrong key");
    let ServiceError::Internal(InternalError::Crypto(e)) = err else {
        panic!("{err:?}")
    };
    assert!(e.to_string().starts_with("master key "), "{e}");
    assert!(e.to_string().contains("is not available"), "{e}");
}
