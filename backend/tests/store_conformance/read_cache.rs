//! Lookups outside a transaction may be answered from memory on SQLite (`SqliteStore`'s read
//! cache). Whatever a write did, the next lookup must see it, even when the request that made
//! the write went away while it was committing.

use crate::*;

/// A token revoke cut at each of its waits on the database, down to the wait for its COMMIT.
/// Once the writer is free again, the lookup outside a transaction agrees with a fresh
/// snapshot: a revoke that committed is never answered from what was kept before it.
#[tokio::test]
async fn a_revoke_cut_at_any_point_is_seen_by_the_next_lookup() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (_, mysql) = prod_with_mysql(&mut *tx).await;
        tx.commit().await.expect("commit");
        let mut revoked = 0;
        for step in 0..12 {
            let plain = PlainToken::generate(TokenKind::Application);
            let mut tx = s.store.write().await.expect("tx");
            let token = tx
                .insert_token(&NewToken {
                    owner: TokenOwner::Application(mysql.id),
                    hash: plain.hash(),
                    label: format!("cut-{step}"),
                    now: T0,
                })
                .await
                .expect("token");
            tx.commit().await.expect("commit");
            let mut lookup = s.store.single().await.expect("single");
            assert!(
                lookup
                    .token_holder(&plain.hash())
                    .await
                    .expect("q")
                    .is_some()
            );
            drop(lookup);

            let revoke = async {
                let mut tx = s.store.write().await?;
                tx.delete_token(&token).await?;
                tokio::task::yield_now().await;
                tx.commit().await
            };
            let _ = cut_after_waits(step, revoke).await;
            // Whatever was sent before the cut has run once the writer is free again.
            drop(s.store.write().await.expect("the writer is free"));

            let mut snapshot = s.store.read().await.expect("read");
            let committed = snapshot.token_holder(&plain.hash()).await.expect("q");
            drop(snapshot);
            let mut lookup = s.store.single().await.expect("single");
            let answered = lookup.token_holder(&plain.hash()).await.expect("q");
            assert_eq!(answered, committed, "step {step}");
            revoked += usize::from(committed.is_none());
        }
        // The last cuts come after the COMMIT was sent, or the test shows nothing.
        assert!(revoked > 0, "no revoke committed in 12 cuts");
    }
}

/// Runs `work` until it has waited `waits` times, and drops it at its next wait (as a request
/// is dropped when its client hangs up); `None` if it was cut.
async fn cut_after_waits<F: std::future::Future>(waits: usize, work: F) -> Option<F::Output> {
    let mut work = std::pin::pin!(work);
    let mut seen = 0;
    std::future::poll_fn(|cx| match work.as_mut().poll(cx) {
        std::task::Poll::Ready(done) => std::task::Poll::Ready(Some(done)),
        std::task::Poll::Pending if seen == waits => std::task::Poll::Ready(None),
        std::task::Poll::Pending => {
            seen += 1;
            std::task::Poll::Pending
        }
    })
    .await
}
