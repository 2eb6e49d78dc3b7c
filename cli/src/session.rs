//! Logging in and out, models and applications.

use clap::Subcommand;
use std::io::{BufRead as _, IsTerminal as _};
use std::path::PathBuf;

use super::connect::{signed_in, with_token};
use super::{ClientConfig, ClientError, ClientResult, web_login};

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Log in to a server; keeps its URL and a new personal token in your config directory.
    Login {
        /// The server, e.g. http://127.0.0.1:8080
        url: String,
        #[arg(short = 'u', long = "user", required_unless_present = "web")]
        user: Option<String>,
        /// Sign in through the dashboard instead of with a password: prints a short code and a
        /// URL where you approve this command line, signed in any way (single sign-on too).
        #[arg(long, conflicts_with = "user")]
        web: bool,
        /// A name for the token, shown in the token list (default: strongbox cli on HOST).
        #[arg(long)]
        label: Option<String>,
        /// PEM certificates to trust beside the system's, kept for later commands
        /// (STRONGBOX_CA_FILE overrides it).
        #[arg(long = "ca-file")]
        ca_file: Option<PathBuf>,
    },
    /// Forget the stored token.
    Logout,
    /// List the models you can see, with your access; * marks the current one.
    Models,
    /// Create a model (superusers).
    AddModel { name: String },
    /// Make a model the current one.
    Switch { model: String },
    /// Add an application to a model and print its token, once.
    AddApplication {
        name: String,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Remove an application with its tokens, grants and own secrets.
    RemoveApplication {
        name: String,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
}

pub async fn run(command: SessionCommand) -> ClientResult<String> {
    let mut config = ClientConfig::load()?;
    match command {
        SessionCommand::Login {
            url,
            user,
            web,
            label,
            ca_file,
        } => {
            let server = url.trim_end_matches('/').to_owned();
            let ca_file = ca_file.or_else(|| config.ca_file());
            let label =
                label.unwrap_or_else(|| format!("strongbox cli on {}", web_login::host_name()));
            let client = with_token(&server, None, ca_file.clone())?;
            let (token, user) = match user {
                Some(user) if !web => {
                    let password = read_password()?;
                    let reply = client.login(&user, &password, &label).await?;
                    (reply.token, user)
                }
                _ => web_login::web_login(&client, &server, &label).await?,
            };
            config.server = Some(server.clone());
            config.token = Some(token);
            config.ca_file = ca_file;
            config.save()?;
            Ok(format!("Logged in to {server} as {user}."))
        }
        SessionCommand::Logout => {
            // Revoke the token on the server too; forgetting it locally is what matters.
            if let Ok(client) = signed_in(&config) {
                let _ = client.revoke_current_token().await;
            }
            config.token = None;
            config.save()?;
            Ok("Logged out.".into())
        }
        SessionCommand::Models => {
            let models = signed_in(&config)?.models().await?;
            let current = config.model(None).ok();
            let rows: Vec<[String; 2]> = models
                .iter()
                .map(|m| {
                    let mark = if current.as_deref() == Some(m.name.as_str()) {
                        "*"
                    } else {
                        ""
                    };
                    [format!("{}{mark}", m.name), m.access.to_string()]
                })
                .collect();
            Ok(super::output::table(&["Model", "Access"], &rows, &[]))
        }
        SessionCommand::AddModel { name } => {
            let reply = signed_in(&config)?.add_model(&name).await?;
            Ok(format!("Added model \"{name}\" ({}).", reply.uuid))
        }
        SessionCommand::Switch { model } => {
            config.model = Some(model.clone());
            config.save()?;
            Ok(format!("Current model is now \"{model}\"."))
        }
        SessionCommand::AddApplication { name, model } => {
            let client = signed_in(&config)?;
            let model = config.model(model.as_deref())?;
            client.add_application(&model, &name).await?;
            let reply = client
                .create_application_token(&model, &name, "created with the application")
                .await?;
            eprintln!("Added application \"{name}\". Its token, shown only this once:");
            Ok(reply.token)
        }
        SessionCommand::RemoveApplication { name, model } => {
            let model = config.model(model.as_deref())?;
            signed_in(&config)?
                .remove_application(&model, &name)
                .await?;
            Ok(String::new())
        }
    }
}

/// From a prompt on a terminal, else the first line of stdin.
fn read_password() -> ClientResult<String> {
    let line = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ").map_err(|e| ClientError::new(e.to_string()))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| ClientError::new(e.to_string()))?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    if line.is_empty() {
        return Err(ClientError::new("no password given"));
    }
    Ok(line)
}
