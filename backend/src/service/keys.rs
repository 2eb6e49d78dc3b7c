//! The master key's life: recorded on first start, used to seal each revision, rotated online.

use domain::{ModelUuid, RevisionNumber, SecretContent, SecretId, Timestamp};
use std::sync::Arc;
use zeroize::Zeroizing;

use super::{Caller, Services, Subject};
use crate::audit::{AuditAction, Outcome};
use crate::crypto::{self, Binding, CryptoError, MasterKey, Sealed};
use crate::error::ServiceResult;
use crate::store::{ModelRecord, RevisionRecord, Tx};

const REWRAP_PAGE: u32 = 500;

impl Services {
    /// Called at start: a fresh database adopts the primary key; an existing one must find the
    /// key it was sealed with, or start-up stops rather than write data nobody can read.
    #[tracing::instrument(skip_all)]
    pub async fn ensure_master_key(&self) -> ServiceResult<String> {
        let mut tx = self.store.write().await?;
        let id = self.current_master_key(&mut *tx).await?.id().to_owned();
        tx.commit().await?;
        Ok(id)
    }

    /// The key new data keys are wrapped with. The id is read inside the caller's write
    /// transaction, so a seal can never race a rotation and use a retired key.
    pub(super) async fn current_master_key(
        &self,
        tx: &mut dyn Tx,
    ) -> ServiceResult<Arc<MasterKey>> {
        match tx.master_key_id().await? {
            Some(id) => Ok(self.keys.key(&id)?),
            None => {
                let key = self
                    .keys
                    .primary()
                    .ok_or_else(|| CryptoError::MissingMasterKey {
                        id: "(none)".into(),
                        path: self.keys.files().current.clone(),
                    })?;
                tx.set_master_key_id(key.id(), self.clock.now()).await?;
                Ok(key)
            }
        }
    }

    pub(crate) async fn write_revision(
        &self,
        tx: &mut dyn Tx,
        model: &ModelRecord,
        secret: &SecretId,
        revision: RevisionNumber,
        content: &SecretContent,
        expire_at: Option<Timestamp>,
    ) -> ServiceResult<()> {
        let key = self.current_master_key(tx).await?;
        let plaintext = Zeroizing::new(serde_json::to_vec(content).map_err(CryptoError::Encode)?);
        let binding = Binding {
            model: &model.uuid,
            secret,
            revision,
        };
        let sealed = crypto::seal(&key, &binding, &plaintext)?;
        let canonical = content.canonical_json().map_err(CryptoError::Encode)?;
        let checksum = crypto::keyed_checksum(&key, &binding, &sealed, &canonical)?;
        let record = RevisionRecord {
            secret_id: secret.clone(),
            revision,
            checksum,
            expire_at,
            sealed,
            created_at: self.clock.now(),
        };
        tx.insert_revision(&record).await?;
        Ok(())
    }

    /// Whether `content` is what `stored` holds, by the revision's keyed checksum.
    pub(crate) fn holds(
        &self,
        model: &ModelRecord,
        stored: &RevisionRecord,
        content: &SecretContent,
    ) -> ServiceResult<bool> {
        let sum = self.with_seal(&model.uuid, stored_seal(stored), |key, binding, sealed| {
            let canonical = content.canonical_json().map_err(CryptoError::Encode)?;
            crypto::keyed_checksum(key, binding, sealed, &canonical)
        })?;
        Ok(sum == stored.checksum)
    }

    pub(crate) fn open_revision(
        &self,
        model: &ModelRecord,
        record: &RevisionRecord,
    ) -> ServiceResult<SecretContent> {
        self.with_seal(&model.uuid, stored_seal(record), unseal)
    }

