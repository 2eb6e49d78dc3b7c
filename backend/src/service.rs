//! The use cases. Every public method takes the [`Caller`], works out the caller's [`Role`] in
//! the model from the database, and checks the permission table before it touches anything.
//! A refusal is written to the audit chain; the refused change never happens.
//!
//! Each use case runs in a span of its own name (`#[tracing::instrument(skip_all)]`), inside the
//! HTTP edge's request span, so a log line says which request and which use case wrote it. No
//! argument is recorded: content, passwords and tokens must never reach a log.

use domain::{ApplicationName, UserName};
use std::sync::Arc;

use crate::audit::{AuditAction, NewAuditEvent, Outcome};
use crate::clock::Clock;
use crate::crypto::Keyring;
use crate::error::{Missing, ServiceError, ServiceResult};
use crate::journal::Journal;
use crate::store::{ModelRecord, Store, Tx};

/// Each model this node has asked about, with the Juju backend owning it, if any.
type JujuOwners = std::collections::HashMap<domain::ModelId, Option<domain::JujuOwner>>;
type ParsedPolicies = std::collections::HashMap<String, Arc<crate::vault_policy::Policy>>;

mod access_review;
mod applications;
mod audit_log;
mod authorization;
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

/// The use cases, over one store and keyring. A clone is one shared pointer: the HTTP layers
/// and extractors clone it several times a request (docs/adr/0033).
#[derive(Clone)]
pub struct Services(Arc<ServiceParts>);

/// What `Services` holds; read through `Deref`.
#[derive(Clone)]
pub struct ServiceParts {
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

impl std::ops::Deref for Services {
    type Target = ServiceParts;

    fn deref(&self) -> &ServiceParts {
        &self.0
    }
}

impl Services {
    pub fn new(store: Arc<dyn Store>, keys: Arc<Keyring>, clock: Arc<dyn Clock>) -> Self {
        let journal = Arc::new(Journal::new(store.clone()));
        Services(Arc::new(ServiceParts {
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
        }))
    }

    /// The parts to set while the services are built, before anything shares them.
    fn parts(&mut self) -> &mut ServiceParts {
        Arc::make_mut(&mut self.0)
    }

    /// Refuses password sign-in (`--password-sign-in off`); the admin CLI, which needs no
    /// sign-in, stays the way back in.
    pub fn with_password_sign_in(mut self, on: bool) -> Self {
        self.parts().password_sign_in = on;
        self
    }

    /// How many event streams a token and an application may hold open on this node.
    pub fn with_stream_limits(mut self, limits: StreamLimits) -> Self {
        self.parts().streams.limits = limits;
        self
    }

    /// Allows webhooks to loopback and link-local addresses (or not, the default).
    pub fn with_webhook_policy(mut self, policy: crate::webhook::TargetPolicy) -> Self {
        self.parts().webhook_policy = policy;
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
