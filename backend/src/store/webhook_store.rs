//! Applications' webhooks, the store side: where to post, the wrapped signing key, and how far
//! delivery got.

use async_trait::async_trait;
use domain::{ApplicationId, Timestamp};

use super::StoreResult;
pub use crate::crypto::WrappedKey;

/// A webhook as set: a new one starts at the event counter, so it posts only what comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub application: ApplicationId,
    pub url: String,
    pub key: WrappedKey,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    pub application: ApplicationId,
    pub url: String,
    pub key: WrappedKey,
    pub progress: WebhookProgress,
    pub created_at: Timestamp,
}

/// How far delivery got, and how it is going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookProgress {
    /// The last event posted or passed over.
    pub cursor: i64,
    /// Failed attempts in a row.
    pub failures: u32,
    pub next_attempt_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
    pub last_error: Option<String>,
    pub last_success_at: Option<Timestamp>,
}

#[async_trait]
pub trait WebhookTx {
    /// Sets the application's webhook, replacing one it had (and its key and progress); the
    /// cursor starts at the event counter.
    async fn put_webhook(&mut self, webhook: &NewWebhook) -> StoreResult<()>;
    async fn webhook(&mut self, app: ApplicationId) -> StoreResult<Option<WebhookRecord>>;
    async fn delete_webhook(&mut self, app: ApplicationId) -> StoreResult<bool>;
    /// Whether any enabled webhook has events to post and is due, without taking the write
    /// lock: the dispatcher asks every second.
    async fn webhooks_due(&mut self, now: Timestamp) -> StoreResult<bool>;
    /// Up to `limit` due webhooks, each held until `until` so that no other node posts the
    /// same events meanwhile.
    async fn claim_webhooks(
        &mut self,
        now: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<WebhookRecord>>;
    /// Records how delivery went and lets go of the hold.
    async fn set_webhook_progress(
        &mut self,
        app: ApplicationId,
        progress: &WebhookProgress,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Every webhook's key, for a master key rotation.
    async fn webhook_keys(&mut self) -> StoreResult<Vec<(ApplicationId, WrappedKey)>>;
    async fn set_webhook_key(&mut self, app: ApplicationId, key: &WrappedKey) -> StoreResult<()>;
}
