//! Models the signed-in person can see.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::ModelSummary;

#[server]
pub async fn list_models() -> Result<Vec<ModelSummary>, AppError> {
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    let models = services.visible_models(&caller).await.map_err(fail)?;
    Ok(models
        .into_iter()
        .map(|(m, access)| ModelSummary {
            name: m.name.to_string(),
            uuid: m.uuid.to_string(),
            access,
            created: m.created_at,
        })
        .collect())
}

/// Superusers only; the service refuses everyone else.
#[server]
pub async fn create_model(name: String) -> Result<(), AppError> {
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let name = valid(domain::ModelName::parse(name.trim()))?;
    services.create_model(&caller, &name).await.map_err(fail)?;
    Ok(())
}
