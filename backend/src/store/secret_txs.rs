//! What a transaction does with secrets, their revisions, and grants: parts of [`super::Tx`].

use async_trait::async_trait;
use domain::{ApplicationId, ModelId, RevisionNumber, SecretId, SecretName, Timestamp};

use super::{
    ApplicationRead, ConsumerRecord, GrantRecord, ModelGrantRecord, RevisionMeta, RevisionRecord,
    SealedRow, SecretOwner, SecretQuery, SecretRecord, SecretSummary, StoreResult,
};
use crate::crypto::Sealed;

#[async_trait]
pub trait SecretTx {
    async fn insert_secret(&mut self, secret: &SecretRecord) -> StoreResult<()>;
    async fn secret(&mut self, model: ModelId, id: &SecretId) -> StoreResult<Option<SecretRecord>>;
    async fn secret_by_name(
        &mut self,
        model: ModelId,
        owner: SecretOwner,
        name: &SecretName,
    ) -> StoreResult<Option<SecretRecord>>;
    async fn update_secret(&mut self, secret: &SecretRecord) -> StoreResult<()>;
    async fn delete_secret(&mut self, id: &SecretId) -> StoreResult<()>;
    /// Every revision of every secret in the model, by secret ID and then revision.
    async fn model_revision_keys(
        &mut self,
        model: ModelId,
    ) -> StoreResult<Vec<(SecretId, RevisionNumber)>>;
    /// Named secrets whose natural sort key is not filled in yet (rows from before ADR 0025).
    async fn unsorted_names(&mut self, limit: i64) -> StoreResult<Vec<(SecretId, String)>>;
    async fn set_name_sort(&mut self, id: &SecretId, key: &str) -> StoreResult<()>;
    async fn list_secrets(
        &mut self,
        model: ModelId,
        query: &SecretQuery,
    ) -> StoreResult<Vec<SecretSummary>>;
    /// Secrets an application owns or was granted.
    async fn readable_secrets(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretSummary>>;
}

#[async_trait]
pub trait RevisionTx {
    async fn insert_revision(&mut self, revision: &RevisionRecord) -> StoreResult<()>;
    async fn revision(
        &mut self,
        secret: &SecretId,
        n: RevisionNumber,
    ) -> StoreResult<Option<RevisionRecord>>;
    async fn revisions(&mut self, secret: &SecretId) -> StoreResult<Vec<RevisionMeta>>;
    async fn delete_revision(&mut self, secret: &SecretId, n: RevisionNumber) -> StoreResult<()>;
    /// A page of sealed revisions in key order, for re-wrapping under a new master key.
    async fn sealed_page(
        &mut self,
        after: Option<(SecretId, RevisionNumber)>,
        limit: u32,
    ) -> StoreResult<Vec<SealedRow>>;
    async fn update_wrapped_key(
        &mut self,
        secret: &SecretId,
        n: RevisionNumber,
        sealed: &Sealed,
    ) -> StoreResult<()>;
    /// Revisions whose checksum predates keyed checksums (migration 0004).
    async fn unkeyed_revisions(&mut self, limit: u32) -> StoreResult<Vec<SealedRow>>;
    async fn set_keyed_checksum(
        &mut self,
        secret: &SecretId,
        n: RevisionNumber,
        checksum: &str,
    ) -> StoreResult<()>;
}

#[async_trait]
pub trait AccessTx {
    async fn grants(&mut self, secret: &SecretId) -> StoreResult<Vec<GrantRecord>>;
    /// The secret, `app`'s grant and tracked revision, and the revision a read returns, in one
    /// statement. `prefer_tracked`: the tracked revision if it still exists, else the latest.
    async fn application_read(
        &mut self,
        model: ModelId,
        secret: &SecretId,
        app: ApplicationId,
        prefer_tracked: bool,
    ) -> StoreResult<Option<ApplicationRead>>;
    /// Returns false when the grant already existed.
    async fn insert_grant(
        &mut self,
        secret: &SecretId,
        app: ApplicationId,
        by: &str,
        now: Timestamp,
    ) -> StoreResult<bool>;
    async fn delete_grant(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<bool>;
    async fn model_grants(&mut self, model: ModelId) -> StoreResult<Vec<ModelGrantRecord>>;
    async fn consumers(&mut self, secret: &SecretId) -> StoreResult<Vec<ConsumerRecord>>;
    async fn track(
        &mut self,
        secret: &SecretId,
        app: ApplicationId,
        revision: RevisionNumber,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn untrack(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<()>;
    /// Secrets whose revisions this application tracks.
    async fn consumed_secrets(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretId>>;
}
