//! A model's overview page in one use case: what it holds, what the access review flags,
//! which applications are behind, what is due, the latest audit events, the review status.

use domain::{ApplicationName, ModelName, Permission};

use super::access_review::{AccessReview, ReviewQuery, ReviewSlice};
use super::review_page::ReviewStatus;
use super::{Caller, Services};
use crate::audit::AuditEvent;
use crate::error::ServiceResult;
use crate::store::{AuditQuery, DueSoonRecord, ModelCounts};

/// Rotations and expiries this close count as due.
pub const DUE_WITHIN_MS: i64 = 7 * 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelOverview {
    pub counts: ModelCounts,
    pub review: AccessReview,
    /// Applications tracking an older revision than the latest, with how many secrets.
    pub behind: Vec<(ApplicationName, usize)>,
    pub due: Vec<DueSoonRecord>,
    /// The ten latest audit events; empty for a caller who may not read the audit log.
    pub recent: Vec<AuditEvent>,
    pub status: ReviewStatus,
}

impl Services {
    #[tracing::instrument(skip_all)]
    pub async fn model_overview(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<ModelOverview> {
        self.write_counted_reads().await?;
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let counts = tx.model_counts(scope.model.id).await?;
        let review = self
            .review_in(
                &mut *tx,
                &scope,
                &ReviewQuery::default(),
                ReviewSlice::Page {
                    offset: 0,
                    limit: 0,
                },
            )
            .await?;
        let behind = review
            .per_application
            .iter()
            .filter(|c| c.behind > 0)
            .map(|c| {
                let n = usize::try_from(c.behind).unwrap_or(0);
                (c.application_name.clone(), n)
            })
            .collect();
        let soon = self.clock.now().plus_millis(DUE_WITHIN_MS);
        let due = tx.due_before(scope.model.id, soon).await?;
        let recent = if scope.role.allows(Permission::ViewAudit) {
            let query = AuditQuery {
                model: Some(scope.model.uuid),
                limit: 10,
                ..AuditQuery::default()
            };
            tx.audit_events(&query).await?
        } else {
            Vec::new()
        };
        let status = self.review_status(&mut *tx, &scope).await?;
        Ok(ModelOverview {
            counts,
            review,
            behind,
            due,
            recent,
            status,
        })
    }
}
