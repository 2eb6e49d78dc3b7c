//! The `strongbox` binary's pieces: command line, configuration, start-up, HTTP and admin commands.

pub mod admin;
pub mod api;
pub mod cli;
pub mod config;
pub mod http;
pub mod oidc;
pub mod restore;
pub mod startup;
pub mod telemetry;
pub mod vault;
pub mod webhooks;

use std::process::ExitCode;

use cli::{AdminCommand, Cli, Command};
use startup::StartupError;

/// Runs one command to completion.
pub async fn run(cli: Cli) -> Result<ExitCode, StartupError> {
    match cli.command {
        Command::Serve(settings) => {
            let config = config::Config::resolve(&settings)?;
            let app = startup::open(&config, startup::Opening::Serve).await?;
            http::serve(&config, app).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Secret(command) => Ok(strongbox_cli::finish(
            strongbox_cli::secrets_run(command).await,
        )),
        Command::Session(command) => Ok(strongbox_cli::finish(
            strongbox_cli::session_run(command).await,
        )),
        Command::Webhook(command) => Ok(strongbox_cli::finish(
            strongbox_cli::webhooks_run(command).await,
        )),
        Command::Review(command) => Ok(strongbox_cli::finish(
            strongbox_cli::review_run(command).await,
        )),
        Command::Import(command) => Ok(strongbox_cli::finish(
            strongbox_cli::import_run(command).await,
        )),
        Command::Export(command) => Ok(strongbox_cli::finish(
            strongbox_cli::export_run(command).await,
        )),
        Command::Admin { settings, command } => {
            let config = config::Config::resolve(&settings)?;
            if let AdminCommand::Restore { file } = &command {
                restore::restore(&config, file).await?;
                return Ok(ExitCode::SUCCESS);
            }
            if let (AdminCommand::Backup { .. }, config::Database::Postgres(_)) =
                (&command, &config.database)
            {
                return Ok(admin::postgres_backup_refused(&config.database));
            }
            let create_key = matches!(
                command,
                AdminCommand::CreateUser { .. } | AdminCommand::CreateModel { .. }
            );
            let app = startup::open(&config, startup::Opening::Admin { create_key }).await?;
            admin::run(&app, command).await
        }
    }
}
