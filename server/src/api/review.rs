//! The access review for scripts and auditors: the export (JSON or CSV), sign-offs, and bulk
//! revoke. The dashboard's review page calls the same use cases.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use backend::service::{GrantRef, ReviewQuery};
use backend::wire::{ReviewFormat, review_csv, review_json, sign_off_json};
use domain::SignOffNote;

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiResult, ErrorBody};
use super::extract::{Path, RepeatableQuery};
use super::secrets::model;
pub use api_types::review::{
    ReviewJson, ReviewParams, RevokeGrantsBody, RevokedJson, SignOffBody, SignOffJson,
};

/// The model's grants with their usage and flags, under the filter. Needs read access;
/// audited as an export.
#[utoipa::path(get, path = "/api/v1/models/{model}/access-review", operation_id = "access_review",
    params(("model" = String, Path), ReviewParams), tag = "models",
    responses(
        (status = 200, content((ReviewJson = "application/json"), (String = "text/csv"))),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    RepeatableQuery(p): RepeatableQuery<ReviewParams>,
) -> ApiResult<Response> {
    let query = ReviewQuery::from_params(&p)?;
    let format = ReviewFormat::from_param(p.format.as_deref())?;
    let model = model(&m)?;
    let review = s
        .services
        .export_access_review(&caller, &model, &query)
        .await?;
    let json = review_json(&review);
    Ok(match format {
        ReviewFormat::Json => Json(json).into_response(),
        ReviewFormat::Csv => csv_attachment(&model, review_csv(&json)?),
    })
}

/// The review's CSV as a download named after the model (the API's and the dashboard's).
pub(crate) fn csv_attachment(model: &domain::ModelName, csv: String) -> Response {
    let disposition = format!("attachment; filename=\"{model}-access-review.csv\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response()
}

/// Records that the model's grants were reviewed. Admins only.
#[utoipa::path(post, path = "/api/v1/models/{model}/access-review/sign-off", operation_id = "sign_off_review",
    params(("model" = String, Path)), request_body = SignOffBody, tag = "models",
    responses((status = 201, body = SignOffJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign_off(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    body: Result<Json<SignOffBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<SignOffJson>)> {
    let Json(req) = body?;
    let note = SignOffNote::parse(&req.note)?;
    let done = s
        .services
        .sign_off_review(&caller, &model(&m)?, &note)
        .await?;
    Ok((StatusCode::CREATED, Json(sign_off_json(&done))))
}

/// The model's sign-offs, newest first.
#[utoipa::path(get, path = "/api/v1/models/{model}/access-review/sign-offs", operation_id = "review_sign_offs",
    params(("model" = String, Path)), tag = "models",
    responses((status = 200, body = Vec<SignOffJson>), (status = 404, body = ErrorBody)))]
pub async fn sign_offs(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
) -> ApiResult<Json<Vec<SignOffJson>>> {
    let all = s.services.review_sign_offs(&caller, &model(&m)?).await?;
    Ok(Json(all.iter().map(sign_off_json).collect()))
}

/// Revokes the listed grants in one transaction: all of them, or none if any is not a grant.
/// Admins only.
#[utoipa::path(post, path = "/api/v1/models/{model}/access-review/revoke", operation_id = "revoke_grants",
    params(("model" = String, Path)), request_body = RevokeGrantsBody, tag = "models",
    responses((status = 200, body = RevokedJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revoke(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    body: Result<Json<RevokeGrantsBody>, JsonRejection>,
) -> ApiResult<Json<RevokedJson>> {
    let Json(req) = body?;
    let grants = req
        .grants
        .iter()
        .map(GrantRef::from_request)
        .collect::<Result<Vec<_>, _>>()?;
    let revoked = s
        .services
        .revoke_grants(&caller, &model(&m)?, &grants)
        .await?;
    Ok(Json(RevokedJson { revoked }))
}
