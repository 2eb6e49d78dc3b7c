//! Reading the audit trail, and checking its chain end to end.

use domain::{ModelName, Permission};

use super::{Caller, Services};
use crate::audit::{AuditAction, AuditEvent, BrokenLink, ChainVerifier};
use crate::error::ServiceResult;
use crate::store::AuditQuery;

/// Events in one answer at most.
pub(super) const MAX_EVENTS: u32 = 500;
const VERIFY_PAGE: u32 = 1000;

impl Services {
    /// A model's events, newest first, filtered as the query says.
    #[tracing::instrument(skip_all)]
    pub async fn audit_events(
        &self,
        caller: &Caller,
        model: &ModelName,
        query: AuditQuery,
    ) -> ServiceResult<Vec<AuditEvent>> {
        let (mut tx, scope) = self
            .reading(
                caller,
                model,
                Permission::ViewAudit,
                AuditAction::SecretView,
            )
            .await?;
        let limit = if query.limit == 0 {
            100
        } else {
            query.limit.min(MAX_EVENTS)
        };
        let query = AuditQuery {
            model: Some(scope.model.uuid),
            limit,
            ..query
        };
        Ok(tx.audit_events(&query).await?)
    }

    /// Walks the whole chain in one snapshot. `Ok(Err(link))` names the first broken link.
    #[tracing::instrument(skip_all)]
    pub async fn verify_audit(&self, caller: &Caller) -> ServiceResult<Result<i64, BrokenLink>> {
        let mut tx = self
            .reading_global(caller, Permission::ManageModels, AuditAction::SecretView)
            .await?;
        let mut verifier = ChainVerifier::default();
        let mut after = 0;
        loop {
            let page = tx.audit_chain_page(after, VERIFY_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for event in &page {
                if let Err(broken) = verifier.check(event) {
                    return Ok(Err(broken));
                }
            }
        }
        let head = tx.audit_head().await?;
        Ok(verifier.finish(head))
    }
}
