//! `strongbox import juju FILE`: a Juju model's secrets, as `juju show-secret --reveal --format
//! yaml` prints them (several documents may follow each other, one per revision shown with
//! `--revision N`), into the current model as user secrets. The server checks and stores them;
//! this reads the YAML and prints the server's report.

use std::collections::BTreeMap;
use std::path::PathBuf;

use api_types::import::{ImportOutcome, ImportReport, ImportRequest, ImportSecret, ImportSource};
use api_types::secrets::ContentInput;
use clap::Subcommand;
use serde::Deserialize;
use serde_json::Value;

use super::config::ClientConfig;
use super::connect::signed_in;
use super::output::table;
use super::{ClientError, ClientResult};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Bring secrets in from elsewhere.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// What `juju show-secret --reveal --format yaml` printed (one or several secrets).
    Juju {
        file: PathBuf,
        /// Every revision the file holds, oldest first, not only the latest.
        #[arg(long)]
        all_revisions: bool,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// A Vault or OpenBao KV v2 mount, every secret under a path (token from VAULT_TOKEN or
    /// BAO_TOKEN).
    Vault {
        /// The server, e.g. https://vault.example.com:8200
        #[arg(long)]
        address: String,
        #[arg(long)]
        mount: String,
        /// Only the secrets under this path (or this one secret).
        #[arg(long, default_value = "")]
        path: String,
        /// Every version still there, oldest first, not only the latest.
        #[arg(long)]
        all_versions: bool,
        #[command(flatten)]
        options: ImportOptions,
    },
}

/// What every import takes.
#[derive(Debug, clap::Args)]
pub struct ImportOptions {
    /// Print what would change, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Add a revision to a secret whose name is taken when the content differs.
    #[arg(long)]
    update: bool,
    #[arg(short = 'm', long = "model")]
    model: Option<String>,
}

/// One secret at one revision, as `show-secret` prints it.
#[derive(Debug, Deserialize)]
struct Shown {
    revision: i64,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    content: Option<BTreeMap<String, String>>,
}

/// A key written `key#base64` holds base64 already, as Juju's own commands take it.
fn content(values: BTreeMap<String, String>) -> ContentInput {
    let mut input = ContentInput {
        content: BTreeMap::new(),
        content_base64: BTreeMap::new(),
    };
    for (key, value) in values {
        match key.strip_suffix("#base64") {
            Some(bare) => input.content_base64.insert(bare.to_owned(), value),
            None => input.content.insert(key, value),
        };
    }
    input
}

/// Every secret in `text`, by ID, its revisions in order; and what cannot be imported, why.
fn read_juju(
    text: &str,
    all_revisions: bool,
) -> ClientResult<(Vec<ImportSecret>, Vec<[String; 3]>)> {
    let mut by_id: BTreeMap<String, Vec<Shown>> = BTreeMap::new();
    for document in yaml_serde::Deserializer::from_str(text) {
        let doc =
            Value::deserialize(document).map_err(|e| ClientError::new(format!("not YAML: {e}")))?;
        let Value::Object(secrets) = doc else {
            if doc.is_null() {
                continue;
            }
            return Err(ClientError::new(
                "expected a map of secret IDs, as juju show-secret --format yaml prints",
            ));
        };
        for (id, shown) in secrets {
            let shown: Shown = serde_json::from_value(shown)
                .map_err(|e| ClientError::new(format!("secret {id}: {e}")))?;
            by_id.entry(id).or_default().push(shown);
        }
    }
    let mut secrets = Vec::new();
    let mut skipped = Vec::new();
    for (id, mut shown) in by_id {
        shown.sort_by_key(|s| s.revision);
        shown.dedup_by_key(|s| s.revision);
        let first = &shown[0];
        let origin = format!("secret:{id}");
        let owner = first.owner.clone().unwrap_or_else(|| "<model>".into());
        if owner != "<model>" {
            let label = first.label.clone().unwrap_or_default();
            let why = format!(
                "owned by {owner}{}: only user secrets are imported",
                if label.is_empty() {
                    String::new()
                } else {
                    format!(" (label {label})")
                }
            );
            skipped.push([id.clone(), "skipped".into(), why]);
            continue;
        }
        let name = first.name.clone().unwrap_or_else(|| id.clone());
        let description = shown
            .iter()
            .rev()
            .find_map(|s| s.description.clone())
            .unwrap_or_default();
        let keep = if all_revisions { shown.len() } else { 1 };
        let revisions: Vec<ContentInput> = shown
            .into_iter()
            .rev()
            .take(keep)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .filter_map(|s| s.content.map(content))
            .collect();
        if revisions.is_empty() {
            skipped.push([
                name,
                "skipped".into(),
                "no content: export it with juju show-secret --reveal".into(),
            ]);
            continue;
        }
        secrets.push(ImportSecret {
            name,
            description,
            origin,
            revisions,
        });
    }
    Ok((secrets, skipped))
}

