//! A write transaction may look up what it is about with its BEGIN, and hold writes back to
//! send with a later statement (ADR 0021). Neither may change what the transaction sees, or
//! what it commits.

use crate::*;
use backend::store::{Asker, ModelRecord, Standing, WriteAbout};

fn rev(n: u32) -> RevisionNumber {
    RevisionNumber::new(n.into()).expect("revision")
}

pub(crate) fn revision(secret: &SecretId, n: u32, tag: u8) -> RevisionRecord {
    RevisionRecord {
        secret_id: secret.clone(),
        revision: rev(n),
        checksum: format!("sum-{tag}"),
        expire_at: None,
        sealed: sealed(tag),
        created_at: T0,
    }
}

/// Model `prod`, where alice may write, holding secret `db` at revision 1, and a second secret.
pub(crate) async fn prod_with_db(
    store: &dyn Store,
) -> (ModelRecord, Asker, SecretRecord, SecretRecord) {
    let mut tx = store.write().await.expect("tx");
    let alice = tx
        .insert_user(&NewUser {
            name: user_name("alice"),
            password_hash: "$argon2id$x".into(),
            superuser: false,
            now: T0,
        })
        .await
        .expect("alice");
    let prod = model(&mut *tx, "prod").await;
    tx.set_member(prod.id, alice, AccessLevel::Write, T0)
        .await
        .expect("member");
    let db = secret(sid(1), prod.id, SecretOwner::Model, Some("db"), 0);
    let other = secret(sid(2), prod.id, SecretOwner::Model, Some("other"), 0);
    for s in [&db, &other] {
        tx.insert_secret(s).await.expect("secret");
        tx.insert_revision(&revision(&s.id, 1, 1))
            .await
            .expect("revision");
    }
    tx.set_master_key_id("key-a", T0).await.expect("key");
    tx.commit().await.expect("commit");
    (prod, Asker::User(alice), db, other)
}

/// A write by `asker` about `secret` in `model`.
pub(crate) fn about_in(model: &ModelRecord, asker: Asker, secret: &SecretId) -> WriteAbout {
    WriteAbout {
        model: model.name.clone(),
        asker,
        secret: Some(secret.clone()),
    }
}

#[tokio::test]
async fn a_write_about_a_secret_answers_as_the_database_would_then_sees_its_own_changes() {
    for s in stores().await {
        let (prod, alice, db, other) = prod_with_db(&*s.store).await;
        let about = about_in(&prod, alice, &db.id);
        let mut tx = s.store.write_about(&about).await.expect("tx");
        let member = Standing::User {
            superuser: false,
            access: Some(AccessLevel::Write),
        };
        assert_eq!(
            tx.model_with_standing(&prod.name, alice).await.expect("q"),
            Some((prod.clone(), member))
        );
        assert_eq!(
            tx.secret(prod.id, &db.id).await.expect("q"),
            Some(db.clone())
        );
        let latest = tx.revision(&db.id, rev(1)).await.expect("q");
        assert_eq!(latest.map(|r| r.checksum), Some("sum-1".to_owned()));
        assert_eq!(
            tx.master_key_id().await.expect("q").as_deref(),
            Some("key-a")
        );

        // Its own writes, then the same lookups: they must see the writes.
        let mut renamed = db.clone();
        renamed.name = Some(SecretName::parse("db-renamed").expect("name"));
        renamed.latest_revision = rev(2);
        renamed.revision_counter = rev(2);
        tx.insert_revision(&revision(&db.id, 2, 2))
            .await
            .expect("revision");
        tx.update_secret(&renamed).await.expect("update");
        assert_eq!(
            tx.secret(prod.id, &db.id).await.expect("q"),
            Some(renamed.clone()),
            "the rename, not what was read with the BEGIN"
        );
        let new = tx.revision(&db.id, rev(2)).await.expect("q");
        assert_eq!(new.map(|r| r.checksum), Some("sum-2".to_owned()));
        assert_eq!(tx.secret(prod.id, &other.id).await.expect("q"), Some(other));
        tx.set_master_key_id("key-b", T0).await.expect("key");
        assert_eq!(
            tx.master_key_id().await.expect("q").as_deref(),
            Some("key-b")
        );
        tx.commit().await.expect("commit");

        let mut tx = s.store.read().await.expect("tx");
        assert_eq!(tx.secret(prod.id, &db.id).await.expect("q"), Some(renamed));
        assert_eq!(
            tx.master_key_id().await.expect("q").as_deref(),
            Some("key-b")
        );
    }
}

/// A write about a model or a secret that is not there finds nothing, as the database would:
/// the store must not mistake an empty lookup for an answer.
#[tokio::test]
async fn a_write_about_what_is_not_there_finds_nothing() {
    for s in stores().await {
        let (prod, alice, db, _) = prod_with_db(&*s.store).await;
        let nowhere = ModelName::parse("nowhere").expect("name");
        let about = WriteAbout {
            model: nowhere.clone(),
            ..about_in(&prod, alice, &db.id)
        };
        let mut tx = s.store.write_about(&about).await.expect("tx");
        assert_eq!(
            tx.model_with_standing(&nowhere, alice).await.expect("q"),
            None,
            "no such model"
        );
        drop(tx);
        let about = about_in(&prod, alice, &sid(9));
        let mut tx = s.store.write_about(&about).await.expect("tx");
        assert_eq!(
            tx.secret(prod.id, &sid(9)).await.expect("q"),
            None,
            "no such secret"
        );
        assert_eq!(
            tx.model_with_standing(&prod.name, alice)
                .await
                .expect("q")
                .map(|(m, _)| m),
            Some(prod.clone())
        );
    }
}

