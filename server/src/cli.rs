//! The command line. Every setting can also come from a `STRONGBOX_*` variable.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "strongbox",
    version,
    about = "A self-hosted secrets manager on Juju's secret model"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The log format the server's settings ask for; the client verbs log as text.
    pub fn log_format(&self) -> crate::telemetry::LogFormat {
        match &self.command {
            Command::Serve(s) | Command::Admin { settings: s, .. } => s.log_format,
            Command::Secret(_)
            | Command::Session(_)
            | Command::Webhook(_)
            | Command::Review(_)
            | Command::Import(_)
            | Command::Export(_) => crate::telemetry::LogFormat::Text,
        }
    }

    /// The level logged unless `RUST_LOG` says otherwise: the server reports its start and
    /// its work; a one-shot command prints its result and only warnings and errors besides.
    pub fn default_log_level(&self) -> &'static str {
        match &self.command {
            Command::Serve(_) => "info",
            _ => "warn",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: the dashboard, the HTTP API and the health endpoints.
    Serve(#[command(flatten)] Settings),
    /// Administer the database directly, on the server's machine.
    Admin {
        #[command(flatten)]
        settings: Settings,
        #[command(subcommand)]
        command: AdminCommand,
    },
    #[command(flatten)]
    Secret(strongbox_cli::SecretCommand),
    #[command(flatten)]
    Session(strongbox_cli::SessionCommand),
    #[command(flatten)]
    Webhook(strongbox_cli::WebhookCommand),
    #[command(flatten)]
    Review(strongbox_cli::ReviewCommand),
    #[command(flatten)]
    Import(strongbox_cli::ImportCommand),
    #[command(flatten)]
    Export(strongbox_cli::ExportCommand),
}

/// `global`: a setting may come before or after an admin verb
/// (`strongbox admin create-user alice --data-dir D`).
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_LISTEN",
        default_value = "127.0.0.1:8080"
    )]
    pub listen: String,
    /// Directory for the embedded database and the master key.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_DATA_DIR",
        default_value = "./strongbox-data"
    )]
    pub data_dir: PathBuf,
    /// Database URL: sqlite:PATH, or postgres://… [default: sqlite:<data-dir>/strongbox.db]
    #[arg(long, global = true, env = "STRONGBOX_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Master key file [default: <data-dir>/master.key]
    #[arg(long, global = true, env = "STRONGBOX_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// The URL people reach the dashboard at, when a TLS proxy sits in front (https://… makes
    /// the session cookie Secure).
    #[arg(long, global = true, env = "STRONGBOX_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// How long an unused dashboard session lasts, in seconds.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_SESSION_IDLE_SECONDS",
        default_value_t = 1800
    )]
    pub session_idle_seconds: u32,
    /// How long a dashboard session lasts after sign-in however active it is, in seconds: a
    /// person removed from a provider group loses its access within this time.
    #[arg(
        long,
        global = true,
        alias = "session-lifetime-seconds",
        env = "STRONGBOX_SESSION_MAX_SECONDS",
        default_value_t = 43_200
    )]
    pub session_max_seconds: u32,
    /// The mount Vault clients read under: `GET /v1/MOUNT/data/MODEL/SECRET` (docs/vault-compatibility.md).
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_VAULT_MOUNT",
        default_value = "strongbox"
    )]
    pub vault_mount: String,
    /// Directory holding the built site (pkg/strongbox.js, …); ignored by a release binary,
    /// which carries the site inside it.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_SITE_ROOT",
        default_value = "target/site"
    )]
    pub site_root: String,
    /// How logs are written to stderr: text, or one JSON object per line.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: crate::telemetry::LogFormat,
    /// Serve Prometheus metrics on this address (e.g. 127.0.0.1:9090), apart from the
    /// dashboard and the API. Off unless given.
    #[arg(long, global = true, env = "STRONGBOX_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// Let webhooks reach loopback and link-local addresses (a receiver on this machine).
    /// Off by default: a webhook must not reach the server's own neighbourhood.
    #[arg(long, global = true, env = "STRONGBOX_WEBHOOK_ALLOW_LOCAL")]
    pub webhook_allow_local: bool,
    /// Refuse webhooks to this range (CIDR, e.g. 10.0.0.0/8, or one address); repeat the flag,
    /// or separate ranges with commas in the variable. Cloud metadata addresses are always
    /// refused.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_WEBHOOK_DENY",
        value_delimiter = ','
    )]
    pub webhook_deny: Vec<String>,
    /// The most event streams and long polls one token may hold open on this node.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_MAX_STREAMS_PER_TOKEN",
        default_value_t = 8
    )]
    pub max_streams_per_token: u32,
    /// The most event streams and long polls one application may hold open on this node,
    /// across its tokens.
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_MAX_STREAMS_PER_APPLICATION",
        default_value_t = 256
    )]
    pub max_streams_per_application: u32,
    /// The most connections served at once; more wait in the kernel's queue until one closes.
    /// Keep it below the process's open-file limit (`ulimit -n`).
    #[arg(
        long,
        global = true,
        env = "STRONGBOX_MAX_CONNECTIONS",
        default_value_t = 8_192
    )]
    pub max_connections: u32,
    #[command(flatten)]
    pub oidc: crate::oidc::OidcSettings,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user; the password is read from standard input.
    CreateUser {
        name: String,
        /// Make the user a superuser: admin of every model, manages models and users.
        #[arg(long)]
        superuser: bool,
    },
    /// Create a model.
    CreateModel { name: String },
    /// Give a user an access level (read, write or admin) in a model.
    SetAccess {
        model: String,
        user: String,
        level: String,
    },
    /// Add an application to a model.
    AddApplication { model: String, name: String },
    /// Make a Juju secret backend named NAME and print its token, once: the token for
    /// `juju add-secret-backend NAME vault endpoint=… token=…` (docs/juju-backend.md).
    JujuBackendToken {
        name: String,
        /// The backend exists: revoke every token it has (its own and every agent's, at once)
        /// and print a new one, for a token that leaked. Its mounts and secrets stay; give Juju
        /// the new token with `juju update-secret-backend NAME token=…`.
        #[arg(long)]
        replace: bool,
    },
    /// Let the person ISSUER knows as SUBJECT sign in through the provider as the existing
    /// user NAME (a first sign-in never takes over a local user of the same name).
    LinkUser {
        name: String,
        /// The provider's issuer URL, exactly as its ID tokens give `iss` (and --oidc-issuer).
        #[arg(long)]
        issuer: String,
        /// The person's `sub` at that provider.
        #[arg(long)]
        subject: String,
    },
    /// Generate a new master key and re-wrap every data key with it.
    RotateMasterKey,
    /// Check the whole audit chain; names the first broken link.
    VerifyAudit,
    /// Write a consistent copy of the embedded database to FILE while the server runs. The
    /// master key is not in it: keep the key file apart. (PostgreSQL: use pg_dump.)
    Backup { file: std::path::PathBuf },
    /// Put a backup in place as the data directory's database (which must not exist yet),
    /// then check it; the master key file it was sealed with must be in place too.
    Restore { file: std::path::PathBuf },
}
