//! `/auth/oidc/login` sends the browser to the provider; `/auth/oidc/callback` finishes the
//! sign-in wherever it lands (the flow is in the database). Every way it can fail ends on the
//! sign-in page with one sentence, and the detail in the log under a reference.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use backend::{Conflict, ServiceError, Services};
use domain::sign_in::ProviderFailure;
use serde::Deserialize;
use tower_sessions::Session;

use super::provider::{Provider, state_hash};
use super::refusal::{Refusal, refuse};
use super::settings::CALLBACK_PATH;

#[derive(Clone)]
struct ProviderState {
    services: Services,
    provider: Arc<Provider>,
}

pub fn routes(services: Services, provider: Arc<Provider>) -> Router {
    Router::new()
        .route("/auth/oidc/login", get(begin))
        .route(CALLBACK_PATH, get(callback))
        .with_state(ProviderState { services, provider })
}

#[derive(Deserialize)]
struct BeginParams {
    next: Option<String>,
}

async fn begin(State(s): State<ProviderState>, Query(p): Query<BeginParams>) -> Response {
    let return_to = p
        .next
        .filter(|n| domain::url::local_path(n).is_some())
        .unwrap_or_else(|| "/models".into());
    let (url, flow) = match s.provider.begin(&return_to, s.services.now()).await {
        Ok(begun) => begun,
        Err(r) => return failed(r),
    };
    if let Err(e) = s.services.begin_provider_flow(flow).await {
        return failed(internal(e));
    }
    Redirect::to(&url).into_response()
}

/// What the provider sends back: a code and the state, or an error and the state.
#[derive(Deserialize)]
struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn callback(
    State(s): State<ProviderState>,
    session: Session,
    Query(p): Query<CallbackParams>,
) -> Response {
    match finish(&s, &session, p).await {
        Ok(return_to) => go_on_from_here(&return_to),
        Err(r) => failed(r),
    }
}

/// Where a person who has just signed in goes on to, by a page of this site rather than a
/// redirect: this navigation began at the provider, another site, and browsers do not send a
/// SameSite=Strict cookie (the session's) along a redirect chain that another site began, so a
/// redirect would land on the sign-in page. A refresh from this page is a navigation of this
/// site's own. `return_to` is a local path (`domain::url::local_path`): printable ASCII.
fn go_on_from_here(return_to: &str) -> Response {
    let link = html_escape::encode_double_quoted_attribute(return_to);
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><title>Signed in</title>\
         <p>Signed in. <a href=\"{link}\">Continue</a></p></html>"
    );
    (
        [
            (header::REFRESH, format!("0;url={return_to}")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Html(page),
    )
        .into_response()
}

async fn finish(
    s: &ProviderState,
    session: &Session,
    p: CallbackParams,
) -> Result<String, Refusal> {
    let state = p
        .state
        .ok_or_else(|| refuse(ProviderFailure::Expired, "no state in the callback"))?;
    // Taken before anything else: a state is good for one callback, whatever comes of it.
    let flow = s
        .services
        .take_provider_flow(&state_hash(&state))
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            refuse(
                ProviderFailure::Expired,
                "no sign-in begun with this state in the last ten minutes",
            )
        })?;
    if let Some(error) = p.error {
        let failure = match error.as_str() {
            "access_denied" | "login_required" | "consent_required" | "interaction_required" => {
                ProviderFailure::Cancelled
            }
            "server_error" | "temporarily_unavailable" => ProviderFailure::Unreachable,
            _ => ProviderFailure::ClientRefused,
        };
        let described = p.error_description.unwrap_or_default();
        return Err(refuse(
            failure,
            format!("the provider answered {error}: {described}"),
        ));
    }
    let code = p
        .code
        .ok_or_else(|| refuse(ProviderFailure::TokenRefused, "no code in the callback"))?;
    let finished = s.provider.finish(&flow, code).await?;
    let person = finished.person;
    let user = s
        .services
        .sign_in_with_provider(&person, s.provider.roles())
        .await
        .map_err(|e| match e {
            ServiceError::Conflict(Conflict::LocalUser(name)) => refuse(
                ProviderFailure::NameTaken,
                format!("a local user is named {name}; link them with `strongbox admin link-user`"),
            ),
            ServiceError::Invalid(v) => refuse(
                ProviderFailure::NoUsername,
                format!("{:?}: {v}", person.username),
            ),
            other => internal(other),
        })?;
    let signed_in = async {
        app::api::ssr::sign_in(session, user.id, &user.name, s.services.now()).await?;
        match finished.sign_out {
            Some(url) => app::api::ssr::remember_provider_sign_out(session, url).await,
            None => Ok(()),
        }
    };
    signed_in
        .await
        .map_err(|e| refuse(ProviderFailure::Internal, format!("{e:?}")))?;
    tracing::info!(user = %user.name, issuer = %person.identity.issuer, "signed in through the provider");
    Ok(flow.return_to)
}

fn internal(e: ServiceError) -> Refusal {
    refuse(ProviderFailure::Internal, format!("{e:?}"))
}

/// Back to the sign-in page, which says what happened in one sentence; the log has the rest.
fn failed(r: Refusal) -> Response {
    let reference = backend::request_id::current().unwrap_or_else(backend::request_id::new_id);
    tracing::warn!(%reference, failure = %r.failure, detail = %r.detail, "sign-in through the provider failed");
    Redirect::to(&format!("/login?sign_in_error={}", r.failure)).into_response()
}
