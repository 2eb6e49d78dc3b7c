//! Names on the Vault-compatible surface Juju's `vault` secret backend uses (ADR 0030).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::ValidationError;
use crate::names::{follows_model_name_rule, name_type};

name_type!(
    /// The name of a Juju backend, the model-name rule: lowercase letters, digits and dashes,
    /// starting with a letter or digit, at most 63 characters.
    JujuBackendName,
    |s| {
        if follows_model_name_rule(s) {
            Ok(())
        } else {
            Err(ValidationError::JujuBackendName(s.to_owned()))
        }
    }
);

name_type!(
    /// An ACL policy's name, as stored: Vault lowercases names before it keeps them, so
    /// `parse` takes a name already lowercased (`VaultPolicyName::from_request`).
    VaultPolicyName,
    |s| {
        let ok = (1..=128).contains(&s.chars().count())
            && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c.is_uppercase());
        if ok { Ok(()) } else { Err(ValidationError::VaultPolicyName(s.to_owned())) }
    }
);

impl VaultPolicyName {
    /// A name as a request gives it: lowercased first, as Vault does.
    pub fn from_request(s: &str) -> Result<Self, ValidationError> {
        Self::parse(&s.to_lowercase())
    }
}

/// Which Juju backend owns a model, and at which mount: what a page says of a model only Juju
/// changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JujuOwner {
    pub backend: JujuBackendName,
    pub mount: VaultMountPath,
}

/// Vault's own path roots, which no mount can take.
const RESERVED_ROOTS: [&str; 4] = ["sys", "auth", "identity", "cubbyhole"];

name_type!(
    /// A mount's path: segments of letters, digits, `-`, `_` and `.`, joined by `/`, without
    /// a slash at either end, and not under one of Vault's own roots.
    VaultMountPath,
    |s| {
        let bad = |reason| Err(ValidationError::VaultMountPath { path: s.to_owned(), reason });
        if s.is_empty() || s.len() > 128 {
            return bad("use 1 to 128 characters");
        }
        let segment_ok = |seg: &str| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if !s.split('/').all(segment_ok) {
            return bad("use segments of letters, digits, '-', '_' and '.' joined by '/'");
        }
        let root = s.split('/').next().unwrap_or_default();
        if RESERVED_ROOTS.contains(&root) {
            return bad("sys, auth, identity and cubbyhole are Vault's own paths");
        }
        Ok(())
    }
);

impl VaultMountPath {
    /// The path as a request gives it, with the slashes Vault ignores at either end removed.
    pub fn from_request(s: &str) -> Result<Self, ValidationError> {
        Self::parse(s.trim_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn juju_s_mount_paths_and_policy_names_are_taken() {
        assert_eq!(
            VaultMountPath::from_request("/juju/wordpress-7a91d3/")
                .unwrap()
                .as_str(),
            "juju/wordpress-7a91d3"
        );
        assert_eq!(
            VaultPolicyName::from_request("juju/wordpress-7a91d3-d4kq8pbmp25c77ukat9g-Owner")
                .unwrap()
                .as_str(),
            "juju/wordpress-7a91d3-d4kq8pbmp25c77ukat9g-owner"
        );
        assert!(JujuBackendName::parse("ops-vault").is_ok());
    }

    #[test]
    fn bad_names_are_refused_with_the_rule() {
        for bad in ["", "a//b", "sys/x", "auth", "a b", "../x", "a/./b"] {
            let e = VaultMountPath::from_request(bad)
                .expect_err(bad)
                .to_string();
            assert!(e.starts_with("mount path"), "{e}");
        }
        for bad in ["", "two words", "tab\there"] {
            assert!(VaultPolicyName::from_request(bad).is_err(), "{bad}");
        }
        assert!(
            VaultPolicyName::parse("Upper").is_err(),
            "stored names are lowercase"
        );
        assert!(JujuBackendName::parse("Ops").is_err());
    }
}
