//! One window of the review's applications × secrets matrix, read window by window: the
//! server never loads the cross product, nor every grant, to show 25 × 12 cells.

use domain::{ApplicationName, SecretId, SecretName};

use super::access_review::{AccessReview, ReviewedGrant};
use crate::error::ServiceResult;
use crate::store::{ReviewFilter, ReviewRows, Tx};

/// Where the window starts and how big it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixRequest {
    pub row_offset: usize,
    pub rows: usize,
    pub column_offset: usize,
    pub columns: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewMatrix {
    /// Applications with a selected grant (rows) and secrets granted to one (columns), each
    /// in natural name order, the window's only.
    pub applications: Vec<ApplicationName>,
    pub secrets: Vec<(SecretId, Option<SecretName>)>,
    /// The selected grants where the window's rows and columns cross.
    pub grants: Vec<ReviewedGrant>,
    pub row_offset: usize,
    pub column_offset: usize,
    pub total_applications: usize,
    pub total_secrets: usize,
}

pub(super) async fn matrix_in(
    tx: &mut dyn Tx,
    filter: &ReviewFilter,
    review: &AccessReview,
    at: MatrixRequest,
) -> ServiceResult<ReviewMatrix> {
    let rows: Vec<_> = review
        .per_application
        .iter()
        .filter(|c| c.selected > 0)
        .collect();
    let total_secrets = usize::try_from(tx.review_secret_count(filter).await?).unwrap_or(0);
    let row_offset = at.row_offset.min(rows.len().saturating_sub(1));
    let column_offset = at.column_offset.min(total_secrets.saturating_sub(1));
    let window: Vec<_> = rows.iter().skip(row_offset).take(at.rows).collect();
    let secrets = tx
        .review_secrets(filter, to_i64(column_offset), to_i64(at.columns))
        .await?;
    let grants = if window.is_empty() || secrets.is_empty() {
        Vec::new()
    } else {
        let crossing = ReviewRows::Crossing {
            applications: window.iter().map(|c| c.application_id).collect(),
            secrets: secrets.iter().map(|(id, _)| id.clone()).collect(),
        };
        tx.review_grants(filter, crossing)
            .await?
            .into_iter()
            .map(|grant| ReviewedGrant {
                flags: filter.flags_of(&grant),
                grant,
            })
            .collect()
    };
    Ok(ReviewMatrix {
        applications: window.iter().map(|c| c.application_name.clone()).collect(),
        secrets,
        grants,
        row_offset,
        column_offset,
        total_applications: rows.len(),
        total_secrets,
    })
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
