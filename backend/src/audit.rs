//! Audit events and their hash chain.
//!
//! Each event's hash covers its own fields and the previous event's hash, so editing, removing or
//! reordering any row breaks every later link. The newest link is also kept in a separate head
//! row, so cutting events off the end is caught too.

use domain::{ModelUuid, RevisionNumber, SecretId, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use thiserror::Error;

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

macro_rules! closed_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_enum!(ActorKind {
    User => "user",
    Application => "application",
    System => "system",
    JujuToken => "juju-token",
});

closed_enum!(
    /// Everything that is audited.
    AuditAction {
        SecretAdd => "secret-add",
        SecretUpdate => "secret-update",
        SecretRemove => "secret-remove",
        RevisionRemove => "revision-remove",
        RevisionPrune => "revision-prune",
        SecretGrant => "secret-grant",
        SecretRevoke => "secret-revoke",
        SecretReveal => "secret-reveal",
        ContentRead => "content-read",
        SecretView => "secret-view",
        ModelCreate => "model-create",
        MemberSet => "member-set",
        MemberRemove => "member-remove",
        UserCreate => "user-create",
        UserUpdate => "user-update",
        ApplicationAdd => "application-add",
        ApplicationRemove => "application-remove",
        TokenCreate => "token-create",
        TokenRevoke => "token-revoke",
        MasterKeyRotate => "master-key-rotate",
        RotateDue => "rotate-due",
        ExpiryDue => "expiry-due",
        WebhookSet => "webhook-set",
        WebhookEnable => "webhook-enable",
        WebhookRemove => "webhook-remove",
        WebhookDisabled => "webhook-disabled",
        AccessReviewExport => "access-review-export",
        AccessReviewSignOff => "access-review-sign-off",
        SecretImport => "secret-import",
        SignIn => "sign-in",
        CliApprove => "cli-approve",
        ModelRemove => "model-remove",
        VaultPolicyPut => "vault-policy-put",
        VaultPolicyDelete => "vault-policy-delete",
        // A read of the backend's own state (its mounts, policies, key status), audited only
        // when refused.
        VaultSystemRead => "vault-system-read",
    }
);

closed_enum!(Outcome { Success => "success", Denied => "denied" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditActor {
    pub kind: ActorKind,
    /// `alice`, `prod/mysql` or `system`.
    pub name: String,
}

/// An event before it is chained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAuditEvent {
    pub at: Timestamp,
    pub actor: AuditActor,
    pub model: Option<ModelUuid>,
    pub secret: Option<SecretId>,
    pub revision: Option<RevisionNumber>,
    pub action: AuditAction,
    pub outcome: Outcome,
    pub source: Option<String>,
    /// Words for people; never a secret value.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub event: NewAuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// `events` appended after `head` (the last event's sequence number and hash; `None` for an
/// empty chain), each linked to the one before.
pub fn chain(head: Option<(i64, String)>, events: &[NewAuditEvent]) -> Vec<AuditEvent> {
    let (mut seq, mut prev_hash) = head.unwrap_or_else(|| (0, GENESIS_HASH.to_owned()));
    let mut appended = Vec::with_capacity(events.len());
    for e in events {
        seq += 1;
        let hash = chain_hash(seq, &prev_hash, e);
        appended.push(AuditEvent {
            seq,
            event: e.clone(),
            prev_hash,
            hash: hash.clone(),
        });
        prev_hash = hash;
    }
    appended
}

/// The hash of event `seq` with these fields, following `prev_hash`.
pub fn chain_hash(seq: i64, prev_hash: &str, e: &NewAuditEvent) -> String {
    let fields = serde_json::json!([
        seq,
        e.at.millis(),
        e.actor.kind.as_str(),
        e.actor.name,
        e.model.map(|m| m.to_string()),
        e.secret.as_ref().map(SecretId::as_str),
        e.revision.map(RevisionNumber::get),
        e.action.as_str(),
        e.outcome.as_str(),
        e.source,
        e.detail,
        prev_hash,
    ]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("audit chain broken at event {seq}: {problem}")]
pub struct BrokenLink {
    pub seq: i64,
    pub problem: LinkProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkProblem {
    #[error("the event is missing (deleted)")]
    Missing,
    #[error("its content does not match its hash (the row was edited)")]
    Edited,
    #[error("it does not follow the previous event's hash (rows were replaced or reordered)")]
    Unlinked,
    #[error("events after it were removed (the chain head says {head_seq})")]
    Truncated { head_seq: i64 },
    #[error("the chain head was altered")]
    HeadAltered,
}

/// Walks the chain in order, one event at a time, so it can run over pages of any size.
pub struct ChainVerifier {
    next_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            next_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, e: &AuditEvent) -> Result<(), BrokenLink> {
        let broken = |seq, problem| Err(BrokenLink { seq, problem });
        if e.seq != self.next_seq {
            return broken(self.next_seq, LinkProblem::Missing);
        }
        if e.prev_hash != self.prev_hash {
            return broken(e.seq, LinkProblem::Unlinked);
        }
        if chain_hash(e.seq, &e.prev_hash, &e.event) != e.hash {
            return broken(e.seq, LinkProblem::Edited);
        }
        self.next_seq += 1;
        self.prev_hash.clone_from(&e.hash);
        Ok(())
    }

    /// Compares the end of the walk with the stored head. Returns how many events were checked.
    pub fn finish(self, head: Option<(i64, String)>) -> Result<i64, BrokenLink> {
        let checked = self.next_seq - 1;
        match head {
            None if checked == 0 => Ok(0),
            None => Err(BrokenLink {
                seq: checked,
                problem: LinkProblem::HeadAltered,
            }),
            Some((seq, _)) if seq > checked => Err(BrokenLink {
                seq: checked + 1,
                problem: LinkProblem::Truncated { head_seq: seq },
            }),
            Some((seq, hash)) if seq != checked || hash != self.prev_hash => Err(BrokenLink {
                seq: checked,
                problem: LinkProblem::HeadAltered,
            }),
            Some(_) => Ok(checked),
        }
    }
}
