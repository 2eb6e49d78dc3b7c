//! `strongbox access-review`: which applications hold grants, and whether they use them.

use api_types::review::{ReviewItemJson, ReviewJson, ReviewParams};
use clap::Subcommand;
use domain::Timestamp;
use serde_json::Value;

use super::config::ClientConfig;
use super::connect::signed_in;
use super::output::{Format, structured, table};
use super::{ClientError, ClientResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    Tabular,
    Yaml,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Review the model's grants: when each application last read each secret, how often in
    /// the last 30 days, whether it is behind the latest revision, whether it has a token.
    AccessReview {
        /// Days without a read that make a grant stale.
        #[arg(long, default_value_t = 30)]
        stale_days: u32,
        /// Only grants with this flag: never-read, stale, behind or no-token (repeatable).
        #[arg(long = "flag")]
        flags: Vec<String>,
        /// Only this application's grants.
        #[arg(long)]
        application: Option<String>,
        /// Only this secret's grants (ID, URI or name).
        #[arg(long)]
        secret: Option<String>,
        #[arg(long, value_enum, default_value = "tabular")]
        format: ReviewFormat,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Record that the model's grants were reviewed (model admins).
    SignOffReview {
        /// What the review found or decided.
        #[arg(long, default_value = "")]
        note: String,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
}

pub async fn run(command: ReviewCommand) -> ClientResult<String> {
    let config = ClientConfig::load()?;
    let client = signed_in(&config)?;
    match command {
        ReviewCommand::AccessReview {
            stale_days,
            flags,
            application,
            secret,
            format,
            model,
        } => {
            let model = config.model(model.as_deref())?;
            let filter = ReviewParams {
                stale_days: Some(stale_days),
                flag: flags,
                application,
                secret,
                ..ReviewParams::default()
            };
            let shown = match format {
                ReviewFormat::Csv => return Ok(client.access_review_csv(&model, &filter).await?),
                ReviewFormat::Tabular => Format::Tabular,
                ReviewFormat::Yaml => Format::Yaml,
                ReviewFormat::Json => Format::Json,
            };
            listing(&client.access_review(&model, &filter).await?, shown)
        }
        ReviewCommand::SignOffReview { note, model } => {
            let model = config.model(model.as_deref())?;
            let done = client.sign_off_review(&model, &note).await?;
            eprintln!(
                "Signed off the review of {} grants in {model} as {}.",
                done.grant_count, done.reviewed_by
            );
            Ok(String::new())
        }
    }
}

fn listing(review: &ReviewJson, format: Format) -> ClientResult<String> {
    if format != Format::Tabular {
        let items =
            serde_json::to_value(&review.items).map_err(|e| ClientError::new(e.to_string()))?;
        return structured(
            &Value::Array(items.as_array().cloned().unwrap_or_default()),
            format,
        );
    }
    if review.items.is_empty() {
        return Ok("No grants match.\n".to_owned());
    }
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc());
    let rows: Vec<[String; 6]> = review.items.iter().map(|i| row(i, now)).collect();
    Ok(table(
        &[
            "Application",
            "Secret",
            "Last read",
            "Reads (30d)",
            "Revision",
            "Flags",
        ],
        &rows,
        &[3],
    ))
}

fn row(i: &ReviewItemJson, now: Timestamp) -> [String; 6] {
    let secret = i
        .secret_name
        .as_ref()
        .map(|n| n.to_string())
        .unwrap_or_else(|| i.secret_id.to_string());
    let revision = match i.tracked_revision {
        Some(t) => format!("{t}/{}", i.latest_revision),
        None => format!("-/{}", i.latest_revision),
    };
    let flags: Vec<&str> = i.flags.iter().map(|f| f.as_str()).collect();
    [
        i.application.to_string(),
        secret,
        i.last_read_at
            .map(|t| t.user_friendly(now))
            .unwrap_or_else(|| "never".to_owned()),
        i.reads_30d.to_string(),
        revision,
        flags.join(" "),
    ]
}
