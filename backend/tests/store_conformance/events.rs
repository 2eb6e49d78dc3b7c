//! The application event log: fan-out in the writing transaction, gapless numbering from the
//! counter, and what a consumer is shown as things stand at delivery.

use crate::*;
use backend::store::EventHead;
use domain::EventKind;

fn rev(n: u32) -> RevisionNumber {
    RevisionNumber::new(n.into()).expect("revision")
}

#[tokio::test]
async fn events_fan_out_in_order_and_are_shown_as_they_stand() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        let wordpress = tx
            .insert_application(prod.id, &app("wordpress"), T0)
            .await
            .expect("app");
        let mut shared = secret(sid(1), prod.id, SecretOwner::Model, Some("db"), 0);
        let mut own = secret(sid(2), prod.id, SecretOwner::Application(mysql.id), None, 0);
        tx.insert_secret(&shared).await.expect("secret");
        tx.insert_secret(&own).await.expect("secret");
        for app in [mysql.id, wordpress.id] {
            tx.insert_grant(&shared.id, app, "alice", T0)
                .await
                .expect("grant");
            tx.track(&shared.id, app, rev(1), T0).await.expect("track");
        }
        tx.track(&own.id, mysql.id, rev(1), T0)
            .await
            .expect("track own");
        shared.latest_revision = rev(2);
        own.latest_revision = rev(2);
        tx.update_secret(&shared).await.expect("update");
        tx.update_secret(&own).await.expect("update");
        let to_both = tx
            .announce_change(&shared.id, rev(2), T0)
            .await
            .expect("fan out");
        let to_none = tx
            .announce_change(&own.id, rev(2), T0)
            .await
            .expect("fan out");
        tx.commit().await.expect("commit");
        // Counted once sent: on SQLite a write may travel with a later statement.
        assert_eq!(to_both.get(), 2);
        assert_eq!(to_none.get(), 0, "the owner is not told of its own change");

        let mut tx = s.store.write().await.expect("tx");
        let kinds = async |tx: &mut dyn Tx, app| -> Vec<(i64, EventKind)> {
            let events = tx.events_after(app, 0, 100).await.expect("events");
            events.iter().map(|e| (e.seq, e.kind)).collect()
        };
        assert_eq!(
            kinds(&mut *tx, mysql.id).await,
            [(1, EventKind::SecretChanged)]
        );
        assert_eq!(
            kinds(&mut *tx, wordpress.id).await,
            [(2, EventKind::SecretChanged)]
        );
        // Revoked: told so, and no longer of the change.
        tx.untrack(&shared.id, wordpress.id).await.expect("untrack");
        tx.delete_grant(&shared.id, wordpress.id)
            .await
            .expect("revoke");
        tx.announce_to(wordpress.id, EventKind::AccessRevoked, &shared.id, None, T0)
            .await
            .expect("announce");
        assert_eq!(
            kinds(&mut *tx, wordpress.id).await,
            [(3, EventKind::AccessRevoked)]
        );
        // Refreshed: the change is no longer news; a newer revision is again.
        tx.track(&shared.id, mysql.id, rev(2), T0)
            .await
            .expect("refresh");
        assert_eq!(kinds(&mut *tx, mysql.id).await, []);
        assert_eq!(tx.behind(mysql.id).await.expect("behind"), []);
        shared.latest_revision = rev(3);
        tx.update_secret(&shared).await.expect("update");
        assert_eq!(
            tx.behind(mysql.id).await.expect("behind"),
            [shared.id.clone()]
        );
        assert_eq!(
            tx.announce_removal(&shared.id, T0).await.expect("removal"),
            1
        );
        assert_eq!(
            tx.event_head().await.expect("head"),
            EventHead {
                seq: 4,
                pruned_through: 0
            }
        );
        tx.commit().await.expect("commit");

        // Pruned: the numbers go on from the counter, never reused.
        let mut tx = s.store.write().await.expect("tx");
        let far = Timestamp(T0.0 + 1);
        assert_eq!(tx.prune_events(far).await.expect("prune"), 4);
        tx.announce_to(mysql.id, EventKind::SecretRemoved, &shared.id, None, far)
            .await
            .expect("announce");
        assert_eq!(
            tx.event_head().await.expect("head"),
            EventHead {
                seq: 5,
                pruned_through: 4
            }
        );
        assert_eq!(
            kinds(&mut *tx, mysql.id).await,
            [(5, EventKind::SecretRemoved)]
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn due_rotations_and_expiries_are_found_and_marked() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        let mut own = secret(
            sid(1),
            prod.id,
            SecretOwner::Application(mysql.id),
            Some("cert"),
            0,
        );
        own.rotate_policy = RotatePolicy::Hourly;
        own.next_rotate_at = Some(Timestamp(T0.0 + 10));
        tx.insert_secret(&own).await.expect("secret");
        tx.insert_secret(&secret(sid(2), prod.id, SecretOwner::Model, Some("db"), 0))
            .await
            .expect("user secret");
        tx.insert_revision(&RevisionRecord {
            secret_id: own.id.clone(),
            revision: rev(1),
            checksum: "c".into(),
            expire_at: Some(Timestamp(T0.0 + 20)),
            sealed: sealed(1),
            created_at: T0,
        })
        .await
        .expect("revision");
        let at = |ms| Timestamp(T0.0 + ms);
        assert_eq!(tx.due_rotations(at(9)).await.expect("due"), []);
        let rotations = tx.due_rotations(at(10)).await.expect("due");
        assert_eq!(
            rotations
                .iter()
                .map(|d| (&d.secret, d.owner, d.revision))
                .collect::<Vec<_>>(),
            [(&own.id, mysql.id, None)]
        );
        tx.set_next_rotation(&own.id, at(100)).await.expect("next");
        assert_eq!(tx.due_rotations(at(99)).await.expect("due"), []);

        assert_eq!(tx.due_expiries(at(19), at(0)).await.expect("due"), []);
        let expiries = tx.due_expiries(at(20), at(0)).await.expect("due");
        assert_eq!(expiries.len(), 1);
        assert_eq!(expiries[0].revision, Some(rev(1)));
        tx.set_expiry_told(&own.id, rev(1), at(20))
            .await
            .expect("told");
        assert_eq!(
            tx.due_expiries(at(30), at(19)).await.expect("due"),
            [],
            "told since"
        );
        assert_eq!(
            tx.due_expiries(at(30), at(20)).await.expect("due").len(),
            1,
            "retry due"
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn revisions_made_before_a_refresh_collapse_into_one_event() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        let db = secret(sid(1), prod.id, SecretOwner::Model, Some("db"), 0);
        tx.insert_secret(&db).await.expect("secret");
        tx.insert_grant(&db.id, mysql.id, "alice", T0)
            .await
            .expect("grant");
        tx.track(&db.id, mysql.id, rev(1), T0).await.expect("track");
        let first = tx.announce_change(&db.id, rev(2), T0).await.expect("told");
        let second = tx.announce_change(&db.id, rev(3), T0).await.expect("told");
        tx.track(&db.id, mysql.id, rev(3), T0)
            .await
            .expect("refresh");
        let after_refresh = tx.announce_change(&db.id, rev(4), T0).await.expect("told");
        tx.commit().await.expect("commit");
        assert_eq!(first.get(), 1);
        assert_eq!(
            second.get(),
            0,
            "still waiting: revision 3 collapses into the event for 2"
        );
        assert_eq!(after_refresh.get(), 1);
    }
}
