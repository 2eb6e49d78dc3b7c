//! An application's webhook: where its events are posted, signed (Standard Webhooks).

use api_types::webhooks::WebhookJson;
use clap::Subcommand;

use super::ClientResult;
use super::config::ClientConfig;
use super::connect::signed_in;

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Post the application's events to URL; prints the signing secret, once.
    SetWebhook {
        application: String,
        url: String,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Show where the application's webhook posts and how delivery is going.
    ShowWebhook {
        application: String,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    /// Start a disabled webhook again from the event it stopped at.
    EnableWebhook {
        application: String,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
    RemoveWebhook {
        application: String,
        #[arg(short = 'm', long = "model")]
        model: Option<String>,
    },
}

pub async fn run(command: WebhookCommand) -> ClientResult<String> {
    let config = ClientConfig::load()?;
    let client = signed_in(&config)?;
    match command {
        WebhookCommand::SetWebhook {
            application,
            url,
            model,
        } => {
            let model = config.model(model.as_deref())?;
            let set = client.set_webhook(&model, &application, &url).await?;
            eprintln!(
                "Webhook of \"{application}\" set to {}. Its signing secret, shown only this once:",
                set.webhook.url.as_deref().unwrap_or(&url)
            );
            Ok(set.signing_secret)
        }
        WebhookCommand::ShowWebhook { application, model } => {
            let model = config.model(model.as_deref())?;
            Ok(shown(&client.webhook(&model, &application).await?))
        }
        WebhookCommand::EnableWebhook { application, model } => {
            let model = config.model(model.as_deref())?;
            Ok(shown(&client.enable_webhook(&model, &application).await?))
        }
        WebhookCommand::RemoveWebhook { application, model } => {
            let model = config.model(model.as_deref())?;
            client.remove_webhook(&model, &application).await?;
            Ok(String::new())
        }
    }
}

/// YAML-like lines, as `show-secret` prints.
fn shown(w: &WebhookJson) -> String {
    let mut lines = vec![
        format!(
            "url: {}",
            w.url.as_deref().unwrap_or("(shown to model admins only)")
        ),
        format!("enabled: {}", w.enabled),
        format!("failures: {}", w.failures),
    ];
    let times = [
        ("retry-at", w.retry_at),
        ("disabled-at", w.disabled_at),
        ("last-success", w.last_success),
    ];
    for (name, at) in times {
        if let Some(at) = at {
            lines.push(format!("{name}: {}", at.to_rfc3339()));
        }
    }
    if let Some(e) = &w.last_error {
        lines.push(format!("last-error: {e}"));
    }
    lines.push(format!("created: {}", w.created.to_rfc3339()));
    lines.join("\n")
}
