//! Juju's secret verbs, with Juju's arguments, flags, output and error texts
//! (juju-secrets.md §1).

use clap::Subcommand;
use domain::{ContentArg, ValueSource};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

use super::http::{Api, encode};
use super::output::{Format, structured, table};
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
        #[arg(long, value_enum, default_value = "yaml")]
        format: Format,
    },
}

pub fn run(command: SecretCommand) -> ClientResult<String> {
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
            let mut body = content_body(pairs, file.as_deref())?;
            body.insert("name".into(), json!(name));
            body.insert("description".into(), json!(info.unwrap_or_default()));
            let model = encode(&config.model(model.as_deref())?);
            let reply = Api::from_config(&config)?
                .post(&format!("/models/{model}/secrets"), &Value::Object(body))?;
            Ok(reply["uri"].as_str().unwrap_or_default().to_owned())
        }
        SecretCommand::Secrets {
            owner,
            format,
            output,
            model,
        } => deliver(
            list(&config, model.as_deref(), owner.as_deref(), format)?,
            output.as_deref(),
        ),
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
            let shown = show(
                &config,
                model.as_deref(),
                &id,
                (reveal, revisions, revision),
                format,
            )?;
            deliver(shown, output.as_deref())
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
            let mut body = if pairs.is_empty() && file.is_none() {
                Map::new()
            } else {
                content_body(pairs, file.as_deref())?
            };
            if let Some(info) = info.filter(|i| !i.is_empty()) {
                body.insert("description".into(), json!(info));
            }
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                body.insert("name".into(), json!(name));
            }
            if let Some(on) = auto_prune {
                body.insert("auto_prune".into(), json!(on));
            }
            let model = encode(&config.model(model.as_deref())?);
            Api::from_config(&config)?.patch(
                &format!("/models/{model}/secrets/{}", encode(id)),
                &Value::Object(body),
            )?;
            Ok(String::new())
        }
        SecretCommand::RemoveSecret {
            id,
            revision,
            model,
        } => {
            let id = id.ok_or_else(|| ClientError::new("missing secret URI"))?;
            let model = encode(&config.model(model.as_deref())?);
            let query = match revision.filter(|r| *r != 0) {
                Some(r) => format!("?revision={r}"),
                None => String::new(),
            };
            Api::from_config(&config)?
                .delete(&format!("/models/{model}/secrets/{}{query}", encode(&id)))?;
            Ok(String::new())
        }
        SecretCommand::GrantSecret { args, model } => {
            access(&config, model.as_deref(), &args, "grant")
        }
        SecretCommand::RevokeSecret { args, model } => {
            access(&config, model.as_deref(), &args, "revoke")
        }
        SecretCommand::SecretGet {
            id,
            key,
            peek,
            refresh,
            format,
        } => secret_get(&config, id, key, (peek, refresh), format),
    }
}

fn secret_get(
    config: &ClientConfig,
    id: Option<String>,
    key: Option<String>,
    (peek, refresh): (bool, bool),
    format: Format,
) -> ClientResult<String> {
    let id = id.ok_or_else(|| ClientError::new("require either a secret URI or label"))?;
    if peek && refresh {
        return Err(ClientError::new(
            "specify one of --peek or --refresh but not both",
        ));
    }
    let token = std::env::var("STRONGBOX_APP_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ClientError::new("STRONGBOX_APP_TOKEN is not set: secret-get reads as an application")
        })?;
    let mode = if peek {
        "?mode=peek"
    } else if refresh {
        "?mode=refresh"
    } else {
        ""
    };
    let read = Api::new(&config.server()?, Some(token))
        .get(&format!("/app/secrets/{}{mode}", encode(&id)))?;
    match key {
        Some(k) => {
            let (name, encoded) = match k.strip_suffix("#base64") {
                Some(n) => (n, true),
                None => (k.as_str(), false),
            };
            let field = if encoded { "content_base64" } else { "content" };
            read[field][name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| ClientError::new(format!("secret key value \"{name}\" not found")))
        }
        None => structured(
            &read["content"],
            if format == Format::Tabular {
                Format::Yaml
            } else {
                format
            },
        ),
    }
}

/// Writes the output to `-o/--output` when given (mode 0600: it may hold revealed values),
/// else hands it back for stdout.
fn deliver(text: String, output: Option<&std::path::Path>) -> ClientResult<String> {
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
fn content_body(
    pairs: &[String],
    file: Option<&std::path::Path>,
) -> ClientResult<Map<String, Value>> {
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
    let mut body = Map::new();
    body.insert("content".into(), json!(plain));
    body.insert("content_base64".into(), json!(base64));
    Ok(body)
}

fn access(
    config: &ClientConfig,
    model: Option<&str>,
    args: &[String],
    verb: &str,
) -> ClientResult<String> {
    let [id, apps] = args else {
        return Err(ClientError::new("missing secret URI or application name"));
    };
    let apps: Vec<&str> = apps
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    let model = encode(&config.model(model)?);
    let api = Api::from_config(config)?;
    let path = format!("/models/{model}/secrets/{}", encode(id));
    let Err(e) = api.post(&format!("{path}/{verb}"), &json!({"applications": apps})) else {
        return Ok(String::new());
    };
    // Juju names the secret and the application a per-application failure is about.
    let app =
        e.0.strip_prefix("application \"")
            .and_then(|r| r.split('"').next());
    let uri = api
        .get(&path)
        .ok()
        .and_then(|d| d["uri"].as_str().map(str::to_owned));
    Err(match (app, uri) {
        (Some(app), Some(uri)) => ClientError::new(format!(
            "failed to {verb} secret: cannot change access to \"{uri}\" for \"{app}\": {e}"
        )),
        _ => ClientError::new(format!("failed to {verb} secret: {e}")),
    })
}

fn owner_of(item: &Value) -> String {
    match item["owner"].as_str() {
        Some("model") | None => "<model>".to_owned(),
        Some(app) => app.to_owned(),
    }
}

/// One secret as Juju's `secretDisplayDetails`, fields in Juju's order.
fn display(item: &Value) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("revision".into(), item["revision"].clone());
    if item["rotation"].as_str().is_some_and(|r| r != "never") {
        m.insert("rotation".into(), item["rotation"].clone());
    }
    let owner = owner_of(item);
    m.insert("owner".into(), json!(owner));
    if let Some(d) = item["description"].as_str().filter(|d| !d.is_empty()) {
        m.insert("description".into(), json!(d));
    }
    if let Some(n) = item["name"].as_str() {
        m.insert(
            if owner == "<model>" { "name" } else { "label" }.into(),
            json!(n),
        );
    }
    m.insert("created".into(), item["created"].clone());
    m.insert("updated".into(), item["updated"].clone());
    m
}

