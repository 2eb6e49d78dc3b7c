//! `strongbox export [MODEL] [--reveal] [--format yaml|json]`: the model's secrets in the shape
//! `juju show-secret --reveal --format yaml` prints and `strongbox import juju` reads, so a
//! model moves between Strongbox servers, and back into Juju with a script. Content comes only
//! with `--reveal` (model admins; each reveal is audited). A value that is not text is written
//! `key#base64`, which the import keeps as base64.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::{Map, Value, json};

use super::config::ClientConfig;
use super::connect::signed_in;
use super::output::{Format, structured};
use super::secret_views::shown_entry;
use super::secrets::{all_secrets, deliver};
use super::{ClientError, ClientResult};

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write a model's secrets as `juju show-secret --format yaml` does (with `--reveal`, their
    /// content, which `strongbox import juju` reads back).
    Export {
        /// The model; the current one if left out.
        model: Option<String>,
        /// Include each secret's latest content (model admins; audited).
        #[arg(long)]
        reveal: bool,
        #[arg(long, value_enum, default_value = "yaml")]
        format: Format,
        /// Write to this file (created private) instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

pub async fn run(command: ExportCommand) -> ClientResult<String> {
    let ExportCommand::Export {
        model,
        reveal,
        format,
        output,
    } = command;
    if format == Format::Tabular {
        return Err(ClientError::new("export writes yaml or json"));
    }
    let config = ClientConfig::load()?;
    let client = signed_in(&config)?;
    let model = config.model(model.as_deref())?;
    let mut top = Map::new();
    for item in all_secrets(&client, &model, None).await? {
        let id = item.id.to_string();
        let detail = client.show_secret(&model, &id).await?;
        let content = match reveal {
            true => Some(client.reveal_secret(&model, &id, None).await?),
            false => None,
        };
        let mut entry = shown_entry(&detail, None, content.as_ref(), false);
        entry.remove("access");
        if let (Some(c), Some(Value::Object(values))) = (&content, entry.get_mut("content")) {
            // What is not text goes as base64, under the key Juju's commands use for it.
            for (key, encoded) in &c.content_base64 {
                if !c.content.contains_key(key) {
                    values.insert(format!("{key}#base64"), json!(encoded));
                }
            }
        }
        top.insert(id, Value::Object(entry));
    }
    deliver(structured(&Value::Object(top), format)?, output.as_deref())
}
