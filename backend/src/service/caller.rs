//! Who is calling, and what the audit trail records about what they did.

use domain::{
    ApplicationId, ApplicationName, ModelName, ModelUuid, RevisionNumber, SecretId, UserId,
    UserName,
};

use crate::audit::{ActorKind, AuditActor};
use crate::store::ModelRecord;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User {
        id: UserId,
        name: UserName,
    },
    Application {
        id: ApplicationId,
        name: ApplicationName,
        model: ModelName,
    },
    /// The operator at the server's own console (`strongbox admin …`).
    System,
}

/// An actor plus where the request came from, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub actor: Actor,
    pub source: Option<String>,
}

impl Caller {
    pub fn system() -> Self {
        Caller {
            actor: Actor::System,
            source: None,
        }
    }

    pub fn user(id: UserId, name: UserName) -> Self {
        Caller {
            actor: Actor::User { id, name },
            source: None,
        }
    }

    pub fn with_source(mut self, source: Option<String>) -> Self {
        self.source = source;
        self
    }

    pub(crate) fn audit_actor(&self) -> AuditActor {
        match &self.actor {
            Actor::User { name, .. } => AuditActor {
                kind: ActorKind::User,
                name: name.to_string(),
            },
            Actor::Application { name, model, .. } => AuditActor {
                kind: ActorKind::Application,
                name: format!("{model}/{name}"),
            },
            Actor::System => AuditActor {
                kind: ActorKind::System,
                name: "system".into(),
            },
        }
    }

    /// The display name recorded with grants.
    pub(crate) fn display_name(&self) -> String {
        self.audit_actor().name
    }
}

/// A model the caller has been allowed to act in.
pub(crate) struct Scope {
    pub model: ModelRecord,
}

/// What the audit trail says about one event, short of actor, time and outcome.
#[derive(Default)]
pub(crate) struct Subject {
    pub model: Option<ModelUuid>,
    pub secret: Option<SecretId>,
    pub revision: Option<RevisionNumber>,
    pub detail: String,
}

impl Subject {
    pub fn model(model: &ModelRecord) -> Self {
        Subject {
            model: Some(model.uuid),
            ..Subject::default()
        }
    }

    pub fn secret(model: &ModelRecord, secret: &SecretId) -> Self {
        Subject {
            model: Some(model.uuid),
            secret: Some(secret.clone()),
            ..Subject::default()
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn revision(mut self, revision: RevisionNumber) -> Self {
        self.revision = Some(revision);
        self
    }
}