fn list(
    config: &ClientConfig,
    model: Option<&str>,
    owner: Option<&str>,
    format: Format,
) -> ClientResult<String> {
    let api = Api::from_config(config)?;
    let model = encode(&config.model(model)?);
    let owner = owner.map(|o| {
        if o.starts_with("model") {
            "model".to_owned()
        } else {
            o.trim_start_matches("application-").to_owned()
        }
    });
    let mut items = Vec::new();
    let mut after = String::new();
    loop {
        let mut path = format!("/models/{model}/secrets?limit=500&after={}", encode(&after));
        if let Some(o) = &owner {
            path.push_str(&format!("&owner={}", encode(o)));
        }
        let page = api.get(&path)?;
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(n) => after = n.to_owned(),
            None => break,
        }
    }
    // Juju's order: by owner, then by revision, highest first.
    items.sort_by(|a, b| {
        owner_of(a)
            .cmp(&owner_of(b))
            .then(b["revision"].as_i64().cmp(&a["revision"].as_i64()))
    });
    match format {
        Format::Tabular => {
            let now = domain::Timestamp::from_datetime(time::OffsetDateTime::now_utc());
            let rows: Vec<[String; 6]> = items
                .iter()
                .map(|i| {
                    let owner = owner_of(i);
                    let name = if owner == "<model>" {
                        i["name"].as_str().unwrap_or("-")
                    } else {
                        "-"
                    };
                    let updated = i["updated"]
                        .as_str()
                        .and_then(domain::Timestamp::parse_rfc3339)
                        .map(|t| t.user_friendly(now))
                        .unwrap_or_default();
                    [
                        i["id"].as_str().unwrap_or_default().to_owned(),
                        name.to_owned(),
                        owner,
                        i["rotation"].as_str().unwrap_or("never").to_owned(),
                        i["revision"].to_string(),
                        updated,
                    ]
                })
                .collect();
            Ok(table(
                &[
                    "ID",
                    "Name",
                    "Owner",
                    "Rotation",
                    "Revision",
                    "Last updated",
                ],
                &rows,
                &[4],
            ))
        }
        _ => {
            let map: Map<String, Value> = items
                .iter()
                .map(|i| {
                    (
                        i["id"].as_str().unwrap_or_default().to_owned(),
                        Value::Object(display(i)),
                    )
                })
                .collect();
            structured(&Value::Object(map), format)
        }
    }
}

fn show(
    config: &ClientConfig,
    model: Option<&str>,
    id: &str,
    (reveal, revisions, revision): (bool, bool, Option<i64>),
    format: Format,
) -> ClientResult<String> {
    let api = Api::from_config(config)?;
    let model = encode(&config.model(model)?);
    let path = format!("/models/{model}/secrets/{}", encode(id));
    let detail = api.get(&path)?;
    // show-secret always states the rotation, right after the revision.
    let mut shown = display(&detail);
    let mut m = Map::new();
    m.insert(
        "revision".into(),
        shown.shift_remove("revision").unwrap_or_default(),
    );
    m.insert(
        "rotation".into(),
        shown
            .shift_remove("rotation")
            .unwrap_or_else(|| json!("never")),
    );
    m.extend(shown);
    if let Some(r) = revision {
        m.insert("revision".into(), json!(r));
    }
    if reveal {
        let body = json!({"revision": revision});
        let content = api.post(&format!("{path}/reveal"), &body)?;
        let mut out = Map::new();
        for (k, v) in m {
            if k == "revision" {
                out.insert(k, v);
                out.insert("checksum".into(), content["checksum"].clone());
            } else {
                out.insert(k, v);
            }
        }
        out.insert("content".into(), content["content"].clone());
        m = out;
    }
    if revisions {
        let list: Vec<Value> = detail["revisions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let mut entry = json!({"revision": r["revision"], "backend": "internal", "created": r["created"], "updated": r["created"]});
                if r["obsolete"].as_bool() == Some(true) {
                    entry["obsolete"] = json!(true);
                }
                entry
            })
            .collect();
        m.insert("revisions".into(), json!(list));
    }
    let access: Vec<Value> = detail["access"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| json!({"target": a["target"], "scope": a["scope"], "role": a["role"]}))
        .collect();
    if !access.is_empty() {
        m.insert("access".into(), json!(access));
    }
    let mut top = Map::new();
    top.insert(
        detail["id"].as_str().unwrap_or_default().to_owned(),
        Value::Object(m),
    );
    structured(
        &Value::Object(top),
        if format == Format::Tabular {
            Format::Yaml
        } else {
            format
        },
    )
}
