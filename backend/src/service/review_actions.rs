//! What an admin does from the access review: revoke grants in bulk, and sign the review off.

use domain::{ApplicationName, ModelName, Permission, SignOffNote, ValidationError};

use super::access_review::grant_digest;
use super::{Caller, SecretRef, Services, Subject, application_named};
use crate::audit::AuditAction;
use crate::error::{Missing, ServiceError, ServiceResult};
use crate::store::{NewSignOff, SecretOwner, SecretRecord, SignOffRecord};

/// One grant named by the reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRef {
    pub application: ApplicationName,
    pub secret: SecretRef,
}

impl Services {
    /// Revokes every listed grant in one transaction, one audit event each; if any is not a
    /// grant of the model, nothing is revoked. Admins only.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_grants(
        &self,
        caller: &Caller,
        model: &ModelName,
        grants: &[GrantRef],
    ) -> ServiceResult<usize> {
        let (permission, action) = (Permission::SignOffReview, AuditAction::SecretRevoke);
        let (mut tx, scope) = self.writing(caller, model, permission, action).await?;
        if grants.is_empty() {
            return Err(ValidationError::NoGrantsSelected.into());
        }
        let mut touched: Vec<SecretRecord> = Vec::new();
        for grant in grants {
            let record = self
                .find_secret(&mut *tx, &scope, &grant.secret, SecretOwner::Model)
                .await?;
            let app = application_named(&mut *tx, &scope.model, &grant.application).await?;
            if !self
                .revoke_in(&mut *tx, caller, &scope.model, &record, &app)
                .await?
            {
                return Err(ServiceError::NotFound(Missing::Grant {
                    application: app.name.to_string(),
                    secret: grant.secret.text().to_owned(),
                }));
            }
            if !touched.iter().any(|t| t.id == record.id) {
                touched.push(record);
            }
        }
        for record in &touched {
            self.prune_obsolete(&mut *tx, &scope.model, record).await?;
        }
        tx.commit().await?;
        self.wake_event_streams();
        Ok(grants.len())
    }

    /// Records that an admin reviewed the model's grants: who, when, the note, and a digest of
    /// the grant set now. Audited.
    #[tracing::instrument(skip_all)]
    pub async fn sign_off_review(
        &self,
        caller: &Caller,
        model: &ModelName,
        note: &SignOffNote,
    ) -> ServiceResult<SignOffRecord> {
        let action = AuditAction::AccessReviewSignOff;
        let (mut tx, scope) = self
            .writing(caller, model, Permission::SignOffReview, action)
            .await?;
        let now = self.clock.now();
        let grants = tx.model_grants(scope.model.id).await?;
        let new = NewSignOff {
            model: scope.model.id,
            reviewed_by: caller.display_name(),
            reviewed_at: now,
            note: note.as_str().to_owned(),
            grant_digest: grant_digest(&grants),
            grant_count: grants.len() as i64,
        };
        let record = tx.insert_sign_off(&new).await?;
        let mut detail = format!("signed off the review of {} grants", grants.len());
        if !note.as_str().is_empty() {
            detail.push_str(": ");
            detail.push_str(note.as_str());
        }
        let subject = Subject::model(&scope.model).detail(detail);
        self.succeeded(&mut *tx, caller, action, subject).await?;
        tx.commit().await?;
        Ok(record)
    }
}
