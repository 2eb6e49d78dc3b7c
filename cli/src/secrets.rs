//! Juju's secret verbs, with Juju's arguments, flags, output and error texts
//! (juju-secrets.md §1), on the typed client.

use api_types::secrets::{AddSecret, ContentInput, ListParams, UpdateSecret};
use clap::Subcommand;
use domain::error::Field;
use domain::{ContentArg, ValueSource};
use std::collections::BTreeMap;
use strongbox_client::Client;

use super::connect::signed_in;
use super::output::Format;
use super::secret_get::{ReadHow, secret_get};
use super::secret_views::{listing, shown};
use super::{ClientConfig, ClientError, ClientResult};

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Add a new secret.
    AddSecret {
        /// The secret's name, then key[#base64|#file]=value pairs.
        args: Vec<String>,
        /// The secret description.
        #[arg(long)]
        info: Option<String>,
        /// A YAML file containing secret key values.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Lists secrets available in the model.
    #[command(alias = "list-secrets")]
    Secrets {
        /// Include secrets for the specified owner (`model` or an application).
        #[arg(long)]
        owner: Option<String>,
        #[arg(long, value_enum, default_value = "tabular")]
        format: Format,
        /// Specify an output file.
        #[arg(short = 'o', long = "output")]
        output: Option<std::path::PathBuf>,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Shows details for a specific secret.
    ShowSecret {
        id: Option<String>,
        /// Reveal secret values, applicable to yaml or json formats only.
        #[arg(long)]
        reveal: bool,
        /// Show the secret revisions metadata.
        #[arg(long)]
        revisions: bool,
        /// Show a specific revision (defaults to latest).
        #[arg(short = 'r', long = "revision", allow_negative_numbers = true)]
        revision: Option<i64>,
        #[arg(long, value_enum, default_value = "yaml")]
        format: Format,
        /// Specify an output file.
        #[arg(short = 'o', long = "output")]
        output: Option<std::path::PathBuf>,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Update an existing secret.
    UpdateSecret {
        /// The secret's ID or name, then key[#base64|#file]=value pairs.
        args: Vec<String>,
        #[arg(long)]
        info: Option<String>,
        #[arg(long)]
        file: Option<std::path::PathBuf>,
        /// The new secret name.
        #[arg(long)]
        name: Option<String>,
        /// Whether Strongbox removes revisions no application tracks any more.
        #[arg(long = "auto-prune", num_args = 0..=1, default_missing_value = "true")]
        auto_prune: Option<bool>,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Remove a existing secret.
    RemoveSecret {
        id: Option<String>,
        /// Remove the specified revision.
        #[arg(long)]
        revision: Option<i64>,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Grant applications access to view the value of a specified secret.
    GrantSecret {
        args: Vec<String>,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Revoke applications' access to view the value of a specified secret.
    RevokeSecret {
        args: Vec<String>,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// An application reads a secret, as Juju's `secret-get` (token from STRONGBOX_APP_TOKEN).
    SecretGet {
        id: Option<String>,
        /// Print only this key's value (`key#base64` prints it base64-encoded).
        key: Option<String>,
        /// Read the latest revision without moving the tracking.
        #[arg(long)]
        peek: bool,
        /// Track the latest revision and read it.
        #[arg(long)]
        refresh: bool,
        /// Then wait for new revisions and print each one's content as it comes, tracking it
        /// (Juju's `secret-changed` followed by `secret-get --refresh`).
        #[arg(long)]
        watch: bool,
        #[arg(long, value_enum, default_value = "yaml")]
        format: Format,
    },
}

pub async fn run(command: SecretCommand) -> ClientResult<String> {
    let config = ClientConfig::load()?;
    match command {
        SecretCommand::AddSecret {
            args,
            info,
            file,
            model,
        } => {
            let Some((name, pairs)) = args.split_first() else {
                return Err(ClientError::new(
                    "secret name needs to be supplied as the first argument",
                ));
            };
            if pairs.is_empty() && file.is_none() {
                return Err(ClientError::new("missing secret value or filename"));
            }
            let secret = AddSecret {
                name: Some(name.clone()),
                description: info.unwrap_or_default(),
                content: content_input(pairs, file.as_deref())?,
            };
            let model = config.model(model.as_deref())?;
            let created = signed_in(&config)?.add_secret(&model, &secret).await?;
            Ok(created.uri.to_string())
        }
        SecretCommand::Secrets {
            owner,
            format,
            output,
            model,
        } => {
            let model = config.model(model.as_deref())?;
            let items = all_secrets(&signed_in(&config)?, &model, owner.as_deref()).await?;
            deliver(listing(items, format)?, output.as_deref())
        }
        SecretCommand::ShowSecret {
            id,
            reveal,
            revisions,
            revision,
            format,
            output,
            model,
        } => {
            let id = id.ok_or_else(|| ClientError::new("secret ID is required"))?;
            if revisions && reveal {
                return Err(ClientError::new(
                    "specify either --revisions or --reveal but not both",
                ));
            }
            if revisions && revision.is_some() {
                return Err(ClientError::new(
                    "specify either --revisions or --revision but not both",
                ));
            }
            if revision.is_some_and(|r| r < 1) {
                return Err(ClientError::new("revision must be a positive integer"));
            }
            let client = signed_in(&config)?;
            let model = config.model(model.as_deref())?;
            let detail = client.show_secret(&model, &id).await?;
            let content = if reveal {
                Some(client.reveal_secret(&model, &id, revision).await?)
            } else {
                None
            };
            let text = shown(&detail, revision, content.as_ref(), revisions, format)?;
            deliver(text, output.as_deref())
        }
        SecretCommand::UpdateSecret {
            args,
            info,
            file,
            name,
            auto_prune,
            model,
        } => {
            let Some((id, pairs)) = args.split_first() else {
                return Err(ClientError::new("missing secret URI"));
            };
            let content = if pairs.is_empty() && file.is_none() {
                ContentInput::default()
            } else {
                content_input(pairs, file.as_deref())?
            };
            // An empty --info or --name leaves the field as it is, as Juju does.
            let update = UpdateSecret {
                name: name.filter(|n| !n.is_empty()),
                description: info.filter(|i| !i.is_empty()),
                auto_prune,
                expected_revision: None,
                content,
            };
            let model = config.model(model.as_deref())?;
            signed_in(&config)?
                .update_secret(&model, id, &update)
                .await?;
            Ok(String::new())
        }
        SecretCommand::RemoveSecret {
            id,
            revision,
            model,
        } => {
            let id = id.ok_or_else(|| ClientError::new("missing secret URI"))?;
            let model = config.model(model.as_deref())?;
            signed_in(&config)?
                .remove_secret(&model, &id, revision.filter(|r| *r != 0))
                .await?;
            Ok(String::new())
        }
        SecretCommand::GrantSecret { args, model } => {
            access(&config, model.as_deref(), &args, Change::Grant).await
        }
        SecretCommand::RevokeSecret { args, model } => {
            access(&config, model.as_deref(), &args, Change::Revoke).await
        }
        SecretCommand::SecretGet {
            id,
            key,
            peek,
            refresh,
            watch,
            format,
        } => {
            let how = ReadHow {
                peek,
                refresh,
                watch,
            };
            secret_get(&config, id, key, how, format).await
        }
    }
}

/// Every page of the model's secrets, `owner` given as Juju does (`model`, `application-x`).
pub(crate) async fn all_secrets(
    client: &Client,
    model: &str,
    owner: Option<&str>,
) -> ClientResult<Vec<api_types::secrets::SecretJson>> {
    let owner = owner.map(|o| {
        if o.starts_with("model") {
            "model".to_owned()
        } else {
            o.trim_start_matches("application-").to_owned()
        }
    });
    let mut query = ListParams {
        owner,
        limit: Some(500),
        ..ListParams::default()
    };
    let mut items = Vec::new();
    loop {
        let page = client.list_secrets(model, &query).await?;
        items.extend(page.items);
        match page.next {
            Some(next) => query.after = Some(next),
            None => return Ok(items),
        }
    }
}

/// Writes the output to `-o/--output` when given (mode 0600: it may hold revealed values),
/// else hands it back for stdout.
pub(crate) fn deliver(text: String, output: Option<&std::path::Path>) -> ClientResult<String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let Some(path) = output else { return Ok(text) };
    let fail =
        |e: std::io::Error| ClientError::new(format!("cannot write {}: {e}", path.display()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    Ok(String::new())
}

/// The content of `key=value` arguments, with `--file` merged over them (the file wins).
fn content_input(pairs: &[String], file: Option<&std::path::Path>) -> ClientResult<ContentInput> {
    let mut plain = BTreeMap::new();
    let mut base64 = BTreeMap::new();
    for arg in pairs {
        let parsed = ContentArg::parse(arg)?;
        match parsed.source {
            ValueSource::Plain => {
                plain.insert(parsed.key, parsed.value);
            }
            ValueSource::Base64 => {
                base64.insert(parsed.key, parsed.value);
            }
            ValueSource::File => {
                let bytes = std::fs::read(&parsed.value).map_err(|e| {
                    ClientError::new(format!("cannot read file \"{}\": {e}", parsed.value))
                })?;
                use base64::Engine as _;
                base64.insert(
                    parsed.key,
                    base64::engine::general_purpose::STANDARD.encode(bytes),
                );
            }
        }
    }
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ClientError::new(format!("cannot read {}: {e}", path.display())))?;
        for entry in domain::document::parse_document(&text)? {
            let (key, value) = match entry {
                domain::ContentEntry::Bytes { key, value } => {
                    (key, String::from_utf8_lossy(&value).into_owned())
                }
                domain::ContentEntry::Base64 { key, value } => {
                    plain.remove(&key);
                    base64.insert(key, value);
                    continue;
                }
            };
            base64.remove(&key);
            plain.insert(key, value);
        }
    }
    Ok(ContentInput {
        content: plain,
        content_base64: base64,
    })
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Grant,
    Revoke,
}

impl Change {
    fn verb(self) -> &'static str {
        match self {
            Change::Grant => "grant",
            Change::Revoke => "revoke",
        }
    }
}

async fn access(
    config: &ClientConfig,
    model: Option<&str>,
    args: &[String],
    change: Change,
) -> ClientResult<String> {
    let [id, apps] = args else {
        return Err(ClientError::new("missing secret URI or application name"));
    };
    let apps: Vec<String> = apps
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    let model = config.model(model)?;
    let client = signed_in(config)?;
    let outcome = match change {
        Change::Grant => client.grant_secret(&model, id, &apps).await,
        Change::Revoke => client.revoke_secret(&model, id, &apps).await,
    };
    let Err(e) = outcome else {
        return Ok(String::new());
    };
    let verb = change.verb();
    // Juju names the secret and the application a per-application failure is about. The
    // server says which part of the request failed; the model's applications say which one.
    if e.field() == Some(Field::Application) {
        let known = client.applications(&model).await.ok();
        let missing = known.and_then(|known| {
            apps.iter()
                .find(|a| !known.iter().any(|k| k.name.as_str() == a.as_str()))
                .cloned()
        });
        let uri = client
            .show_secret(&model, id)
            .await
            .ok()
            .map(|d| d.secret.uri);
        if let (Some(app), Some(uri)) = (missing, uri) {
            return Err(ClientError::new(format!(
                "failed to {verb} secret: cannot change access to \"{uri}\" for \"{app}\": {e}"
            )));
        }
    }
    Err(ClientError::new(format!("failed to {verb} secret: {e}")))
}
