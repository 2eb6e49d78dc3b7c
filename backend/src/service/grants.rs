//! Granting applications `view` on a secret, revoking it, and reviewing all grants of a model.

use domain::{ApplicationName, EventKind, ModelName, Permission, SecretId, ValidationError};

use super::{Caller, SecretRef, Services, Subject, application_named};
use crate::audit::AuditAction;
use crate::error::ServiceResult;
use crate::store::{
    ApplicationRecord, ModelGrantRecord, ModelRecord, SecretOwner, SecretRecord, Tx,
};

/// Which applications gain and which lose access, applied together in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessChange {
    pub grant: Vec<ApplicationName>,
    pub revoke: Vec<ApplicationName>,
}

/// What actually changed: applications already in the wanted state are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessChanged {
    pub granted: Vec<ApplicationName>,
    pub revoked: Vec<ApplicationName>,
}

impl Services {
    /// Grants every named application, or none if any name is unknown.
    #[tracing::instrument(skip_all)]
    pub async fn grant_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        apps: &[ApplicationName],
    ) -> ServiceResult<Vec<ApplicationName>> {
        let change = AccessChange {
            grant: apps.to_vec(),
            revoke: Vec::new(),
        };
        Ok(self
            .set_access(caller, model, secret, &change)
            .await?
            .granted)
    }

    /// Revokes every named application, or none if any name is unknown.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        apps: &[ApplicationName],
    ) -> ServiceResult<Vec<ApplicationName>> {
        let change = AccessChange {
            grant: Vec::new(),
            revoke: apps.to_vec(),
        };
        Ok(self
            .set_access(caller, model, secret, &change)
            .await?
            .revoked)
    }

    /// Grants and revokes together: all of it happens, or (on any unknown name) none.
    #[tracing::instrument(skip_all)]
    pub async fn set_access(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        change: &AccessChange,
    ) -> ServiceResult<AccessChanged> {
        let action = if change.grant.is_empty() {
            AuditAction::SecretRevoke
        } else {
            AuditAction::SecretGrant
        };
        let tx = self.store.write().await?;
        let (tx, scope, record) = self
            .modifiable_secret(tx, caller, model, secret, (Permission::GrantAccess, action))
            .await?;
        if change.grant.is_empty() && change.revoke.is_empty() {
            return Err(ValidationError::NoApplications.into());
        }
        self.change_access(tx, caller, &scope.model, &record, change)
            .await
    }

    /// Sets the secret's grants to exactly `wanted` (the dashboard's checkboxes): the current
    /// grants are read, and the difference granted and revoked, in one transaction. Returns the
    /// secret's ID and what changed.
    #[tracing::instrument(skip_all)]
    pub async fn set_grants(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        wanted: &[ApplicationName],
    ) -> ServiceResult<(SecretId, AccessChanged)> {
        let tx = self.store.write().await?;
        let access = (Permission::GrantAccess, AuditAction::SecretGrant);
        let (mut tx, scope, record) = self
            .modifiable_secret(tx, caller, model, secret, access)
            .await?;
        let current: Vec<ApplicationName> = tx
            .grants(&record.id)
            .await?
            .into_iter()
            .map(|g| g.application_name)
            .collect();
        let change = AccessChange {
            grant: wanted
                .iter()
                .filter(|a| !current.contains(a))
                .cloned()
                .collect(),
            revoke: current
                .into_iter()
                .filter(|a| !wanted.contains(a))
                .collect(),
        };
        let id = record.id.clone();
        if change.grant.is_empty() && change.revoke.is_empty() {
            return Ok((id, AccessChanged::default()));
        }
        let done = self
            .change_access(tx, caller, &scope.model, &record, &change)
            .await?;
        Ok((id, done))
    }

    /// Applies `change` in `tx` and commits: an unknown name changes nothing.
    async fn change_access(
        &self,
        mut tx: Box<dyn Tx>,
        caller: &Caller,
        model: &ModelRecord,
        record: &SecretRecord,
        change: &AccessChange,
    ) -> ServiceResult<AccessChanged> {
        let grant = resolve_applications(&mut *tx, model, &change.grant).await?;
        let revoke = resolve_applications(&mut *tx, model, &change.revoke).await?;
        let now = self.clock.now();
        let mut done = AccessChanged::default();
        for app in grant
            .into_iter()
            .filter(|a| record.owner != SecretOwner::Application(a.id))
        {
            if tx
                .insert_grant(&record.id, app.id, &caller.display_name(), now)
                .await?
            {
                let subject = Subject::secret(model, &record.id)
                    .detail(format!("granted view to {}", app.name));
                self.succeeded(&mut *tx, caller, AuditAction::SecretGrant, subject)
                    .await?;
                done.granted.push(app.name);
            }
        }
        for app in revoke {
            if self
                .revoke_in(&mut *tx, caller, model, record, &app)
                .await?
            {
                done.revoked.push(app.name);
            }
        }
        if !done.revoked.is_empty() {
            self.prune_obsolete(&mut *tx, model, record).await?;
        }
        tx.commit().await?;
        if !done.revoked.is_empty() {
            self.wake_event_streams();
        }
        Ok(done)
    }

    /// Revokes `app`'s grant on `record` in `tx`: the tracking, the usage counts and the grant
    /// go, the application hears of it, and the revoke is audited. False if there was none.
    pub(super) async fn revoke_in(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        model: &ModelRecord,
        record: &SecretRecord,
        app: &ApplicationRecord,
    ) -> ServiceResult<bool> {
        tx.untrack(&record.id, app.id).await?;
        tx.forget_usage(&record.id, app.id).await?;
        if !tx.delete_grant(&record.id, app.id).await? {
            return Ok(false);
        }
        let now = self.clock.now();
        tx.announce_to(app.id, EventKind::AccessRevoked, &record.id, None, now)
            .await?;
        let subject =
            Subject::secret(model, &record.id).detail(format!("revoked view from {}", app.name));
        self.succeeded(tx, caller, AuditAction::SecretRevoke, subject)
            .await?;
        Ok(true)
    }

    /// Every grant in the model: which application may read which secret, who granted it, when.
    #[tracing::instrument(skip_all)]
    pub async fn grant_review(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<Vec<ModelGrantRecord>> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
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
