//! The use cases. Every public method takes the [`Caller`], works out the caller's [`Role`] in
//! the model from the database, and checks the permission table before it touches anything.
//! A refusal is written to the audit chain; the refused change never happens.
//!
//! Each use case runs in a span of its own name (`#[tracing::instrument(skip_all)]`), inside the
//! HTTP edge's request span, so a log line says which request and which use case wrote it. No
//! argument is recorded: content, passwords and tokens must never reach a log.

use domain::{ApplicationName, ModelName, Permission, Role, UserName};
use std::sync::Arc;

use crate::audit::{AuditAction, NewAuditEvent, Outcome};
use crate::clock::Clock;
use crate::crypto::Keyring;
use crate::error::{Forbidden, Missing, ServiceError, ServiceResult};
use crate::journal::Journal;
use crate::store::{ModelRecord, Standing, Store, Tx};

/// Each model this node has asked about, with the Juju backend owning it, if any.
type JujuOwners = std::collections::HashMap<domain::ModelId, Option<domain::JujuOwner>>;
type ParsedPolicies = std::collections::HashMap<String, Arc<crate::vault_policy::Policy>>;

mod access_review;
mod applications;
mod audit_log;
mod backup;
mod caller;
mod cli_approval;
mod content;
mod due;
mod events;
mod grants;
mod import;
mod juju_backend;
mod keys;
mod model_overview;
mod models;
mod own_secrets;
mod provider_sign_in;
mod remembered_read;
mod review_actions;
mod review_matrix;
mod review_page;
mod secret_overview;
mod secret_ref;
mod secrets;
mod sign_in;
mod stream_slots;
mod subscription;
mod tokens;
mod tracking;
mod updates;
mod users;
mod vault_read;
mod webhook_delivery;
mod webhooks;

pub use access_review::{AccessReview, RECENT_DAYS, ReviewQuery, ReviewSlice, ReviewedGrant};
pub use applications::{ApplicationView, Applications, ReadableSecret};
pub use caller::{Actor, Caller, JujuTokenHolder};
pub(crate) use caller::{Scope, Subject};
pub use cli_approval::{CLI_APPROVAL_TTL_MS, CliCollected, CliRequest, normalize_code};
pub use content::{ReadMode, RevealedContent};
pub use events::{AppEvent, EventBatch, EventWaiter, RETENTION_MS};
pub use grants::{AccessChange, AccessChanged};
pub use juju_backend::{IssuedVaultToken, KvValues, MountRequest, VaultTokenRequest};
pub use model_overview::ModelOverview;
pub use provider_sign_in::{FLOW_TTL_MS, GroupMapping, GroupRoles, ProviderPerson};
pub use review_actions::GrantRef;
pub use review_matrix::{MatrixRequest, ReviewMatrix};
pub use review_page::{ReviewPage, ReviewPageRequest, ReviewStatus};
pub use secret_overview::{Behind, SecretOverview};
pub use secret_ref::SecretRef;
pub use secrets::{NewSecret, RevisionView, SecretDetails, SecretPage};
pub use stream_slots::{StreamLimits, StreamSlot};
pub use subscription::Subscription;
pub use updates::{RemoveOutcome, SecretUpdate, UpdateOutcome};
pub use users::{UserChange, UserWithAccess, Users};
pub use vault_read::{ReadSurface, VaultMetadata};
pub use webhook_delivery::RETRY_DELAYS_SECS;
pub use webhooks::WebhookStatus;

/// The application called `name` in `model`, or the error that says it does not exist.
pub(crate) async fn application_named(
    tx: &mut dyn Tx,
    model: &ModelRecord,
    name: &ApplicationName,
) -> ServiceResult<crate::store::ApplicationRecord> {
    tx.application_by_name(model.id, name)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Application(name.to_string())))
}

/// The user called `name`, or the error that says there is none.
pub(crate) async fn user_named(
    tx: &mut dyn Tx,
    name: &UserName,
) -> ServiceResult<crate::store::UserRecord> {
    tx.user_by_name(name)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::User(name.to_string())))
}

#[derive(Clone)]
pub struct Services {
    store: Arc<dyn Store>,
    keys: Arc<Keyring>,
    clock: Arc<dyn Clock>,
    /// Where reads and refusals append their audit events, in group commits.
    journal: Arc<Journal>,
    /// Moved after each commit that wrote application events, to wake their streams.
    event_wakeups: Arc<tokio::sync::watch::Sender<events::EventSignal>>,
    /// Which addresses a webhook may be set to reach.
    webhook_policy: crate::webhook::TargetPolicy,
    /// The event streams open on this node, per token and per application.
    streams: stream_slots::StreamSlots,
    /// Whether people may sign in with a password (`--password-sign-in`).
    password_sign_in: bool,
    /// Which models a Juju backend owns, as far as this node has asked (`juju_owner`).
    juju_owned: Arc<std::sync::Mutex<JujuOwners>>,
    /// Juju backend policies parsed, by their text (`parsed_policy`).
    vault_policies: Arc<std::sync::Mutex<ParsedPolicies>>,
}

