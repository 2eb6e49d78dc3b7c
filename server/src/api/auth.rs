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
pub use api_types::auth::{LoginRequest, LoginResponse};

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

impl FromRequestParts<ApiState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let caller = state
            .services
            .authenticate_token(token)
            .await
            // An unknown token is 401; a database that cannot be reached is 503, never a 401
            // that would tell a client its good token is bad.
            .map_err(ApiError::from)?;
        let source = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string());
        Ok(Bearer(caller.with_source(source)))
    }
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
