//! The path and query extractors of the API, with their rejections in the documented error
//! shape. axum's own answer a malformed value (`since=abc`, a repeated parameter, a path segment
//! that is not a number) with a plain-text 400 that no client of `/api/v1` can parse.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::error::{ErrorCode, Field};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A path's parameters, as `axum::extract::Path`.
pub struct Path<T>(pub T);

/// A query string, as `axum::extract::Query`.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|r| ApiError::new(ErrorCode::BadRequest, r.body_text()))
    }
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|r| ApiError::new(ErrorCode::BadRequest, r.body_text()).about(Field::Query))
    }
}

/// A query string whose keys may repeat into a `Vec` field (`?flag=stale&flag=behind`).
pub struct RepeatableQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for RepeatableQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        serde_html_form::from_str(parts.uri.query().unwrap_or_default())
            .map(RepeatableQuery)
            .map_err(|e| {
                ApiError::new(ErrorCode::BadRequest, format!("query not valid: {e}"))
                    .about(Field::Query)
            })
    }
}
