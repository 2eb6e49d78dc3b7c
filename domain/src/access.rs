//! Who may do what: product spec §2 as closed enums and one `match`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;

/// A person's access level in one model, Juju's levels. They are ordered: admin ⊃ write ⊃ read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AccessLevel {
    Read,
    Write,
    Admin,
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 3] = [AccessLevel::Read, AccessLevel::Write, AccessLevel::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::Read => "read",
            AccessLevel::Write => "write",
            AccessLevel::Admin => "admin",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AccessLevel {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccessLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| ValidationError::AccessLevel(s.to_owned()))
    }
}

/// What a caller is, relative to one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// A person with no membership in the model.
    NonMember,
    Member(AccessLevel),
    /// Admin in every model, and manages models and users.
    Superuser,
    /// An application of this model, authenticated by its token.
    Application,
    /// An application of another model: to it, this model does not exist.
    ForeignApplication,
}

/// Everything the service layer checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// List secrets; show metadata, revisions and grants; list applications.
    ViewSecrets,
    ViewAudit,
    /// Add, update, rename, describe, auto-prune and remove user secrets.
    WriteSecrets,
    GrantAccess,
    RevealContent,
    ManageMembers,
    ManageApplications,
    ManageModels,
    ManageUsers,
    /// Read the content of a granted or owned secret, with tracking.
    ReadGrantedContent,
    /// Create and update the application's own secrets.
    WriteOwnSecrets,
    /// Sign off the access review and revoke grants in bulk from it.
    SignOffReview,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::ViewSecrets,
        Permission::ViewAudit,
        Permission::WriteSecrets,
        Permission::GrantAccess,
        Permission::RevealContent,
        Permission::ManageMembers,
        Permission::ManageApplications,
        Permission::ManageModels,
        Permission::ManageUsers,
        Permission::ReadGrantedContent,
        Permission::WriteOwnSecrets,
        Permission::SignOffReview,
    ];
}

/// What a caller may do in a model, read off the permission table: a page offers exactly these,
/// and compares no levels of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Capabilities {
    pub write_secrets: bool,
    pub grant_access: bool,
    pub reveal_content: bool,
    pub manage_applications: bool,
    pub sign_off_review: bool,
    /// The Juju backend that owns the model (ADR 0030): its secrets change only through Juju,
    /// so the page names the backend and says why it offers no change.
    #[serde(default)]
    pub juju_owner: Option<crate::JujuOwner>,
}

/// How a refusal looks to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Denial {
    /// 403: the caller may know the thing exists.
    Forbidden,
    /// 404: the caller may not even learn that it exists.
    NotFound,
}

impl Role {
    pub fn capabilities(self) -> Capabilities {
        Capabilities {
            write_secrets: self.allows(Permission::WriteSecrets),
            grant_access: self.allows(Permission::GrantAccess),
            reveal_content: self.allows(Permission::RevealContent),
            manage_applications: self.allows(Permission::ManageApplications),
            sign_off_review: self.allows(Permission::SignOffReview),
            juju_owner: None,
        }
    }

    /// The permission table. This is the only place that says who may do what.
    pub fn allows(self, permission: Permission) -> bool {
        use AccessLevel::{Admin, Read, Write};
        use Permission as P;
        match (self, permission) {
            (Role::Superuser, P::ReadGrantedContent | P::WriteOwnSecrets) => false,
            (Role::Superuser, _) => true,
            (Role::Member(level), P::ViewSecrets | P::ViewAudit) => level >= Read,
            (Role::Member(level), P::WriteSecrets | P::GrantAccess) => level >= Write,
            (
                Role::Member(level),
                P::RevealContent | P::ManageMembers | P::ManageApplications | P::SignOffReview,
            ) => level >= Admin,
            (Role::Member(_), P::ManageModels | P::ManageUsers) => false,
            (Role::Member(_), P::ReadGrantedContent | P::WriteOwnSecrets) => false,
            (Role::Application, P::ReadGrantedContent | P::WriteOwnSecrets) => true,
            (Role::Application, _) => false,
            (Role::NonMember | Role::ForeignApplication, _) => false,
        }
    }

    /// Whether the caller may see that the model exists at all.
    pub fn sees_model(self) -> bool {
        !matches!(self, Role::NonMember | Role::ForeignApplication)
    }

    /// How a refused request is answered: outsiders get 404 so existence is not revealed.
    pub fn denial(self) -> Denial {
        if self.sees_model() {
            Denial::Forbidden
        } else {
            Denial::NotFound
        }
    }
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
