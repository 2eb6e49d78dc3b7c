//! `/api/v1/app/…`: what an application does with its own token.

use super::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use backend::audit::AuditAction;
use backend::service::ReadMode;

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiError, ApiResult, ErrorBody};
use super::secrets::secret;
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
    Ok(Json(items.iter().map(super::types::summary_json).collect()))
}

/// Reads a secret's content, as Juju's `secret-get`.
#[utoipa::path(get, path = "/api/v1/app/secrets/{secret}", params(("secret" = String, Path, description = "ID, URI or the application's own label"), ReadParams), tag = "applications",
    responses((status = 200, body = ContentJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(id): Path<String>,
    Query(p): Query<ReadParams>,
) -> ApiResult<Json<ContentJson>> {
    let model = s
        .services
        .application_model(&caller, AuditAction::ContentRead)
        .await?;
    let mode = match p.mode.as_deref() {
        None | Some("") => ReadMode::Tracked,
        Some("peek") => ReadMode::Peek,
        Some("refresh") => ReadMode::Refresh,
        Some(other) => {
            return Err(ApiError::new(
                domain::error::ErrorCode::Invalid,
                format!("mode \"{other}\" not valid: use peek or refresh"),
            ));
        }
    };
    let out = s
        .services
        .read_content(&caller, &model, &secret(&id)?, mode)
        .await?;
    Ok(Json(super::types::content_json(&out)))
}

/// Creates a secret owned by the calling application (Juju's `secret-add`).
#[utoipa::path(post, path = "/api/v1/app/secrets", request_body = OwnSecret, tag = "applications",
    responses((status = 201, body = super::secrets::Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_own(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    body: Result<Json<OwnSecret>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<(axum::http::StatusCode, Json<super::secrets::Created>)> {
    let Json(req) = body?;
    let model = s
        .services
        .application_model(&caller, AuditAction::SecretAdd)
        .await?;
    let new = backend::service::NewSecret {
        name: req
            .label
            .filter(|l| !l.is_empty())
            .map(|l| domain::SecretName::parse(&l))
            .transpose()?,
        description: domain::Description::parse(&req.description)?,
        content: req.content.into_content()?,
        rotate_policy: req
            .rotate
            .as_deref()
            .map(str::parse)
            .transpose()?
            .unwrap_or_default(),
        expire_at: req
            .expire
            .as_deref()
            .map(|e| domain::expiry::parse_expiry(e, s.services.now()))
            .transpose()?,
    };
    let added = s.services.add_secret(&caller, &model, new).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(super::secrets::Created {
            uri: added.id.to_uri(),
            id: added.id,
        }),
    ))
}

/// Updates one of the calling application's own secrets (Juju's `secret-set`).
#[utoipa::path(patch, path = "/api/v1/app/secrets/{secret}", params(("secret" = String, Path)), request_body = OwnUpdate, tag = "applications",
    responses((status = 200, body = super::secrets::Updated), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_own(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(id): Path<String>,
    body: Result<Json<OwnUpdate>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<super::secrets::Updated>> {
    let Json(req) = body?;
    let model = s
        .services
        .application_model(&caller, AuditAction::SecretUpdate)
        .await?;
    let update = backend::service::SecretUpdate {
        content: if req.content.is_empty() {
            None
        } else {
            Some(req.content.into_content()?)
        },
        name: req
            .label
            .filter(|l| !l.is_empty())
            .map(|l| domain::SecretName::parse(&l))
            .transpose()?,
        description: req
            .description
            .map(|d| domain::Description::parse(&d))
            .transpose()?,
        rotate_policy: req.rotate.as_deref().map(str::parse).transpose()?,
        expire_at: req
            .expire
            .as_deref()
            .map(|e| domain::expiry::parse_expiry(e, s.services.now()))
            .transpose()?,
        expected_revision: req
            .expected_revision
            .map(domain::RevisionNumber::new)
            .transpose()?,
        auto_prune: None,
    };
    let out = s
        .services
        .update_secret(&caller, &model, &secret(&id)?, update)
        .await?;
    Ok(Json(super::secrets::Updated {
        revision: out.secret.latest_revision.get(),
        new_revision: out.new_revision.map(domain::RevisionNumber::get),
    }))
}
