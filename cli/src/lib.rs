//! The client verbs of the `strongbox` binary: Juju's secret commands (`add-secret`, `secrets`,
//! `show-secret`, …) and the account commands around them, speaking the HTTP API. A crate of its
//! own, apart from the server: it links no database code (`cargo tree -p strongbox-cli`).

use std::io::Write as _;
use std::process::ExitCode;

mod config;
mod connect;
mod export;
mod import;
mod import_vault;
mod output;
mod review;
mod secret_get;
mod secret_views;
mod secrets;
mod session;
mod web_login;
mod webhooks;

pub use config::ClientConfig;

/// A failure to report as Juju does: `ERROR <message>` on stderr, exit status 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ClientError(pub String);

impl ClientError {
    pub fn new(message: impl Into<String>) -> Self {
        ClientError(message.into())
    }
}

impl From<domain::ValidationError> for ClientError {
    fn from(e: domain::ValidationError) -> Self {
        ClientError(e.to_string())
    }
}

pub type ClientResult<T> = Result<T, ClientError>;

/// Runs a client command and turns its outcome into output and an exit status.
pub fn finish(result: ClientResult<String>) -> ExitCode {
    match result {
        Ok(out) => {
            if !out.is_empty() {
                say(out.trim_end_matches('\n'));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ERROR {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes one line of a command's result to stdout; the server's admin verbs print through it
/// too.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

pub use export::{ExportCommand, run as export_run};
pub use import::{ImportCommand, run as import_run};
pub use review::{ReviewCommand, run as review_run};
pub use secrets::{SecretCommand, run as secrets_run};
pub use session::{SessionCommand, run as session_run};
pub use webhooks::{WebhookCommand, run as webhooks_run};
