//! Applications of a model and their tokens.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{ApplicationsPage, NewToken};

#[server]
pub async fn list_applications(model: String) -> Result<ApplicationsPage, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail};
    use crate::types::ApplicationView;
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let apps = services.applications(&caller, &model).await.map_err(fail)?;
    let applications = apps
        .items
        .into_iter()
        .map(|a| ApplicationView {
            name: a.application.name.to_string(),
            created: a.application.created_at,
            readable: a
                .readable
                .iter()
                .map(|r| (r.id.to_string(), r.name.as_ref().map(ToString::to_string)))
                .collect(),
            tokens: a.tokens.iter().map(backend::wire::token_json).collect(),
            webhook: a.webhook.map(|w| crate::types::WebhookView {
                url: w.url,
                enabled: w.enabled,
                failures: w.failures,
                retry_at: w.retry_at,
                last_error: w.last_error,
                last_success: w.last_success_at,
            }),
        })
        .collect();
    Ok(ApplicationsPage {
        can: apps.capabilities,
        applications,
    })
}

#[server]
pub async fn add_application(model: String, name: String) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let name = valid(domain::ApplicationName::parse(name.trim()))?;
    services
        .add_application(&caller, &model, &name)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server]
pub async fn remove_application(model: String, name: String) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let name = valid(domain::ApplicationName::parse(name.trim()))?;
    services
        .remove_application(&caller, &model, &name)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Makes a token for the application and returns it in the clear, this once.
#[server]
pub async fn create_token(
    model: String,
    application: String,
    label: String,
) -> Result<NewToken, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let name = valid(domain::ApplicationName::parse(application.trim()))?;
    let (_, token) = services
        .create_application_token(&caller, &model, &name, &label)
        .await
        .map_err(fail)?;
    Ok(NewToken {
        owner: name.to_string(),
        token: token.expose().to_owned(),
    })
}

#[server]
pub async fn revoke_token(model: String, application: String, token: i64) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let name = valid(domain::ApplicationName::parse(application.trim()))?;
    services
        .revoke_application_token(&caller, &model, &name, domain::TokenId(token))
        .await
        .map_err(fail)?;
    Ok(())
}

/// Just the names, for filters and pickers.
#[server]
pub async fn application_names(model: String) -> Result<Vec<String>, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let names = services
        .application_names(&caller, &model)
        .await
        .map_err(fail)?;
    Ok(names.iter().map(ToString::to_string).collect())
}
