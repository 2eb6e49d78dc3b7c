//! Reads through the Vault-compatible KV v2 surface (issue 27, ADR 0027): an application's
//! token reads `MODEL/SECRET` (the model by name or UUID, the secret by name or ID) as hvac,
//! the `bao` CLI or Vault Agent would. It is the native read underneath, a peek: the same grant
//! check, audit (naming this surface) and read cache, and the tracking never moves.

use domain::{RevisionNumber, SecretId, SecretName, SecretUri};

use super::{Actor, Caller, ReadMode, RevealedContent, SecretRef, Services, Subject};
use crate::audit::AuditAction;
use crate::error::{Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{RevisionMeta, SecretOwner, SecretRecord};

/// Which surface a read came through, named in its audit event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadSurface {
    Native,
    /// The Vault-compatible KV v2 reads (`/v1/…`).
    Vault,
}

impl ReadSurface {
    /// `subject`, with the surface named when it is not the native API.
    pub(super) fn named(self, subject: Subject) -> Subject {
        match self {
            ReadSurface::Native => subject,
            ReadSurface::Vault => subject.detail("read through the Vault-compatible API"),
        }
    }
}

/// A secret's versions, for `GET /v1/{mount}/metadata/{path}`: no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultMetadata {
    pub secret: SecretRecord,
    pub revisions: Vec<RevisionMeta>,
}

impl Services {
    /// The latest revision of `path`, or `version`, for the calling application.
    #[tracing::instrument(skip_all)]
    pub async fn read_for_vault(
        &self,
        caller: &Caller,
        path: &str,
        version: Option<RevisionNumber>,
    ) -> ServiceResult<RevealedContent> {
        let (model, id) = self.vault_path(caller, path).await?;
        let secret = SecretRef::uri(id.to_uri());
        let mode = version.map_or(ReadMode::Peek, ReadMode::Exact);
        self.read_content_through(caller, &model, &secret, mode, ReadSurface::Vault)
            .await
    }

    /// The versions of `path`, if the calling application may read it.
    #[tracing::instrument(skip_all)]
    pub async fn metadata_for_vault(
        &self,
        caller: &Caller,
        path: &str,
    ) -> ServiceResult<VaultMetadata> {
        let (_, id) = self.vault_path(caller, path).await?;
        let Actor::Application { id: app, model, .. } = &caller.actor else {
            return Err(ServiceError::Forbidden(Forbidden::AccessLevel));
        };
        // The one secret's grant, in the statement the native read uses (cached between
        // writes), not a list of everything the application may read.
        let mut tx = self.store.read().await?;
        let read = tx
            .application_read(model.id, &id, *app, false)
            .await?
            .ok_or_else(|| ServiceError::NotFound(Missing::Secret(path.to_owned())))?;
        let found = read.secret;
        if found.owner != SecretOwner::Application(*app) && !read.view.granted {
            // There, but not granted: the same refusal a read gets.
            let error = ServiceError::Forbidden(Forbidden::NotGranted);
            let subject = Subject::secret(model, &found.id);
            return Err(self
                .refuse(tx, caller, AuditAction::SecretView, subject, error)
                .await);
        }
        let revisions = tx.revisions(&found.id).await?;
        Ok(VaultMetadata {
            secret: found,
            revisions,
        })
    }

    /// `MODEL/SECRET` checked against the calling application's model, and the secret's ID: a
    /// name is a user secret's of the model, else one of the application's own. Another model,
    /// or a path that is not two parts, is not there for it.
    async fn vault_path(
        &self,
        caller: &Caller,
        path: &str,
    ) -> ServiceResult<(domain::ModelName, SecretId)> {
        let Actor::Application { id: app, model, .. } = &caller.actor else {
            let error = ServiceError::Forbidden(Forbidden::AccessLevel);
            let action = AuditAction::ContentRead;
            return Err(self
                .refused(caller, action, Subject::default(), error)
                .await);
        };
        let missing = || ServiceError::NotFound(Missing::Secret(path.to_owned()));
        let (model_text, secret_text) = path.split_once('/').ok_or_else(missing)?;
        let ours = model_text == model.name.as_str() || model_text == model.uuid.to_string();
        if !ours {
            return Err(missing());
        }
        if let Ok(uri) = SecretUri::parse(secret_text) {
            return Ok((model.name.clone(), uri.id));
        }
        let name = SecretName::parse(secret_text).map_err(|_| missing())?;
        let mut tx = self.store.read().await?;
        for owner in [SecretOwner::Model, SecretOwner::Application(*app)] {
            if let Some(found) = tx.secret_by_name(model.id, owner, &name).await? {
                return Ok((model.name.clone(), found.id));
            }
        }
        Err(missing())
    }
}
