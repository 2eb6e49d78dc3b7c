//! Server-side plumbing for the server functions: the caller from the session, and turning
//! service errors into `AppError` with the right HTTP status.

use backend::{Caller, ServiceError, Services};
use domain::{Timestamp, UserId, UserName};
use leptos::prelude::*;
use tower_sessions::Session;

use crate::error::AppError;

mod convert;
mod review;

pub use convert::*;
pub use review::*;

const USER_ID: &str = "sb.user";
const USER_NAME: &str = "sb.name";
const SIGNED_IN_AT: &str = "sb.signed_in_at";
const SEEN_AT: &str = "sb.seen_at";
/// The provider's end-session URL, for a session begun through the provider.
const PROVIDER_SIGN_OUT: &str = "sb.provider_sign_out";
/// Longest gap between the writes that keep an active session alive.
const MAX_TOUCH_EVERY_MS: i64 = 60_000;

/// What the server puts in context for every request.
#[derive(Clone)]
pub struct DashboardState {
    pub services: Services,
    /// A session older than this is over, however active it is.
    pub absolute_lifetime_ms: i64,
    /// A session unused for this long is over.
    pub idle_ms: i64,
    /// What the sign-in page offers.
    pub sign_in: crate::types::SignInChoices,
    /// The provider's origin, which pages let their forms lead to (`form-action`): signing
    /// out sends the browser to end the provider's session.
    pub provider_origin: Option<String>,
}

pub fn state() -> Result<DashboardState, AppError> {
    use_context::<DashboardState>().ok_or_else(|| internal(&"dashboard state missing from context"))
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| internal(&e))
}

/// The caller that the sign-in gate found for this page request. Rendering a page calls several
/// server functions; each would otherwise read the session and the user again.
#[derive(Clone)]
pub struct SignedIn(pub Caller);

/// The signed-in person, or `Unauthenticated`.
pub async fn context() -> Result<(Services, Caller), AppError> {
    let state = state()?;
    let checked = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SignedIn>().cloned());
    let caller = match checked {
        Some(SignedIn(caller)) => caller,
        None => {
            let session = session().await?;
            signed_in(&session, &state).await.map_err(reject)?
        }
    };
    Ok((state.services, caller.with_source(client_address().await)))
}

/// The caller the session belongs to; `Unauthenticated` when nobody is signed in or the
/// session has outlived its absolute lifetime.
pub async fn signed_in(session: &Session, state: &DashboardState) -> Result<Caller, AppError> {
    let read = async {
        let id: Option<i64> = session.get(USER_ID).await?;
        let name: Option<String> = session.get(USER_NAME).await?;
        let at: Option<i64> = session.get(SIGNED_IN_AT).await?;
        Ok::<_, tower_sessions::session::Error>((id, name, at))
    };
    let (Some(id), Some(name), Some(at)) = read.await.map_err(|e| internal(&e))? else {
        return Err(AppError::Unauthenticated);
    };
    let still_valid = state.services.now().millis() - at <= state.absolute_lifetime_ms
        && state
            .services
            .session_valid(UserId(id), Timestamp(at))
            .await
            .map_err(fail)?;
    if !still_valid {
        session.flush().await.map_err(|e| internal(&e))?;
        return Err(AppError::Unauthenticated);
    }
    keep_alive(session, state, at).await?;
    let name = UserName::parse(&name).map_err(|_| AppError::Unauthenticated)?;
    Ok(Caller::user(UserId(id), name))
}

/// Marks an active session as changed once per slice of the idle timeout. tower-sessions saves a
/// session, and so pushes its expiry back, only when it changed; without this, the idle timeout
/// would count from sign-in. The slice bounds the writes to one a minute per active session.
async fn keep_alive(session: &Session, state: &DashboardState, at: i64) -> Result<(), AppError> {
    let now = state.services.now().millis();
    let seen: Option<i64> = session.get(SEEN_AT).await.map_err(|e| internal(&e))?;
    let every = (state.idle_ms / 4).min(MAX_TOUCH_EVERY_MS);
    if now - seen.unwrap_or(at) >= every {
        session
            .insert(SEEN_AT, now)
            .await
            .map_err(|e| internal(&e))?;
    }
    Ok(())
}

