//! `POST /api/v1/models/{model}/import`: secrets brought from elsewhere (a Juju model's
//! `show-secret --reveal` output, a Vault KV v2 mount), each with its revisions, oldest first.

use serde::{Deserialize, Serialize};

use crate::secrets::ContentInput;

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRequest {
    /// Where the secrets come from, named in each one's audit event: `juju` or `vault`.
    pub source: ImportSource,
    /// Report what would change, and change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Give a secret whose name is taken a new revision when its content differs, rather than
    /// reporting the clash.
    #[serde(default)]
    pub update: bool,
    pub secrets: Vec<ImportSecret>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ImportSource {
    Juju,
    Vault,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSecret {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// What it was there: a Juju secret ID, a Vault path.
    pub origin: String,
    /// Its revisions' content, oldest first; the last is the latest.
    pub revisions: Vec<ContentInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    pub secrets: Vec<ImportedSecret>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportedSecret {
    pub name: String,
    pub origin: String,
    pub outcome: ImportOutcome,
    /// Revisions added (or, in a dry run, that would be).
    pub revisions_added: u32,
    /// Why, for a clash, a refusal or a failure.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ImportOutcome {
    /// A new secret.
    Created,
    /// New revisions on a secret of that name: with `update`, or finishing an import that
    /// stopped part way.
    Updated,
    /// Already there with this content: nothing to do.
    Unchanged,
    /// The name is taken by a secret with other content; `update` would add a revision.
    Clash,
    /// The input breaks a rule (a key, a name, a size), which `message` names.
    Refused,
    /// Storing it failed; nothing after it was tried.
    Failed,
}
