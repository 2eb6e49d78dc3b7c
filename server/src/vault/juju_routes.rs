//! The routes of Juju's `vault` backend (issue 29, ADR 0030): `sys/key-status`, `sys/mounts`,
//! `sys/policies/acl`, `auth/token/create` and the keys of its KV version 1 mounts. Each
//! handler authenticates the token, makes one service call and converts the answer.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use backend::service::{KvValues, MountRequest};
use backend::{Caller, Services};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::juju_answers as answers;
use super::refusal::VaultError;
use super::routes::presented;
use super::token_request::token_request;

type Answer = Result<Response, VaultError>;

pub fn routes(services: Services) -> Router {
    Router::new()
        .route("/v1/sys/key-status", get(key_status))
        .route("/v1/sys/mounts", get(list_mounts))
        .route(
            "/v1/sys/mounts/{*path}",
            post(mount).put(mount).delete(unmount),
        )
        .route("/v1/sys/remount", post(remount))
        .route("/v1/sys/policies/acl", any(list_policies))
        .route("/v1/sys/policies/acl/{*name}", any(policy))
        .route(
            "/v1/auth/token/create",
            post(create_token).put(create_token),
        )
        .with_state(services)
}

async fn caller(s: &Services, headers: &HeaderMap) -> Result<Caller, VaultError> {
    let token = presented(headers).ok_or_else(VaultError::permission_denied)?;
    Ok(s.authenticate_juju_token(token).await?)
}

fn ok(value: Value) -> Answer {
    Ok(Json(value).into_response())
}

fn done() -> Answer {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A JSON body, or Vault's words for one that is not.
fn body<T: DeserializeOwned + Default>(bytes: &Bytes) -> Result<T, VaultError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes)
        .map_err(|e| VaultError::bad_request(format!("failed to parse JSON input: {e}")))
}

/// `LIST`, or `GET` with `?list=true`.
fn listing(method: &Method, query: Option<&str>) -> bool {
    method.as_str() == "LIST"
        || (method == Method::GET
            && query.is_some_and(|q| q.split('&').any(|p| p == "list=true" || p == "list=1")))
}

async fn key_status(State(s): State<Services>, headers: HeaderMap) -> Answer {
    let caller = caller(&s, &headers).await?;
    ok(answers::key_status(s.juju_key_status(&caller).await?))
}

async fn list_mounts(State(s): State<Services>, headers: HeaderMap) -> Answer {
    let caller = caller(&s, &headers).await?;
    ok(answers::mounts(&s.juju_mounts(&caller).await?))
}

#[derive(Deserialize, Default)]
struct MountBody {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    options: std::collections::BTreeMap<String, String>,
}

async fn mount(
    State(s): State<Services>,
    headers: HeaderMap,
    Path(path): Path<String>,
    bytes: Bytes,
) -> Answer {
    let caller = caller(&s, &headers).await?;
    let b: MountBody = body(&bytes)?;
    let request = MountRequest {
        kind: b.kind,
        version: b.options.get("version").cloned(),
    };
    s.create_juju_mount(&caller, &path, request).await?;
    done()
}

async fn unmount(
    State(s): State<Services>,
    headers: HeaderMap,
    Path(path): Path<String>,
) -> Answer {
    let caller = caller(&s, &headers).await?;
    s.delete_juju_mount(&caller, &path).await?;
    done()
}

/// Juju remounts only mounts named by a model's UUID, which Strongbox never made.
async fn remount(State(s): State<Services>, headers: HeaderMap) -> Answer {
    caller(&s, &headers).await?;
    Err(VaultError::bad_request(
        "Strongbox's Juju backend has no legacy mounts to move: no matching mount",
    ))
}

async fn list_policies(
    State(s): State<Services>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Answer {
    let caller = caller(&s, &headers).await?;
    if !listing(&method, query.as_deref()) {
        return Err(VaultError::method_not_allowed());
    }
    ok(answers::keys(s.juju_policy_names(&caller).await?))
}

#[derive(Deserialize, Default)]
struct PolicyBody {
    policy: Option<String>,
}

async fn policy(
    State(s): State<Services>,
    method: Method,
    headers: HeaderMap,
    Path(name): Path<String>,
    bytes: Bytes,
) -> Answer {
    let caller = caller(&s, &headers).await?;
    match method {
        Method::PUT | Method::POST => {
            let b: PolicyBody = body(&bytes)?;
            s.put_juju_policy(&caller, &name, b.policy.as_deref())
                .await?;
            done()
        }
        Method::GET => match s.juju_policy(&caller, &name).await? {
            Some(p) => ok(answers::policy(&p)),
            None => Err(VaultError::not_found()),
        },
        Method::DELETE => {
            s.delete_juju_policy(&caller, &name).await?;
            done()
        }
        _ => Err(VaultError::method_not_allowed()),
    }
}

async fn create_token(State(s): State<Services>, headers: HeaderMap, bytes: Bytes) -> Answer {
    let caller = caller(&s, &headers).await?;
    let body = body::<Value>(&bytes)?;
    let request = token_request(&body)?;
    let issued = s.create_juju_token(&caller, request).await?;
    ok(answers::token_created(&issued, &body["ttl"]))
}

/// A key of a Juju backend's mount (the native routes' catch-all hands these over).
pub(super) async fn kv(
    s: &Services,
    method: Method,
    headers: &HeaderMap,
    path: &str,
    query: Option<String>,
    bytes: Bytes,
) -> Answer {
    let caller = caller(s, headers).await?;
    if listing(&method, query.as_deref()) {
        return ok(answers::keys(s.list_juju_keys(&caller, path).await?));
    }
    match method {
        Method::GET => ok(answers::kv_read(s.read_juju_key(&caller, path).await?)),
        Method::PUT | Method::POST => {
            let values: KvValues = body(&bytes)?;
            s.write_juju_key(&caller, path, values).await?;
            done()
        }
        Method::DELETE => {
            s.delete_juju_key(&caller, path).await?;
            done()
        }
        _ => Err(VaultError::method_not_allowed()),
    }
}
