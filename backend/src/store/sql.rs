//! The SQL both databases share. SQLite accepts PostgreSQL's `$1` placeholders and
//! `is not distinct from`, so one text serves both; each file holds a macro that implements one
//! subject trait for a transaction type, and `impl_transaction_traits!` implements them all.
//! Dialect differences live in the migrations and in `sqlite.rs` / `postgres.rs`.

pub(crate) mod read_ahead;
pub(crate) mod rows;

mod access;
mod applications;
mod audit;
mod events;
mod identities;
mod juju;
mod models;
mod overview;
mod review;
mod review_queries;
mod revisions;
mod secrets;
mod throttle;
mod users;
mod webhooks;

pub(crate) use access::impl_access_tx;
pub(crate) use applications::impl_application_tx;
pub(crate) use audit::{AUDIT_ROWS_PER_STATEMENT, impl_audit_tx};
pub(crate) use events::impl_event_tx;
pub(crate) use identities::impl_identity_tx;
pub(crate) use juju::impl_juju_tx;
pub(crate) use models::impl_model_tx;
pub(crate) use overview::impl_overview_tx;
pub(crate) use review::{USAGE_ROWS_PER_STATEMENT, impl_review_tx};
pub(crate) use review_queries::impl_review_query_tx;
pub(crate) use revisions::impl_revision_tx;
pub(crate) use secrets::{SearchPlan, impl_secret_tx, like_pattern};
pub(crate) use throttle::impl_throttle_tx;
pub(crate) use users::impl_user_tx;
pub(crate) use webhooks::impl_webhook_tx;

/// What a write that may be held back does (ADR 0021, ADR 0032). PostgreSQL sends held writes
/// as one statement of data-modifying CTEs, whose parts all see the snapshot from before the
/// statement and run in no set order: a batch there holds at most one write of each kind, so no
/// two of its parts touch the same row or read what another writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeldWrite {
    NewRevision,
    /// An update of a secret's row by its id.
    SecretUpdate,
    /// The fan-out of "secret changed" events, which numbers them from the event counter.
    ChangeAnnounced,
    /// A chunk of audit events.
    AuditEvents,
    /// A chunk of grant-usage tallies, added to the rows already there.
    UsageTallies,
}

/// Implements every subject trait of [`crate::store::Tx`] for `$tx`, a transaction on `$db`.
/// `$tx` must have:
/// - `async fn conn(&mut self) -> StoreResult<&mut <$db as sqlx::Database>::Connection>`, for a
///   statement whose result is needed now (it sends any held writes first);
/// - `async fn write_later` / `write_counted`, taking the write's [`HeldWrite`] and a closure that appends one statement to a
///   `QueryBuilder`, for a write that may be held and sent with a later statement (ADR 0021);
/// - `fn read_cache(&self) -> Option<&Arc<ReadCache>>` (the lookups it may answer from memory);
/// - `fn read_ahead(&mut self) -> Option<&mut ReadAhead>` (what a write read with its BEGIN).
macro_rules! impl_transaction_traits {
    ($tx:ty, $db:ty) => {
        $crate::store::sql::impl_user_tx!($tx, $db);
        $crate::store::sql::impl_model_tx!($tx, $db);
        $crate::store::sql::impl_application_tx!($tx, $db);
        $crate::store::sql::impl_secret_tx!($tx, $db);
        $crate::store::sql::impl_revision_tx!($tx, $db);
        $crate::store::sql::impl_access_tx!($tx, $db);
        $crate::store::sql::impl_audit_tx!($tx, $db);
        $crate::store::sql::impl_throttle_tx!($tx, $db);
        $crate::store::sql::impl_event_tx!($tx, $db);
        $crate::store::sql::impl_webhook_tx!($tx, $db);
        $crate::store::sql::impl_review_tx!($tx, $db);
        $crate::store::sql::impl_review_query_tx!($tx, $db);
        $crate::store::sql::impl_overview_tx!($tx, $db);
        $crate::store::sql::impl_identity_tx!($tx, $db);
        $crate::store::sql::impl_juju_tx!($tx, $db);
    };
}
pub(crate) use impl_transaction_traits;
