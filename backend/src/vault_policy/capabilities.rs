//! The capabilities a policy rule grants, as a small set.

/// One capability a `path` rule may name. `Create` and `Update` are told apart by whether the
/// path already holds something, as Vault does for a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    Create,
    Read,
    Update,
    Delete,
    List,
    Sudo,
    /// Takes away every other capability at the path, whatever other rules grant.
    Deny,
}

impl Capability {
    const ALL: [Capability; 7] = [
        Capability::Create,
        Capability::Read,
        Capability::Update,
        Capability::Delete,
        Capability::List,
        Capability::Sudo,
        Capability::Deny,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Create => "create",
            Capability::Read => "read",
            Capability::Update => "update",
            Capability::Delete => "delete",
            Capability::List => "list",
            Capability::Sudo => "sudo",
            Capability::Deny => "deny",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of capabilities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities(u8);

impl Capabilities {
    pub fn insert(&mut self, capability: Capability) {
        self.0 |= capability.bit();
    }

    pub fn contains(self, capability: Capability) -> bool {
        self.0 & capability.bit() != 0
    }

    /// Two rules for the same path: what either grants.
    pub(super) fn merge(&mut self, other: Capabilities) {
        self.0 |= other.0;
    }

    /// What the set allows: nothing once it holds deny.
    pub(super) fn effective(self) -> Self {
        if self.contains(Capability::Deny) {
            Self::default()
        } else {
            self
        }
    }

    /// The names, in Vault's order, for answers such as `sys/capabilities-self`.
    pub fn names(self) -> Vec<&'static str> {
        Capability::ALL
            .into_iter()
            .filter(|c| self.contains(*c))
            .map(Capability::as_str)
            .collect()
    }
}
