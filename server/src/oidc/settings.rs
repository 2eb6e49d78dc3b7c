//! The OpenID sign-in's flags, checked once at start: a bad value stops start-up with a message
//! that names the flag and its variable.

use std::path::PathBuf;

use backend::service::{GroupMapping, GroupRoles};
use clap::{Args, ValueEnum};
use domain::{AccessLevel, ModelName};
use openidconnect::url;

use crate::config::ConfigError;

/// The path the provider calls back; `--oidc-redirect-url` must end in it.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OnOff {
    #[default]
    On,
    Off,
}

#[derive(Debug, Clone, Default, Args)]
pub struct OidcSettings {
    /// The OpenID provider's issuer URL (https; http only on loopback). Sign-in through a
    /// provider is off unless given.
    #[arg(long, global = true, env = "STRONGBOX_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The client ID Strongbox has at the provider.
    #[arg(long, global = true, env = "STRONGBOX_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client's secret (one line).
    #[arg(long, global = true, env = "STRONGBOX_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The URL the provider sends people back to: this server's address with the path
    /// /auth/oidc/callback.
    #[arg(long, global = true, env = "STRONGBOX_OIDC_REDIRECT_URL")]
    pub oidc_redirect_url: Option<String>,
    /// The name on the sign-in button: "Sign in with NAME".
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_OIDC_DISPLAY_NAME",
        default_value = "single sign-on"
    )]
    pub oidc_display_name: String,
    /// A PEM file of the CA that signed the provider's certificate, when it is a private one.
    #[arg(long, global = true, env = "STRONGBOX_OIDC_CA_FILE")]
    pub oidc_ca_file: Option<PathBuf>,
    /// The claim that names the person.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_OIDC_USERNAME_CLAIM",
        default_value = "preferred_username"
    )]
    pub oidc_username_claim: String,
    /// The claim that lists the person's groups (from the ID token, else from userinfo).
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_OIDC_GROUPS_CLAIM",
        default_value = "groups"
    )]
    pub oidc_groups_claim: String,
    /// GROUP=MODEL:LEVEL: members of GROUP get LEVEL (read, write or admin) in MODEL. Repeat
    /// the flag, or separate mappings with commas in the variable.
    #[arg(
        long = "oidc-group",
        global = true,
        env = "STRONGBOX_OIDC_GROUPS",
        value_delimiter = ','
    )]
    pub oidc_groups: Vec<String>,
    /// Members of this group are superusers. Repeatable.
    #[arg(
        long = "oidc-superuser-group",
        global = true,
        env = "STRONGBOX_OIDC_SUPERUSER_GROUPS",
        value_delimiter = ','
    )]
    pub oidc_superuser_groups: Vec<String>,
    /// Whether people may sign in with a Strongbox password. With it off, the sign-in page
    /// offers only the provider; `strongbox admin` on this machine stays the way back in.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_PASSWORD_SIGN_IN",
        value_enum,
        default_value = "on"
    )]
    pub password_sign_in: OnOff,
}

/// A provider the dashboard signs people in through. Its Debug leaves the client secret out.
#[derive(Clone)]
pub struct ProviderConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_url: String,
    pub display_name: String,
    /// PEM, read at start.
    pub ca_pem: Option<Vec<u8>>,
    pub username_claim: String,
    pub groups_claim: String,
    pub roles: GroupRoles,
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("redirect_url", &self.redirect_url)
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

/// How people sign in to the dashboard.
#[derive(Debug, Clone)]
pub struct SignInConfig {
    pub provider: Option<ProviderConfig>,
    pub password: bool,
}

fn problem(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError::Setting {
        setting,
        problem: problem.into(),
    }
}

const ISSUER: &str = "--oidc-issuer / STRONGBOX_OIDC_ISSUER";
const CLIENT_ID: &str = "--oidc-client-id / STRONGBOX_OIDC_CLIENT_ID";
const SECRET_FILE: &str = "--oidc-client-secret-file / STRONGBOX_OIDC_CLIENT_SECRET_FILE";
const REDIRECT: &str = "--oidc-redirect-url / STRONGBOX_OIDC_REDIRECT_URL";
const CA_FILE: &str = "--oidc-ca-file / STRONGBOX_OIDC_CA_FILE";
const GROUP: &str = "--oidc-group / STRONGBOX_OIDC_GROUPS";
const PASSWORD: &str = "--password-sign-in / STRONGBOX_PASSWORD_SIGN_IN";

