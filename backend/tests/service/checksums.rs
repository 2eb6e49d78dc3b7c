//! Checksums are keyed per revision: they still tell "same content" apart from "changed", but a
//! reader, or someone holding only the database file, cannot test guesses against them.

use backend::service::SecretUpdate;
use sha2::{Digest, Sha256};

use crate::support::{World, content, new_secret, sref};

/// The unkeyed checksum Juju computes, which a 4-digit PIN could be recovered from.
fn unkeyed(pin: &str) -> String {
    hex::encode(Sha256::digest(
        content(&format!("pin={pin}"))
            .canonical_json()
            .expect("serializes"),
    ))
}

async fn stored_checksums(w: &World) -> Vec<String> {
    sqlx::query_scalar("select checksum from secret_revision order by revision")
        .fetch_all(w.h.store.pool())
        .await
        .expect("checksums")
}

async fn same_content_again(w: &World, name: &str, text: &str) -> bool {
    let update = SecretUpdate {
        content: Some(content(text)),
        ..SecretUpdate::default()
    };
    let out =
        w.h.services
            .update_secret(&w.writer, &w.model, &sref(name), update)
            .await
            .expect("update");
    out.new_revision.is_none()
}

#[tokio::test]
async fn a_short_value_cannot_be_recovered_from_its_checksum() {
    let w = World::new().await;
    w.h.services
        .add_secret(&w.writer, &w.model, new_secret("pin", "pin=4821"))
        .await
        .expect("add");
    let stored = stored_checksums(&w).await;
    let guessed = (0..10_000)
        .map(|n| format!("{n:04}"))
        .find(|pin| stored.contains(&unkeyed(pin)));
    assert_eq!(guessed, None, "trying every PIN finds nothing");
    let details =
        w.h.services
            .show_secret(&w.reader, &w.model, &sref("pin"))
            .await
            .expect("show");
    assert!(
        details
            .revisions
            .iter()
            .all(|r| r.meta.checksum == stored[0]),
        "readers see only the keyed value"
    );
}

#[tokio::test]
async fn dedup_holds_across_a_master_key_rotation() {
    let w = World::new().await;
    w.h.services
        .add_secret(&w.writer, &w.model, new_secret("db", "password=one"))
        .await
        .expect("add");
    assert!(same_content_again(&w, "db", "password=one").await);
    w.h.rotate_master_key(&w.superuser).await.expect("rotate");
    assert!(
        same_content_again(&w, "db", "password=one").await,
        "same content, no new revision, after rotation"
    );
    assert!(!same_content_again(&w, "db", "password=two").await);
}

#[tokio::test]
async fn checksums_from_before_keying_are_rekeyed_once() {
    let w = World::new().await;
    w.h.services
        .add_secret(&w.writer, &w.model, new_secret("pin", "pin=4821"))
        .await
        .expect("add");
    let keyed = stored_checksums(&w).await;
    w.h.sql(&format!(
        "update secret_revision set checksum = '{}', checksum_keyed = 0",
        unkeyed("4821")
    ))
    .await;
    assert_eq!(w.h.services.key_legacy_checksums().await.expect("rekey"), 1);
    let rekeyed = stored_checksums(&w).await;
    assert_ne!(rekeyed[0], unkeyed("4821"));
    assert_eq!(rekeyed, keyed, "the same key, the same checksum");
    assert_eq!(w.h.services.key_legacy_checksums().await.expect("again"), 0);
    assert!(same_content_again(&w, "pin", "pin=4821").await);
}
