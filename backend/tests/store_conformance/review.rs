//! The access review's usage counts and sign-offs.

use crate::*;
use backend::store::{NewSignOff, ReviewScope, UsageTally, usage_day};

const DAY: i64 = 86_400_000;

fn read(app: domain::ApplicationId, secret: u8, at: i64, reads: i64) -> UsageTally {
    let at = Timestamp(T0.0 + at);
    UsageTally {
        reads,
        ..UsageTally::one_read(app, &sid(secret), at)
    }
}

fn read_event() -> NewAuditEvent {
    NewAuditEvent {
        at: T0,
        actor: AuditActor {
            kind: ActorKind::Application,
            name: "prod/mysql".into(),
        },
        model: None,
        secret: None,
        revision: None,
        action: AuditAction::ContentRead,
        outcome: Outcome::Success,
        source: None,
        detail: String::new(),
    }
}

#[tokio::test]
async fn usage_adds_up_per_grant_and_goes_with_the_grant() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        let wp = tx
            .insert_application(prod.id, &app("wordpress"), T0)
            .await
            .expect("app");
        for n in [1, 2] {
            let rec = secret(sid(n), prod.id, SecretOwner::Model, None, 0);
            tx.insert_secret(&rec).await.expect("secret");
            tx.insert_grant(&sid(n), mysql.id, "alice", T0)
                .await
                .expect("grant");
        }
        tx.insert_grant(&sid(1), wp.id, "bob", T0)
            .await
            .expect("grant");
        tx.commit().await.expect("commit");

        // Two group commits on the same day, one a month earlier; the store adds them up.
        let events = [read_event(), read_event()];
        let first = [read(mysql.id, 1, 40 * DAY, 2), read(wp.id, 1, 40 * DAY, 1)];
        s.store
            .append_audit_group(&events, &first)
            .await
            .expect("group");
        let second = [
            read(mysql.id, 1, 40 * DAY + 5, 3),
            read(mysql.id, 1, DAY, 7),
        ];
        s.store
            .append_audit_group(&events, &second)
            .await
            .expect("group");
        let now = Timestamp(T0.0 + 40 * DAY);
        let scope = ReviewScope {
            model: prod.id,
            application: Some(mysql.id),
            secret: None,
            recent_from_day: usage_day(now) - 29,
        };
        let mut tx = s.store.read().await.expect("tx");
        let mut got = tx.grant_usage(&scope).await.expect("review");
        got.sort_by(|a, b| a.secret_id.cmp(&b.secret_id));
        let seen: Vec<_> = got
            .iter()
            .map(|g| {
                (
                    g.secret_id.clone(),
                    g.last_read_at,
                    g.recent_reads,
                    g.live_token,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (sid(1), Some(Timestamp(T0.0 + 40 * DAY + 5)), 5, false),
                (sid(2), None, 0, false),
            ],
            "reads of the last 30 days count, older ones do not"
        );
        drop(tx);

        let mut tx = s.store.write().await.expect("tx");
        tx.forget_usage(&sid(1), mysql.id).await.expect("forget");
        let everyone = ReviewScope {
            application: None,
            ..scope
        };
        let left: Vec<_> = tx
            .grant_usage(&everyone)
            .await
            .expect("review")
            .into_iter()
            .filter(|g| g.last_read_at.is_some())
            .map(|g| g.application_name.to_string())
            .collect();
        assert_eq!(left, ["wordpress"], "only that grant's counts went");
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn sign_offs_come_back_newest_first() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, _) = prod_with_mysql(&mut *tx).await;
        for (i, who) in ["alice", "bob"].iter().enumerate() {
            let new = NewSignOff {
                model: prod.id,
                reviewed_by: (*who).into(),
                reviewed_at: Timestamp(T0.0 + i as i64),
                note: format!("note {i}"),
                grant_digest: "d".into(),
                grant_count: 3,
            };
            let stored = tx.insert_sign_off(&new).await.expect("sign off");
            assert_eq!(stored.reviewed_by, *who);
        }
        let got: Vec<_> = tx
            .sign_offs(prod.id, 10)
            .await
            .expect("q")
            .into_iter()
            .map(|r| (r.reviewed_by, r.note))
            .collect();
        assert_eq!(
            got,
            [
                ("bob".into(), "note 1".into()),
                ("alice".to_string(), "note 0".to_string())
            ]
        );
        tx.commit().await.expect("commit");
    }
}
