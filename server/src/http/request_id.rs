//! Every request gets an id: the caller's `x-request-id` when it sends a usable one (a proxy's or
//! a load balancer's, so that one id follows the request through both logs), else a new one. The
//! id is echoed on the answer, carried by the span that each of the request's log lines is under,
//! and is the reference an internal error shows the user (`backend::request_id`).

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;

pub const HEADER: &str = "x-request-id";

/// The longest id taken from a caller; a longer one is replaced, not cut.
const LONGEST: usize = 128;

pub async fn assign(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| usable(v))
        .map_or_else(backend::request_id::new_id, str::to_owned);
    // The path, never the query: a query may carry a search term or a cursor.
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let mut response = backend::request_id::scope(id.clone(), next.run(req))
        .instrument(span)
        .await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// Whether a caller's id may go into our logs and answers as it is: short, and only characters
/// that cannot forge a log line or a header.
fn usable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= LONGEST
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::usable;

    #[test]
    fn only_short_plain_ids_are_taken_from_the_caller() {
        assert!(usable("3f2a-77:proxy/1"));
        assert!(!usable(""));
        assert!(!usable("a b"));
        assert!(!usable("forged\nlevel=ERROR"));
        assert!(!usable(&"x".repeat(129)));
    }
}
