//! Files the dashboard hands out for download, behind the same sign-in as its pages (the gate
//! puts the caller in the request): the access review as CSV. Its errors take the API's shape.

use api_types::review::ReviewParams;
use app::api::ssr::SignedIn;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Router, routing::get};
use backend::Services;
use backend::service::ReviewQuery;
use backend::wire::{review_csv, review_json};
use domain::ModelName;

use crate::api::error::ApiResult;
use crate::api::{RepeatableQuery, csv_attachment};

pub fn routes(services: Services) -> Router {
    Router::new()
        .route("/models/{model}/access-review.csv", get(access_review_csv))
        .with_state(services)
}

async fn access_review_csv(
    State(services): State<Services>,
    Extension(SignedIn(caller)): Extension<SignedIn>,
    Path(model): Path<String>,
    RepeatableQuery(params): RepeatableQuery<ReviewParams>,
) -> ApiResult<Response> {
    let query = ReviewQuery::from_params(&params)?;
    let model = ModelName::parse(&model)?;
    let review = services
        .export_access_review(&caller, &model, &query)
        .await?;
    Ok(csv_attachment(&model, review_csv(&review_json(&review))?))
}