    /// Runs `op` with the master key and binding a revision was sealed with.
    fn with_seal<T>(
        &self,
        model: &ModelUuid,
        (secret, revision, sealed): (&SecretId, RevisionNumber, &Sealed),
        op: impl FnOnce(&MasterKey, &Binding<'_>, &Sealed) -> Result<T, CryptoError>,
    ) -> ServiceResult<T> {
        let key = self.keys.key(&sealed.master_key_id)?;
        let binding = Binding {
            model,
            secret,
            revision,
        };
        Ok(op(&key, &binding, sealed)?)
    }

    /// Re-wraps every data key from the current master key to `new`, in one transaction, and
    /// makes `new` current. Returns how many revisions were re-wrapped. The caller must have
    /// put `new` where the keyring can find it first (`master.key.next`).
    #[tracing::instrument(skip_all)]
    pub async fn rotate_master_key(&self, caller: &Caller, new: &MasterKey) -> ServiceResult<u64> {
        let mut tx = self
            .writing_global(
                caller,
                domain::Permission::ManageModels,
                AuditAction::MasterKeyRotate,
            )
            .await?;
        let old = self.current_master_key(&mut *tx).await?;
        let mut after = None;
        let mut count = 0u64;
        loop {
            let page = tx.sealed_page(after.clone(), REWRAP_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.secret_id.clone(), last.revision));
            for row in &page {
                let holder = if row.sealed.master_key_id == old.id() {
                    old.clone()
                } else {
                    self.keys.key(&row.sealed.master_key_id)?
                };
                let binding = Binding {
                    model: &row.model_uuid,
                    secret: &row.secret_id,
                    revision: row.revision,
                };
                let moved = crypto::rewrap(&holder, new, &binding, &row.sealed)?;
                tx.update_wrapped_key(&row.secret_id, row.revision, &moved)
                    .await?;
                count += 1;
            }
        }
        let webhooks = tx.webhook_keys().await?;
        for (app, key) in &webhooks {
            let holder = if key.master_key_id == old.id() {
                old.clone()
            } else {
                self.keys.key(&key.master_key_id)?
            };
            let plain = crypto::unwrap_webhook_key(&holder, *app, key)?;
            tx.set_webhook_key(*app, &crypto::wrap_webhook_key(new, *app, &plain)?)
                .await?;
        }
        tx.set_master_key_id(new.id(), self.clock.now()).await?;
        let detail = format!(
            "from key {} to key {}; {count} data keys and {} webhook keys re-wrapped",
            old.id(),
            new.id(),
            webhooks.len()
        );
        self.audit(
            &mut *tx,
            caller,
            AuditAction::MasterKeyRotate,
            Outcome::Success,
            Subject::default().detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(count)
    }
}

impl Services {
    /// Re-keys the checksums of revisions written before checksums were keyed (migration
    /// 0004), a page per transaction, so that none is left a reader could reverse and dedup
    /// compares like with like. Run at start-up; returns how many were re-keyed.
    #[tracing::instrument(skip_all)]
    pub async fn key_legacy_checksums(&self) -> ServiceResult<u64> {
        let mut count = 0u64;
        loop {
            let mut tx = self.store.write().await?;
            let page = tx.unkeyed_revisions(REWRAP_PAGE).await?;
            if page.is_empty() {
                return Ok(count);
            }
            for row in &page {
                let seal = (&row.secret_id, row.revision, &row.sealed);
                let sum = self.with_seal(&row.model_uuid, seal, |key, binding, sealed| {
                    let content = unseal(key, binding, sealed)?;
                    let canonical = content.canonical_json().map_err(CryptoError::Encode)?;
                    crypto::keyed_checksum(key, binding, sealed, &canonical)
                })?;
                tx.set_keyed_checksum(&row.secret_id, row.revision, &sum)
                    .await?;
                count += 1;
            }
            tx.commit().await?;
        }
    }
}

fn stored_seal(r: &RevisionRecord) -> (&SecretId, RevisionNumber, &Sealed) {
    (&r.secret_id, r.revision, &r.sealed)
}

/// Opens a revision's seal and reads its content.
fn unseal(
    key: &MasterKey,
    binding: &Binding<'_>,
    sealed: &Sealed,
) -> Result<SecretContent, CryptoError> {
    let plaintext = crypto::open(key, binding, sealed)?;
    serde_json::from_slice(&plaintext).map_err(|_| binding.decrypt_error())
}
