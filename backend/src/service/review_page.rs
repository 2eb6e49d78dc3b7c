//! The dashboard's review page in one use case: the review under the filter, the model's
//! applications for the filter's choices, and where the last sign-off stands.

use domain::{ApplicationName, ModelName};

use super::access_review::{AccessReview, ReviewQuery, ReviewSlice, ReviewedGrant, every_grant};
use super::review_matrix::{MatrixRequest, ReviewMatrix, matrix_in};
use super::{Caller, Services};
use crate::audit::{AuditAction, AuditEvent};
use crate::error::ServiceResult;
use crate::store::{AuditQuery, SignOffRecord, Tx};

/// Grant changes listed since a sign-off, at most.
const CHANGES_SHOWN: u32 = 50;

/// Where the model's review stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewStatus {
    pub last: Option<SignOffRecord>,
    /// Whether no grant was added or removed since the last sign-off.
    pub unchanged: bool,
    /// Grants added and revoked since the last sign-off, newest first (audit events).
    pub changes: Vec<AuditEvent>,
}

/// What the page shows besides the review's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewPageRequest {
    /// The list's page.
    pub slice: ReviewSlice,
    /// A window of the matrix, when the page shows it.
    pub matrix: Option<MatrixRequest>,
    /// Every selected grant (the revoke dialog lists them).
    pub all_grants: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPage {
    /// The review with the page's slice of grants.
    pub review: AccessReview,
    /// Every selected grant, when the page asked for them.
    pub all: Option<Vec<ReviewedGrant>>,
    pub matrix: Option<ReviewMatrix>,
    pub applications: Vec<ApplicationName>,
    pub status: ReviewStatus,
}

impl Services {
    #[tracing::instrument(skip_all)]
    pub async fn review_page(
        &self,
        caller: &Caller,
        model: &ModelName,
        query: &ReviewQuery,
        request: ReviewPageRequest,
    ) -> ServiceResult<ReviewPage> {
        self.write_counted_reads().await?;
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let filter = self.review_filter(&mut *tx, &scope, query).await?;
        let stale = query.stale_days;
        let review = self
            .review_of(&mut *tx, &scope, &filter, stale, request.slice)
            .await?;
        let matrix = match request.matrix {
            Some(at) => Some(matrix_in(&mut *tx, &filter, &review, at).await?),
            None => None,
        };
        let all = if request.all_grants {
            Some(every_grant(&mut *tx, &filter, &review.per_application).await?)
        } else {
            None
        };
        let applications = tx
            .applications(scope.model.id)
            .await?
            .into_iter()
            .map(|a| a.name)
            .collect();
        let status = self.review_status(&mut *tx, &scope).await?;
        Ok(ReviewPage {
            review,
            all,
            matrix,
            applications,
            status,
        })
    }

    pub(super) async fn review_status(
        &self,
        tx: &mut dyn Tx,
        scope: &super::Scope,
    ) -> ServiceResult<ReviewStatus> {
        let Some(last) = tx.sign_offs(scope.model.id, 1).await?.into_iter().next() else {
            return Ok(ReviewStatus {
                last: None,
                unchanged: false,
                changes: Vec::new(),
            });
        };
        // The digest needs every grant; the count and the latest grant time tell the same
        // (nothing added since, nothing removed) from one index pass.
        let set = tx.grant_set(scope.model.id).await?;
        let unchanged = set.count == last.grant_count
            && set.last_granted_at.is_none_or(|at| at <= last.reviewed_at);
        let mut changes = Vec::new();
        for action in [AuditAction::SecretGrant, AuditAction::SecretRevoke] {
            let query = AuditQuery {
                model: Some(scope.model.uuid),
                action: Some(action),
                limit: CHANGES_SHOWN,
                ..AuditQuery::default()
            };
            changes.extend(tx.audit_events(&query).await?.into_iter().filter(|e| {
                e.event.at > last.reviewed_at && e.event.outcome == crate::audit::Outcome::Success
            }));
        }
        changes.sort_by_key(|e| std::cmp::Reverse(e.seq));
        changes.truncate(CHANGES_SHOWN as usize);
        Ok(ReviewStatus {
            last: Some(last),
            unchanged,
            changes,
        })
    }
}
