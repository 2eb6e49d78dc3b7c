//! Bearer tokens, and `POST /api/v1/login`, which trades a password for a personal token.

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use backend::Caller;
use backend::password::Password;
use std::net::SocketAddr;

use super::ApiState;
use super::error::{ApiError, ApiResult};
pub use api_types::auth::{
    LoginRequest, LoginResponse, WebLoginCollect, WebLoginCollected, WebLoginRequest,
    WebLoginStarted,
};

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The caller a request's bearer token stands for: a person (personal token) or an application.
pub struct Bearer(pub Caller);

/// `Bearer` for an application's content read, whose token may be answered from this node's
/// memory where other nodes write too; the service checks the read before answering it
/// (docs/adr/0028).
pub struct ReadingBearer(pub Caller);

impl FromRequestParts<ApiState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Bearer(authenticated(parts, state, false).await?))
    }
}

impl FromRequestParts<ApiState> for ReadingBearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ReadingBearer(authenticated(parts, state, true).await?))
    }
}

/// The caller the request's bearer token stands for, with the address the request came from.
async fn authenticated(
    parts: &Parts,
    state: &ApiState,
    for_read: bool,
) -> Result<Caller, ApiError> {
    let token = bearer_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
    let caller = if for_read {
        state.services.authenticate_for_read(token).await
    } else {
        state.services.authenticate_token(token).await
    };
    // An unknown token is 401; a database that cannot be reached is 503, never a 401 that
    // would tell a client its good token is bad.
    let caller = caller.map_err(ApiError::from)?;
    let source = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string());
    Ok(caller.with_source(source))
}

/// Checks a password and issues a personal access token for that user.
#[utoipa::path(post, path = "/api/v1/login", request_body = LoginRequest, tag = "auth",
    responses((status = 200, body = LoginResponse), (status = 401, body = super::error::ErrorBody), (status = 429, body = super::error::ErrorBody), (status = 503, body = super::error::ErrorBody)))]
pub async fn login(
    State(state): State<ApiState>,
    body: Result<Json<LoginRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<LoginResponse>> {
    let Json(req) = body?;
    let (user, token) = match state
        .services
        .sign_in_for_token(&req.username, Password::new(req.password), &req.label)
        .await
    {
        Err(backend::ServiceError::Unauthenticated) => Err(ApiError::new(
            domain::error::ErrorCode::Unauthenticated,
            "wrong user name or password",
        )),
        other => other.map_err(ApiError::from),
    }?;
    Ok(Json(LoginResponse {
        token: token.expose().to_owned(),
        user: user.name,
    }))
}

/// How often `strongbox login --web` asks whether it was approved.
const WEB_LOGIN_INTERVAL_SECS: u64 = 2;

/// A command line asks to be approved in the dashboard (`strongbox login URL --web`). Anyone
/// may ask; only a signed-in person's approval gives it a token.
#[utoipa::path(post, path = "/api/v1/login/web", request_body = WebLoginRequest, tag = "auth",
    responses((status = 200, body = WebLoginStarted), (status = 422, body = super::error::ErrorBody), (status = 503, body = super::error::ErrorBody)))]
pub async fn start_web_login(
    State(state): State<ApiState>,
    body: Result<Json<WebLoginRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<WebLoginStarted>> {
    let Json(req) = body?;
    let request = state.services.request_cli_approval(&req.label).await?;
    Ok(Json(WebLoginStarted {
        approve_path: format!("/approve-cli?code={}", request.user_code),
        code: request.user_code,
        poll_secret: request.poll_secret,
        expires_in_seconds: u64::try_from(backend::service::CLI_APPROVAL_TTL_MS / 1000)
            .unwrap_or(600),
        interval_seconds: WEB_LOGIN_INTERVAL_SECS,
    }))
}

/// The command line collects its token: 202 while nobody decided, the token once approved
/// (this once), 403 when denied, 404 when unknown, expired or collected already.
#[utoipa::path(post, path = "/api/v1/login/web/collect", request_body = WebLoginCollect, tag = "auth",
    responses((status = 200, body = WebLoginCollected), (status = 202, body = WebLoginCollected), (status = 403, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 503, body = super::error::ErrorBody)))]
pub async fn collect_web_login(
    State(state): State<ApiState>,
    body: Result<Json<WebLoginCollect>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<(axum::http::StatusCode, Json<WebLoginCollected>)> {
    use axum::http::StatusCode;
    use backend::service::CliCollected;
    let Json(req) = body?;
    Ok(
        match state
            .services
            .collect_cli_approval(&req.poll_secret)
            .await?
        {
            CliCollected::Pending => (
                StatusCode::ACCEPTED,
                Json(WebLoginCollected {
                    pending: true,
                    token: None,
                    user: None,
                }),
            ),
            CliCollected::Approved { user, token, .. } => (
                StatusCode::OK,
                Json(WebLoginCollected {
                    pending: false,
                    token: Some(token.expose().to_owned()),
                    user: Some(user.name),
                }),
            ),
        },
    )
}
