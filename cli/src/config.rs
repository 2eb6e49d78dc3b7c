//! Where the client keeps the server URL, the token and the current model:
//! `$XDG_CONFIG_HOME/strongbox/config.json` (default `~/.config/strongbox/`), mode 0600.
//! `STRONGBOX_SERVER`, `STRONGBOX_TOKEN`, `STRONGBOX_MODEL` and `STRONGBOX_CA_FILE` override it.

use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::PathBuf;

use super::{ClientError, ClientResult};

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct ClientConfig {
    pub server: Option<String>,
    pub token: Option<String>,
    pub model: Option<String>,
    /// PEM certificates to trust beside the system's, for a server behind an internal TLS
    /// proxy (`login --ca-file`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

/// The token is a credential: Debug says only whether there is one.
impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("server", &self.server)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

impl ClientConfig {
    pub fn path() -> ClientResult<PathBuf> {
        let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => PathBuf::from(
                std::env::var_os("HOME").ok_or_else(|| ClientError::new("HOME is not set"))?,
            )
            .join(".config"),
        };
        Ok(base.join("strongbox").join("config.json"))
    }

    /// The stored settings; nothing stored yet is an empty config.
    pub fn load() -> ClientResult<Self> {
        let path = Self::path()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| ClientError::new(format!("cannot read {}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ClientConfig::default()),
            Err(e) => Err(ClientError::new(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Writes the file readable by its owner only, replacing it whole.
    pub fn save(&self) -> ClientResult<()> {
        let path = Self::path()?;
        let fail =
            |e: std::io::Error| ClientError::new(format!("cannot write {}: {e}", path.display()));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(fail)?;
        let text =
            serde_json::to_string_pretty(self).map_err(|e| ClientError::new(e.to_string()))?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, &path).map_err(fail)
    }

    pub fn server(&self) -> ClientResult<String> {
        env("STRONGBOX_SERVER")
            .or_else(|| self.server.clone())
            .ok_or_else(|| {
                ClientError::new(
                    "no server: run `strongbox login <url> -u <user>` or set STRONGBOX_SERVER",
                )
            })
    }

    pub fn token(&self) -> ClientResult<String> {
        env("STRONGBOX_TOKEN")
            .or_else(|| self.token.clone())
            .ok_or_else(|| {
                ClientError::new(
                    "not logged in: run `strongbox login <url> -u <user>` or set STRONGBOX_TOKEN",
                )
            })
    }

    /// `STRONGBOX_CA_FILE`, else the file given at login.
    pub fn ca_file(&self) -> Option<PathBuf> {
        env("STRONGBOX_CA_FILE")
            .map(PathBuf::from)
            .or_else(|| self.ca_file.clone())
    }

    /// The model from `-m`, then `STRONGBOX_MODEL`, then `strongbox switch`.
    pub fn model(&self, flag: Option<&str>) -> ClientResult<String> {
        flag.map(str::to_owned)
            .or_else(|| env("STRONGBOX_MODEL"))
            .or_else(|| self.model.clone())
            .ok_or_else(|| ClientError::new("no model selected: use -m <model>, set STRONGBOX_MODEL, or run `strongbox switch <model>`"))
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_token() {
        let config = ClientConfig {
            server: Some("https://strongbox.internal".into()),
            token: Some("sbxp_secret-token-value".into()),
            ..ClientConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("secret-token-value"), "{shown}");
        assert!(shown.contains("strongbox.internal") && shown.contains("<redacted>"));
    }
}
