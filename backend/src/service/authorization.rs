//! Authorization, the one path every use case takes: the caller's role in a model (or
//! overall), read fresh from the database, checked against the permission table; a refusal
//! is written to the audit chain before it is returned.

use domain::{ModelName, Permission, Role};

use super::{Actor, Caller, Scope, Services, Subject};
use crate::audit::{AuditAction, Outcome};
use crate::error::{Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{ModelRecord, Standing, Tx};

impl Services {
    /// The model named `name` and the caller's role in it, read fresh from the database in one
    /// statement, so a changed membership or superuser flag takes effect on the next request.
    pub(super) async fn model_and_role(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        name: &ModelName,
    ) -> ServiceResult<Option<(ModelRecord, Role)>> {
        let Some(asker) = caller.asker() else {
            let model = tx.model_by_name(name).await?;
            let role = match caller.actor {
                Actor::JujuToken(_) => Role::NonMember,
                _ => Role::Superuser,
            };
            return Ok(model.map(|m| (m, role)));
        };
        let Some((model, standing)) = tx.model_with_standing(name, asker).await? else {
            return Ok(None);
        };
        let role = match standing {
            Standing::Gone => return Err(ServiceError::Unauthenticated),
            Standing::User {
                superuser: true, ..
            } => Role::Superuser,
            Standing::User { access, .. } => access.map_or(Role::NonMember, Role::Member),
            Standing::Application {
                of_this_model: true,
            } => Role::Application,
            Standing::Application {
                of_this_model: false,
            } => Role::ForeignApplication,
        };
        Ok(Some((model, role)))
    }

    /// The caller's role where no model is involved: superuser or nothing.
    pub(super) async fn global_role(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
    ) -> ServiceResult<Role> {
        Ok(match &caller.actor {
            Actor::System => Role::Superuser,
            Actor::User { id, .. } => match tx.user(*id).await? {
                None => return Err(ServiceError::Unauthenticated),
                Some(u) if u.is_superuser() => Role::Superuser,
                // A person without the flag holds no global permission; as a reader they are
                // refused with 403 rather than 404, since users and models are not hidden.
                Some(_) => Role::Member(domain::AccessLevel::Read),
            },
            Actor::Application { .. } => Role::Application,
            Actor::JujuToken(_) => Role::NonMember,
        })
    }

    /// A write transaction in which the caller holds `permission` in `model`.
    pub(super) async fn writing(
        &self,
        caller: &Caller,
        model: &ModelName,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        let tx = self.store.write().await?;
        self.authorize(tx, caller, model, permission, action).await
    }

    /// A read transaction in which the caller holds `permission` in `model`.
    pub(super) async fn reading(
        &self,
        caller: &Caller,
        model: &ModelName,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        let tx = self.store.read().await?;
        self.authorize(tx, caller, model, permission, action).await
    }

    /// A read transaction in which the caller may see the model's secrets: what every listing
    /// and detail view needs.
    pub(super) async fn viewing(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        self.viewing_on(self.store.read().await?, caller, model)
            .await
    }

    /// The same check on a connection of the caller's choosing: a listing that is one
    /// statement after the check needs no snapshot, and skips BEGIN and ROLLBACK.
    pub(super) async fn viewing_on(
        &self,
        tx: Box<dyn Tx>,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        let (permission, action) = (Permission::ViewSecrets, AuditAction::SecretView);
        self.authorize(tx, caller, model, permission, action).await
    }

    pub(super) async fn writing_global(
        &self,
        caller: &Caller,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<Box<dyn Tx>> {
        let tx = self.store.write().await?;
        self.authorize_global(tx, caller, permission, action).await
    }

    pub(super) async fn reading_global(
        &self,
        caller: &Caller,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<Box<dyn Tx>> {
        let tx = self.store.read().await?;
        self.authorize_global(tx, caller, permission, action).await
    }

    /// Records a successful action in the caller's transaction.
    pub(super) async fn succeeded(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        action: AuditAction,
        subject: Subject,
    ) -> ServiceResult<()> {
        self.audit(tx, caller, action, Outcome::Success, subject)
            .await
    }

    /// Finds the model and checks `permission` in it. On refusal the transaction is dropped,
    /// the refusal is audited, and the error to return is handed back.
    pub(super) async fn authorize(
        &self,
        mut tx: Box<dyn Tx>,
        caller: &Caller,
        model_name: &ModelName,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        let not_found = || ServiceError::NotFound(Missing::Model(model_name.to_string()));
        let Some((model, role)) = self.model_and_role(&mut *tx, caller, model_name).await? else {
            let subject = Subject::default().detail(format!("model {model_name}"));
            return Err(self.refuse(tx, caller, action, subject, not_found()).await);
        };
        if role.allows(permission) {
            if changes_what_juju_owns(permission)
                && self.juju_owner(&mut *tx, model.id).await?.is_some()
            {
                let subject = Subject::model(&model).detail("the model belongs to a Juju backend");
                let error = ServiceError::Forbidden(Forbidden::JujuOwned);
                return Err(self.refuse(tx, caller, action, subject, error).await);
            }
            return Ok((tx, Scope { model, role }));
        }
        let error = match role.denial() {
            domain::Denial::NotFound => not_found(),
            domain::Denial::Forbidden => ServiceError::Forbidden(Forbidden::AccessLevel),
        };
        let subject = Subject::model(&model);
        Err(self.refuse(tx, caller, action, subject, error).await)
    }

    /// `authorize` for a read outside a transaction by an application in its own model. Its
    /// token was looked up with that model earlier in this request, so the hottest path, an
    /// application reading content, saves a statement. A removal of the application since is
    /// caught by the grant check, which reads fresh. Writes take `authorize`, which reads the
    /// standing inside their transaction.
    pub(super) async fn authorize_own_read(
        &self,
        tx: Box<dyn Tx>,
        caller: &Caller,
        model_name: &ModelName,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        if let Actor::Application { model, .. } = &caller.actor
            && model.name == *model_name
            && Role::Application.allows(permission)
        {
            let scope = Scope {
                model: model.clone(),
                role: Role::Application,
            };
            return Ok((tx, scope));
        }
        self.authorize(tx, caller, model_name, permission, action)
            .await
    }

    /// Checks a permission that belongs to no model (managing users and models).
    pub(super) async fn authorize_global(
        &self,
        mut tx: Box<dyn Tx>,
        caller: &Caller,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<Box<dyn Tx>> {
        if self.global_role(&mut *tx, caller).await?.allows(permission) {
            return Ok(tx);
        }
        let error = ServiceError::Forbidden(Forbidden::AccessLevel);
        Err(self
            .refuse(tx, caller, action, Subject::default(), error)
            .await)
    }

    /// Abandons `tx`, records the refusal in the journal, and returns `error`.
    pub(super) async fn refuse(
        &self,
        tx: Box<dyn Tx>,
        caller: &Caller,
        action: AuditAction,
        subject: Subject,
        error: ServiceError,
    ) -> ServiceError {
        drop(tx);
        self.refused(caller, action, subject, error).await
    }

    /// Records a refusal that needed no transaction in the journal, and returns `error`.
    pub(super) async fn refused(
        &self,
        caller: &Caller,
        action: AuditAction,
        subject: Subject,
        error: ServiceError,
    ) -> ServiceError {
        let event = self.event(caller, action, Outcome::Denied, subject);
        match self.journal.record(event).await {
            Ok(()) => error,
            Err(e) => e.into(),
        }
    }

    /// The model of the application whose token makes the call, for what only applications do
    /// (`/api/v1/app/…`). Anyone else is refused, and the refusal is audited like any other.
    pub(crate) async fn application_model(
        &self,
        caller: &Caller,
        action: AuditAction,
    ) -> ServiceResult<ModelName> {
        match &caller.actor {
            Actor::Application { model, .. } => Ok(model.name.clone()),
            _ => {
                let error = ServiceError::Forbidden(Forbidden::AccessLevel);
                Err(self
                    .refused(caller, action, Subject::default(), error)
                    .await)
            }
        }
    }

    /// The calling application; anyone else's attempt is refused and audited as `action`.
    pub(crate) async fn calling_application(
        &self,
        caller: &Caller,
        action: AuditAction,
    ) -> ServiceResult<domain::ApplicationId> {
        match &caller.actor {
            Actor::Application { id, .. } => Ok(*id),
            _ => {
                let error = ServiceError::Forbidden(Forbidden::AccessLevel);
                Err(self
                    .refused(caller, action, Subject::default(), error)
                    .await)
            }
        }
    }
}

/// What a Juju backend owns in its models (ADR 0030): their secrets, revisions, grants and
/// applications, which change only through Juju. Members may still be given access to see.
fn changes_what_juju_owns(permission: Permission) -> bool {
    matches!(
        permission,
        Permission::WriteSecrets
            | Permission::WriteOwnSecrets
            | Permission::GrantAccess
            | Permission::ManageApplications
    )
}
