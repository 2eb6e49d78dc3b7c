//! Which applications may read a secret.

use leptos::prelude::*;

use crate::error::AppError;

/// Sets the secret's grants to exactly the checked applications: newly checked ones are
/// granted, unchecked ones revoked, together.
#[server]
pub async fn set_grants(
    model: String,
    id: String,
    applications: Option<Vec<String>>,
) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    use backend::service::SecretRef;
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let secret = valid(SecretRef::parse(&id))?;
    let wanted = parse_apps(applications.unwrap_or_default())?;
    let (id, _) = services
        .set_grants(&caller, &model, &secret, &wanted)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/models/{model}/secrets/{id}"));
    Ok(())
}

/// Revokes one application's access.
#[server]
pub async fn revoke_grant(model: String, id: String, application: String) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    use backend::service::SecretRef;
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let secret = valid(SecretRef::parse(&id))?;
    let apps = parse_apps(vec![application])?;
    services
        .revoke_secret(&caller, &model, &secret, &apps)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/models/{model}/secrets/{}", secret.text()));
    Ok(())
}

#[cfg(feature = "ssr")]
fn parse_apps(names: Vec<String>) -> Result<Vec<domain::ApplicationName>, AppError> {
    names
        .iter()
        .map(|n| super::ssr::valid(domain::ApplicationName::parse(n.trim())))
        .collect()
}
