//! An application's webhook (issue 13): set, shown, enabled again and removed by model admins.
//! What it posts, and when, is in `webhook_delivery.rs`.

use domain::{ApplicationName, ModelName, Timestamp};

use super::{Caller, Services, Subject, application_named};
use crate::audit::AuditAction;
use crate::crypto::{generate_webhook_key, wrap_webhook_key};
use crate::error::{Missing, ServiceError, ServiceResult};
use crate::store::{NewWebhook, WebhookProgress, WebhookRecord};
use crate::webhook::{WebhookTarget, secret_text};

/// A webhook as people see it: never its key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WebhookStatus {
    /// For model admins only: a URL may carry the receiver's own token (`?token=…`).
    pub url: Option<String>,
    pub enabled: bool,
    /// Failed attempts in a row.
    pub failures: u32,
    /// When the next attempt is due after a failure.
    pub retry_at: Option<Timestamp>,
    pub disabled_at: Option<Timestamp>,
    pub last_error: Option<String>,
    pub last_success_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl WebhookStatus {
    /// The webhook as someone with `role` sees it: the URL only for those who manage
    /// applications.
    pub(crate) fn seen_by(w: &WebhookRecord, role: domain::Role) -> Self {
        let mut status = WebhookStatus::from(w);
        if !role.allows(domain::Permission::ManageApplications) {
            status.url = None;
        }
        status
    }
}

impl From<&WebhookRecord> for WebhookStatus {
    fn from(w: &WebhookRecord) -> Self {
        let p = &w.progress;
        WebhookStatus {
            url: Some(w.url.clone()),
            enabled: p.disabled_at.is_none(),
            failures: p.failures,
            retry_at: (p.failures > 0 && p.disabled_at.is_none()).then_some(p.next_attempt_at),
            disabled_at: p.disabled_at,
            last_error: p.last_error.clone(),
            last_success_at: p.last_success_at,
            created_at: w.created_at,
        }
    }
}

fn no_webhook(name: &ApplicationName) -> ServiceError {
    ServiceError::NotFound(Missing::Webhook(name.to_string()))
}

impl Services {
    /// Sets the application's webhook to `url` with a new signing key, which is returned once
    /// (as `whsec_…`) and kept only wrapped by the master key. It posts what happens from now
    /// on; one set before is replaced.
    #[tracing::instrument(skip_all)]
    pub async fn set_webhook(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
        url: &str,
    ) -> ServiceResult<(WebhookStatus, String)> {
        let target = WebhookTarget::parse(url)?;
        self.webhook_policy.check(&target)?;
        let (mut tx, scope, app) = self
            .managing_application(caller, model, name, AuditAction::WebhookSet)
            .await?;
        let key = generate_webhook_key();
        let master = self.current_master_key(&mut *tx).await?;
        let webhook = NewWebhook {
            application: app.id,
            url: target.as_str().to_owned(),
            key: wrap_webhook_key(&master, app.id, key.as_ref())?,
            now: self.clock.now(),
        };
        tx.put_webhook(&webhook).await?;
        let stored = tx.webhook(app.id).await?.ok_or_else(|| no_webhook(name))?;
        let subject = Subject::model(&scope.model)
            .detail(format!("webhook of {name} set to {}", target.redacted()));
        self.succeeded(&mut *tx, caller, AuditAction::WebhookSet, subject)
            .await?;
        tx.commit().await?;
        Ok((WebhookStatus::from(&stored), secret_text(key.as_ref())))
    }

    #[tracing::instrument(skip_all)]
    pub async fn webhook(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
    ) -> ServiceResult<WebhookStatus> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let app = application_named(&mut *tx, &scope.model, name).await?;
        let webhook = tx.webhook(app.id).await?.ok_or_else(|| no_webhook(name))?;
        Ok(WebhookStatus::seen_by(&webhook, scope.role))
    }

    /// Starts a disabled webhook again from where it stopped, with its key.
    #[tracing::instrument(skip_all)]
    pub async fn enable_webhook(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
    ) -> ServiceResult<WebhookStatus> {
        let (mut tx, scope, app) = self
            .managing_application(caller, model, name, AuditAction::WebhookEnable)
            .await?;
        let mut webhook = tx.webhook(app.id).await?.ok_or_else(|| no_webhook(name))?;
        webhook.progress = WebhookProgress {
            failures: 0,
            next_attempt_at: Timestamp(0),
            disabled_at: None,
            last_error: None,
            ..webhook.progress
        };
        tx.set_webhook_progress(app.id, &webhook.progress, self.clock.now())
            .await?;
        let subject = Subject::model(&scope.model).detail(format!("webhook of {name} enabled"));
        self.succeeded(&mut *tx, caller, AuditAction::WebhookEnable, subject)
            .await?;
        tx.commit().await?;
        Ok(WebhookStatus::from(&webhook))
    }

    #[tracing::instrument(skip_all)]
    pub async fn remove_webhook(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
    ) -> ServiceResult<()> {
        let (mut tx, scope, app) = self
            .managing_application(caller, model, name, AuditAction::WebhookRemove)
            .await?;
        if !tx.delete_webhook(app.id).await? {
            return Err(no_webhook(name));
        }
        let subject = Subject::model(&scope.model).detail(format!("webhook of {name} removed"));
        self.succeeded(&mut *tx, caller, AuditAction::WebhookRemove, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
