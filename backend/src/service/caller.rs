//! Who is calling, and what the audit trail records about what they did.

use domain::{
    ApplicationId, ApplicationName, JujuBackendId, ModelUuid, RevisionNumber, SecretId, UserId,
    UserName, VaultTokenId,
};

use crate::audit::{ActorKind, AuditActor};
use crate::store::{Asker, ModelRecord, TokenPowers};

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
        /// Its own model, read with the token in the same statement.
        model: ModelRecord,
    },
    /// The operator at the server's own console (`strongbox admin …`).
    System,
    /// A token of a Juju backend (ADR 0030), on the Vault surface Juju speaks and nowhere else.
    JujuToken(JujuTokenHolder),
}

/// A Juju backend's token, as authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JujuTokenHolder {
    pub backend: JujuBackendId,
    pub token: VaultTokenId,
    pub accessor: String,
    pub display_name: String,
    pub powers: TokenPowers,
    pub created_at: domain::Timestamp,
    pub expires_at: Option<domain::Timestamp>,
}

/// An actor plus where the request came from, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub actor: Actor,
    pub source: Option<String>,
    /// Set when the token's holder may have come from this node's memory, where other nodes
    /// write too (`Services::authenticate_for_read`): a read must then be checked before it is
    /// answered, and made again from the database if that fails.
    pub(crate) remembered: Option<Remembered>,
}

/// The token a caller presented, and how far this node had followed other nodes' changes
/// before looking it up (docs/adr/0028).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remembered {
    pub token: crate::token::TokenHash,
    pub since: u64,
}

impl Caller {
    pub fn system() -> Self {
        Caller {
            actor: Actor::System,
            source: None,
            remembered: None,
        }
    }

    pub fn user(id: UserId, name: UserName) -> Self {
        Caller {
            actor: Actor::User { id, name },
            source: None,
            remembered: None,
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
                name: format!("{}/{name}", model.name),
            },
            Actor::System => AuditActor {
                kind: ActorKind::System,
                name: "system".into(),
            },
            // Juju leaves display names at Vault's "token", so the accessor tells them apart.
            Actor::JujuToken(t) => AuditActor {
                kind: ActorKind::JujuToken,
                name: format!("{} {}", t.display_name, t.accessor),
            },
        }
    }

    /// Who asks the store about a model; the system asks as no one. A Juju token never asks:
    /// the native surfaces refuse it before (`Services::model_and_role`).
    pub(crate) fn asker(&self) -> Option<Asker> {
        match &self.actor {
            Actor::User { id, .. } => Some(Asker::User(*id)),
            Actor::Application { id, .. } => Some(Asker::Application(*id)),
            Actor::System | Actor::JujuToken(_) => None,
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
    /// The caller's role there, as the permission check found it.
    pub role: domain::Role,
}

/// What the audit trail says about one event, short of actor, time and outcome.
#[derive(Default)]
pub(crate) struct Subject {
    pub model: Option<ModelUuid>,
    pub secret: Option<SecretId>,
    pub revision: Option<RevisionNumber>,
    pub detail: String,
}

/// The longest audit detail kept whole.
pub const MAX_DETAIL_CHARS: usize = 1_024;

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

    /// What happened, in words. The audit log is append-only, so a detail longer than
    /// [`MAX_DETAIL_CHARS`] is cut there, and says how much was left out.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let total = detail.chars().count();
        self.detail = if total > MAX_DETAIL_CHARS {
            let kept: String = detail.chars().take(MAX_DETAIL_CHARS).collect();
            format!("{kept}… ({} more characters)", total - MAX_DETAIL_CHARS)
        } else {
            detail
        };
        self
    }

    pub fn revision(mut self, revision: RevisionNumber) -> Self {
        self.revision = Some(revision);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_details_are_bounded_and_say_what_was_cut() {
        let keys = vec!["k".repeat(128); 256].join(", ");
        let detail = Subject::default().detail(format!("keys: {keys}")).detail;
        assert!(detail.starts_with("keys: kkk"));
        assert!(detail.ends_with(&format!(
            "… ({} more characters)",
            6 + keys.len() - MAX_DETAIL_CHARS
        )));
        assert_eq!(Subject::default().detail("short").detail, "short");
    }
}
