//! Files the dashboard hands out for download, behind the same sign-in as its pages (the gate
//! puts the caller in the request): the access review as CSV.

use api_types::review::ReviewParams;
use app::api::ssr::SignedIn;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router, routing::get};
use backend::Services;
use backend::service::ReviewQuery;
use backend::wire::{review_csv, review_json};
use domain::ModelName;

pub fn routes(services: Services) -> Router {
    Router::new()
        .route("/models/{model}/access-review.csv", get(access_review_csv))
        .with_state(services)
}

async fn access_review_csv(
    State(services): State<Services>,
    Extension(SignedIn(caller)): Extension<SignedIn>,
    Path(model): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    match csv_of(&services, &caller, &model, uri.query().unwrap_or_default()).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{model}-access-review.csv\""),
                ),
            ],
            text,
        )
            .into_response(),
        Err((status, message)) => (status, message).into_response(),
    }
}

async fn csv_of(
    services: &Services,
    caller: &backend::Caller,
    model: &str,
    query: &str,
) -> Result<String, (StatusCode, String)> {
    let refuse = |e: backend::ServiceError| {
        let failure = e.classify();
        let status = StatusCode::from_u16(failure.code.status()).unwrap_or(StatusCode::BAD_REQUEST);
        (status, failure.message)
    };
    let params: ReviewParams = serde_html_form::from_str(query)
        .map_err(|e| (StatusCode::BAD_REQUEST, format!("query not valid: {e}")))?;
    let query = ReviewQuery::from_params(&params).map_err(|e| refuse(e.into()))?;
    let model = ModelName::parse(model).map_err(|e| refuse(e.into()))?;
    let review = services
        .export_access_review(caller, &model, &query)
        .await
        .map_err(refuse)?;
    review_csv(&review_json(&review)).map_err(refuse)
}
