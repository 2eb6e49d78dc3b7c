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
    /// Events were pruned after the consumer's cursor: re-read what it tracks.
    Resync,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SecretChanged => "secret-changed",
            EventKind::AccessRevoked => "access-revoked",
            EventKind::SecretRemoved => "secret-removed",
            EventKind::Resync => "resync",
        }
    }

    /// The kinds kept in the event log (`resync` is only ever sent).
    pub fn parse_stored(text: &str) -> Option<Self> {
        [
            EventKind::SecretChanged,
            EventKind::AccessRevoked,
            EventKind::SecretRemoved,
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
