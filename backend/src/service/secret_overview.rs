//! Everything a secret's page shows, read from one snapshot.

use domain::{AccessLevel, ApplicationName, ModelName, Permission};

use super::secrets::SecretDetails;
use super::{Caller, SecretRef, Services, Subject};
use crate::audit::{AuditAction, AuditEvent};
use crate::error::{Forbidden, ServiceError, ServiceResult};
use crate::store::AuditQuery;

/// A secret's page: its details, its audit events, the caller's level in the model (what the
/// page offers to do) and the model's application names (for the grant checkboxes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretOverview {
    pub details: SecretDetails,
    pub audit: Vec<AuditEvent>,
    pub access: AccessLevel,
    pub applications: Vec<ApplicationName>,
}

impl Services {
    /// One read transaction for the whole page: the parts agree with each other, however the
    /// secret changes meanwhile.
    pub async fn secret_overview(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
    ) -> ServiceResult<SecretOverview> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let access = scope.access_level();
        if !scope.role.allows(Permission::ViewAudit) {
            let subject = Subject::model(&scope.model);
            let error = ServiceError::Forbidden(Forbidden::AccessLevel);
            return Err(self
                .refuse(tx, caller, AuditAction::SecretView, subject, error)
                .await);
        }
        let applications = tx.applications(scope.model.id).await?;
        let details = self.details_in(&mut *tx, scope, secret).await?;
        let query = AuditQuery {
            model: Some(details.model.uuid),
            secret: Some(details.secret.id.clone()),
            limit: super::audit_log::MAX_EVENTS,
            ..AuditQuery::default()
        };
        let audit = tx.audit_events(&query).await?;
        Ok(SecretOverview {
            details,
            audit,
            access,
            applications: applications.into_iter().map(|a| a.name).collect(),
        })
    }
}
