//! The audit chain and master-key bookkeeping.

use crate::*;
use futures::FutureExt as _;

pub(crate) fn event(action: AuditAction, detail: &str) -> NewAuditEvent {
    NewAuditEvent {
        at: T0,
        actor: AuditActor {
            kind: ActorKind::User,
            name: "alice".into(),
        },
        model: None,
        secret: Some(sid(1)),
        revision: Some(RevisionNumber::FIRST),
        action,
        outcome: Outcome::Success,
        source: Some("127.0.0.1".into()),
        detail: detail.into(),
    }
}

#[tokio::test]
async fn the_audit_chain_links_every_event() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        assert_eq!(tx.audit_head().await.expect("q"), None);
        let first = tx
            .append_audit(&event(AuditAction::SecretAdd, "one"))
            .await
            .expect("append");
        let second = tx
            .append_audit(&event(AuditAction::SecretReveal, "two"))
            .await
            .expect("append");
        tx.commit().await.expect("commit");
        assert_eq!((first.seq, first.prev_hash.as_str()), (1, GENESIS_HASH));
        assert_eq!((second.seq, &second.prev_hash), (2, &first.hash));
        let mut tx = s.store.read().await.expect("tx");
        assert_eq!(
            tx.audit_head().await.expect("q"),
            Some((2, second.hash.clone()))
        );
        assert_eq!(
            tx.audit_chain_page(0, 10).await.expect("q"),
            [first.clone(), second.clone()]
        );
        assert_eq!(
            tx.audit_chain_page(1, 10).await.expect("q"),
            std::slice::from_ref(&second)
        );
        let reveals = AuditQuery {
            action: Some(AuditAction::SecretReveal),
            limit: 10,
            ..AuditQuery::default()
        };
        assert_eq!(
            tx.audit_events(&reveals).await.expect("q"),
            std::slice::from_ref(&second)
        );
        let by_alice = AuditQuery {
            actor: Some((ActorKind::User, "alice".into())),
            limit: 10,
            ..AuditQuery::default()
        };
        assert_eq!(
            tx.audit_events(&by_alice).await.expect("q"),
            [second, first],
            "newest first"
        );
    }
}

#[tokio::test]
async fn a_group_append_continues_the_chain_in_order() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let first = tx
            .append_audit(&event(AuditAction::SecretAdd, "alone"))
            .await
            .expect("append");
        let group = tx
            .append_audits(&[
                event(AuditAction::ContentRead, "a"),
                event(AuditAction::ContentRead, "b"),
                event(AuditAction::SecretReveal, "c"),
            ])
            .await
            .expect("group");
        assert_eq!(tx.append_audits(&[]).await.expect("empty"), []);
        tx.commit().await.expect("commit");
        let seqs: Vec<i64> = group.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [2, 3, 4]);
        assert_eq!(group[0].prev_hash, first.hash);
        assert_eq!(group[2].prev_hash, group[1].hash);
        let details: Vec<&str> = group.iter().map(|e| e.event.detail.as_str()).collect();
        assert_eq!(details, ["a", "b", "c"]);
        for e in &group {
            assert_eq!(e.hash, chain_hash(e.seq, &e.prev_hash, &e.event));
        }
        let mut tx = s.store.read().await.expect("tx");
        assert_eq!(
            tx.audit_head().await.expect("q"),
            Some((4, group[2].hash.clone()))
        );
        let mut stored = vec![first];
        stored.extend(group);
        assert_eq!(tx.audit_chain_page(0, 10).await.expect("q"), stored);
    }
}

#[tokio::test]
async fn the_journal_group_commits_and_one_stopped_half_way_leaves_the_store_writable() {
    for s in stores().await {
        s.store
            .append_audit_group(&[
                unchecked(event(AuditAction::ContentRead, "a")),
                unchecked(event(AuditAction::ContentRead, "b")),
            ])
            .await
            .expect("group");
        // Polled once, then dropped: the group's transaction has begun and never ends. Now and
        // then the connection's thread answers within the one poll and the group completes;
        // then it is tried again (a completed group is a whole one, checked below).
        let stopped_one = (0..20).any(|_| {
            s.store
                .append_audit_group(&[unchecked(event(AuditAction::ContentRead, "stopped"))])
                .now_or_never()
                .is_none()
        });
        assert!(
            stopped_one,
            "no group was stopped half way in 20 tries: the test would prove nothing"
        );
        let mut tx = s.store.write().await.expect("the next writer can begin");
        let next = tx
            .append_audit(&event(AuditAction::SecretAdd, "next"))
            .await
            .expect("append");
        tx.commit().await.expect("commit");
        let mut tx = s.store.read().await.expect("tx");
        let chain = tx.audit_chain_page(0, 100).await.expect("q");
        let details: Vec<&str> = chain.iter().map(|e| e.event.detail.as_str()).collect();
        let kept: Vec<&str> = details
            .iter()
            .copied()
            .filter(|d| *d != "stopped")
            .collect();
        assert_eq!(
            kept,
            ["a", "b", "next"],
            "groups are all there or not at all"
        );
        for pair in chain.windows(2) {
            assert_eq!(
                pair[1].prev_hash, pair[0].hash,
                "the chain links: {details:?}"
            );
        }
        assert_eq!(next.seq, chain.len() as i64);
        assert_eq!(next.prev_hash, chain[chain.len() - 2].hash);
    }
}

#[tokio::test]
async fn master_key_state_and_rewrapping_pages() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        assert_eq!(tx.master_key_id().await.expect("q"), None);
        tx.set_master_key_id("key-a", T0).await.expect("set");
        tx.set_master_key_id("key-b", T0).await.expect("replace");
        assert_eq!(
            tx.master_key_id().await.expect("q").as_deref(),
            Some("key-b")
        );
        let prod = model(&mut *tx, "prod").await;
        for i in 1..=3u8 {
            tx.insert_secret(&secret(sid(i), prod.id, SecretOwner::Model, None, 0))
                .await
                .expect("secret");
            let rec = RevisionRecord {
                secret_id: sid(i),
                revision: RevisionNumber::FIRST,
                checksum: "x".into(),
                expire_at: None,
                sealed: sealed(i),
                created_at: T0,
            };
            tx.insert_revision(&rec).await.expect("revision");
        }
        let first = tx.sealed_page(None, 2).await.expect("page");
        assert_eq!(
            first
                .iter()
                .map(|r| r.secret_id.clone())
                .collect::<Vec<_>>(),
            [sid(1), sid(2)]
        );
        assert_eq!(first[0].model_uuid, prod.uuid);
        let rest = tx
            .sealed_page(Some((sid(2), RevisionNumber::FIRST)), 2)
            .await
            .expect("page");
        assert_eq!(
            rest.iter().map(|r| r.secret_id.clone()).collect::<Vec<_>>(),
            [sid(3)]
        );
        let moved = Sealed {
            wrapped_key: vec![9; 48],
            master_key_id: "key-b".into(),
            ..sealed(3)
        };
        tx.update_wrapped_key(&sid(3), RevisionNumber::FIRST, &moved)
            .await
            .expect("rewrap");
        assert_eq!(
            tx.revision(&sid(3), RevisionNumber::FIRST)
                .await
                .expect("q")
                .map(|r| r.sealed),
            Some(moved)
        );
        tx.commit().await.expect("commit");
        s.store.ready().await.expect("migrations applied");
    }
}

/// A group commit's event that relied on nothing remembered.
fn unchecked(event: NewAuditEvent) -> backend::store::GroupEvent {
    backend::store::GroupEvent {
        event,
        relied: None,
    }
}
