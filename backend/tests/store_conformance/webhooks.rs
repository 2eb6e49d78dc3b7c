//! Webhooks' rows: set from the event counter, due only with something to post, held by one
//! node at a time, and let go with their progress.

use crate::*;
use backend::store::{NewWebhook, WebhookProgress, WrappedKey};
use domain::{EventKind, Timestamp};

fn key(byte: u8) -> WrappedKey {
    WrappedKey {
        wrapped: vec![byte; 48],
        nonce: vec![byte; 12],
        master_key_id: "key-a".into(),
    }
}

#[tokio::test]
async fn a_webhook_is_due_with_events_held_by_one_claim_and_released_with_its_progress() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, mysql) = prod_with_mysql(&mut *tx).await;
        let shared = secret(sid(1), prod.id, SecretOwner::Model, Some("db"), 0);
        tx.insert_secret(&shared).await.expect("secret");
        tx.announce_to(mysql.id, EventKind::AccessRevoked, &shared.id, None, T0)
            .await
            .expect("an event before the webhook");
        let webhook = NewWebhook {
            application: mysql.id,
            url: "https://hooks.example/a".into(),
            key: key(1),
            now: T0,
        };
        tx.put_webhook(&webhook).await.expect("put");
        tx.commit().await.expect("commit");

        let later = T0.plus_millis(1_000);
        let mut tx = s.store.write().await.expect("tx");
        let stored = tx.webhook(mysql.id).await.expect("q").expect("set");
        assert_eq!(stored.progress.cursor, 1, "it starts at the counter");
        assert!(
            !tx.webhooks_due(later).await.expect("q"),
            "nothing new to post"
        );
        tx.announce_to(mysql.id, EventKind::SecretRemoved, &shared.id, None, T0)
            .await
            .expect("event");
        assert!(tx.webhooks_due(later).await.expect("q"));
        let until = later.plus_millis(60_000);
        let claimed = tx.claim_webhooks(later, until, 10).await.expect("claim");
        assert_eq!(claimed.len(), 1);
        assert!(
            tx.claim_webhooks(later, until, 10)
                .await
                .expect("claim")
                .is_empty(),
            "held"
        );
        assert!(!tx.webhooks_due(later).await.expect("q"), "held is not due");
        let progress = WebhookProgress {
            cursor: 2,
            failures: 0,
            next_attempt_at: Timestamp(0),
            disabled_at: None,
            last_error: None,
            last_success_at: Some(later),
        };
        tx.set_webhook_progress(mysql.id, &progress, later)
            .await
            .expect("progress");
        assert!(!tx.webhooks_due(later).await.expect("q"), "all delivered");
        let stored = tx.webhook(mysql.id).await.expect("q").expect("set");
        assert_eq!(stored.progress, progress);

        tx.put_webhook(&NewWebhook {
            url: "https://hooks.example/b".into(),
            key: key(2),
            ..webhook
        })
        .await
        .expect("replace");
        let replaced = tx.webhook(mysql.id).await.expect("q").expect("set");
        assert_eq!(
            (replaced.url.as_str(), replaced.progress.last_success_at),
            ("https://hooks.example/b", None)
        );
        assert_eq!(tx.webhook_keys().await.expect("keys"), [(mysql.id, key(2))]);
        tx.set_webhook_key(mysql.id, &key(3)).await.expect("rewrap");
        assert_eq!(
            tx.webhook(mysql.id).await.expect("q").expect("set").key,
            key(3)
        );
        assert!(tx.delete_webhook(mysql.id).await.expect("delete"));
        assert!(!tx.delete_webhook(mysql.id).await.expect("again"));
        tx.commit().await.expect("commit");
    }
}
