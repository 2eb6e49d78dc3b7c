//! `strongbox admin …`: offline administration on the server's own database.

use backend::crypto::{read_key_file, write_key_file};
use backend::password::Password;
use backend::{Caller, MasterKey};
use domain::{AccessLevel, ApplicationName, ModelName, UserName};
use std::io::{BufRead as _, IsTerminal as _};
use std::process::ExitCode;

use crate::cli::AdminCommand;
use crate::startup::{App, StartupError};
use strongbox_cli::say;

pub async fn run(app: &App, command: AdminCommand) -> Result<ExitCode, StartupError> {
    let system = Caller::system();
    match command {
        AdminCommand::CreateUser { name, superuser } => {
            let name = UserName::parse(&name).map_err(input)?;
            let password = read_password()?;
            let user = app
                .services
                .create_user(&system, &name, password, superuser)
                .await?;
            let kind = if user.superuser { "superuser" } else { "user" };
            say(&format!("created {kind} {}", user.name));
        }
        AdminCommand::CreateModel { name } => {
            let name = ModelName::parse(&name).map_err(input)?;
            let model = app.services.create_model(&system, &name).await?;
            say(&format!("created model {} ({})", model.name, model.uuid));
        }
        AdminCommand::SetAccess { model, user, level } => {
            let model = ModelName::parse(&model).map_err(input)?;
            let user = UserName::parse(&user).map_err(input)?;
            let level = level.parse::<AccessLevel>().map_err(input)?;
            app.services
                .set_member(&system, &model, &user, level)
                .await?;
            say(&format!("{user} now has {level} access to {model}"));
        }
        AdminCommand::AddApplication { model, name } => {
            let model = ModelName::parse(&model).map_err(input)?;
            let name = ApplicationName::parse(&name).map_err(input)?;
            app.services.add_application(&system, &model, &name).await?;
            say(&format!("added application {name} to {model}"));
        }
        AdminCommand::JujuBackendToken { name, replace } => {
            let name = domain::JujuBackendName::parse(&name).map_err(input)?;
            let (issued, done) = if replace {
                let issued = app
                    .services
                    .replace_juju_backend_token(&system, &name)
                    .await?;
                (
                    issued,
                    "'s tokens revoked, every agent's too. Its new token",
                )
            } else {
                let issued = app.services.create_juju_backend(&system, &name).await?;
                (issued, " made. Its token")
            };
            // The token alone on standard output, so that `token=$(strongbox admin …)` works.
            eprintln!(
                "Juju backend {name}{done}, shown only this once (accessor {}):",
                issued.accessor
            );
            say(issued.token.expose());
        }
        AdminCommand::LinkUser {
            name,
            issuer,
            subject,
        } => {
            let name = UserName::parse(&name).map_err(input)?;
            let identity = backend::store::Identity {
                // Exactly as the provider's ID tokens say `iss`.
                issuer: issuer.trim().to_owned(),
                subject,
            };
            app.services.link_user(&system, &name, &identity).await?;
            say(&format!(
                "{name} now signs in as subject {} of {}",
                identity.subject, identity.issuer
            ));
        }
        AdminCommand::RotateMasterKey => rotate_master_key(app).await?,
        AdminCommand::Backup { file } => {
            app.services.backup(&system, &file).await?;
            say(&format!(
                "backup written to {}; the master key is not in it: keep the key file apart",
                file.display()
            ));
        }
        // Done before any store is opened (`crate::restore`).
        AdminCommand::Restore { .. } => {}
        AdminCommand::VerifyAudit => {
            return Ok(match app.services.verify_audit(&system).await? {
                Ok(n) => {
                    say(&format!("audit chain intact: {n} events verified"));
                    ExitCode::SUCCESS
                }
                Err(broken) => {
                    eprintln!("{broken}");
                    ExitCode::FAILURE
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `admin backup` copies the embedded database only. On PostgreSQL the operator's own tools
/// take the copy; this says which, with the command, and exits 2 (a usage error) without
/// touching the database.
pub fn postgres_backup_refused(database: &crate::config::Database) -> ExitCode {
    eprintln!(
        "error: `strongbox admin backup` copies the embedded SQLite database; this server's \
         database is PostgreSQL, which is backed up with pg_dump while it serves:\n  \
         pg_dump --format=custom --file strongbox.dump '{}'\n\
         and restored with pg_restore (docs/deploy.md). Keep the master key file apart from the \
         dump: nothing in it can be read without the key.",
        database.shown()
    );
    ExitCode::from(2)
}

fn input(e: domain::ValidationError) -> StartupError {
    StartupError::Input(e.to_string())
}

/// The password from a prompt on a terminal, else the first line of stdin.
fn read_password() -> Result<Password, StartupError> {
    let line = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ")?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    if line.is_empty() {
        return Err(StartupError::Input(
            "no password given on standard input".into(),
        ));
    }
    Ok(Password::new(line))
}

/// Writes the new key beside the old one, re-wraps every data key in one transaction, then
/// swaps the files. A crash at any point leaves a key that opens every row.
async fn rotate_master_key(app: &App) -> Result<(), StartupError> {
    let files = app.keys.files().clone();
    if files.next.exists() {
        // An earlier rotation stopped part way. If its transaction committed, finish it.
        let pending = read_key_file(&files.next)?;
        let current = app.services.ensure_master_key().await?;
        if current == pending.id() {
            files.promote_next()?;
            say(&format!(
                "finished an interrupted rotation; master key is now {current}"
            ));
            return Ok(());
        }
        files.discard_next()?;
    }
    let new = MasterKey::generate();
    write_key_file(&files.next, &new)?;
    let count = match app
        .services
        .rotate_master_key(&Caller::system(), &new)
        .await
    {
        Ok(n) => n,
        Err(e) => {
            files.discard_next()?;
            return Err(e.into());
        }
    };
    files.promote_next()?;
    say(&format!(
        "re-wrapped {count} data keys; master key is now {}",
        new.id()
    ));
    Ok(())
}
