//! `/api/v1/app/…`: what an application does with its own token.

use super::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use backend::wire::{content_json, summary_json};

use super::ApiState;
use super::auth::{Bearer, ReadingBearer};
use super::error::{ApiResult, ErrorBody};
use super::secrets::{Created, Updated, secret};
pub use api_types::applications::{OwnSecret, OwnUpdate, ReadParams};
use api_types::secrets::{ContentJson, SecretJson};

/// The secrets this application owns or was granted.
#[utoipa::path(get, path = "/api/v1/app/secrets", tag = "applications",
    responses((status = 200, body = Vec<SecretJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn readable(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
) -> ApiResult<Json<Vec<SecretJson>>> {
    let items = s.services.readable_secrets(&caller).await?;
    Ok(Json(items.iter().map(summary_json).collect()))
}

/// Reads a secret's content, as Juju's `secret-get`.
#[utoipa::path(get, path = "/api/v1/app/secrets/{secret}", params(("secret" = String, Path, description = "ID, URI or the application's own label"), ReadParams), tag = "applications",
    responses((status = 200, body = ContentJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(s): State<ApiState>,
    ReadingBearer(caller): ReadingBearer,
    Path(id): Path<String>,
    Query(p): Query<ReadParams>,
) -> ApiResult<Json<ContentJson>> {
    let out = s.services.read_own(&caller, &secret(&id)?, &p).await?;
    Ok(Json(content_json(&out)))
}

/// Creates a secret owned by the calling application (Juju's `secret-add`).
#[utoipa::path(post, path = "/api/v1/app/secrets", request_body = OwnSecret, tag = "applications",
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_own(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    body: Result<Json<OwnSecret>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<(axum::http::StatusCode, Json<Created>)> {
    let Json(req) = body?;
    let added = s.services.add_own_secret(&caller, req).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Created {
            uri: added.id.to_uri(),
            id: added.id,
        }),
    ))
}

/// Updates one of the calling application's own secrets (Juju's `secret-set`).
#[utoipa::path(patch, path = "/api/v1/app/secrets/{secret}", params(("secret" = String, Path)), request_body = OwnUpdate, tag = "applications",
    responses((status = 200, body = Updated), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_own(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(id): Path<String>,
    body: Result<Json<OwnUpdate>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<Updated>> {
    let Json(req) = body?;
    let out = s
        .services
        .update_own_secret(&caller, &secret(&id)?, req)
        .await?;
    Ok(Json(Updated {
        revision: out.secret.latest_revision.get(),
        new_revision: out.new_revision.map(domain::RevisionNumber::get),
    }))
}
