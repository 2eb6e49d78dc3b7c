//! What a write about a secret looks up must be what the database holds once the write has the
//! lock: a write that committed while it waited is seen, and the audit chain stays one. Kept
//! from an experiment that made PostgreSQL's lookups before taking the lock (docs/adr/0032,
//! "Tried since"): with its check against changes in between removed, each test here failed.

use std::sync::Arc;
use std::time::Duration;

use crate::read_ahead::{about_in, prod_with_db, revision};
use crate::*;
use backend::store::{Asker, ModelRecord, Standing};
use tokio::task::JoinHandle;

/// What the second writer found: the asker's standing, the latest revision and its checksum.
type Found = (Option<Standing>, RevisionNumber, Option<String>);

/// Starts a write by alice about `db` while another writer holds the lock, and gives it time
/// to make its lookups and wait for the lock. It appends an event and commits.
async fn second_writer(
    store: &Arc<dyn Store>,
    prod: &ModelRecord,
    alice: Asker,
    db: &SecretRecord,
) -> JoinHandle<Found> {
    let about = about_in(prod, alice, &db.id);
    let (store, prod, id) = (store.clone(), prod.clone(), db.id.clone());
    let second = tokio::spawn(async move {
        let mut tx = store.write_about(&about).await.expect("tx");
        let standing = tx.model_with_standing(&prod.name, alice).await.expect("q");
        let found = tx.secret(prod.id, &id).await.expect("q").expect("found");
        let latest = tx.revision(&id, found.latest_revision).await.expect("q");
        tx.append_audit(&crate::audit::event(AuditAction::SecretUpdate, "second"))
            .await
            .expect("audit");
        tx.commit().await.expect("commit");
        (
            standing.map(|(_, s)| s),
            found.latest_revision,
            latest.map(|r| r.checksum),
        )
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    second
}

/// The first writer's event, then its COMMIT.
async fn commit_first(mut first: Box<dyn Tx>) {
    first
        .append_audit(&crate::audit::event(AuditAction::SecretUpdate, "first"))
        .await
        .expect("audit");
    first.commit().await.expect("commit");
}

/// The two events, the first writer's then the second's, chained.
async fn assert_one_chain(store: &Arc<dyn Store>) {
    let mut tx = store.read().await.expect("tx");
    let chain = tx.audit_chain_page(0, 10).await.expect("chain");
    let details: Vec<_> = chain.iter().map(|e| e.event.detail.as_str()).collect();
    assert_eq!(details, ["first", "second"]);
    assert_eq!(chain[1].prev_hash, chain[0].hash);
}

#[tokio::test]
async fn a_write_sees_the_revision_committed_while_it_waited_for_the_lock() {
    for s in stores().await {
        let (prod, alice, db, _) = prod_with_db(&*s.store).await;
        let store: Arc<dyn Store> = Arc::from(s.store);
        let mut first = store.write().await.expect("tx");
        let second = second_writer(&store, &prod, alice, &db).await;
        let two = RevisionNumber::new(2).expect("revision");
        let mut moved = db.clone();
        moved.latest_revision = two;
        moved.revision_counter = two;
        first
            .insert_revision(&revision(&db.id, 2, 2))
            .await
            .expect("revision");
        first.update_secret(&moved).await.expect("update");
        commit_first(first).await;

        let (_, latest, checksum) = second.await.expect("second writer");
        assert_eq!(
            (latest, checksum.as_deref()),
            (two, Some("sum-2")),
            "the second write sees the revision the first committed"
        );
        assert_one_chain(&store).await;
    }
}

#[tokio::test]
async fn a_write_sees_its_asker_removed_while_it_waited_for_the_lock() {
    for s in stores().await {
        let (prod, alice, db, _) = prod_with_db(&*s.store).await;
        let Asker::User(alice_id) = alice else {
            unreachable!("alice is a user")
        };
        let store: Arc<dyn Store> = Arc::from(s.store);
        let mut first = store.write().await.expect("tx");
        let second = second_writer(&store, &prod, alice, &db).await;
        assert!(
            first
                .remove_member(prod.id, alice_id)
                .await
                .expect("remove")
        );
        commit_first(first).await;

        let (standing, _, _) = second.await.expect("second writer");
        assert_eq!(
            standing,
            Some(Standing::User {
                superuser: false,
                access: None
            }),
            "the second write sees that alice is no longer a member"
        );
        assert_one_chain(&store).await;
    }
}
