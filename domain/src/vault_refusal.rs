//! The requests on the Vault surface Juju's backend speaks (ADR 0030) that Strongbox refuses as
//! bad (400), each with Vault's words where Vault has them, since Juju matches on some of them
//! ("path is already in use").

use thiserror::Error;

use crate::{ModelName, VaultMountPath, VaultPolicyName};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VaultRefusal {
    /// `root` and `default` are Vault's own policies.
    #[error("cannot update \"{0}\" policy")]
    UpdateBuiltInPolicy(VaultPolicyName),
    #[error("cannot delete {0} policy")]
    DeleteBuiltInPolicy(VaultPolicyName),
    #[error("'policy' parameter not supplied or empty")]
    NoPolicyBody,
    /// The HCL parser's own account of what is wrong, in Vault's form.
    #[error("{0}")]
    PolicyNotParsed(String),
    #[error(
        "Strongbox's Juju backend mounts only KV version 1 (type \"kv\", options {{\"version\": \"1\"}}), not \"{0}\""
    )]
    MountKind(String),
    #[error("path is already in use at {0}/")]
    MountInUse(VaultMountPath),
    #[error("path is already in use: Strongbox already has a model named {0}")]
    ModelNameTaken(ModelName),
    #[error(
        "mount path \"{0}\" does not make a model name: use lowercase letters, digits and dashes"
    )]
    MountNotAModelName(VaultMountPath),
    #[error(
        "Strongbox's Juju backend keeps keys of the form <secret id>-<revision>, as Juju writes them, not \"{0}\""
    )]
    KeyForm(String),
    #[error("Strongbox's Juju backend makes no root tokens; name the policies the token needs")]
    RootToken,
}