impl OidcSettings {
    pub fn resolve(&self) -> Result<SignInConfig, ConfigError> {
        let password = self.password_sign_in == OnOff::On;
        let Some(issuer) = self
            .oidc_issuer
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        else {
            if !self.oidc_groups.is_empty() || !self.oidc_superuser_groups.is_empty() {
                return Err(problem(GROUP, "group mappings need --oidc-issuer"));
            }
            if !password {
                return Err(problem(
                    PASSWORD,
                    "off needs --oidc-issuer, or no one could sign in",
                ));
            }
            return Ok(SignInConfig {
                provider: None,
                password,
            });
        };
        let issuer = web_url(ISSUER, issuer)?;
        let client_id = self
            .oidc_client_id
            .clone()
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| problem(CLIENT_ID, "needed with --oidc-issuer"))?;
        let secret_file = self
            .oidc_client_secret_file
            .as_ref()
            .ok_or_else(|| problem(SECRET_FILE, "needed with --oidc-issuer"))?;
        let client_secret = std::fs::read_to_string(secret_file)
            .map_err(|e| {
                problem(
                    SECRET_FILE,
                    format!("cannot read {}: {e}", secret_file.display()),
                )
            })?
            .trim()
            .to_owned();
        if client_secret.is_empty() {
            return Err(problem(
                SECRET_FILE,
                format!("{} is empty", secret_file.display()),
            ));
        }
        let redirect = self
            .oidc_redirect_url
            .as_deref()
            .ok_or_else(|| problem(REDIRECT, "needed with --oidc-issuer"))?;
        let redirect_url = web_url(REDIRECT, redirect)?;
        if url::Url::parse(&redirect_url)
            .map(|u| u.path().to_owned())
            .ok()
            .as_deref()
            != Some(CALLBACK_PATH)
        {
            return Err(problem(
                REDIRECT,
                format!("its path must be {CALLBACK_PATH}"),
            ));
        }
        let ca_pem =
            match &self.oidc_ca_file {
                Some(path) => Some(std::fs::read(path).map_err(|e| {
                    problem(CA_FILE, format!("cannot read {}: {e}", path.display()))
                })?),
                None => None,
            };
        let mappings = self
            .oidc_groups
            .iter()
            .map(|m| group_mapping(m))
            .collect::<Result<_, _>>()?;
        Ok(SignInConfig {
            provider: Some(ProviderConfig {
                issuer,
                client_id,
                client_secret,
                redirect_url,
                display_name: self.oidc_display_name.trim().to_owned(),
                ca_pem,
                username_claim: self.oidc_username_claim.trim().to_owned(),
                groups_claim: self.oidc_groups_claim.trim().to_owned(),
                roles: GroupRoles {
                    mappings,
                    superuser_groups: self
                        .oidc_superuser_groups
                        .iter()
                        .map(|g| g.trim().to_owned())
                        .collect(),
                },
            }),
            password,
        })
    }
}

/// An https URL, or http on a loopback address (a provider on this machine, in tests).
fn web_url(setting: &'static str, value: &str) -> Result<String, ConfigError> {
    let url = url::Url::parse(value.trim())
        .map_err(|e| problem(setting, format!("\"{value}\" is not a URL: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(problem(
                setting,
                format!("\"{value}\" must use https (plain http is accepted only on loopback)"),
            ));
        }
        _ => {
            return Err(problem(
                setting,
                format!("\"{value}\" must be an https URL"),
            ));
        }
    }
    // As given: an issuer must match the provider's own `iss` exactly, trailing slash and all.
    Ok(value.trim().to_owned())
}

/// `GROUP=MODEL:LEVEL`.
fn group_mapping(value: &str) -> Result<GroupMapping, ConfigError> {
    let bad = |why: &str| {
        problem(
            GROUP,
            format!("\"{value}\": {why}; write GROUP=MODEL:LEVEL"),
        )
    };
    let (group, target) = value.trim().rsplit_once('=').ok_or_else(|| bad("no ="))?;
    let (model, level) = target
        .split_once(':')
        .ok_or_else(|| bad("no : after the model"))?;
    if group.trim().is_empty() {
        return Err(bad("the group is empty"));
    }
    let model = ModelName::parse(model.trim()).map_err(|e| bad(&e.to_string()))?;
    let level = level
        .trim()
        .parse::<AccessLevel>()
        .map_err(|_| bad("the level must be read, write or admin"))?;
    Ok(GroupMapping {
        group: group.trim().to_owned(),
        model,
        level,
    })
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