impl Services {
    pub fn new(store: Arc<dyn Store>, keys: Arc<Keyring>, clock: Arc<dyn Clock>) -> Self {
        let journal = Arc::new(Journal::new(store.clone()));
        Services {
            store,
            keys,
            clock,
            journal,
            event_wakeups: Arc::new(tokio::sync::watch::Sender::new(Default::default())),
            webhook_policy: Default::default(),
            streams: Default::default(),
            password_sign_in: true,
            juju_owned: Default::default(),
            vault_policies: Default::default(),
        }
    }

    /// Refuses password sign-in (`--password-sign-in off`); the admin CLI, which needs no
    /// sign-in, stays the way back in.
    pub fn with_password_sign_in(mut self, on: bool) -> Self {
        self.password_sign_in = on;
        self
    }

    /// How many event streams a token and an application may hold open on this node.
    pub fn with_stream_limits(mut self, limits: StreamLimits) -> Self {
        self.streams.limits = limits;
        self
    }

    /// Allows webhooks to loopback and link-local addresses (or not, the default).
    pub fn with_webhook_policy(mut self, policy: crate::webhook::TargetPolicy) -> Self {
        self.webhook_policy = policy;
        self
    }

    /// The database connections open and idle, for the metrics. (The store itself is never
    /// handed out: every read and write goes through a use case and its role check.)
    pub fn connections(&self) -> crate::store::ConnectionUse {
        self.store.connections()
    }

    /// Whether the database answers with every migration applied (`/readyz`).
    pub async fn database_ready(&self) -> crate::store::StoreResult<()> {
        self.store.ready().await
    }

    pub fn now(&self) -> domain::Timestamp {
        self.clock.now()
    }

    /// The model named `name` and the caller's role in it, read fresh from the database in one
    /// statement, so a changed membership or superuser flag takes effect on the next request.
    async fn model_and_role(
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
    async fn global_role(&self, tx: &mut dyn Tx, caller: &Caller) -> ServiceResult<Role> {
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
    async fn writing(
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
    async fn reading(
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
    async fn viewing(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        self.viewing_on(self.store.read().await?, caller, model)
            .await
    }

    /// The same check on a connection of the caller's choosing: a listing that is one
    /// statement after the check needs no snapshot, and skips BEGIN and ROLLBACK.
    async fn viewing_on(
        &self,
        tx: Box<dyn Tx>,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<(Box<dyn Tx>, Scope)> {
        let (permission, action) = (Permission::ViewSecrets, AuditAction::SecretView);
        self.authorize(tx, caller, model, permission, action).await
    }

    async fn writing_global(
        &self,
        caller: &Caller,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<Box<dyn Tx>> {
        let tx = self.store.write().await?;
        self.authorize_global(tx, caller, permission, action).await
    }

    async fn reading_global(
        &self,
        caller: &Caller,
        permission: Permission,
        action: AuditAction,
    ) -> ServiceResult<Box<dyn Tx>> {
        let tx = self.store.read().await?;
        self.authorize_global(tx, caller, permission, action).await
    }

    /// Records a successful action in the caller's transaction.
    async fn succeeded(
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
    async fn authorize(
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
    async fn authorize_own_read(
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
    async fn authorize_global(
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
    async fn refuse(
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
    async fn refused(
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

    /// Records an action that changed nothing (a read) in the journal; returns once the event
    /// is committed.
    async fn journaled(
        &self,
        caller: &Caller,
        action: AuditAction,
        subject: Subject,
    ) -> ServiceResult<()> {
        let event = self.event(caller, action, Outcome::Success, subject);
        Ok(self.journal.record(event).await?)
    }

    async fn audit(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        action: AuditAction,
        outcome: Outcome,
        subject: Subject,
    ) -> ServiceResult<()> {
        tx.append_audit(&self.event(caller, action, outcome, subject))
            .await?;
        // Counted once the write commits: an event whose transaction fails was never recorded.
        let outcome = outcome.to_string();
        tx.after_commit(Box::new(move || {
            metrics::counter!("strongbox_audit_events_total", "outcome" => outcome, "path" => "transaction")
                .increment(1);
        }));
        Ok(())
    }

    fn event(
        &self,
        caller: &Caller,
        action: AuditAction,
        outcome: Outcome,
        subject: Subject,
    ) -> NewAuditEvent {
        NewAuditEvent {
            at: self.clock.now(),
            actor: caller.audit_actor(),
            model: subject.model,
            secret: subject.secret,
            revision: subject.revision,
            action,
            outcome,
            source: caller.source.clone(),
            detail: subject.detail,
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
