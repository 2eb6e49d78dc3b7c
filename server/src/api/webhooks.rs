//! An application's webhook: set (with a new signing key, shown once), shown, enabled again
//! after it was disabled, and removed. Model admins set; readers may look.

use super::extract::Path;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use backend::service::WebhookStatus;
use domain::{ApplicationName, ModelName};

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiResult, ErrorBody};
use super::secrets::model;
pub use api_types::webhooks::{WebhookBody, WebhookJson, WebhookSetJson};

/// The model and application a webhook path names.
fn named(m: &str, app: &str) -> ApiResult<(ModelName, ApplicationName)> {
    Ok((model(m)?, ApplicationName::parse(app)?))
}

fn webhook_json(w: WebhookStatus) -> WebhookJson {
    WebhookJson {
        url: w.url,
        enabled: w.enabled,
        failures: w.failures,
        retry_at: w.retry_at,
        disabled_at: w.disabled_at,
        last_error: w.last_error,
        last_success: w.last_success_at,
        created: w.created_at,
    }
}

/// Sets the application's webhook, replacing one it had; it posts what happens from now on.
#[utoipa::path(put, path = "/api/v1/models/{model}/applications/{application}/webhook", params(("model" = String, Path), ("application" = String, Path)), request_body = WebhookBody, tag = "applications",
    responses((status = 200, body = WebhookSetJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_webhook(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, app)): Path<(String, String)>,
    body: Result<Json<WebhookBody>, JsonRejection>,
) -> ApiResult<Json<WebhookSetJson>> {
    let Json(req) = body?;
    let (status, signing_secret) = s
        .services
        .set_webhook(
            &caller,
            &model(&m)?,
            &ApplicationName::parse(&app)?,
            &req.url,
        )
        .await?;
    Ok(Json(WebhookSetJson {
        webhook: webhook_json(status),
        signing_secret,
    }))
}

/// The webhook's state: where it posts, and how delivery is going.
#[utoipa::path(get, path = "/api/v1/models/{model}/applications/{application}/webhook", params(("model" = String, Path), ("application" = String, Path)), tag = "applications",
    responses((status = 200, body = WebhookJson), (status = 404, body = ErrorBody)))]
pub async fn show_webhook(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, app)): Path<(String, String)>,
) -> ApiResult<Json<WebhookJson>> {
    let (model, app) = named(&m, &app)?;
    Ok(Json(webhook_json(
        s.services.webhook(&caller, &model, &app).await?,
    )))
}

#[utoipa::path(delete, path = "/api/v1/models/{model}/applications/{application}/webhook", params(("model" = String, Path), ("application" = String, Path)), tag = "applications",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_webhook(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, app)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (model, app) = named(&m, &app)?;
    s.services.remove_webhook(&caller, &model, &app).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts a disabled webhook again from the event it stopped at, with the same key.
#[utoipa::path(post, path = "/api/v1/models/{model}/applications/{application}/webhook/enable", params(("model" = String, Path), ("application" = String, Path)), tag = "applications",
    responses((status = 200, body = WebhookJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn enable_webhook(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    Path((m, app)): Path<(String, String)>,
) -> ApiResult<Json<WebhookJson>> {
    let (model, app) = named(&m, &app)?;
    let enabled = s.services.enable_webhook(&caller, &model, &app).await?;
    Ok(Json(webhook_json(enabled)))
}
