//! The secrets of a model: the list, one secret, and adding one.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::types::{SecretDetail, SecretsPageData};

/// The content part of the Add and Update forms: key/value rows and a pasted document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentForm {
    pub entries: Option<Vec<EntryInput>>,
    pub document: Option<String>,
}

impl ContentForm {
    /// Whether anything was typed: blank rows and an empty document mean "no content".
    pub fn is_blank(&self) -> bool {
        let rows_blank = self
            .entries
            .iter()
            .flatten()
            .all(|e| e.key.trim().is_empty() && e.value.is_empty());
        rows_blank && self.document.as_deref().is_none_or(|d| d.trim().is_empty())
    }
}

/// One key/value row of the Add and Update forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInput {
    pub key: String,
    pub value: String,
    /// Present ("on") when the value is already base64.
    pub base64: Option<String>,
}

/// The secrets table: search, owner filter, sort and keyset pages, as the URL says.
#[server]
pub async fn list_secrets(
    model: String,
    q: Option<String>,
    owner: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    after: Option<String>,
) -> Result<SecretsPageData, AppError> {
    use super::ssr::{context, fail, summary_row, valid};
    use api_types::secrets::ListParams;
    use backend::store::{Cursor, SecretQuery};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let params = ListParams {
        search: q,
        owner,
        sort,
        order: dir,
        after,
        limit: Some(50),
    };
    let query = valid(SecretQuery::from_params(&params))?;
    let page = services
        .list_secrets(&caller, &model, &query)
        .await
        .map_err(fail)?;
    Ok(SecretsPageData {
        rows: page.items.iter().map(summary_row).collect(),
        next: page.next.as_ref().map(Cursor::encode),
        can: page.capabilities,
    })
}

#[server]
pub async fn show_secret(model: String, id: String) -> Result<SecretDetail, AppError> {
    use super::ssr::{context, detail_row, fail, grant_row, revision_row, valid};
    use backend::service::SecretRef;
    use backend::wire::audit_json;
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let secret = valid(SecretRef::parse(&id))?;
    let page = services
        .secret_overview(&caller, &model, &secret)
        .await
        .map_err(fail)?;
    let details = &page.details;
    Ok(SecretDetail {
        row: detail_row(details),
        can: page.capabilities,
        changeable: page.changeable,
        revisions: details.revisions.iter().rev().map(revision_row).collect(),
        grants: details.grants.iter().map(grant_row).collect(),
        behind: page
            .behind
            .iter()
            .map(|b| crate::types::BehindRow {
                application: b.application.to_string(),
                tracked: b.tracked.get(),
                since: b.since,
            })
            .collect(),
        audit: page.audit.iter().map(audit_json).collect(),
        applications: page.applications.iter().map(ToString::to_string).collect(),
    })
}

/// Adds a user secret from the form's rows and an optional pasted YAML/JSON/.env document.
/// Returns the new secret's id.
#[server]
pub async fn add_secret(
    model: String,
    name: String,
    description: String,
    content: Option<ContentForm>,
) -> Result<String, AppError> {
    use super::ssr::{context, fail, valid};
    use backend::service::NewSecret;
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let content = content_from_form(content.unwrap_or_default());
    let new = valid(NewSecret::user(
        Some(name.trim()),
        description.trim(),
        content,
    ))?;
    let added = services
        .add_secret(&caller, &model, new)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/models/{model}/secrets/{}", added.id));
    Ok(added.id.to_string())
}

/// The rows (blank ones skipped) followed by the document's pairs.
#[cfg(feature = "ssr")]
pub(crate) fn content_from_form(
    form: ContentForm,
) -> Result<domain::SecretContent, domain::ValidationError> {
    use domain::ContentEntry;
    let mut all: Vec<ContentEntry> = form
        .entries
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !(e.key.trim().is_empty() && e.value.is_empty()))
        .map(|e| {
            let key = e.key.trim().to_owned();
            if e.base64.is_some() {
                ContentEntry::Base64 {
                    key,
                    value: e.value.trim().to_owned(),
                }
            } else {
                ContentEntry::Bytes {
                    key,
                    value: e.value.into_bytes(),
                }
            }
        })
        .collect();
    if let Some(doc) = form.document.as_deref().filter(|d| !d.trim().is_empty()) {
        all.extend(domain::document::parse_document(doc)?);
    }
    domain::SecretContent::from_entries(all)
}

#[cfg(feature = "ssr")]
pub(crate) fn parse_model(name: &str) -> Result<domain::ModelName, AppError> {
    domain::ModelName::parse(name)
        .map_err(|_| super::ssr::reject(AppError::NotFound(format!("model \"{name}\" not found"))))
}
