//! The access review's usage counts and sign-offs.

use crate::*;
use backend::store::{
    NewSignOff, OwnerFilter, ReviewFilter, ReviewRows, ReviewWindow, UsageTally, usage_day,
};
use domain::ReviewFlag;

const DAY: i64 = 86_400_000;

fn read(app: domain::ApplicationId, secret: u8, at: i64, reads: i64) -> UsageTally {
    let at = Timestamp(T0.0 + at);
    UsageTally {
        reads,
        ..UsageTally::one_read(app, &sid(secret), at)
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

        // Two writes of counts on the same day, one a month earlier; the store adds them up.
        let first = [read(mysql.id, 1, 40 * DAY, 2), read(wp.id, 1, 40 * DAY, 1)];
        s.store.add_usage(&first).await.expect("group");
        let second = [
            read(mysql.id, 1, 40 * DAY + 5, 3),
            read(mysql.id, 1, DAY, 7),
        ];
        s.store.add_usage(&second).await.expect("group");
        let now = Timestamp(T0.0 + 40 * DAY);
        let scope = ReviewFilter {
            application: Some(mysql.id),
            recent_from_day: usage_day(now) - 29,
            ..everything(prod.id, now)
        };
        let mut tx = s.store.read().await.expect("tx");
        let mut got = tx
            .review_grants(&scope, ReviewRows::All)
            .await
            .expect("review");
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
        let everyone = ReviewFilter {
            application: None,
            ..scope
        };
        let left: Vec<_> = tx
            .review_grants(&everyone, ReviewRows::All)
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

/// Every grant of the model, no flag filter, stale after 30 days.
fn everything(model: domain::ModelId, now: Timestamp) -> ReviewFilter {
    ReviewFilter {
        model,
        application: None,
        secret: None,
        owner: OwnerFilter::Any,
        flags: Vec::new(),
        stale_before: Timestamp(now.0 - 30 * DAY),
        recent_from_day: usage_day(now) - 29,
    }
}

/// The first grant's last read, behind-since and tracked revision.
async fn grant_state(
    store: &dyn Store,
    filter: ReviewFilter,
) -> (Option<Timestamp>, Option<Timestamp>, Option<RevisionNumber>) {
    let mut tx = store.read().await.expect("tx");
    let g = tx.review_grants(&filter, ReviewRows::All).await.expect("q");
    (g[0].last_read_at, g[0].behind_since, g[0].tracked)
}

#[tokio::test]
async fn a_grant_follows_reads_tracking_and_new_revisions() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        let mut rec = secret(sid(1), prod.id, SecretOwner::Model, None, 0);
        tx.insert_secret(&rec).await.expect("secret");
        tx.insert_grant(&sid(1), mysql.id, "alice", T0)
            .await
            .expect("grant");
        tx.track(&sid(1), mysql.id, RevisionNumber::FIRST, T0)
            .await
            .expect("track");
        tx.commit().await.expect("commit");
        let now = Timestamp(T0.0 + DAY);
        let state = |store| grant_state(store, everything(prod.id, now));
        assert_eq!(
            state(&*s.store).await,
            (None, None, Some(RevisionNumber::FIRST))
        );

        // A read, then a second revision: the grant is read and behind since the update.
        s.store
            .add_usage(&[read(mysql.id, 1, 60, 1)])
            .await
            .expect("group");
        let mut tx = s.store.write().await.expect("tx");
        let two = RevisionNumber::new(2).expect("2");
        rec.latest_revision = two;
        rec.revision_counter = two;
        rec.updated_at = Timestamp(T0.0 + 500);
        tx.update_secret(&rec).await.expect("update");
        tx.commit().await.expect("commit");
        let read_at = Some(Timestamp(T0.0 + 60));
        assert_eq!(
            state(&*s.store).await,
            (
                read_at,
                Some(Timestamp(T0.0 + 500)),
                Some(RevisionNumber::FIRST)
            )
        );

        // Tracking the latest clears it; an older read does not move the last read back.
        let mut tx = s.store.write().await.expect("tx");
        tx.track(&sid(1), mysql.id, two, T0).await.expect("track");
        tx.commit().await.expect("commit");
        s.store
            .add_usage(&[read(mysql.id, 1, 10, 1)])
            .await
            .expect("group");
        assert_eq!(state(&*s.store).await, (read_at, None, Some(two)));
    }
}

