//! Two PostgreSQL nodes append to one audit chain. Each chains its group's events from the head
//! it expects and sends them in one statement, which appends only after that head (docs/adr/
//! 0031); a node that guessed wrong tries again. Groups from both nodes, and writes between
//! them, must still make one chain with every event once.

use std::collections::HashMap;

use crate::audit::event;
use crate::*;
use backend::store::{Appended, GroupEvent, Relied};
use testkit::pg::TestDatabase;

fn group(node: &str, round: usize, size: usize) -> Vec<GroupEvent> {
    (0..size)
        .map(|i| GroupEvent {
            event: event(AuditAction::ContentRead, &format!("{node}-{round}-{i}")),
            relied: None,
        })
        .collect()
}

/// Two nodes on a database of their own, when `TEST_POSTGRES_URL` names a server.
async fn two_nodes() -> Option<(TestDatabase, PgStore, PgStore)> {
    let url = testkit::postgres_url("the two-node audit chain tests")?;
    let database = TestDatabase::create(&url).await;
    let a = PgStore::connect(&database.url).await.expect("node a");
    let b = PgStore::connect(&database.url).await.expect("node b");
    Some((database, a, b))
}

#[tokio::test]
async fn two_nodes_group_commits_and_writes_make_one_chain() {
    let Some((_database, a, b)) = two_nodes().await else {
        return;
    };
    let mut sent = Vec::new();
    for round in 0..60 {
        // Both nodes at once: one of them finds the head moved by the other.
        let (on_a, on_b) = (group("a", round, 1 + round % 4), group("b", round, 2));
        let (went_a, went_b) =
            tokio::join!(a.append_audit_group(&on_a), b.append_audit_group(&on_b));
        assert!(
            went_a
                .expect("a's group")
                .iter()
                .all(|o| *o == Appended::Committed)
        );
        assert!(
            went_b
                .expect("b's group")
                .iter()
                .all(|o| *o == Appended::Committed)
        );
        sent.extend(on_a.iter().chain(&on_b).map(|g| g.event.detail.clone()));
        // A write on one node moves the head the other expects.
        if round % 3 == 0 {
            let writer: &dyn Store = if round % 2 == 0 { &a } else { &b };
            let mut tx = writer.write().await.expect("tx");
            let detail = format!("write-{round}");
            tx.append_audit(&event(AuditAction::SecretAdd, &detail))
                .await
                .expect("append");
            tx.commit().await.expect("commit");
            sent.push(detail);
        }
    }
    let mut tx = a.read().await.expect("tx");
    let chain = tx.audit_chain_page(0, 10_000).await.expect("chain");
    for (i, e) in chain.iter().enumerate() {
        assert_eq!(e.seq, i as i64 + 1, "no gap and no repeat");
        assert_eq!(e.hash, chain_hash(e.seq, &e.prev_hash, &e.event));
    }
    assert_eq!(chain[0].prev_hash, GENESIS_HASH);
    for pair in chain.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash, "linked at {}", pair[1].seq);
    }
    let mut times: HashMap<&str, usize> = HashMap::new();
    for e in &chain {
        *times.entry(e.event.detail.as_str()).or_default() += 1;
    }
    let wrong: Vec<_> = sent
        .iter()
        .filter(|d| times.get(d.as_str()) != Some(&1))
        .collect();
    assert!(wrong.is_empty(), "not exactly once in the chain: {wrong:?}");
    assert_eq!(chain.len(), sent.len());
    assert_eq!(
        tx.audit_head().await.expect("head"),
        chain.last().map(|e| (e.seq, e.hash.clone()))
    );
}

/// A change another node made without appending to the audit chain (the cleanup of expired
/// tokens is one) leaves the head where this node expects it. The statement's own check of the
/// changes this node has not followed must still leave out a remembered read that relied on
/// what changed.
#[tokio::test]
async fn a_read_relying_on_a_change_that_left_no_audit_event_is_left_out() {
    let Some((_database, a, b)) = two_nodes().await else {
        return;
    };
    let mut tx = b.write().await.expect("tx");
    let (prod, mysql) = prod_with_mysql(&mut *tx).await;
    tx.insert_secret(&secret(sid(1), prod.id, SecretOwner::Model, None, 0))
        .await
        .expect("secret");
    tx.insert_grant(&sid(1), mysql.id, "alice", T0)
        .await
        .expect("grant");
    tx.commit().await.expect("commit");
    // A's first group learns the head and follows B's writes; its second goes in one trip.
    for round in 0..2 {
        let went = a.append_audit_group(&group("a", round, 1)).await;
        assert_eq!(went.expect("group"), [Appended::Committed]);
    }
    let since = a
        .changes_followed()
        .expect("a PostgreSQL node follows changes");
    let mut tx = b.write().await.expect("tx");
    assert!(tx.delete_grant(&sid(1), mysql.id).await.expect("revoke"));
    tx.commit().await.expect("commit");
    let relied = Relied {
        since,
        application: mysql.id,
        secret: sid(1),
    };
    let read = GroupEvent {
        event: event(AuditAction::ContentRead, "relied on the grant"),
        relied: Some(relied),
    };
    let went = a.append_audit_group(&[read]).await.expect("group");
    assert_eq!(
        went,
        [Appended::Stale],
        "the revoked grant's read is left out"
    );
    let mut tx = a.read().await.expect("tx");
    let chain = tx.audit_chain_page(0, 100).await.expect("chain");
    assert!(
        chain
            .iter()
            .all(|e| e.event.detail != "relied on the grant")
    );
}