/// Starts a new session for the user: a fresh id, so a session fixed before sign-in is useless.
pub async fn sign_in(
    session: &Session,
    id: UserId,
    name: &UserName,
    now: Timestamp,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(|e| internal(&e))?;
    session
        .insert(USER_ID, id.0)
        .await
        .map_err(|e| internal(&e))?;
    session
        .insert(USER_NAME, name.as_str())
        .await
        .map_err(|e| internal(&e))?;
    session
        .insert(SIGNED_IN_AT, now.millis())
        .await
        .map_err(|e| internal(&e))?;
    Ok(())
}

/// Keeps where signing out must send the browser to end the provider's session too.
pub async fn remember_provider_sign_out(session: &Session, url: String) -> Result<(), AppError> {
    session
        .insert(PROVIDER_SIGN_OUT, url)
        .await
        .map_err(|e| internal(&e))
}

/// Ends the session; where the browser goes next: the provider's end-session URL for a
/// session begun there, else the sign-in page.
pub async fn end_session(session: &Session) -> Result<String, AppError> {
    let provider: Option<String> = session
        .get(PROVIDER_SIGN_OUT)
        .await
        .map_err(|e| internal(&e))?;
    session.flush().await.map_err(|e| internal(&e))?;
    Ok(provider.unwrap_or_else(|| "/login".to_owned()))
}

async fn client_address() -> Option<String> {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(a)| a.ip().to_string())
}

/// Converts a service error for the browser, by the classification the API uses too
/// (`ServiceError::classify`, which logs an internal error under its reference id). The status is
/// set unless this is a plain form post, which must stay a redirect so the browser shows the page
/// with the error.
pub fn fail(e: ServiceError) -> AppError {
    use domain::error::ErrorCode;
    let failure = e.classify();
    let app = match (&e, failure.code) {
        (ServiceError::TooManyAttempts { retry_after_secs }, _) => AppError::TooManyAttempts {
            retry_after_secs: *retry_after_secs,
        },
        (_, ErrorCode::Unauthenticated) => AppError::Unauthenticated,
        (_, ErrorCode::Forbidden) => AppError::Forbidden(failure.message),
        (_, ErrorCode::NotFound) => AppError::NotFound(failure.message),
        (_, ErrorCode::Conflict) => AppError::Conflict {
            field: failure.field,
            message: failure.message,
        },
        (_, ErrorCode::Busy) => AppError::Busy,
        (_, ErrorCode::Internal) => AppError::Internal {
            ref_id: failure.reference.unwrap_or_default(),
        },
        // A form shows a size refusal next to its field like any other invalid input.
        (
            _,
            ErrorCode::Invalid
            | ErrorCode::TooLarge
            | ErrorCode::BadRequest
            | ErrorCode::TooManyAttempts
            | ErrorCode::TooManyStreams,
        ) => AppError::Invalid {
            field: failure.field,
            message: failure.message,
        },
    };
    set_status(&app);
    app
}

/// A failure outside the services (the session store, say), logged under a reference id.
pub fn internal(e: &dyn std::fmt::Debug) -> AppError {
    let failure = backend::error::Failure::internal(e);
    AppError::Internal {
        ref_id: failure.reference.unwrap_or_default(),
    }
}

pub fn set_status(e: &AppError) {
    let plain_form_post = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if let (false, Some(res)) = (
        plain_form_post,
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        res.set_status(
            http::StatusCode::from_u16(e.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
}

/// A validation result as the browser sees it: the rule's message, next to its field.
pub fn valid<T>(r: Result<T, domain::ValidationError>) -> Result<T, AppError> {
    r.map_err(|e| fail(e.into()))
}

/// Sets the error's status (see [`set_status`]) and hands it back, for errors made here rather
/// than by a service.
pub fn reject(e: AppError) -> AppError {
    set_status(&e);
    e
}
