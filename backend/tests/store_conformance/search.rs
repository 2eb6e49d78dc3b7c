//! Search follows every change that alters what a secret can be found by: its name and
//! description, its grants, its removal, and the removal of an application.

use crate::*;

fn search(term: &str) -> SecretQuery {
    SecretQuery {
        search: Some(term.to_owned()),
        owner: OwnerFilter::Any,
        sort: SortKey::Name,
        descending: false,
        after: None,
        limit: 100,
    }
}

async fn found(tx: &mut dyn Tx, model: domain::ModelId, term: &str) -> Vec<SecretId> {
    let rows = tx.list_secrets(model, &search(term)).await.expect("search");
    rows.into_iter().map(|r| r.secret.id).collect()
}

#[tokio::test]
async fn search_follows_edits_grants_and_removals() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let prod = model(&mut *tx, "prod").await;
        let other = model(&mut *tx, "other").await;
        let wordpress = tx
            .insert_application(prod.id, &app("wordpress"), T0)
            .await
            .expect("app");
        let elsewhere = secret(sid(2), other.id, SecretOwner::Model, Some("db-pass"), 0);
        tx.insert_secret(&elsewhere).await.expect("insert");
        // Inserted last, so that its search document has the highest key (see the end).
        let mut db = secret(sid(1), prod.id, SecretOwner::Model, Some("db-pass"), 0);
        tx.insert_secret(&db).await.expect("insert");

        assert_eq!(
            found(&mut *tx, prod.id, "DB-PA").await,
            vec![sid(1)],
            "name, any case, one model"
        );
        assert!(
            found(&mut *tx, prod.id, "wordpress").await.is_empty(),
            "not yet granted"
        );

        tx.insert_grant(&sid(1), wordpress.id, "alice", T0)
            .await
            .expect("grant");
        assert_eq!(
            found(&mut *tx, prod.id, "ordpre").await,
            vec![sid(1)],
            "a grantee"
        );

        db.name = Some(SecretName::parse("cache-key").expect("name"));
        db.description = Description::parse("Said \"hello\" to 7% of us").expect("d");
        tx.update_secret(&db).await.expect("update");
        assert!(
            found(&mut *tx, prod.id, "db-pass").await.is_empty(),
            "the old name is gone"
        );
        for (term, why) in [
            ("che-k", "the new name"),
            ("\"hello\"", "quotes are literal"),
            ("7%", "a short term"),
            ("<model>", "the model as owner"),
        ] {
            assert_eq!(found(&mut *tx, prod.id, term).await, vec![sid(1)], "{why}");
        }

        assert!(
            tx.delete_grant(&sid(1), wordpress.id)
                .await
                .expect("revoke")
        );
        assert!(
            found(&mut *tx, prod.id, "wordpress").await.is_empty(),
            "revoked"
        );

        tx.insert_grant(&sid(1), wordpress.id, "alice", T0)
            .await
            .expect("grant");
        tx.delete_application(wordpress.id)
            .await
            .expect("remove app");
        assert!(
            found(&mut *tx, prod.id, "wordpress").await.is_empty(),
            "application removed"
        );

        tx.delete_secret(&sid(1)).await.expect("delete");
        assert!(
            found(&mut *tx, prod.id, "cache").await.is_empty(),
            "removed"
        );
        // The next document may take the removed one's key: the index must not carry the old
        // words over to it.
        let fresh = secret(sid(3), prod.id, SecretOwner::Model, Some("fresh-one"), 0);
        tx.insert_secret(&fresh).await.expect("insert");
        assert!(
            found(&mut *tx, prod.id, "cache").await.is_empty(),
            "nothing carried over"
        );
        assert_eq!(found(&mut *tx, prod.id, "fresh").await, vec![sid(3)]);
        assert_eq!(
            found(&mut *tx, other.id, "db-pass").await,
            vec![sid(2)],
            "the other model's"
        );
        tx.commit().await.expect("commit");
    }
}
