//! Settings, checked once at start. A bad or missing value stops start-up with a message that
//! names the setting by both its flag and its variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use thiserror::Error;

use crate::cli::Settings;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error(
        "--listen / STRONGBOX_LISTEN: \"{value}\" is not an address and port such as 127.0.0.1:8080"
    )]
    Listen { value: String },
    #[error(
        "--metrics-listen / STRONGBOX_METRICS_LISTEN: \"{value}\" is not an address and port such as 127.0.0.1:9090"
    )]
    MetricsListen { value: String },
    #[error("--data-dir / STRONGBOX_DATA_DIR: cannot use {path}: {problem}")]
    DataDir { path: PathBuf, problem: String },
    #[error(
        "--database-url / STRONGBOX_DATABASE_URL: \"{value}\" is neither a sqlite: URL nor a postgres:// URL"
    )]
    DatabaseUrl { value: String },
    #[error("--public-url / STRONGBOX_PUBLIC_URL: \"{value}\" must start with http:// or https://")]
    PublicUrl { value: String },
    #[error("{setting}: must be more than 0")]
    Zero { setting: &'static str },
    #[error(
        "--webhook-deny / STRONGBOX_WEBHOOK_DENY: \"{value}\" is not an address range such as 10.0.0.0/8"
    )]
    WebhookDeny { value: String },
    #[error("--master-key-file / STRONGBOX_MASTER_KEY_FILE: {problem}")]
    MasterKeyFile { problem: String },
    /// `setting` names the flag and its variable.
    #[error("{setting}: {problem}")]
    Setting {
        setting: &'static str,
        problem: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(String),
    Postgres(String),
}

impl Database {
    /// The database as messages may name it: a PostgreSQL URL without its password.
    pub fn shown(&self) -> String {
        match self {
            Database::Sqlite(url) => url.clone(),
            Database::Postgres(url) => match url.parse::<sqlx::postgres::PgConnectOptions>() {
                Ok(o) => format!(
                    "postgres://{}@{}:{}/{}",
                    o.get_username(),
                    o.get_host(),
                    o.get_port(),
                    o.get_database().unwrap_or_default()
                ),
                Err(_) => "(a PostgreSQL URL that does not parse)".to_owned(),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database: Database,
    pub master_key_file: PathBuf,
    /// The address people use, when it differs from `listen` (a TLS proxy in front).
    pub public_url: Option<String>,
    /// The built site: `pkg/strongbox.js`, `pkg/strongbox_bg.wasm`, `pkg/strongbox.css`.
    pub site_root: String,
    pub session_idle_seconds: u32,
    pub session_max_seconds: u32,
    /// Password sign-in, and the OpenID provider if there is one.
    pub sign_in: crate::oidc::SignInConfig,
    /// Where Prometheus metrics are served, if at all.
    pub metrics_listen: Option<SocketAddr>,
    /// Which addresses webhooks may reach.
    pub webhooks: backend::webhook::TargetPolicy,
    /// The most connections served at once.
    pub max_connections: u32,
    /// Event streams per token and per application, on this node.
    pub streams: backend::service::StreamLimits,
    /// The mount Vault clients name (`/v1/MOUNT/data/…`).
    pub vault_mount: String,
}

impl Config {
    /// Behind TLS the session cookie gets `Secure` and the `__Host-` prefix.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

impl Config {
    pub fn resolve(s: &Settings) -> Result<Self, ConfigError> {
        let listen = s
            .listen
            .parse::<SocketAddr>()
            .map_err(|_| ConfigError::Listen {
                value: s.listen.clone(),
            })?;
        ensure_data_dir(&s.data_dir)?;
        let database = match s.database_url.as_deref().map(str::trim) {
            None | Some("") => Database::Sqlite(format!(
                "sqlite://{}",
                s.data_dir.join("strongbox.db").display()
            )),
            Some(url) if url.starts_with("sqlite:") => Database::Sqlite(url.to_owned()),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Database::Postgres(url.to_owned())
            }
            Some(other) => {
                return Err(ConfigError::DatabaseUrl {
                    value: other.to_owned(),
                });
            }
        };
        let master_key_file = match &s.master_key_file {
            Some(p) if p.as_os_str().is_empty() => {
                return Err(ConfigError::MasterKeyFile {
                    problem: "the path is empty".into(),
                });
            }
            Some(p) => p.clone(),
            None => s.data_dir.join("master.key"),
        };
        let public_url = match s.public_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                Some(u.trim_end_matches('/').to_owned())
            }
            Some(other) => {
                return Err(ConfigError::PublicUrl {
                    value: other.to_owned(),
                });
            }
        };
        Ok(Config {
            listen,
            data_dir: s.data_dir.clone(),
            database,
            master_key_file,
            public_url,
            site_root: s.site_root.clone(),
            session_idle_seconds: positive(
                "--session-idle-seconds / STRONGBOX_SESSION_IDLE_SECONDS",
                s.session_idle_seconds,
            )?,
            session_max_seconds: positive(
                "--session-max-seconds / STRONGBOX_SESSION_MAX_SECONDS",
                s.session_max_seconds,
            )?,
            sign_in: s.oidc.resolve()?,
            vault_mount: crate::vault::mount_name(&s.vault_mount)?,
            metrics_listen: match s.metrics_listen.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(v) => Some(v.parse().map_err(|_| ConfigError::MetricsListen {
                    value: v.to_owned(),
                })?),
            },
            webhooks: backend::webhook::TargetPolicy {
                allow_local: s.webhook_allow_local,
                deny: s
                    .webhook_deny
                    .iter()
                    .map(|v| deny_range(v))
                    .collect::<Result<_, _>>()?,
            },
            max_connections: positive(
                "--max-connections / STRONGBOX_MAX_CONNECTIONS",
                s.max_connections,
            )?,
            streams: backend::service::StreamLimits {
                per_token: positive(
                    "--max-streams-per-token / STRONGBOX_MAX_STREAMS_PER_TOKEN",
                    s.max_streams_per_token,
                )? as usize,
                per_application: positive(
                    "--max-streams-per-application / STRONGBOX_MAX_STREAMS_PER_APPLICATION",
                    s.max_streams_per_application,
                )? as usize,
            },
        })
    }
}