fn outcome(o: ImportOutcome) -> &'static str {
    match o {
        ImportOutcome::Created => "created",
        ImportOutcome::Updated => "updated",
        ImportOutcome::Unchanged => "unchanged",
        ImportOutcome::Clash => "clash",
        ImportOutcome::Refused => "refused",
        ImportOutcome::Failed => "failed",
    }
}

/// The report as a table; an error when anything was not imported, so scripts notice.
fn show(report: &ImportReport, mut skipped: Vec<[String; 3]>) -> ClientResult<String> {
    let mut rows: Vec<[String; 4]> = report
        .secrets
        .iter()
        .map(|s| {
            [
                s.name.clone(),
                outcome(s.outcome).to_owned(),
                s.revisions_added.to_string(),
                s.message.clone(),
            ]
        })
        .collect();
    rows.extend(skipped.drain(..).map(|[n, o, m]| [n, o, "0".into(), m]));
    let printed = table(&["Name", "Outcome", "Revisions", "Note"], &rows, &[2]);
    let wrong = rows
        .iter()
        .filter(|r| matches!(r[1].as_str(), "clash" | "refused" | "failed" | "skipped"))
        .count();
    let verb = if report.dry_run {
        "would be imported (dry run: nothing changed)"
    } else {
        "imported"
    };
    let done = rows.len() - wrong;
    super::say(printed.trim_end());
    if wrong > 0 {
        return Err(ClientError::new(format!(
            "{done} secret(s) {verb}; {wrong} not (see above)"
        )));
    }
    Ok(format!("{done} secret(s) {verb}."))
}

pub async fn run(command: ImportCommand) -> ClientResult<String> {
    let ImportCommand::Import { from } = command;
    let config = ClientConfig::load()?;
    let client = signed_in(&config)?;
    let (source, secrets, skipped, options) = match from {
        ImportFrom::Juju {
            file,
            all_revisions,
            options,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| ClientError::new(format!("cannot read {}: {e}", file.display())))?;
            let (secrets, skipped) = read_juju(&text, all_revisions)?;
            (ImportSource::Juju, secrets, skipped, options)
        }
        ImportFrom::Vault {
            address,
            mount,
            path,
            all_versions,
            options,
        } => {
            let vault = super::import_vault::VaultMount::new(&address, &mount)?;
            let mut secrets = Vec::new();
            for found in vault.walk(&path).await? {
                if let Some(secret) = vault.secret(&found, all_versions).await? {
                    secrets.push(secret);
                }
            }
            (ImportSource::Vault, secrets, Vec::new(), options)
        }
    };
    let request = ImportRequest {
        source,
        dry_run: options.dry_run,
        update: options.update,
        secrets,
    };
    let model = options.model;
    let model = config.model(model.as_deref())?;
    let report = client.import_secrets(&model, &request).await?;
    show(&report, skipped)
}
