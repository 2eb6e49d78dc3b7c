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

/// Where an application stands in its events, as it is handed one and hands it back (`next`,
/// an event's `id`, `since`, `Last-Event-ID`). Opaque: sealed by the server, so that it tells
/// the application nothing of other models' and applications' events, and cannot be forged.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct EventCursor(String);

/// `c1_` and 36 bytes (nonce 12, sealed position 8, tag 16) in unpadded base64url.
const CURSOR_PREFIX: &str = "c1_";
const CURSOR_CHARS: usize = 48;

impl EventCursor {
    /// Checks the form only; whether it opens is the server's to find out.
    pub fn parse(text: &str) -> Result<Self, crate::ValidationError> {
        let body = text.strip_prefix(CURSOR_PREFIX).unwrap_or("");
        let ok = body.len() == CURSOR_CHARS
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(EventCursor(text.to_owned()))
        } else {
            Err(crate::ValidationError::EventCursor(
                text.chars().take(80).collect(),
            ))
        }
    }

    /// A cursor from its sealed bytes, in unpadded base64url (the server's side).
    pub fn from_sealed(encoded: &str) -> Self {
        EventCursor(format!("{CURSOR_PREFIX}{encoded}"))
    }

    /// The sealed bytes' base64url.
    pub fn sealed(&self) -> &str {
        &self.0[CURSOR_PREFIX.len()..]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for EventCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventCursor({})", self.0)
    }
}

impl fmt::Display for EventCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EventCursor {
    type Error = crate::ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EventCursor::parse(&s)
    }
}

impl From<EventCursor> for String {
    fn from(c: EventCursor) -> Self {
        c.0
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
