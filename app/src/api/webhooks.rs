//! An application's webhook, from the applications page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::NewWebhookSecret;

/// Sets the webhook and returns its signing secret in the clear, this once.
#[server]
pub async fn set_webhook(
    model: String,
    application: String,
    url: String,
) -> Result<NewWebhookSecret, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let name = valid(domain::ApplicationName::parse(application.trim()))?;
    let (_, secret) = services
        .set_webhook(&caller, &model, &name, url.trim())
        .await
        .map_err(fail)?;
    Ok(NewWebhookSecret {
        application: name.to_string(),
        secret,
    })
}

/// What the page's buttons do to a webhook that is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookChange {
    /// Start it again after it was disabled.
    Enable,
    Remove,
}

#[server]
pub async fn change_webhook(
    model: String,
    application: String,
    change: WebhookChange,
) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let name = valid(domain::ApplicationName::parse(application.trim()))?;
    match change {
        WebhookChange::Enable => services
            .enable_webhook(&caller, &model, &name)
            .await
            .map(drop),
        WebhookChange::Remove => services.remove_webhook(&caller, &model, &name).await,
    }
    .map_err(fail)
}
