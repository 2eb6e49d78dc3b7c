//! The Vault-compatible read surface (issue 27, ADR 0027, docs/vault-compatibility.md): KV v2
//! reads, the mount lookup the CLIs make first, and the token's own lookup, renewal and
//! revocation, for application tokens, on the same listener. Each handler is one service call
//! (the native read underneath: one grant check, one audit log, one read cache) and one
//! conversion to Vault's shapes.

mod answers;
mod juju_answers;
mod juju_routes;
mod refusal;
mod routes;
mod token_request;

pub use juju_routes::routes as juju_routes;
pub use routes::routes;

use crate::config::ConfigError;

/// `--vault-mount`: one path segment that is not one of Vault's own.
pub fn mount_name(value: &str) -> Result<String, ConfigError> {
    let name = value.trim().trim_matches('/');
    let fits = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !fits || matches!(name, "sys" | "auth" | "identity" | "cubbyhole") {
        return Err(ConfigError::Setting {
            setting: "--vault-mount / STRONGBOX_VAULT_MOUNT",
            problem: format!(
                "\"{value}\" must be one path segment of letters, digits, '-', '_' or '.', and not sys, auth, identity or cubbyhole"
            ),
        });
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::mount_name;

    #[test]
    fn the_mount_is_one_segment_and_not_one_of_vaults_own() {
        assert_eq!(mount_name("/secrets/").expect("fine"), "secrets");
        for bad in ["", "a/b", "sys", "auth", "two words"] {
            let e = mount_name(bad).expect_err(bad).to_string();
            assert!(e.contains("--vault-mount"), "{e}");
        }
    }
}
