//! The routes: `/v1/{mount}/data/{path}`, `/v1/{mount}/metadata/{path}`,
//! `/v1/sys/internal/ui/mounts/{path}`, `/v1/sys/health` and the token's `lookup-self`,
//! `renew-self` and `revoke-self`. The token comes in `X-Vault-Token` or
//! `Authorization: Bearer`.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use backend::{Actor, Caller, Services};
use domain::RevisionNumber;
use serde::Deserialize;
use serde_json::Value;

use super::answers;
use super::refusal::VaultError;

#[derive(Clone)]
struct VaultState {
    services: Services,
    mount: String,
}

type Answer = Result<Json<Value>, VaultError>;

pub fn routes(services: Services, mount: String) -> Router {
    Router::new()
        .route("/v1/sys/health", get(health))
        .route("/v1/sys/internal/ui/mounts/{*path}", get(mount_of))
        .route("/v1/auth/token/lookup-self", get(lookup_self))
        .route(
            "/v1/auth/token/renew-self",
            axum::routing::put(renew_self).post(renew_self),
        )
        .route(
            "/v1/auth/token/revoke-self",
            axum::routing::put(revoke_self).post(revoke_self),
        )
        // One catch-all: the router cannot hold `{mount}/data/…` beside the paths of Juju's
        // mounts, which may be anything.
        .route("/v1/{*path}", axum::routing::any(dispatch))
        .with_state(VaultState { services, mount })
}

/// The token a Vault client sends.
pub(super) fn presented(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-vault-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .or_else(|| crate::api::auth::bearer_token(headers))
}

async fn caller(s: &VaultState, headers: &HeaderMap) -> Result<Caller, VaultError> {
    let token = presented(headers).ok_or_else(VaultError::permission_denied)?;
    Ok(s.services.authenticate_token(token).await?)
}

#[derive(Deserialize, Default)]
struct ReadParams {
    version: Option<i64>,
}

/// KV version 2 reads of the native mount go to the native read; every other path is a key
/// of a Juju backend's mount (ADR 0030), or refused there.
async fn dispatch(
    State(s): State<VaultState>,
    method: Method,
    headers: HeaderMap,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let native = path
        .strip_prefix(s.mount.as_str())
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|_| method == Method::GET);
    let answer = match native {
        Some(rest) if rest.starts_with("data/") => {
            let p = Query::<ReadParams>::try_from_uri(&uri_with(query.as_deref()))
                .map(|Query(p)| p)
                .unwrap_or_default();
            read(&s, &headers, &rest["data/".len()..], p).await
        }
        Some(rest) if rest.starts_with("metadata/") => {
            metadata(&s, &headers, &rest["metadata/".len()..]).await
        }
        _ => {
            return super::juju_routes::kv(&s.services, method, &headers, &path, query, body)
                .await
                .unwrap_or_else(IntoResponse::into_response);
        }
    };
    answer.map_or_else(IntoResponse::into_response, IntoResponse::into_response)
}

fn uri_with(query: Option<&str>) -> axum::http::Uri {
    format!("/?{}", query.unwrap_or_default())
        .parse()
        .unwrap_or_default()
}

async fn read(s: &VaultState, headers: &HeaderMap, path: &str, p: ReadParams) -> Answer {
    let token = presented(headers).ok_or_else(VaultError::permission_denied)?;
    let caller = s.services.authenticate_for_read(token).await?;
    // Version 0 is Vault's "the latest".
    let version = match p.version.filter(|v| *v != 0) {
        Some(v) => {
            Some(RevisionNumber::new(v).map_err(|e| VaultError::bad_request(e.to_string()))?)
        }
        None => None,
    };
    let content = s.services.read_for_vault(&caller, path, version).await?;
    Ok(Json(answers::kv_read(&content)))
}

async fn metadata(s: &VaultState, headers: &HeaderMap, path: &str) -> Answer {
    let caller = caller(s, headers).await?;
    let found = s.services.metadata_for_vault(&caller, path).await?;
    Ok(Json(answers::kv_metadata(&found)))
}

async fn mount_of(
    State(s): State<VaultState>,
    headers: HeaderMap,
    Path(path): Path<String>,
) -> Answer {
    caller(&s, &headers).await?;
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    if first != s.mount {
        return Err(VaultError::permission_denied());
    }
    Ok(Json(answers::mount(&s.mount)))
}

/// Whether the token is a Juju backend's (ADR 0030), whose own routes answer for it.
fn juju_backend_token(token: &str) -> bool {
    backend::token::TokenKind::of(token) == Some(backend::token::TokenKind::JujuBackend)
}

async fn lookup_self(State(s): State<VaultState>, headers: HeaderMap) -> Answer {
    let token = presented(&headers).ok_or_else(VaultError::permission_denied)?;
    if juju_backend_token(token) {
        let caller = s.services.authenticate_juju_token(token).await?;
        let holder = s.services.juju_token_self(&caller)?;
        let now = s.services.now();
        return Ok(Json(super::juju_answers::token_lookup(holder, token, now)));
    }
    let caller = s.services.authenticate_token(token).await?;
    let record = s.services.presented_token(token).await?;
    let holder = match &caller.actor {
        Actor::Application { name, model, .. } => format!("{}/{name}", model.name),
        Actor::User { name, .. } => name.to_string(),
        Actor::System | Actor::JujuToken(_) => "system".to_owned(),
    };
    Ok(Json(answers::token_lookup(&record, &holder, token)))
}

async fn renew_self(State(s): State<VaultState>, headers: HeaderMap) -> Answer {
    let token = presented(&headers).ok_or_else(VaultError::permission_denied)?;
    if juju_backend_token(token) {
        let caller = s.services.authenticate_juju_token(token).await?;
        s.services.juju_token_self(&caller)?;
        return Err(VaultError::bad_request(
            "Strongbox's Juju backend tokens are not renewable: make a new one",
        ));
    }
    let record = s.services.presented_token(token).await?;
    Ok(Json(answers::renewed(&record)))
}

async fn revoke_self(State(s): State<VaultState>, headers: HeaderMap) -> Response {
    let Some(token) = presented(&headers) else {
        return VaultError::permission_denied().into_response();
    };
    if juju_backend_token(token) {
        let revoked = match s.services.authenticate_juju_token(token).await {
            Ok(caller) => s.services.revoke_juju_token_self(&caller).await,
            Err(e) => Err(e),
        };
        return match revoked {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(e) => VaultError::from(e).into_response(),
        };
    }
    match s.services.revoke_presented_token(token).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => VaultError::from(e).into_response(),
    }
}

async fn health(State(s): State<VaultState>) -> Json<Value> {
    Json(answers::health(s.services.now()))
}
