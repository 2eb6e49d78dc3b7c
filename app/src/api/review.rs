//! The access review page: the review under the URL's filter, one page of its grants or one
//! window of its matrix, and an admin's sign-off and bulk revoke.

use api_types::review::ReviewParams;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::types::ReviewPageData;

/// Grants on one page of the list.
pub const LIST_PAGE: usize = 100;
/// Applications (rows) and secrets (columns) in one matrix window.
pub const MATRIX_ROWS: usize = 25;
pub const MATRIX_COLUMNS: usize = 12;

/// Which part of the review the page shows, read from the URL.
/// Every field has a default: an empty list crosses the wire as nothing at all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewView {
    pub offset: usize,
    pub matrix: bool,
    pub row_offset: usize,
    pub column_offset: usize,
    /// Grants (`application/secret-id`) picked for the bulk revoke dialog.
    pub revoke: Vec<String>,
    /// Every stale grant under the filter, for the bulk revoke dialog.
    pub revoke_stale: bool,
}

#[server]
pub async fn review_page(
    model: String,
    // An empty filter or view crosses the wire as nothing at all.
    #[server(default)] params: ReviewParams,
    #[server(default)] view: ReviewView,
) -> Result<ReviewPageData, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, review_page_data, valid};
    use backend::service::{MatrixRequest, ReviewPageRequest, ReviewQuery, ReviewSlice};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let query = valid(ReviewQuery::from_params(&params))?;
    let request = ReviewPageRequest {
        slice: ReviewSlice::Page {
            offset: view.offset,
            limit: LIST_PAGE,
        },
        matrix: view.matrix.then_some(MatrixRequest {
            row_offset: view.row_offset,
            rows: MATRIX_ROWS,
            column_offset: view.column_offset,
            columns: MATRIX_COLUMNS,
        }),
        // The revoke dialog lists every grant it would revoke.
        all_grants: view.revoke_stale || !view.revoke.is_empty(),
    };
    let page = services
        .review_page(&caller, &model, &query, request)
        .await
        .map_err(fail)?;
    Ok(review_page_data(page, &view))
}

/// Records that the model's grants were reviewed. Admins only (the service checks).
#[server]
pub async fn sign_off_review(model: String, note: String) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let note = valid(domain::SignOffNote::parse(&note))?;
    services
        .sign_off_review(&caller, &model, &note)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/models/{model}/access?signed=1"));
    Ok(())
}

/// Revokes the listed grants (`application/secret-id`) together. Admins only (the service
/// checks); `back` is the review's own URL to return to.
#[server]
pub async fn revoke_review_grants(
    model: String,
    grants: Option<Vec<String>>,
    back: String,
) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    use backend::service::{GrantRef, SecretRef};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let grants = grants
        .unwrap_or_default()
        .iter()
        .map(|g| {
            let (app, secret) = g.split_once('/').unwrap_or((g, ""));
            Ok(GrantRef {
                application: valid(domain::ApplicationName::parse(app))?,
                secret: valid(SecretRef::parse(secret))?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let revoked = services
        .revoke_grants(&caller, &model, &grants)
        .await
        .map_err(fail)?;
    // Only back to this model's review: the form's value is not trusted as a redirect.
    let own = format!("/models/{model}/access");
    let back = if back == own || back.starts_with(&format!("{own}?")) {
        back
    } else {
        own
    };
    let joiner = if back.contains('?') { '&' } else { '?' };
    leptos_axum::redirect(&format!("{back}{joiner}revoked={revoked}"));
    Ok(())
}

/// The model's overview page.
#[server]
pub async fn model_overview(model: String) -> Result<crate::types::OverviewData, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, overview_data};
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let overview = services
        .model_overview(&caller, &model)
        .await
        .map_err(fail)?;
    Ok(overview_data(overview))
}
