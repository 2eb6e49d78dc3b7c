//! What an application is told about the secrets it reads (Juju's secret hooks).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A newer revision than the tracked one exists; read with `?mode=refresh`.
    SecretChanged,
    /// The application's grant was revoked; nothing more comes about the secret.
    AccessRevoked,
    /// The secret was removed.
    SecretRemoved,
    /// To the owner: the rotate policy fell due; make a new revision. Repeated every few
    /// minutes until one exists.
    SecretRotate,
    /// To the owner: the latest revision's expiry passed. Repeated until it is removed or a
    /// newer revision made.
    SecretExpired,
    /// To the owner: no application tracks this revision any more (Juju's `secret-remove`
    /// hook); the owner may remove it.
    RevisionObsolete,
    /// Events were pruned after the consumer's cursor: re-read what it tracks.
    Resync,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SecretChanged => "secret-changed",
            EventKind::AccessRevoked => "access-revoked",
            EventKind::SecretRemoved => "secret-removed",
            EventKind::SecretRotate => "secret-rotate",
            EventKind::SecretExpired => "secret-expired",
            EventKind::RevisionObsolete => "revision-obsolete",
            EventKind::Resync => "resync",
        }
    }

    /// The kinds kept in the event log (`resync` is only ever sent).
    pub fn parse_stored(text: &str) -> Option<Self> {
        [
            EventKind::SecretChanged,
            EventKind::AccessRevoked,
            EventKind::SecretRemoved,
            EventKind::SecretRotate,
            EventKind::SecretExpired,
            EventKind::RevisionObsolete,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
