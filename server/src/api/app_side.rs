//! `/api/v1/app/…`: what an application does with its own token.

use axum::Json;
use axum::extract::{Path, Query, State};
use backend::Actor;
use backend::service::ReadMode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiError, ApiResult, ErrorBody};
use super::secrets::secret;
use super::types::{ContentJson, SecretJson};

/// The secrets this application owns or was granted.
#[utoipa::path(get, path = "/api/v1/app/secrets", tag = "applications",
    responses((status = 200, body = Vec<SecretJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn readable(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
) -> ApiResult<Json<Vec<SecretJson>>> {
    let items = s.services.readable_secrets(&caller).await?;
    Ok(Json(items.iter().map(SecretJson::from_summary).collect()))
}

#[derive(Deserialize, IntoParams)]
pub struct ReadParams {
    /// `peek`: read the latest without moving the tracking; `refresh`: track the latest and
    /// read it. Without it: the tracked revision (the first read tracks the latest).
    mode: Option<String>,
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
    let Actor::Application { model, .. } = caller.actor.clone() else {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            "only an application token reads content this way; people use reveal",
        ));
    };
    let mode = match p.mode.as_deref() {
        None | Some("") => ReadMode::Tracked,
        Some("peek") => ReadMode::Peek,
        Some("refresh") => ReadMode::Refresh,
        Some(other) => {
            return Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("mode \"{other}\" not valid: use peek or refresh"),
            ));
        }
    };
    let out = s
        .services
        .read_content(&caller, &model, &secret(&id)?, mode)
        .await?;
    Ok(Json(ContentJson::new(out.revision, &out.content)))
}
