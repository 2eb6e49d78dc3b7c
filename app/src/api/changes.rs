//! Updating a secret (new content, rename, description, auto-prune) and removing it or one
//! of its revisions.

use leptos::prelude::*;

use super::secrets::ContentForm;
use crate::error::AppError;

/// Blank rows and an empty document mean "keep the content"; the name, description and
/// auto-prune state are sent as the form shows them. `expected_revision` guards against
/// overwriting someone else's update made while the dialog was open.
#[server]
pub async fn update_secret(
    model: String,
    id: String,
    name: String,
    description: String,
    auto_prune: Option<String>,
    content: Option<ContentForm>,
    expected_revision: Option<i64>,
) -> Result<(), AppError> {
    use super::secrets::{content_from_form, parse_model};
    use super::ssr::{context, fail, valid};
    use backend::service::{SecretRef, SecretUpdate};
    use domain::{Description, RevisionNumber, SecretName};

    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let secret = valid(SecretRef::parse(&id))?;
    let content = match content.filter(|c| !c.is_blank()) {
        Some(form) => Some(valid(content_from_form(form))?),
        None => None,
    };
    let update = SecretUpdate {
        content,
        name: match name.trim() {
            "" => None,
            n => Some(valid(SecretName::parse(n))?),
        },
        description: Some(valid(Description::parse(description.trim()))?),
        auto_prune: Some(auto_prune.is_some()),
        expected_revision: valid(expected_revision.map(RevisionNumber::new).transpose())?,
        ..SecretUpdate::default()
    };
    let outcome = services
        .update_secret(&caller, &model, &secret, update)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/models/{model}/secrets/{}", outcome.secret.id));
    Ok(())
}

/// Removes one revision (`revision` set) or the whole secret (`revision` empty). After removing
/// the whole secret the browser goes back to the list.
#[server]
pub async fn remove_secret(
    model: String,
    id: String,
    revision: Option<String>,
) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    use backend::service::{RemoveOutcome, SecretRef};
    use domain::RevisionNumber;

    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let secret = valid(SecretRef::parse(&id))?;
    let revision = match revision.as_deref().map(str::trim) {
        None | Some("") | Some("all") => None,
        Some(n) => Some(valid(n.parse::<RevisionNumber>())?),
    };
    let outcome = services
        .remove_secret(&caller, &model, &secret, revision)
        .await
        .map_err(fail)?;
    match outcome {
        RemoveOutcome::SecretRemoved(_) => {
            leptos_axum::redirect(&format!("/models/{model}/secrets"))
        }
        RemoveOutcome::RevisionRemoved(id, _) => {
            leptos_axum::redirect(&format!("/models/{model}/secrets/{id}"))
        }
    }
    Ok(())
}
