//! One body limit for the API and the dashboard's server functions, a memory budget for the
//! bodies being read, and refusals (413, 503) in each edge's own error format, decided before a
//! byte of the body is read.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::ValidationError;
use domain::content::MAX_REQUEST_BYTES;
use std::sync::{Arc, LazyLock};
use tokio::sync::Semaphore;

/// The limit the body extractors enforce while reading (for bodies sent without a length).
pub fn layer() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_REQUEST_BYTES)
}

/// How much of a refused body is read and dropped, so that the client, still sending, gets the
/// answer instead of a reset connection. Past this the connection is simply closed.
const DRAIN_BYTES: usize = 4 * MAX_REQUEST_BYTES;

/// Bodies up to this size are read without a reservation: every form and JSON request but
/// secret content fits in it.
const SMALL_BODY_BYTES: usize = 64 * 1024;
/// What all larger bodies being read at once may declare together: 32 of the largest. Bodies
/// are read before the caller is known (sign-in, and every server function, which checks the
/// session after decoding its arguments): 150 anonymous 3.9 MB posts held open took the server
/// to 788 MiB without a budget. With it, RSS grows by about twice the budget (reading buffers,
/// the bodies refused and drained, the allocator's slack): 270 MiB, measured by the abuse test.
const BODY_BUDGET_KIB: usize = 128 * 1024;

static BUDGET: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(BODY_BUDGET_KIB)));

/// Admits a request's body: small ones at once; larger ones only with room in the budget (503
/// at once otherwise); over the limit, or large without a declared length, 413. A server
/// function's caller gets an `AppError` about the content field, which the dashboard shows beside
/// it; the API's caller gets `{"error": …}`.
pub async fn limit_bodies(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let for_api = req.uri().path().starts_with("/api/v1/");
    match declared {
        Some(size) if size > MAX_REQUEST_BYTES => {
            drain(req.into_body()).await;
            too_large(for_api, size)
        }
        Some(size) if size > SMALL_BODY_BYTES => {
            let kib = u32::try_from(size.div_ceil(1024)).unwrap_or(u32::MAX);
            let Ok(_reserved) = BUDGET.clone().try_acquire_many_owned(kib) else {
                drain(req.into_body()).await;
                return busy(for_api);
            };
            // Held until the response is made, by when the body has been read or dropped.
            next.run(req).await
        }
        Some(_) => next.run(req).await,
        None => {
            // No declared length (chunked): only a small body is read.
            let (parts, body) = req.into_parts();
            let limited =
                axum::body::Body::new(http_body_util::Limited::new(body, SMALL_BODY_BYTES));
            next.run(Request::from_parts(parts, limited)).await
        }
    }
}

fn too_large(for_api: bool, size: usize) -> Response {
    let problem = ValidationError::RequestTooLarge {
        size,
        max: MAX_REQUEST_BYTES,
    };
    if for_api {
        return crate::api::error::ApiError::from(problem).into_response();
    }
    let shown = app::error::AppError::Invalid {
        field: Some(problem.field()),
        message: problem.to_string(),
    };
    (StatusCode::PAYLOAD_TOO_LARGE, Json(shown)).into_response()
}

fn busy(for_api: bool) -> Response {
    if for_api {
        let message = "the server is receiving too many large requests; try again shortly";
        return crate::api::error::ApiError::new(domain::error::ErrorCode::Busy, message)
            .into_response();
    }
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(app::error::AppError::Busy),
    )
        .into_response()
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
