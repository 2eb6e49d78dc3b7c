//! SQLite's writer connection begins its transactions with raw SQL (one round trip, ADR 0019),
//! so sqlx cannot roll back one that is dropped: the store must, and promptly.

use crate::*;
use std::time::Duration;

#[tokio::test]
async fn a_write_dropped_half_way_is_rolled_back_and_lets_go_of_the_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("writer.db").display());
    let store = SqliteStore::connect_serving(&url).await.expect("sqlite");
    {
        let mut tx = store.write().await.expect("tx");
        model(&mut *tx, "prod").await;
        // Dropped without a commit, as when a request fails or its client goes away.
    }
    // Another connection needs the write lock: it gets it at once only if the dropped
    // transaction was ended (SQLite's busy wait would give up after 10 s).
    tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query("create table probe (x integer)").execute(store.pool()),
    )
    .await
    .expect("the write lock was let go")
    .expect("create");
    let mut tx = store.write().await.expect("the next write begins");
    assert!(tx.models().await.expect("models").is_empty(), "rolled back");
    model(&mut *tx, "staging").await;
    tx.commit().await.expect("commit");
    let mut tx = store.read().await.expect("tx");
    let names: Vec<String> = tx
        .models()
        .await
        .expect("models")
        .iter()
        .map(|m| m.name.to_string())
        .collect();
    assert_eq!(names, ["staging"]);
}