#[tokio::test]
async fn counts_and_windows_select_by_flag() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        for n in 1..=5 {
            let name = format!("key-{n}");
            let rec = secret(sid(n), prod.id, SecretOwner::Model, Some(&name), 0);
            tx.insert_secret(&rec).await.expect("secret");
            // key-1 and key-2 granted a day ago, the others 40 days ago.
            let at = if n <= 2 { 39 * DAY } else { 0 };
            tx.insert_grant(&sid(n), mysql.id, "alice", Timestamp(T0.0 + at))
                .await
                .expect("grant");
        }
        tx.commit().await.expect("commit");
        // key-4 read today, key-5 read 35 days ago.
        let reads = [
            read(mysql.id, 4, 40 * DAY - 5, 1),
            read(mysql.id, 5, 5 * DAY, 1),
        ];
        s.store.add_usage(&reads).await.expect("group");
        let now = Timestamp(T0.0 + 40 * DAY);
        let mut tx = s.store.read().await.expect("tx");
        let counts = tx
            .review_counts(&ReviewFilter {
                flags: vec![ReviewFlag::Stale],
                ..everything(prod.id, now)
            })
            .await
            .expect("counts");
        assert_eq!(counts.len(), 1);
        let c = &counts[0];
        assert_eq!(
            (
                c.total,
                c.never_read,
                c.stale,
                c.behind,
                c.selected,
                c.live_token
            ),
            (5, 3, 2, 0, 2, false),
            "never read: 1, 2, 3; stale: 3 (granted 40 days ago), 5 (read 35 days ago)"
        );
        // Unfiltered, the counts come from the per-application tallies: the same figures.
        let tallied = tx
            .review_counts(&everything(prod.id, now))
            .await
            .expect("counts");
        let t = &tallied[0];
        assert_eq!(
            (t.total, t.never_read, t.stale, t.behind, t.selected),
            (5, 3, 2, 0, 5)
        );
        let stale = ReviewFilter {
            flags: vec![ReviewFlag::Stale, ReviewFlag::NeverRead],
            ..everything(prod.id, now)
        };
        let window = |offset, limit| ReviewWindow {
            application: mysql.id,
            offset,
            limit,
        };
        let names = |g: Vec<backend::store::GrantUsageRecord>| -> Vec<String> {
            g.iter()
                .map(|g| g.secret_name.as_ref().expect("named").to_string())
                .collect()
        };
        let first = tx
            .review_grants(&stale, ReviewRows::Window(window(0, 2)))
            .await
            .expect("q");
        let rest = tx
            .review_grants(&stale, ReviewRows::Window(window(2, 10)))
            .await
            .expect("q");
        assert_eq!(names(first), ["key-1", "key-2"]);
        assert_eq!(names(rest), ["key-3", "key-5"], "key-4 was read today");
        let columns = tx.review_secrets(&stale, 1, 2).await.expect("q");
        let columns: Vec<_> = columns.into_iter().map(|(id, _)| id).collect();
        assert_eq!(columns, [sid(2), sid(3)], "the matrix's columns, a window");
        assert_eq!(tx.review_secret_count(&stale).await.expect("q"), 4);
        let crossing = ReviewRows::Crossing {
            applications: vec![mysql.id],
            secrets: vec![sid(3), sid(4)],
        };
        let cells = tx.review_grants(&stale, crossing).await.expect("q");
        assert_eq!(names(cells), ["key-3"], "key-4 is not selected");
        let no_token = ReviewFilter {
            flags: vec![ReviewFlag::NoToken],
            ..everything(prod.id, now)
        };
        let all = tx
            .review_grants(&no_token, ReviewRows::All)
            .await
            .expect("q");
        assert_eq!(all.len(), 5, "mysql has no token: every grant");
        drop(tx);

        // A revoked grant leaves the tallies, read or not; a first read moves one.
        let mut tx = s.store.write().await.expect("tx");
        for n in [1, 4] {
            tx.delete_grant(&sid(n), mysql.id).await.expect("revoke");
        }
        tx.commit().await.expect("commit");
        let reads = [read(mysql.id, 2, 40 * DAY - 5, 1)];
        s.store.add_usage(&reads).await.expect("group");
        let mut tx = s.store.read().await.expect("tx");
        let filter = everything(prod.id, now);
        let t = &tx.review_counts(&filter).await.expect("counts")[0];
        assert_eq!(
            (t.total, t.never_read, t.stale),
            (3, 1, 2),
            "left: 2 (read), 3, 5"
        );
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
