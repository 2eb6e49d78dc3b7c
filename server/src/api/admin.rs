//! Models, applications, tokens, members, grant review and audit: the rest of what the
//! dashboard does, for scripts.

use super::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use backend::store::AuditQuery;
use backend::wire::{audit_json, token_json};
use domain::{AccessLevel, ApplicationName, ModelName, TokenId, UserName};

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiResult, ErrorBody};
use super::secrets::model;
pub use api_types::admin::{
    ApplicationJson, AuditJson, AuditParams, GrantJson, LabelBody, MemberBody, ModelCreated,
    NameBody, NewTokenJson, TokenJson,
};

/// Creates a model. Superusers only.
#[utoipa::path(post, path = "/api/v1/models", request_body = NameBody, tag = "models",
    responses((status = 201, body = ModelCreated), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_model(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    body: Result<Json<NameBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<ModelCreated>)> {
    let Json(req) = body?;
    let m = s
        .services
        .create_model(&caller, &ModelName::parse(&req.name)?)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ModelCreated {
            name: m.name,
            uuid: m.uuid,
        }),
    ))
}

/// The model's applications, what each can read, and their tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/models/{model}/applications", params(("model" = String, Path)), tag = "applications",
    responses((status = 200, body = Vec<ApplicationJson>), (status = 404, body = ErrorBody)))]
pub async fn list_applications(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
) -> ApiResult<Json<Vec<ApplicationJson>>> {
    let apps = s.services.applications(&caller, &model(&m)?).await?;
    Ok(Json(
        apps.items
            .into_iter()
            .map(|a| ApplicationJson {
                name: a.application.name,
                created: a.application.created_at,
                readable: a.readable.iter().map(|r| r.id.clone()).collect(),
                tokens: a.tokens.iter().map(token_json).collect(),
            })
            .collect(),
    ))
}

/// Adds an application. Model admins.
#[utoipa::path(post, path = "/api/v1/models/{model}/applications", params(("model" = String, Path)), request_body = NameBody, tag = "applications",
    responses((status = 201), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_application(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    body: Result<Json<NameBody>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let Json(req) = body?;
    s.services
        .add_application(&caller, &model(&m)?, &ApplicationName::parse(&req.name)?)
        .await?;
    Ok(StatusCode::CREATED)
}

/// Removes an application with its tokens, grants and own secrets. Model admins.
#[utoipa::path(delete, path = "/api/v1/models/{model}/applications/{application}", params(("model" = String, Path), ("application" = String, Path)), tag = "applications",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove_application(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, app)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    s.services
        .remove_application(&caller, &model(&m)?, &ApplicationName::parse(&app)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a token for the application. Model admins.
#[utoipa::path(post, path = "/api/v1/models/{model}/applications/{application}/tokens", params(("model" = String, Path), ("application" = String, Path)), request_body = LabelBody, tag = "applications",
    responses((status = 201, body = NewTokenJson), (status = 403, body = ErrorBody)))]
pub async fn create_token(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, app)): Path<(String, String)>,
    body: Result<Json<LabelBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<NewTokenJson>)> {
    let Json(req) = body?;
    let (record, token) = s
        .services
        .create_application_token(
            &caller,
            &model(&m)?,
            &ApplicationName::parse(&app)?,
            &req.label,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenJson {
            id: record.id.0,
            token: token.expose().to_owned(),
        }),
    ))
}

/// Revokes one of the application's tokens. Model admins.
#[utoipa::path(delete, path = "/api/v1/models/{model}/applications/{application}/tokens/{token}", operation_id = "revoke_application_token", params(("model" = String, Path), ("application" = String, Path), ("token" = i64, Path)), tag = "applications",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, app, token)): Path<(String, String, i64)>,
) -> ApiResult<StatusCode> {
    s.services
        .revoke_application_token(
            &caller,
            &model(&m)?,
            &ApplicationName::parse(&app)?,
            TokenId(token),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a user's access level in the model. Model admins.
#[utoipa::path(put, path = "/api/v1/models/{model}/members/{user}", params(("model" = String, Path), ("user" = String, Path)), request_body = MemberBody, tag = "models",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_member(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, user)): Path<(String, String)>,
    body: Result<Json<MemberBody>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let Json(req) = body?;
    s.services
        .set_member(
            &caller,
            &model(&m)?,
            &UserName::parse(&user)?,
            req.access.parse::<AccessLevel>()?,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every grant of the model: the grant review.
#[utoipa::path(get, path = "/api/v1/models/{model}/grants", params(("model" = String, Path)), tag = "models",
    responses((status = 200, body = Vec<GrantJson>), (status = 404, body = ErrorBody)))]
pub async fn grants(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
) -> ApiResult<Json<Vec<GrantJson>>> {
    let all = s.services.grant_review(&caller, &model(&m)?).await?;
    Ok(Json(
        all.into_iter()
            .map(|g| GrantJson {
                application: g.grant.application_name,
                secret: g.secret_id,
                secret_name: g.secret_name,
                granted_by: g.grant.granted_by,
                granted_at: g.grant.granted_at,
            })
            .collect(),
    ))
}

/// The model's audit events, newest first.
#[utoipa::path(get, path = "/api/v1/models/{model}/audit", params(("model" = String, Path), AuditParams), tag = "models",
    responses((status = 200, body = Vec<AuditJson>), (status = 404, body = ErrorBody)))]
pub async fn audit(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(m): Path<String>,
    Query(p): Query<AuditParams>,
) -> ApiResult<Json<Vec<AuditJson>>> {
    let query = AuditQuery::from_params(&p)?;
    let events = s.services.audit_events(&caller, &model(&m)?, query).await?;
    Ok(Json(events.iter().map(audit_json).collect()))
}
