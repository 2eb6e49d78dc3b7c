//! People, for superusers; one's own personal tokens; and the key diff of a secret.

use super::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use backend::password::Password;
use domain::{RevisionNumber, TokenId, UserName};

use super::ApiState;
use super::admin::TokenJson;
use super::auth::Bearer;
use super::error::{ApiResult, ErrorBody};
use super::secrets::{model, secret};
pub use api_types::users::{DiffJson, DiffParams, NewUser, UserChange, UserJson};

/// Every user with their memberships. Superusers only.
#[utoipa::path(get, path = "/api/v1/users", operation_id = "list_users", tag = "users", responses((status = 200, body = Vec<UserJson>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
) -> ApiResult<Json<Vec<UserJson>>> {
    let users = s.services.users_with_access(&caller).await?;
    Ok(Json(
        users
            .users
            .into_iter()
            .map(|u| UserJson {
                name: u.user.name,
                superuser: u.user.superuser,
                created: u.user.created_at,
                models: u.memberships.into_iter().collect(),
            })
            .collect(),
    ))
}

/// Creates a user. Superusers only.
#[utoipa::path(post, path = "/api/v1/users", request_body = NewUser, tag = "users",
    responses((status = 201), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    body: Result<Json<NewUser>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let Json(req) = body?;
    s.services
        .create_user(
            &caller,
            &UserName::parse(&req.name)?,
            Password::new(req.password),
            req.superuser,
        )
        .await?;
    Ok(StatusCode::CREATED)
}

/// Sets the superuser flag, a new password, or both; all or nothing. A new password ends the
/// user's dashboard sessions and revokes their personal tokens. Superusers only.
#[utoipa::path(patch, path = "/api/v1/users/{user}", params(("user" = String, Path)), request_body = UserChange, tag = "users",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(user): Path<String>,
    body: Result<Json<UserChange>, JsonRejection>,
) -> ApiResult<StatusCode> {
    let Json(req) = body?;
    let change = backend::UserChange {
        superuser: req.superuser,
        password: req.password.map(Password::new),
    };
    s.services
        .change_user(&caller, &UserName::parse(&user)?, change)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every dashboard session of the user and revokes their personal tokens. Superusers only.
#[utoipa::path(post, path = "/api/v1/users/{user}/end-sessions", params(("user" = String, Path)), tag = "users",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_sessions(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(user): Path<String>,
) -> ApiResult<StatusCode> {
    s.services
        .end_sessions(&caller, &UserName::parse(&user)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's personal tokens (never the tokens themselves). Superusers only.
#[utoipa::path(get, path = "/api/v1/users/{user}/tokens", params(("user" = String, Path)), tag = "users",
    responses((status = 200, body = Vec<TokenJson>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn user_tokens(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(user): Path<String>,
) -> ApiResult<Json<Vec<TokenJson>>> {
    let tokens = s
        .services
        .user_tokens(&caller, &UserName::parse(&user)?)
        .await?;
    Ok(Json(tokens.iter().map(backend::wire::token_json).collect()))
}

/// Revokes one of a user's personal tokens. Superusers only.
#[utoipa::path(delete, path = "/api/v1/users/{user}/tokens/{token}", params(("user" = String, Path), ("token" = i64, Path)), tag = "users",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_user_token(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((user, token)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    s.services
        .revoke_user_token(&caller, &UserName::parse(&user)?, TokenId(token))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's personal tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "users", responses((status = 200, body = Vec<TokenJson>), (status = 403, body = ErrorBody)))]
pub async fn tokens(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
) -> ApiResult<Json<Vec<TokenJson>>> {
    let tokens = s.services.personal_tokens(&caller).await?;
    Ok(Json(tokens.iter().map(backend::wire::token_json).collect()))
}

/// Revokes one of the caller's personal tokens (`strongbox logout` can use it on itself).
#[utoipa::path(delete, path = "/api/v1/tokens/{token}", operation_id = "revoke_personal_token", params(("token" = i64, Path)), tag = "users",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path(token): Path<i64>,
) -> ApiResult<StatusCode> {
    s.services
        .revoke_personal_token(&caller, TokenId(token))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which keys changed between two revisions; names only, never values.
#[utoipa::path(get, path = "/api/v1/models/{model}/secrets/{secret}/diff", params(("model" = String, Path), ("secret" = String, Path), DiffParams), tag = "secrets",
    responses((status = 200, body = DiffJson), (status = 404, body = ErrorBody)))]
pub async fn diff(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, id)): Path<(String, String)>,
    Query(p): Query<DiffParams>,
) -> ApiResult<Json<DiffJson>> {
    let revs = (RevisionNumber::new(p.from)?, RevisionNumber::new(p.to)?);
    let d = s
        .services
        .diff_revisions(&caller, &model(&m)?, &secret(&id)?, revs)
        .await?;
    let names = |v: Vec<domain::SecretKey>| v.into_iter().map(|k| k.to_string()).collect();
    Ok(Json(DiffJson {
        added: names(d.added),
        removed: names(d.removed),
        changed: names(d.changed),
        unchanged: names(d.unchanged),
    }))
}

/// Removes a user's membership of the model. Model admins.
#[utoipa::path(delete, path = "/api/v1/models/{model}/members/{user}", params(("model" = String, Path), ("user" = String, Path)), tag = "models",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_member(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    s.services
        .remove_member(&caller, &model(&m)?, &UserName::parse(&user)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes the token this request carries: what `strongbox logout` does (an application's
/// token may revoke itself too).
#[utoipa::path(delete, path = "/api/v1/tokens/current", tag = "users", responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn revoke_current(
    State(s): State<ApiState>,
    headers: axum::http::HeaderMap,
) -> ApiResult<StatusCode> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(super::error::ApiError::unauthenticated)?;
    s.services.revoke_presented_token(token.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}
