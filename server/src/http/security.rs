//! Middleware that every response passes through: security headers, the same-origin check on
//! state changes, and the sign-in gate for pages.

use app::api::ssr::{DashboardState, SignedIn, signed_in};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Paths anyone may load: the sign-in page, assets, health checks, server functions and the
/// API and Vault surface (which check the session or token themselves).
fn is_public(path: &str) -> bool {
    path == "/login"
        || path.starts_with("/auth/oidc/")
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
        || path.starts_with("/v1/")
        || path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.ico"
}

/// Pages need a signed-in user; anyone else is sent to `/login`, which brings them back after.
pub async fn require_sign_in(
    State(state): State<DashboardState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    // HEAD is GET without the body, and is answered the same way.
    if is_public(&path) || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    match signed_in(&session, &state).await {
        Ok(caller) => {
            req.extensions_mut().insert(SignedIn(caller));
            return next.run(req).await;
        }
        Err(AppError::Unauthenticated) => {}
        // Not "signed out": sending the user to sign in would be wrong, and pointless while
        // the database that holds the session is away.
        Err(e) => return not_served(&e, &state).await,
    }
    let target = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    Redirect::to(&format!(
        "/login?next={}",
        domain::url::encode_path(&target)
    ))
    .into_response()
}

/// A page that could not be served for a reason other than the sign-in: 503 with a retry
/// hint when the database does not answer (sessions live in it), else the error's own status.
async fn not_served(e: &AppError, state: &DashboardState) -> Response {
    let ready = super::database_ready(&state.services).await;
    let (status, message) = if !ready || matches!(e, AppError::Busy) {
        let text = "Strongbox cannot reach its database just now. Try again in a moment.";
        (StatusCode::SERVICE_UNAVAILABLE, text.to_owned())
    } else {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, e.to_string())
    };
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Strongbox</title></head>\
         <body><main><h1>Strongbox</h1><p role=\"alert\">{}</p></main></body></html>",
        html_escape::encode_text(&message)
    );
    let mut response = (status, Html(page)).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}

/// Refuses a state-changing request that a browser says came from another site. Browsers send
/// `Sec-Fetch-Site` (and `Origin`) on every POST; clients that send neither are not browsers, and
/// cannot carry a victim's cookies anyway.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let allowed = match fetch_site {
        Some(site) => site == "same-origin" || site == "none",
        None => match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
            (Some(origin), Some(host)) => origin_matches_host(origin, host),
            (Some(_), None) => false,
            (None, _) => true,
        },
    };
    if allowed {
        next.run(req).await
    } else {
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

fn origin_matches_host(origin: &HeaderValue, host: &HeaderValue) -> bool {
    let (Ok(origin), Ok(host)) = (origin.to_str(), host.to_str()) else {
        return false;
    };
    let bare = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    bare == Some(host)
}

/// Headers on every response. Pages and API answers are never cached: they are the user's own.
pub async fn headers(req: Request, next: Next) -> Response<Body> {
    let cacheable = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(app::csp::STRICT),
        );
    }
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Pages send `Referrer-Policy: no-referrer`, so a browser without JavaScript posts forms with no
/// `Referer`, and server functions would not know where to send it back (with the error, if any).
/// Every form carries its page in a hidden `__return` field; this puts it back as the `Referer`.
pub async fn form_return(State(base): State<ReturnBase>, req: Request, next: Next) -> Response {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let wanted = req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && is_form
        && !req.headers().contains_key(header::REFERER);
    if !wanted {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, domain::content::MAX_REQUEST_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response();
    };
    let target = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "__return")
        .map(|(_, v)| v.into_owned())
        .filter(|p| domain::url::local_path(p).is_some());
    let origin = base.0.clone().or_else(|| {
        parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|h| format!("http://{h}"))
    });
    if let (Some(path), Some(origin)) = (target, origin)
        && let Ok(value) = HeaderValue::from_str(&format!("{origin}{path}"))
    {
        parts.headers.insert(header::REFERER, value);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The public origin (`--public-url`), when configured; otherwise the request's `Host` is used.
#[derive(Clone)]
pub struct ReturnBase(pub Option<String>);
