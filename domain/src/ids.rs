//! Typed identifiers. Database keys are `i64` newtypes so that a user id can never be passed
//! where an application id is expected; secret ids are xids, as in Juju.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::xid;

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

int_id!(
    /// A person's account.
    UserId
);
int_id!(
    /// A model's database key; its public identity is its [`ModelUuid`].
    ModelId
);
int_id!(
    /// An application inside one model.
    ApplicationId
);
int_id!(
    /// An API token (application or personal).
    TokenId
);
int_id!(
    /// A Juju secret backend served by Strongbox (ADR 0030).
    JujuBackendId
);
int_id!(
    /// A token of Juju's vault backend: the backend's own, or one it made.
    VaultTokenId
);

/// A model's UUID, as in `secret://<model-uuid>/<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct ModelUuid(pub uuid::Uuid);

impl fmt::Display for ModelUuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for ModelUuid {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s)
            .map(ModelUuid)
            .map_err(|_| ValidationError::HostUuid(s.to_owned()))
    }
}

/// A secret's id: a 20-character xid such as `cjt5s4lp3des77vsgehg`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct SecretId(String);

impl SecretId {
    /// Builds an id from its parts the way `rs/xid` lays them out: four bytes of big-endian
    /// seconds, so ids sort by creation time, then eight bytes that make it unique.
    pub fn from_parts(unix_seconds: u32, unique: [u8; 8]) -> Self {
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&unix_seconds.to_be_bytes());
        bytes[4..].copy_from_slice(&unique);
        SecretId(xid::encode(&bytes))
    }

    /// Parses a bare id. The error names the whole input as a URI, as Juju does.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        if xid::decode(s).is_some() {
            Ok(SecretId(s.to_owned()))
        } else {
            Err(ValidationError::Uri(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The canonical URI, `secret:<id>`.
    pub fn uri(&self) -> String {
        format!("secret:{}", self.0)
    }

    /// `secret:<id>`, typed.
    pub fn to_uri(&self) -> crate::SecretUri {
        crate::SecretUri {
            source: None,
            id: self.clone(),
        }
    }
}

impl fmt::Display for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for SecretId {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        SecretId::parse(&s)
    }
}

impl From<SecretId> for String {
    fn from(id: SecretId) -> Self {
        id.0
    }
}

/// A revision number: 1, 2, 3… Zero and negatives do not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct RevisionNumber(i64);

impl RevisionNumber {
    pub const FIRST: RevisionNumber = RevisionNumber(1);

    pub fn new(n: i64) -> Result<Self, ValidationError> {
        if n >= 1 {
            Ok(RevisionNumber(n))
        } else {
            Err(ValidationError::Revision)
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn next(self) -> Self {
        RevisionNumber(self.0 + 1)
    }
}

impl TryFrom<i64> for RevisionNumber {
    type Error = ValidationError;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        RevisionNumber::new(n)
    }
}

impl From<RevisionNumber> for i64 {
    fn from(r: RevisionNumber) -> Self {
        r.0
    }
}

impl fmt::Display for RevisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for RevisionNumber {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<i64>()
            .map_err(|_| ValidationError::Revision)
            .and_then(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_creation_second() {
        let early = SecretId::from_parts(1_700_000_000, [0xff; 8]);
        let late = SecretId::from_parts(1_700_000_001, [0; 8]);
        assert!(early < late);
        assert_eq!(SecretId::parse(early.as_str()), Ok(early.clone()));
        assert_eq!(early.uri(), format!("secret:{early}"));
    }

    #[test]
    fn revision_must_be_positive() {
        assert_eq!(RevisionNumber::new(0), Err(ValidationError::Revision));
        assert_eq!(
            "-3".parse::<RevisionNumber>(),
            Err(ValidationError::Revision)
        );
        assert_eq!(
            ValidationError::Revision.to_string(),
            "revision must be a positive integer"
        );
        assert_eq!(
            "7".parse::<RevisionNumber>().map(RevisionNumber::get),
            Ok(7)
        );
    }
}
