//! The claims Strongbox reads from an ID token or userinfo: the username claim and the groups
//! claim are named by flags, so any claim may be either.

use std::collections::HashMap;

use openidconnect::core::CoreGenderClaim;
use openidconnect::{AdditionalClaims, IdTokenClaims};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Every claim that is not a standard one, by name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OtherClaims(pub HashMap<String, Value>);

impl AdditionalClaims for OtherClaims {}

/// The claims an ID token and a userinfo answer both carry, read the same way.
pub trait Claims {
    fn standard(&self, name: &str) -> Option<String>;
    fn other(&self) -> &OtherClaims;

    /// A claim's text: standard ones by their accessor, others from the map.
    fn text(&self, name: &str) -> Option<String> {
        let found = self.standard(name).or_else(|| {
            self.other()
                .0
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        found.filter(|t| !t.trim().is_empty())
    }
}

/// Both claim sets have the same accessors, but no trait in the crate names them.
macro_rules! standard_claims {
    ($t:ty) => {
        impl Claims for $t {
            fn standard(&self, name: &str) -> Option<String> {
                match name {
                    "sub" => Some(self.subject().to_string()),
                    "preferred_username" => self.preferred_username().map(|u| u.to_string()),
                    "email" => self.email().map(|e| e.to_string()),
                    "nickname" => self
                        .nickname()
                        .and_then(|n| n.get(None))
                        .map(|n| n.to_string()),
                    "name" => self.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
                    _ => None,
                }
            }
            fn other(&self) -> &OtherClaims {
                self.additional_claims()
            }
        }
    };
}
standard_claims!(IdTokenClaims<OtherClaims, CoreGenderClaim>);
standard_claims!(openidconnect::UserInfoClaims<OtherClaims, CoreGenderClaim>);

/// The groups claim: a list of names, or one name. `None` when the claim is absent (so
/// userinfo may be asked); an empty list when it is present and empty.
pub fn groups(other: &OtherClaims, name: &str) -> Option<Vec<String>> {
    match other.0.get(name)? {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        Value::String(one) => Some(vec![one.clone()]),
        Value::Null => None,
        _ => Some(Vec::new()),
    }
}

/// Entra ID leaves the groups out when a person is in too many (the "overage"), naming a
/// Graph call in `_claim_names` instead. Strongbox does not call Graph: it says so.
pub fn overage(other: &OtherClaims, groups_claim: &str) -> bool {
    other
        .0
        .get("_claim_names")
        .and_then(|names| names.get(groups_claim))
        .is_some()
}
