//! The routes: `/v1/{mount}/data/{path}`, `/v1/{mount}/metadata/{path}`,
//! `/v1/sys/internal/ui/mounts/{path}`, `/v1/sys/health` and the token's `lookup-self`,
//! `renew-self` and `revoke-self`. The token comes in `X-Vault-Token` or
//! `Authorization: Bearer`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
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
        .route("/v1/{mount}/data/{*path}", get(read))
        .route("/v1/{mount}/metadata/{*path}", get(metadata))
        .with_state(VaultState { services, mount })
}

/// The token a Vault client sends.
fn presented(headers: &HeaderMap) -> Option<&str> {
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

fn our_mount(s: &VaultState, mount: &str) -> Result<(), VaultError> {
    // Another mount is not there for this token, as Vault says of a path its policy lacks.
    if mount == s.mount {
        Ok(())
    } else {
        Err(VaultError::permission_denied())
    }
}

#[derive(Deserialize)]
struct ReadParams {
    version: Option<i64>,
}

async fn read(
    State(s): State<VaultState>,
    headers: HeaderMap,
    Path((mount, path)): Path<(String, String)>,
    Query(p): Query<ReadParams>,
) -> Answer {
    our_mount(&s, &mount)?;
    let token = presented(&headers).ok_or_else(VaultError::permission_denied)?;
    let caller = s.services.authenticate_for_read(token).await?;
    // Version 0 is Vault's "the latest".
    let version = match p.version.filter(|v| *v != 0) {
        Some(v) => {
            Some(RevisionNumber::new(v).map_err(|e| VaultError::bad_request(e.to_string()))?)
        }
        None => None,
    };
    let content = s.services.read_for_vault(&caller, &path, version).await?;
    Ok(Json(answers::kv_read(&content)))
}

async fn metadata(
    State(s): State<VaultState>,
    headers: HeaderMap,
    Path((mount, path)): Path<(String, String)>,
) -> Answer {
    our_mount(&s, &mount)?;
    let caller = caller(&s, &headers).await?;
    let found = s.services.metadata_for_vault(&caller, &path).await?;
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

async fn lookup_self(State(s): State<VaultState>, headers: HeaderMap) -> Answer {
    let token = presented(&headers).ok_or_else(VaultError::permission_denied)?;
    let caller = s.services.authenticate_token(token).await?;
    let record = s.services.presented_token(token).await?;
    let holder = match &caller.actor {
        Actor::Application { name, model, .. } => format!("{}/{name}", model.name),
        Actor::User { name, .. } => name.to_string(),
        Actor::System => "system".to_owned(),
    };
    Ok(Json(answers::token_lookup(&record, &holder, token)))
}

async fn renew_self(State(s): State<VaultState>, headers: HeaderMap) -> Answer {
    let token = presented(&headers).ok_or_else(VaultError::permission_denied)?;
    let record = s.services.presented_token(token).await?;
    Ok(Json(answers::renewed(&record)))
}

async fn revoke_self(State(s): State<VaultState>, headers: HeaderMap) -> Response {
    let Some(token) = presented(&headers) else {
        return VaultError::permission_denied().into_response();
    };
    match s.services.revoke_presented_token(token).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => VaultError::from(e).into_response(),
    }
}

async fn health(State(s): State<VaultState>) -> Json<Value> {
    Json(answers::health(s.services.now()))
}
