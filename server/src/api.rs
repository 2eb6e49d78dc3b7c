//! The HTTP API under `/api/v1`: JSON, bearer tokens (personal tokens for people, application
//! tokens for applications), the same services and role checks as the dashboard. The OpenAPI
//! document at `/api/v1/openapi.json` is generated from these handlers.

use axum::Json;
use axum::extract::State;
use backend::Services;
use std::sync::Arc;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod admin;
mod app_side;
pub(crate) mod auth;
mod document;
pub mod error;
mod events;
mod extract;
mod import;
mod review;
mod secrets;
mod users;
mod webhooks;

pub use api_types::models::ModelJson;
use auth::Bearer;
use document::ApiDoc;
use error::{ApiResult, ErrorBody};
pub(crate) use extract::RepeatableQuery;
pub(crate) use review::csv_attachment;

#[derive(Clone)]
pub struct ApiState {
    pub services: Services,
}

/// The API's routes and its OpenAPI document, served at `/api/v1/openapi.json`.
pub fn router(state: ApiState) -> axum::Router {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::start_web_login))
        .routes(routes!(auth::collect_web_login))
        .routes(routes!(list_models, admin::create_model))
        .routes(routes!(admin::list_applications, admin::add_application))
        .routes(routes!(admin::remove_application))
        .routes(routes!(admin::create_token))
        .routes(routes!(admin::revoke_token))
        .routes(routes!(admin::set_member, users::remove_member))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::change))
        .routes(routes!(users::end_sessions))
        .routes(routes!(users::user_tokens))
        .routes(routes!(users::revoke_user_token))
        .routes(routes!(users::tokens))
        .routes(routes!(users::revoke_token))
        .routes(routes!(users::revoke_current))
        .routes(routes!(users::diff))
        .routes(routes!(admin::grants))
        .routes(routes!(admin::audit))
        .routes(routes!(review::export))
        .routes(routes!(review::sign_off))
        .routes(routes!(review::sign_offs))
        .routes(routes!(import::import))
        .routes(routes!(review::revoke))
        .routes(routes!(secrets::list, secrets::add))
        .routes(routes!(secrets::show, secrets::update, secrets::remove))
        .routes(routes!(secrets::reveal))
        .routes(routes!(secrets::grant))
        .routes(routes!(secrets::revoke))
        .routes(routes!(app_side::readable, app_side::create_own))
        .routes(routes!(app_side::read, app_side::update_own))
        .routes(routes!(events::events))
        .routes(routes!(
            webhooks::set_webhook,
            webhooks::show_webhook,
            webhooks::remove_webhook
        ))
        .routes(routes!(webhooks::enable_webhook))
        .with_state(state)
        .split_for_parts();
    let mut doc = doc;
    document::describe_responses(&mut doc);
    let doc = Arc::new(doc);
    router.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || async move { Json((*doc).clone()) }),
    )
}

/// The models the caller can see.
#[utoipa::path(get, path = "/api/v1/models", tag = "models", responses((status = 200, body = Vec<ModelJson>), (status = 401, body = ErrorBody)))]
async fn list_models(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
) -> ApiResult<Json<Vec<ModelJson>>> {
    let models = s.services.visible_models(&caller).await?;
    Ok(Json(
        models
            .into_iter()
            .map(|(m, l)| ModelJson {
                name: m.name,
                uuid: m.uuid,
                access: l,
            })
            .collect(),
    ))
}
