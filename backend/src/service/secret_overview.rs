//! Everything a secret's page shows, read from one snapshot.

use domain::{ApplicationName, Capabilities, ModelName, Permission, RevisionNumber, Timestamp};

use super::secrets::{RevisionView, SecretDetails};
use super::{Caller, SecretRef, Services, Subject};
use crate::audit::{AuditAction, AuditEvent};
use crate::error::{Forbidden, ServiceError, ServiceResult};
use crate::store::{AuditQuery, SecretOwner};

/// A secret's page: its details, its audit events, what the caller may do with it, and the
/// model's application names (for the grant checkboxes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretOverview {
    pub details: SecretDetails,
    pub audit: Vec<AuditEvent>,
    /// What the caller may do in the model.
    pub capabilities: Capabilities,
    /// Whether the caller may update, grant, revoke and remove here: people change user
    /// secrets only; an application's own are its to change.
    pub changeable: bool,
    pub applications: Vec<ApplicationName>,
    /// Applications tracking an older revision than the latest, longest behind first.
    pub behind: Vec<Behind>,
}

/// An application that tracks an older revision than the latest: it has been told
/// (`secret-changed`) and has not refreshed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behind {
    pub application: ApplicationName,
    pub tracked: RevisionNumber,
    /// When the first revision after the tracked one was made.
    pub since: Timestamp,
}

/// From the revisions, oldest first: each tracker of a revision that is not the latest is
/// behind since the next revision was created.
fn behind(revisions: &[RevisionView]) -> Vec<Behind> {
    let mut found: Vec<Behind> = revisions
        .iter()
        .zip(revisions.iter().skip(1))
        .flat_map(|(tracked, next)| {
            tracked.tracked_by.iter().map(|app| Behind {
                application: app.clone(),
                tracked: tracked.meta.revision,
                since: next.meta.created_at,
            })
        })
        .collect();
    found.sort_by(|a, b| (a.since, &a.application).cmp(&(b.since, &b.application)));
    found
}

impl Services {
    /// One read transaction for the whole page: the parts agree with each other, however the
    /// secret changes meanwhile.
    #[tracing::instrument(skip_all)]
    pub async fn secret_overview(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
    ) -> ServiceResult<SecretOverview> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let capabilities = self.capabilities_in(&mut *tx, &scope).await?;
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
        let changeable = capabilities.write_secrets && details.secret.owner == SecretOwner::Model;
        Ok(SecretOverview {
            behind: behind(&details.revisions),
            details,
            audit,
            capabilities,
            changeable,
            applications: applications.into_iter().map(|a| a.name).collect(),
        })
    }
}
