//! `/api/v1/models/{model}/secrets…`: everything the dashboard does with secrets, with the same
//! role checks (they are in the services).

use super::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use backend::service::{NewSecret, SecretRef, SecretUpdate};
use backend::store::SecretQuery;
use backend::wire::{content_json, detail_json, summary_json};
use domain::{ApplicationName, ModelName, RevisionNumber};

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiError, ApiResult, ErrorBody};
pub use api_types::secrets::{
    AddSecret, Applications, Changed, ContentJson, Created, ListParams, RemoveParams,
    RevealRequest, SecretDetailJson, SecretPageJson, UpdateSecret, Updated,
};

pub(super) fn model(name: &str) -> ApiResult<ModelName> {
    ModelName::parse(name).map_err(|_| {
        ApiError::new(
            domain::error::ErrorCode::NotFound,
            format!("model \"{name}\" not found"),
        )
    })
}

pub(super) fn secret(text: &str) -> ApiResult<SecretRef> {
    Ok(SecretRef::parse(text)?)
}

/// Lists a model's secrets, a page at a time.
#[utoipa::path(get, path = "/api/v1/models/{model}/secrets", operation_id = "list_secrets", params(("model" = String, Path), ListParams), tag = "secrets",
    responses((status = 200, body = SecretPageJson), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<SecretPageJson>> {
    let query = SecretQuery::from_params(&p)?;
    let page = s
        .services
        .list_secrets(&caller, &model(&m)?, &query)
        .await?;
    Ok(Json(SecretPageJson {
        items: page.items.iter().map(summary_json).collect(),
        next: page.next.as_ref().map(backend::store::Cursor::encode),
    }))
}

/// Adds a user secret (writers), or an application's own secret (application tokens).
#[utoipa::path(post, path = "/api/v1/models/{model}/secrets", params(("model" = String, Path)), request_body = AddSecret, tag = "secrets",
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    body: Result<Json<AddSecret>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let Json(req) = body?;
    let new = NewSecret::from_request(req)?;
    let added = s.services.add_secret(&caller, &model(&m)?, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            uri: added.id.to_uri(),
            id: added.id,
        }),
    ))
}

/// One secret: metadata, revisions and access.
#[utoipa::path(get, path = "/api/v1/models/{model}/secrets/{secret}", params(("model" = String, Path), ("secret" = String, Path, description = "ID, URI or name")), tag = "secrets",
    responses((status = 200, body = SecretDetailJson), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, id)): Path<(String, String)>,
) -> ApiResult<Json<SecretDetailJson>> {
    let details = s
        .services
        .show_secret(&caller, &model(&m)?, &secret(&id)?)
        .await?;
    Ok(Json(detail_json(&details)))
}

/// New content (a new revision unless it is identical), rename, description, auto-prune.
#[utoipa::path(patch, path = "/api/v1/models/{model}/secrets/{secret}", params(("model" = String, Path), ("secret" = String, Path)), request_body = UpdateSecret, tag = "secrets",
    responses((status = 200, body = Updated), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, id)): Path<(String, String)>,
    body: Result<Json<UpdateSecret>, JsonRejection>,
) -> ApiResult<Json<Updated>> {
    let Json(req) = body?;
    let update = SecretUpdate::from_request(req)?;
    let out = s
        .services
        .update_secret(&caller, &model(&m)?, &secret(&id)?, update)
        .await?;
    Ok(Json(Updated {
        revision: out.secret.latest_revision.get(),
        new_revision: out.new_revision.map(RevisionNumber::get),
    }))
}

/// Removes the secret, or one revision (removing the last one removes the secret).
#[utoipa::path(delete, path = "/api/v1/models/{model}/secrets/{secret}", params(("model" = String, Path), ("secret" = String, Path), RemoveParams), tag = "secrets",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, id)): Path<(String, String)>,
    Query(p): Query<RemoveParams>,
) -> ApiResult<StatusCode> {
    let revision = p.revision.map(RevisionNumber::new).transpose()?;
    s.services
        .remove_secret(&caller, &model(&m)?, &secret(&id)?, revision)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An admin reads the content of any revision. Audited.
#[utoipa::path(post, path = "/api/v1/models/{model}/secrets/{secret}/reveal", params(("model" = String, Path), ("secret" = String, Path)), request_body = RevealRequest, tag = "secrets",
    responses((status = 200, body = ContentJson), (status = 403, body = ErrorBody)))]
pub async fn reveal(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, id)): Path<(String, String)>,
    body: Result<Json<RevealRequest>, JsonRejection>,
) -> ApiResult<Json<ContentJson>> {
    let Json(req) = body?;
    let revision = req.revision.map(RevisionNumber::new).transpose()?;
    let out = s
        .services
        .reveal(&caller, &model(&m)?, &secret(&id)?, revision)
        .await?;
    Ok(Json(content_json(&out)))
}

fn app_names(names: &[String]) -> ApiResult<Vec<ApplicationName>> {
    names
        .iter()
        .map(|n| Ok(ApplicationName::parse(n)?))
        .collect()
}

/// Grants `view` to every listed application, or to none if any is unknown.
#[utoipa::path(post, path = "/api/v1/models/{model}/secrets/{secret}/grant", params(("model" = String, Path), ("secret" = String, Path)), request_body = Applications, tag = "secrets",
    responses((status = 200, body = Changed), (status = 404, body = ErrorBody)))]
pub async fn grant(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, id)): Path<(String, String)>,
    body: Result<Json<Applications>, JsonRejection>,
) -> ApiResult<Json<Changed>> {
    change_access(&s, &caller, (&m, &id), body?.0, true).await
}

/// Revokes every listed application, or none if any is unknown.
#[utoipa::path(post, path = "/api/v1/models/{model}/secrets/{secret}/revoke", params(("model" = String, Path), ("secret" = String, Path)), request_body = Applications, tag = "secrets",
    responses((status = 200, body = Changed), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, id)): Path<(String, String)>,
    body: Result<Json<Applications>, JsonRejection>,
) -> ApiResult<Json<Changed>> {
    change_access(&s, &caller, (&m, &id), body?.0, false).await
}

async fn change_access(
    s: &ApiState,
    caller: &backend::Caller,
    (m, id): (&str, &str),
    req: Applications,
    grant: bool,
) -> ApiResult<Json<Changed>> {
    let (model, secret, apps) = (model(m)?, secret(id)?, app_names(&req.applications)?);
    let done = if grant {
        s.services
            .grant_secret(caller, &model, &secret, &apps)
            .await?
    } else {
        s.services
            .revoke_secret(caller, &model, &secret, &apps)
            .await?
    };
    Ok(Json(Changed { changed: done }))
}
