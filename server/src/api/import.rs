//! `POST /api/v1/models/{model}/import`: what `strongbox import juju|vault` sends.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiResult, ErrorBody};
use super::extract::Path;
use super::secrets::model;
pub use api_types::import::{ImportReport, ImportRequest};

/// Imports secrets with their revisions (writers): each is created, given the revisions it is
/// missing, reported as already there, or reported as a clash or a refusal; a dry run
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/models/{model}/import", params(("model" = String, Path)), request_body = ImportRequest, tag = "secrets",
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn import(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    body: Result<Json<ImportRequest>, JsonRejection>,
) -> ApiResult<Json<ImportReport>> {
    let Json(req) = body?;
    let report = s.services.import_secrets(&caller, &model(&m)?, req).await?;
    Ok(Json(report))
}
