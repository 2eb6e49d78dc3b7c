//! Secrets, revisions, grants and tracking.

use crate::*;

#[tokio::test]
async fn secrets_revisions_grants_and_tracking() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        let user_secret = secret(sid(1), prod.id, SecretOwner::Model, Some("db"), 0);
        tx.insert_secret(&user_secret).await.expect("insert");
        tx.commit().await.expect("commit");
        let clash = secret(sid(2), prod.id, SecretOwner::Model, Some("db"), 0);
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move { tx.insert_secret(&clash).await })
        })
        .await;
        let mut tx = s.store.write().await.expect("tx");
        let label = secret(
            sid(3),
            prod.id,
            SecretOwner::Application(mysql.id),
            Some("db"),
            0,
        );
        tx.insert_secret(&label)
            .await
            .expect("an application's label may equal a user secret's name");
        let db = SecretName::parse("db").expect("n");
        assert_eq!(
            tx.secret_by_name(prod.id, SecretOwner::Model, &db)
                .await
                .expect("q")
                .map(|s| s.id),
            Some(sid(1))
        );
        assert_eq!(
            tx.secret_by_name(prod.id, SecretOwner::Application(mysql.id), &db)
                .await
                .expect("q")
                .map(|s| s.id),
            Some(sid(3))
        );

        for n in 1..=3 {
            let r = RevisionNumber::new(n).expect("n");
            let rec = RevisionRecord {
                secret_id: sid(1),
                revision: r,
                checksum: format!("sum{n}"),
                expire_at: None,
                sealed: sealed(n as u8),
                created_at: T0,
            };
            tx.insert_revision(&rec).await.expect("revision");
        }
        let revs: Vec<_> = tx
            .revisions(&sid(1))
            .await
            .expect("q")
            .into_iter()
            .map(|m| (m.revision.get(), m.checksum))
            .collect();
        assert_eq!(
            revs,
            [(1, "sum1".into()), (2, "sum2".into()), (3, "sum3".into())]
        );
        let two = RevisionNumber::new(2).expect("2");
        assert_eq!(
            tx.revision(&sid(1), two)
                .await
                .expect("q")
                .map(|r| r.sealed),
            Some(sealed(2))
        );
        tx.delete_revision(&sid(1), two).await.expect("delete");
        assert_eq!(tx.revisions(&sid(1)).await.expect("q").len(), 2);

        let mut updated = user_secret.clone();
        updated.description = Description::parse("primary db").expect("d");
        updated.auto_prune = true;
        updated.latest_revision = RevisionNumber::new(3).expect("3");
        updated.revision_counter = RevisionNumber::new(3).expect("3");
        tx.update_secret(&updated).await.expect("update");
        assert_eq!(tx.secret(prod.id, &sid(1)).await.expect("q"), Some(updated));

        assert!(
            tx.insert_grant(&sid(1), mysql.id, "alice", T0)
                .await
                .expect("grant")
        );
        assert!(
            !tx.insert_grant(&sid(1), mysql.id, "bob", T0)
                .await
                .expect("again"),
            "granting twice is a no-op"
        );
        let view = |granted, tracked| backend::store::ReaderView { granted, tracked };
        // What an application's read sees, and the number of the revision it would return.
        async fn read_of(
            tx: &mut dyn Tx,
            model: domain::ModelId,
            app: domain::ApplicationId,
            prefer_tracked: bool,
        ) -> (backend::store::ReaderView, Option<i64>) {
            let read = tx
                .application_read(model, &sid(1), app, prefer_tracked)
                .await
                .expect("q")
                .expect("found");
            (read.view, read.revision.map(|r| r.revision.get()))
        }
        assert_eq!(
            read_of(&mut *tx, prod.id, mysql.id, true).await,
            (view(true, None), Some(3)),
            "granted, tracking nothing yet: the latest"
        );
        let review = tx.model_grants(prod.id).await.expect("q");
        assert_eq!(
            (review.len(), review[0].grant.granted_by.as_str()),
            (1, "alice")
        );
        let three = RevisionNumber::new(3).expect("3");
        tx.track(&sid(1), mysql.id, RevisionNumber::FIRST, T0)
            .await
            .expect("track");
        tx.track(&sid(1), mysql.id, three, T0).await.expect("move");
        assert_eq!(tx.consumed_secrets(mysql.id).await.expect("q"), [sid(1)]);
        assert_eq!(
            read_of(&mut *tx, prod.id, mysql.id, true).await,
            (view(true, Some(three)), Some(3))
        );
        tx.track(&sid(1), mysql.id, RevisionNumber::FIRST, T0)
            .await
            .expect("older");
        assert_eq!(
            read_of(&mut *tx, prod.id, mysql.id, true).await,
            (view(true, Some(RevisionNumber::FIRST)), Some(1)),
            "a tracked read returns the tracked revision"
        );
        assert_eq!(
            read_of(&mut *tx, prod.id, mysql.id, false).await.1,
            Some(3),
            "any other read returns the latest"
        );
        tx.track(&sid(1), mysql.id, two, T0).await.expect("removed");
        assert_eq!(
            read_of(&mut *tx, prod.id, mysql.id, true).await,
            (view(true, None), Some(3)),
            "a removed revision is not tracked; the read returns the latest"
        );
        tx.track(&sid(1), mysql.id, three, T0).await.expect("back");
        assert_eq!(
            tx.readable_secrets(mysql.id).await.expect("q").len(),
            2,
            "granted plus owned"
        );
        tx.untrack(&sid(1), mysql.id).await.expect("untrack");
        assert_eq!(tx.consumers(&sid(1)).await.expect("q"), []);
        assert!(tx.delete_grant(&sid(1), mysql.id).await.expect("revoke"));
        assert_eq!(
            read_of(&mut *tx, prod.id, mysql.id, true).await.0,
            view(false, None)
        );
        tx.delete_secret(&sid(1)).await.expect("delete");
        assert_eq!(
            tx.revisions(&sid(1)).await.expect("q"),
            [],
            "revisions go with the secret"
        );
        tx.commit().await.expect("commit");
    }
}
