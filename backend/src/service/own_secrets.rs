//! What an application does with its own token (`/api/v1/app/…`, Juju's `secret-get`,
//! `secret-add` and `secret-set`). Each use case finds the caller's model itself, and refuses,
//! with an audit record, anyone who is not an application.

use api_types::applications::{OwnSecret, OwnUpdate, ReadParams};

use super::{
    Caller, NewSecret, ReadMode, RevealedContent, SecretRef, SecretUpdate, Services, UpdateOutcome,
};
use crate::audit::AuditAction;
use crate::error::ServiceResult;
use crate::store::SecretRecord;

impl Services {
    /// Reads a secret the calling application owns or was granted.
    #[tracing::instrument(skip_all)]
    pub async fn read_own(
        &self,
        caller: &Caller,
        secret: &SecretRef,
        params: &ReadParams,
    ) -> ServiceResult<RevealedContent> {
        let model = self
            .application_model(caller, AuditAction::ContentRead)
            .await?;
        let mode = ReadMode::from_param(params.mode.as_deref())?;
        self.read_content(caller, &model, secret, mode).await
    }

    /// Adds a secret the calling application owns.
    #[tracing::instrument(skip_all)]
    pub async fn add_own_secret(
        &self,
        caller: &Caller,
        req: OwnSecret,
    ) -> ServiceResult<SecretRecord> {
        let model = self
            .application_model(caller, AuditAction::SecretAdd)
            .await?;
        let new = NewSecret::own(req, self.now())?;
        self.add_secret(caller, &model, new).await
    }

    /// Updates one of the calling application's own secrets.
    #[tracing::instrument(skip_all)]
    pub async fn update_own_secret(
        &self,
        caller: &Caller,
        secret: &SecretRef,
        req: OwnUpdate,
    ) -> ServiceResult<UpdateOutcome> {
        let model = self
            .application_model(caller, AuditAction::SecretUpdate)
            .await?;
        let update = SecretUpdate::own(req, self.now())?;
        self.update_secret(caller, &model, secret, update).await
    }
}