/// A range in CIDR form, or one address (its own range).
fn deny_range(value: &str) -> Result<ipnet::IpNet, ConfigError> {
    let value = value.trim();
    value
        .parse::<ipnet::IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| ConfigError::WebhookDeny {
            value: value.to_owned(),
        })
}

fn positive(setting: &'static str, value: u32) -> Result<u32, ConfigError> {
    if value == 0 {
        Err(ConfigError::Zero { setting })
    } else {
        Ok(value)
    }
}

/// Creates the data directory, readable by its owner only, if it does not exist.
fn ensure_data_dir(dir: &std::path::Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::DirBuilderExt as _;
    let problem = |e: std::io::Error| ConfigError::DataDir {
        path: dir.to_owned(),
        problem: e.to_string(),
    };
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(ConfigError::DataDir {
            path: dir.to_owned(),
            problem: "it is not a directory".into(),
        });
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &std::path::Path) -> Settings {
        Settings {
            listen: "127.0.0.1:0".into(),
            data_dir: dir.join("data"),
            database_url: None,
            master_key_file: None,
            public_url: None,
            site_root: "target/site".into(),
            session_idle_seconds: 1800,
            session_max_seconds: 43_200,
            vault_mount: "strongbox".into(),
            oidc: Default::default(),
            log_format: Default::default(),
            metrics_listen: None,
            webhook_allow_local: false,
            webhook_deny: Vec::new(),
            max_connections: 8_192,
            max_streams_per_token: 8,
            max_streams_per_application: 256,
        }
    }

    #[test]
    fn defaults_live_in_the_data_dir() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let c = Config::resolve(&settings(tmp.path())).expect("valid");
        assert!(c.data_dir.is_dir());
        assert_eq!(c.master_key_file, tmp.path().join("data/master.key"));
        assert!(
            matches!(&c.database, Database::Sqlite(url) if url.ends_with("data/strongbox.db")),
            "{:?}",
            c.database
        );
        let pg = Settings {
            database_url: Some("postgres://db.internal/sb".into()),
            ..settings(tmp.path())
        };
        assert_eq!(
            Config::resolve(&pg).expect("valid").database,
            Database::Postgres("postgres://db.internal/sb".into())
        );
    }

    #[test]
    fn bad_settings_are_named() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let err = |s: Settings| Config::resolve(&s).map(|_| ()).unwrap_err().to_string();
        let msg = err(Settings {
            listen: "localhost".into(),
            ..settings(tmp.path())
        });
        assert_eq!(
            msg,
            "--listen / STRONGBOX_LISTEN: \"localhost\" is not an address and port such as 127.0.0.1:8080"
        );
        let msg = err(Settings {
            database_url: Some("mysql://x".into()),
            ..settings(tmp.path())
        });
        assert!(
            msg.starts_with("--database-url / STRONGBOX_DATABASE_URL: \"mysql://x\""),
            "{msg}"
        );
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").expect("write");
        let msg = err(Settings {
            data_dir: file,
            ..settings(tmp.path())
        });
        assert!(
            msg.starts_with("--data-dir / STRONGBOX_DATA_DIR: cannot use"),
            "{msg}"
        );
        assert!(msg.ends_with("it is not a directory"), "{msg}");
    }
}
