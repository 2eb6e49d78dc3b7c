//! Granting applications `view` on a secret, revoking it, and reviewing all grants of a model.

use domain::{ApplicationName, ModelName, Permission, ValidationError};

use super::{Caller, SecretRef, Services, Subject, application_named};
use crate::audit::AuditAction;
use crate::error::ServiceResult;
use crate::store::{ApplicationRecord, ModelGrantRecord, ModelRecord, SecretOwner, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Grant,
    Revoke,
}

impl Services {
    /// Grants every named application, or none if any name is unknown.
    pub async fn grant_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        apps: &[ApplicationName],
    ) -> ServiceResult<Vec<ApplicationName>> {
        self.change_access(caller, model, secret, apps, Change::Grant)
            .await
    }

    /// Revokes every named application, or none if any name is unknown.
    pub async fn revoke_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        apps: &[ApplicationName],
    ) -> ServiceResult<Vec<ApplicationName>> {
        self.change_access(caller, model, secret, apps, Change::Revoke)
            .await
    }

    /// Returns the applications whose access actually changed.
    async fn change_access(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        apps: &[ApplicationName],
        change: Change,
    ) -> ServiceResult<Vec<ApplicationName>> {
        let action = match change {
            Change::Grant => AuditAction::SecretGrant,
            Change::Revoke => AuditAction::SecretRevoke,
        };
        let tx = self.store.write().await?;
        let (mut tx, scope, record) = self
            .modifiable_secret(tx, caller, model, secret, (Permission::GrantAccess, action))
            .await?;
        if apps.is_empty() {
            return Err(ValidationError::NoApplications.into());
        }
        let targets = resolve_applications(&mut *tx, &scope.model, apps).await?;
        let now = self.clock.now();
        let mut changed = Vec::new();
        for app in targets {
            if record.owner == SecretOwner::Application(app.id) {
                continue;
            }
            let did = match change {
                Change::Grant => {
                    tx.insert_grant(&record.id, app.id, &caller.display_name(), now)
                        .await?
                }
                Change::Revoke => {
                    tx.untrack(&record.id, app.id).await?;
                    tx.delete_grant(&record.id, app.id).await?
                }
            };
            if did {
                let verb = if change == Change::Grant {
                    "granted view to"
                } else {
                    "revoked view from"
                };
                let subject = Subject::secret(&scope.model, &record.id)
                    .detail(format!("{verb} {}", app.name));
                self.succeeded(&mut *tx, caller, action, subject).await?;
                changed.push(app.name);
            }
        }
        if change == Change::Revoke {
            self.prune_obsolete(&mut *tx, &scope.model, &record).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Every grant in the model: which application may read which secret, who granted it, when.
    pub async fn grant_review(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<Vec<ModelGrantRecord>> {
        let (mut tx, scope) = self
            .reading(
                caller,
                model,
                Permission::ViewSecrets,
                AuditAction::SecretView,
            )
            .await?;
        Ok(tx.model_grants(scope.model.id).await?)
    }
}

async fn resolve_applications(
    tx: &mut dyn Tx,
    model: &ModelRecord,
    names: &[ApplicationName],
) -> ServiceResult<Vec<ApplicationRecord>> {
    let mut found = Vec::with_capacity(names.len());
    for name in names {
        found.push(application_named(tx, model, name).await?);
    }
    Ok(found)
}
