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

/// The serving SQLite store and a connection to the same file that it cannot see: a change
/// made there is not forgotten by the store, which shows what it still answers from memory.
async fn serving_with_side_door() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("cache.db").display());
    let store = SqliteStore::connect_serving(&url).await.expect("sqlite");
    (dir, store)
}

/// Whether `app` may read `secret` now, as a lookup outside a transaction answers.
async fn granted(
    store: &SqliteStore,
    model: domain::ModelId,
    secret: &SecretId,
    app: domain::ApplicationId,
) -> bool {
    let mut lookup = store.single().await.expect("single");
    let read = lookup
        .application_read(model, secret, app, true)
        .await
        .expect("q");
    read.is_some_and(|r| r.view.granted)
}

/// A commit forgets only what it changed (docs/adr/0029): a grant revoked through the store is
/// refused at once, while the answer for another secret stays in memory, which a revoke made
/// behind the store's back shows; a token's removal forgets its application's holders.
#[tokio::test]
async fn a_commit_forgets_only_what_it_changed() {
    let (_dir, store) = serving_with_side_door().await;
    let mut tx = store.write().await.expect("tx");
    let (prod, mysql) = prod_with_mysql(&mut *tx).await;
    let (a, b) = (sid(1), sid(2));
    for id in [&a, &b] {
        tx.insert_secret(&secret(id.clone(), prod.id, SecretOwner::Model, None, 0))
            .await
            .expect("secret");
        tx.insert_grant(id, mysql.id, "alice", T0)
            .await
            .expect("grant");
    }
    let plain = PlainToken::generate(TokenKind::Application);
    let other = PlainToken::generate(TokenKind::Application);
    let mut tokens = Vec::new();
    for p in [&plain, &other] {
        let new = NewToken {
            owner: TokenOwner::Application(mysql.id),
            hash: p.hash(),
            label: "t".into(),
            now: T0,
        };
        tokens.push(tx.insert_token(&new).await.expect("token"));
    }
    tx.commit().await.expect("commit");
    assert!(granted(&store, prod.id, &a, mysql.id).await);
    assert!(granted(&store, prod.id, &b, mysql.id).await, "b remembered");
    let holder = |hash| {
        let store = &store;
        async move {
            let mut lookup = store.single().await.expect("single");
            lookup.token_holder(&hash).await.expect("q").is_some()
        }
    };
    assert!(holder(plain.hash()).await, "the holder remembered");

    let side = store.pool();
    sqlx::query("delete from secret_grant where secret_id = ?")
        .bind(b.as_str())
        .execute(side)
        .await
        .expect("behind the store's back");
    let mut tx = store.write().await.expect("tx");
    assert!(tx.delete_grant(&a, mysql.id).await.expect("revoke"));
    tx.commit().await.expect("commit");
    assert!(
        !granted(&store, prod.id, &a, mysql.id).await,
        "a revoke through the store is seen"
    );
    assert!(
        granted(&store, prod.id, &b, mysql.id).await,
        "b's answer was not forgotten by a commit that did not touch it"
    );
    assert!(holder(plain.hash()).await, "nor the holder");

    let mut tx = store.write().await.expect("tx");
    tx.delete_token(&tokens[1])
        .await
        .expect("remove the other token");
    tx.commit().await.expect("commit");
    sqlx::query("delete from api_token where id = ?")
        .bind(tokens[0].id.0)
        .execute(side)
        .await
        .expect("behind the store's back");
    assert!(
        !holder(plain.hash()).await,
        "a token's removal forgets every holder of its application"
    );
}