#[tokio::test]
async fn a_held_write_that_fails_fails_the_transaction_and_changes_nothing() {
    for s in stores().await {
        let (prod, alice, db, _) = prod_with_db(&*s.store).await;
        let mut renamed = db.clone();
        renamed.name = Some(SecretName::parse("db-renamed").expect("name"));
        let duplicate = revision(&db.id, 1, 9);
        // A write about the secret: the one PostgreSQL holds writes for (ADR 0032).
        let about = about_in(&prod, alice, &db.id);
        let mut tx = s.store.write_about(&about).await.expect("tx");
        // Revision 1 exists: the insert conflicts, at once or when it is sent.
        let outcome = async move {
            tx.update_secret(&renamed).await?;
            tx.insert_revision(&duplicate).await?;
            tx.commit().await
        }
        .await;
        assert!(
            matches!(outcome, Err(StoreError::Conflict(_))),
            "expected a conflict, got {outcome:?}"
        );
        let mut tx = s.store.write().await.expect("the next write begins");
        assert_eq!(
            tx.secret(prod.id, &db.id).await.expect("q"),
            Some(db.clone()),
            "the rename that travelled with the failed insert was not kept"
        );
        let kept = tx.revision(&db.id, rev(1)).await.expect("q");
        assert_eq!(kept.map(|r| r.checksum), Some("sum-1".to_owned()));
    }
}

/// PostgreSQL sends held writes as one statement whose parts see one snapshot; two updates of
/// one row there would keep only one. Held writes of one kind must all take effect, in order.
#[tokio::test]
async fn held_writes_of_one_kind_all_take_effect_in_order() {
    for s in stores().await {
        let (prod, alice, db, _) = prod_with_db(&*s.store).await;
        let about = about_in(&prod, alice, &db.id);
        let mut tx = s.store.write_about(&about).await.expect("tx");
        let mut first = db.clone();
        first.name = Some(SecretName::parse("db-first").expect("name"));
        let mut second = first.clone();
        second.name = Some(SecretName::parse("db-second").expect("name"));
        second.latest_revision = rev(3);
        second.revision_counter = rev(3);
        for (update, n) in [(&first, 2), (&second, 3)] {
            tx.insert_revision(&revision(&db.id, n, n as u8))
                .await
                .expect("revision");
            tx.update_secret(update).await.expect("update");
        }
        tx.commit().await.expect("commit");

        let mut tx = s.store.read().await.expect("tx");
        assert_eq!(
            tx.secret(prod.id, &db.id).await.expect("q"),
            Some(second),
            "the second update, made last, is the one kept"
        );
        for n in 1..=3 {
            let kept = tx.revision(&db.id, rev(n)).await.expect("q");
            assert_eq!(kept.map(|r| r.checksum), Some(format!("sum-{n}")));
        }
    }
}

#[tokio::test]
async fn writes_waiting_in_line_each_see_the_one_before() {
    for s in stores().await {
        let (prod, alice, db, _) = prod_with_db(&*s.store).await;
        let store: std::sync::Arc<dyn Store> = std::sync::Arc::from(s.store);
        let about = about_in(&prod, alice, &db.id);
        // Each adds the revision after the latest it finds; on SQLite all but the first are
        // begun with the COMMIT of the one before them.
        let writers: Vec<_> = (0..20u8)
            .map(|i| {
                let (store, about, prod) = (store.clone(), about.clone(), prod.clone());
                tokio::spawn(async move {
                    let mut tx = store.write_about(&about).await.expect("tx");
                    tx.model_with_standing(&prod.name, about.asker)
                        .await
                        .expect("standing")
                        .expect("the model");
                    let id = about.secret.clone().expect("id");
                    let mut secret = tx.secret(prod.id, &id).await.expect("q").expect("found");
                    let next = secret.latest_revision.next();
                    let latest = tx.revision(&id, secret.latest_revision).await.expect("q");
                    assert!(latest.is_some(), "the latest revision is there");
                    let mut new = revision(&id, 1, i);
                    new.revision = next;
                    tx.insert_revision(&new).await.expect("insert");
                    secret.latest_revision = next;
                    secret.revision_counter = next;
                    tx.update_secret(&secret).await.expect("update");
                    tx.append_audit(&crate::audit::event(
                        AuditAction::SecretUpdate,
                        &format!("revision {next}"),
                    ))
                    .await
                    .expect("audit");
                    tx.commit().await.expect("commit");
                })
            })
            .collect();
        for w in writers {
            w.await.expect("writer");
        }
        let mut tx = store.read().await.expect("tx");
        let found = tx.secret(prod.id, &db.id).await.expect("q").expect("found");
        assert_eq!(found.latest_revision, rev(21));
        let numbers: Vec<u32> = tx
            .revisions(&db.id)
            .await
            .expect("revisions")
            .iter()
            .map(|r| u32::try_from(r.revision.get()).expect("small"))
            .collect();
        assert_eq!(numbers, (1..=21).collect::<Vec<_>>());
        let chain = tx.audit_chain_page(0, 100).await.expect("chain");
        assert_eq!(chain.len(), 20);
        for pair in chain.windows(2) {
            assert_eq!(
                (pair[1].seq, &pair[1].prev_hash),
                (pair[0].seq + 1, &pair[0].hash)
            );
        }
    }
}
