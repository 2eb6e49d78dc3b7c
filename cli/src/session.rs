//! Logging in and out, models and applications.

use clap::Subcommand;
use serde_json::json;
use std::io::{BufRead as _, IsTerminal as _};

use super::http::{Api, encode};
use super::{ClientConfig, ClientError, ClientResult};

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Log in to a server; keeps its URL and a new personal token in your config directory.
    Login {
        /// The server, e.g. http://127.0.0.1:8080
        url: String,
        #[arg(short = 'u', long = "user")]
        user: String,
        /// A name for the token, shown in the token list.
        #[arg(long, default_value = "strongbox cli")]
        label: String,
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

pub fn run(command: SessionCommand) -> ClientResult<String> {
    let mut config = ClientConfig::load()?;
    match command {
        SessionCommand::Login { url, user, label } => {
            let password = read_password()?;
            let reply = Api::new(&url, None).post(
                "/login",
                &json!({"username": user, "password": password, "label": label}),
            )?;
            let token = reply["token"]
                .as_str()
                .ok_or_else(|| ClientError::new("the server sent no token"))?;
            config.server = Some(url.trim_end_matches('/').to_owned());
            config.token = Some(token.to_owned());
            config.save()?;
            Ok(format!(
                "Logged in to {} as {user}.",
                url.trim_end_matches('/')
            ))
        }
        SessionCommand::Logout => {
            // Revoke the token on the server too; forgetting it locally is what matters.
            if let (Ok(server), Ok(token)) = (config.server(), config.token()) {
                let _ = Api::new(&server, Some(token)).delete("/tokens/current");
            }
            config.token = None;
            config.save()?;
            Ok("Logged out.".into())
        }
        SessionCommand::Models => {
            let models = Api::from_config(&config)?.get("/models")?;
            let current = config.model(None).ok();
            let rows: Vec<[String; 2]> = models
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| {
                    let name = m["name"].as_str().unwrap_or_default();
                    let mark = if current.as_deref() == Some(name) {
                        "*"
                    } else {
                        ""
                    };
                    [
                        format!("{name}{mark}"),
                        m["access"].as_str().unwrap_or_default().to_owned(),
                    ]
                })
                .collect();
            Ok(super::output::table(&["Model", "Access"], &rows, &[]))
        }
        SessionCommand::AddModel { name } => {
            let reply = Api::from_config(&config)?.post("/models", &json!({"name": name}))?;
            Ok(format!(
                "Added model \"{name}\" ({}).",
                reply["uuid"].as_str().unwrap_or_default()
            ))
        }
        SessionCommand::Switch { model } => {
            config.model = Some(model.clone());
            config.save()?;
            Ok(format!("Current model is now \"{model}\"."))
        }
        SessionCommand::AddApplication { name, model } => {
            let api = Api::from_config(&config)?;
            let model = encode(&config.model(model.as_deref())?);
            api.post(
                &format!("/models/{model}/applications"),
                &json!({"name": name}),
            )?;
            let reply = api.post(
                &format!("/models/{model}/applications/{}/tokens", encode(&name)),
                &json!({"label": "created with the application"}),
            )?;
            eprintln!("Added application \"{name}\". Its token, shown only this once:");
            Ok(reply["token"].as_str().unwrap_or_default().to_owned())
        }
        SessionCommand::RemoveApplication { name, model } => {
            let model = encode(&config.model(model.as_deref())?);
            Api::from_config(&config)?
                .delete(&format!("/models/{model}/applications/{}", encode(&name)))?;
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
