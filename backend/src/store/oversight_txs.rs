//! What a transaction does for oversight: the access review, a model's overview, the audit
//! chain, the master keys and the sign-in back-off: parts of [`super::Tx`].

use async_trait::async_trait;
use domain::{ApplicationId, ModelId, SecretId, SecretName, Timestamp};

use super::{
    AuditQuery, DueSoonRecord, GrantSetState, GrantUsageRecord, LoginThrottle, ModelCounts,
    NewSignOff, ReviewAppCounts, ReviewFilter, ReviewRows, SignOffRecord, StoreResult, UsageTally,
};
use crate::audit::{AuditEvent, NewAuditEvent};

/// The access review's usage counts and sign-offs (ADR 0024).
#[async_trait]
pub trait ReviewTx {
    /// Adds reads to the per-day counts.
    async fn record_usage(&mut self, usage: &[UsageTally]) -> StoreResult<()>;
    /// Drops the counts of one grant, which goes in the same transaction: a new grant of the
    /// pair starts unread.
    async fn forget_usage(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<()>;
    async fn insert_sign_off(&mut self, new: &NewSignOff) -> StoreResult<SignOffRecord>;
    /// The newest `limit` sign-offs of the model, newest first.
    async fn sign_offs(&mut self, model: ModelId, limit: i64) -> StoreResult<Vec<SignOffRecord>>;
}

/// The access review's reads: flag counts, windows of grants and of secrets (ADR 0024).
#[async_trait]
pub trait ReviewQueryTx {
    /// Per application of the model, its grants under `filter` and their flag counts
    /// (applications without such grants are left out).
    async fn review_counts(&mut self, filter: &ReviewFilter) -> StoreResult<Vec<ReviewAppCounts>>;
    /// The grants `filter` selects with their usage, the `rows` of them asked for; in secret
    /// name order (natural, then id) within each application.
    async fn review_grants(
        &mut self,
        filter: &ReviewFilter,
        rows: ReviewRows,
    ) -> StoreResult<Vec<GrantUsageRecord>>;
    /// The secrets with a grant `filter` selects, in name order (natural, then id), a window.
    async fn review_secrets(
        &mut self,
        filter: &ReviewFilter,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<(SecretId, Option<SecretName>)>>;
    async fn review_secret_count(&mut self, filter: &ReviewFilter) -> StoreResult<i64>;
    async fn grant_set(&mut self, model: ModelId) -> StoreResult<GrantSetState>;
}

/// What a model's overview counts.
#[async_trait]
pub trait OverviewTx {
    async fn model_counts(&mut self, model: ModelId) -> StoreResult<ModelCounts>;
    /// Application secrets whose rotation or latest revision's expiry falls before `before`
    /// (overdue ones too), soonest first, at most 50.
    async fn due_before(
        &mut self,
        model: ModelId,
        before: Timestamp,
    ) -> StoreResult<Vec<DueSoonRecord>>;
}

#[async_trait]
pub trait AuditTx {
    /// Appends to the chain; the store links the event to the current head.
    async fn append_audit(&mut self, event: &NewAuditEvent) -> StoreResult<AuditEvent>;
    /// Appends several events in order, with one read of the head (a trigger moves it).
    async fn append_audits(&mut self, events: &[NewAuditEvent]) -> StoreResult<Vec<AuditEvent>>;
    async fn audit_events(&mut self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>>;
    /// Events with `seq > after`, oldest first.
    async fn audit_chain_page(&mut self, after: i64, limit: u32) -> StoreResult<Vec<AuditEvent>>;
    async fn audit_head(&mut self) -> StoreResult<Option<(i64, String)>>;
}

#[async_trait]
pub trait KeyTx {
    async fn master_key_id(&mut self) -> StoreResult<Option<String>>;
    async fn set_master_key_id(&mut self, id: &str, now: Timestamp) -> StoreResult<()>;
}

/// The sign-in back-off's state, shared by every node through the database.
#[async_trait]
pub trait ThrottleTx {
    async fn login_throttle(&mut self, key: &str) -> StoreResult<Option<LoginThrottle>>;
    async fn put_login_throttle(&mut self, row: &LoginThrottle) -> StoreResult<()>;
    async fn clear_login_throttle(&mut self, key: &str) -> StoreResult<()>;
    /// Drops the records of names that have not failed since `before`.
    async fn forget_login_throttles(&mut self, before: Timestamp) -> StoreResult<()>;
}
