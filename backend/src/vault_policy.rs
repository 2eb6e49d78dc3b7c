//! Vault ACL policies, as far as Juju's `vault` secret backend writes them (issue 29): `path`
//! blocks whose `capabilities` name create, read, update, delete, list, sudo or deny. A path is
//! exact, or ends in `*` and then covers every path that starts with what comes before it (a
//! `*` anywhere else is an ordinary character, as in Vault). Everything a token may do comes
//! from its policies' rules, so nothing is allowed by default.
//!
//! Checked against OpenBao 2.7.2 (testkit/juju): which rule applies to a path, how rules of
//! several policies add up, and the wording of a parse error.

use std::collections::HashMap;
use std::fmt;

mod capabilities;

pub use capabilities::{Capabilities, Capability};

/// One policy's rules, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    rules: Vec<PathRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PathRule {
    pattern: PathPattern,
    capabilities: Capabilities,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PathPattern {
    Exact(String),
    /// `prefix*`: every path starting with the prefix.
    Prefix(String),
}

/// Why a policy's text was refused; shown as Vault words it ("failed to parse policy: …").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("failed to parse policy: {0}")]
    Syntax(String),
    #[error("failed to parse policy: invalid key \"{0}\"")]
    TopLevelKey(String),
    #[error("failed to parse policy: a path block needs one quoted path, as in path \"mount/*\"")]
    PathLabel,
    #[error("failed to parse policy: path \"{path}\": invalid key \"{key}\"")]
    InvalidKey { path: String, key: String },
    #[error(
        "failed to parse policy: path \"{path}\": path \"{path}\": invalid capability \"{capability}\""
    )]
    InvalidCapability { path: String, capability: String },
    #[error("failed to parse policy: path \"{path}\": capabilities must be a list of names")]
    CapabilitiesShape { path: String },
    #[error(
        "failed to parse policy: path \"{path}\": the \"+\" segment wildcard is not supported by Strongbox"
    )]
    SegmentWildcard { path: String },
    #[error(
        "failed to parse policy: path \"{path}\": Strongbox does not enforce \"{key}\", so it refuses it; only capabilities is supported"
    )]
    UnsupportedKey { path: String, key: String },
}

/// Keys Vault knows in a path block that this subset does not enforce: refused by name rather
/// than ignored, since ignoring a restriction would grant more than its author meant.
const VAULT_ONLY_KEYS: [&str; 9] = [
    "policy",
    "allowed_parameters",
    "denied_parameters",
    "required_parameters",
    "min_wrapping_ttl",
    "max_wrapping_ttl",
    "mfa_methods",
    "control_group",
    "subscribe_event_types",
];

impl Policy {
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let body = hcl::parse(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        if let Some(attribute) = body.attributes().find(|a| a.key() != "name") {
            return Err(PolicyError::TopLevelKey(attribute.key().to_owned()));
        }
        let mut rules = Vec::new();
        for block in body.blocks() {
            if block.identifier() != "path" {
                return Err(PolicyError::TopLevelKey(block.identifier().to_owned()));
            }
            let [hcl::BlockLabel::String(path)] = block.labels() else {
                return Err(PolicyError::PathLabel);
            };
            rules.push(PathRule::parse(path, block.body())?);
        }
        Ok(Self { rules })
    }
}

impl PathRule {
    fn parse(path: &str, body: &hcl::Body) -> Result<Self, PolicyError> {
        let at = || path.to_owned();
        if path.split('/').any(|segment| segment == "+") {
            return Err(PolicyError::SegmentWildcard { path: at() });
        }
        if let Some(block) = body.blocks().next() {
            return Err(PolicyError::InvalidKey {
                path: at(),
                key: block.identifier().to_owned(),
            });
        }
        let mut capabilities = Capabilities::default();
        for attribute in body.attributes() {
            match attribute.key() {
                "capabilities" => {}
                key if VAULT_ONLY_KEYS.contains(&key) => {
                    return Err(PolicyError::UnsupportedKey {
                        path: at(),
                        key: key.to_owned(),
                    });
                }
                key => {
                    return Err(PolicyError::InvalidKey {
                        path: at(),
                        key: key.to_owned(),
                    });
                }
            }
            let hcl::Expression::Array(items) = attribute.expr() else {
                return Err(PolicyError::CapabilitiesShape { path: at() });
            };
            for item in items {
                let hcl::Expression::String(name) = item else {
                    return Err(PolicyError::CapabilitiesShape { path: at() });
                };
                let capability =
                    Capability::parse(name).ok_or_else(|| PolicyError::InvalidCapability {
                        path: at(),
                        capability: name.clone(),
                    })?;
                capabilities.insert(capability);
            }
        }
        let pattern = match path.strip_suffix('*') {
            Some(prefix) => PathPattern::Prefix(prefix.to_owned()),
            None => PathPattern::Exact(path.to_owned()),
        };
        Ok(Self {
            pattern,
            capabilities,
        })
    }
}

/// The rules of all of a token's policies together. Rules for the same path add up (deny
/// takes everything away); a path is governed by its exact rule if there is one, else by the
/// longest prefix rule that covers it, else nothing is allowed.
#[derive(Debug, Default)]
pub struct Acl {
    exact: HashMap<String, Capabilities>,
    /// Longest prefix first.
    prefixes: Vec<(String, Capabilities)>,
}

impl Acl {
    pub fn new<'a>(policies: impl IntoIterator<Item = &'a Policy>) -> Self {
        let mut exact: HashMap<String, Capabilities> = HashMap::new();
        let mut prefixes: HashMap<String, Capabilities> = HashMap::new();
        for rule in policies.into_iter().flat_map(|p| &p.rules) {
            let (map, path) = match &rule.pattern {
                PathPattern::Exact(p) => (&mut exact, p),
                PathPattern::Prefix(p) => (&mut prefixes, p),
            };
            map.entry(path.clone())
                .or_default()
                .merge(rule.capabilities);
        }
        let mut prefixes: Vec<_> = prefixes.into_iter().collect();
        prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Self { exact, prefixes }
    }

    /// What may be done at `path` (a path below `/v1/`, without a leading slash).
    pub fn capabilities(&self, path: &str) -> Capabilities {
        if let Some(found) = self.exact.get(path) {
            return found.effective();
        }
        self.prefixes
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map(|(_, c)| c.effective())
            .unwrap_or_default()
    }

    pub fn allows(&self, path: &str, capability: Capability) -> bool {
        self.capabilities(path).contains(capability)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
#[path = "vault_policy_tests.rs"]
mod tests;
