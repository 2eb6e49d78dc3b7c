//! One body limit for the API and the dashboard's server functions, and a 413 that says so in
//! each one's own error format, before a byte of the body is read.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::ValidationError;
use domain::content::MAX_REQUEST_BYTES;

/// The limit the body extractors enforce while reading (for bodies sent without a length).
pub fn layer() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_REQUEST_BYTES)
}

/// How much of a refused body is read and dropped, so that the client, still sending, gets the
/// answer instead of a reset connection. Past this the connection is simply closed.
const DRAIN_BYTES: usize = 4 * MAX_REQUEST_BYTES;

/// Refuses a body whose declared length is over the limit. A server function's caller gets an
/// `AppError` about the content field, which the dashboard shows beside it; the API's caller
/// gets `{"error": "too_large", …}`.
pub async fn refuse_oversized(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let Some(size) = declared.filter(|n| *n > MAX_REQUEST_BYTES) else {
        return next.run(req).await;
    };
    let problem = ValidationError::RequestTooLarge {
        size,
        max: MAX_REQUEST_BYTES,
    };
    let for_api = req.uri().path().starts_with("/api/v1/");
    drain(req.into_body()).await;
    if for_api {
        return crate::api::error::ApiError::from(problem).into_response();
    }
    let shown = app::error::AppError::Invalid {
        field: Some(problem.field()),
        message: problem.to_string(),
    };
    (StatusCode::PAYLOAD_TOO_LARGE, Json(shown)).into_response()
}

/// Reads and drops up to [`DRAIN_BYTES`] of `body`, a frame at a time, keeping none of it.
async fn drain(mut body: axum::body::Body) {
    use http_body_util::BodyExt as _;
    let mut read = 0;
    while read < DRAIN_BYTES {
        match body.frame().await {
            Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len()),
            _ => break,
        }
    }
}
