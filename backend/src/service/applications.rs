//! Applications of a model and their tokens; turning a presented token into a caller.

use domain::{ApplicationName, ModelName, Permission, SecretId, SecretName, TokenId};
use serde::{Deserialize, Serialize};

use super::caller::Remembered;
use super::{Actor, Caller, Scope, Services, Subject, application_named};
use crate::audit::AuditAction;
use crate::error::{Conflict, ServiceError, ServiceResult};
use crate::store::{ApplicationRecord, NewToken, TokenHolder, TokenOwner, TokenRecord, Tx};
use crate::token::{PlainToken, TokenHash, TokenKind};

/// A model's applications as its page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applications {
    /// What the caller may do in the model, from the same check.
    pub capabilities: domain::Capabilities,
    pub items: Vec<ApplicationView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub application: ApplicationRecord,
    pub tokens: Vec<TokenRecord>,
    /// Secrets it owns or was granted, all of them.
    pub readable: Vec<ReadableSecret>,
    /// Where its events are posted, if anywhere.
    pub webhook: Option<super::WebhookStatus>,
}

/// A secret an application can read, named as the applications page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadableSecret {
    pub id: SecretId,
    pub name: Option<SecretName>,
}

impl Services {
    /// A write transaction in which the caller manages the model's applications, and the
    /// application called `name`: where every change to one application begins.
    pub(super) async fn managing_application(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
        action: AuditAction,
    ) -> ServiceResult<(Box<dyn Tx>, Scope, ApplicationRecord)> {
        let (mut tx, scope) = self
            .writing(caller, model, Permission::ManageApplications, action)
            .await?;
        let app = application_named(&mut *tx, &scope.model, name).await?;
        Ok((tx, scope, app))
    }

    #[tracing::instrument(skip_all)]
    pub async fn add_application(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
    ) -> ServiceResult<ApplicationRecord> {
        let (mut tx, scope) = self
            .writing(
                caller,
                model,
                Permission::ManageApplications,
                AuditAction::ApplicationAdd,
            )
            .await?;
        if tx
            .application_by_name(scope.model.id, name)
            .await?
            .is_some()
        {
            return Err(ServiceError::Conflict(Conflict::ApplicationName(
                name.to_string(),
            )));
        }
        let app = tx
            .insert_application(scope.model.id, name, self.clock.now())
            .await?;
        let subject = Subject::model(&scope.model).detail(format!("application {name} added"));
        self.succeeded(&mut *tx, caller, AuditAction::ApplicationAdd, subject)
            .await?;
        tx.commit().await?;
        Ok(app)
    }

    /// Removes the application with its tokens, grants, tracking and own secrets. Revisions
    /// only it was tracking become obsolete, and are pruned where auto-prune is on.
    #[tracing::instrument(skip_all)]
    pub async fn remove_application(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
    ) -> ServiceResult<()> {
        let (mut tx, scope, app) = self
            .managing_application(caller, model, name, AuditAction::ApplicationRemove)
            .await?;
        let consumed = tx.consumed_secrets(app.id).await?;
        tx.delete_application(app.id).await?;
        let subject = Subject::model(&scope.model).detail(format!("application {name} removed"));
        self.succeeded(&mut *tx, caller, AuditAction::ApplicationRemove, subject)
            .await?;
        for id in consumed {
            if let Some(secret) = tx.secret(scope.model.id, &id).await? {
                self.prune_obsolete(&mut *tx, &scope.model, &secret).await?;
            }
        }
        tx.commit().await?;
        // Its open event streams look again, on every node, and end: the token no longer stands.
        self.wake_event_streams_everywhere().await;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn applications(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<Applications> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let mut views = Vec::new();
        for application in tx.applications(scope.model.id).await? {
            let tokens = tx
                .tokens_of(TokenOwner::Application(application.id))
                .await?;
            let readable = tx.readable_secrets(application.id).await?;
            let readable = readable
                .into_iter()
                .map(|s| ReadableSecret {
                    id: s.secret.id,
                    name: s.secret.name,
                })
                .collect();
            let webhook = tx.webhook(application.id).await?;
            views.push(ApplicationView {
                application,
                tokens,
                readable,
                webhook: webhook
                    .as_ref()
                    .map(|w| super::WebhookStatus::seen_by(w, scope.role)),
            });
        }
        Ok(Applications {
            capabilities: self.capabilities_in(&mut *tx, &scope).await?,
            items: views,
        })
    }

    /// The model's application names, for filters and pickers: one query, whatever the number
    /// of secrets, grants or tokens (the secrets page called `applications` for this, which
    /// read every application's readable secrets on every page view).
    #[tracing::instrument(skip_all)]
    pub async fn application_names(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<Vec<ApplicationName>> {
        let (mut tx, scope) = self
            .viewing_on(self.store.single().await?, caller, model)
            .await?;
        let apps = tx.applications(scope.model.id).await?;
        Ok(apps.into_iter().map(|a| a.name).collect())
    }

    /// Issues a token for the application. The plaintext is returned once and never stored.
    #[tracing::instrument(skip_all)]
    pub async fn create_application_token(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
        label: &str,
    ) -> ServiceResult<(TokenRecord, PlainToken)> {
        domain::names::refuse_format_characters("token label", label)?;
        let (mut tx, scope, app) = self
            .managing_application(caller, model, name, AuditAction::TokenCreate)
            .await?;
        let plain = PlainToken::generate(TokenKind::Application);
        let new = NewToken {
            owner: TokenOwner::Application(app.id),
            hash: plain.hash(),
            label: label.trim().to_owned(),
            now: self.clock.now(),
        };
        let record = tx.insert_token(&new).await?;
        let subject =
            Subject::model(&scope.model).detail(format!("token {} for {name}", record.id));
        self.succeeded(&mut *tx, caller, AuditAction::TokenCreate, subject)
            .await?;
        tx.commit().await?;
        Ok((record, plain))
    }

    #[tracing::instrument(skip_all)]
    pub async fn revoke_application_token(
        &self,
        caller: &Caller,
        model: &ModelName,
        name: &ApplicationName,
        token: TokenId,
    ) -> ServiceResult<()> {
        let (mut tx, scope, app) = self
            .managing_application(caller, model, name, AuditAction::TokenRevoke)
            .await?;
        super::tokens::delete_token_of(&mut *tx, TokenOwner::Application(app.id), token).await?;
        let subject =
            Subject::model(&scope.model).detail(format!("token {token} of {name} revoked"));
        self.succeeded(&mut *tx, caller, AuditAction::TokenRevoke, subject)
            .await?;
        tx.commit().await?;
        // Its open event streams look again, on every node, and end: the token no longer stands.
        self.wake_event_streams_everywhere().await;
        Ok(())
    }

    /// The caller a bearer token stands for. Every API request makes this lookup: one joined
    /// statement, outside a transaction.
    #[tracing::instrument(skip_all)]
    pub async fn authenticate_token(&self, presented: &str) -> ServiceResult<Caller> {
        let hash = PlainToken::from_presented(presented).hash();
        self.holder_of(hash, self.store.single().await?, None).await
    }

    /// `authenticate_token` for a content read, which may answer from this node's memory
    /// where other nodes write too: the read is checked in its audit group commit against
    /// what every node changed since, and made again from the database if that fails
    /// (docs/adr/0028). Where this process makes every write, the same as `authenticate_token`.
    #[tracing::instrument(skip_all)]
    pub async fn authenticate_for_read(&self, presented: &str) -> ServiceResult<Caller> {
        let hash = PlainToken::from_presented(presented).hash();
        // Before the lookup: every answer it uses is at least this recent.
        let since = self.store.changes_followed();
        let tx = self.store.single_remembered().await?;
        self.holder_of(hash, tx, since).await
    }

    /// The caller `hash` stands for, looked up through `tx`.
    pub(super) async fn holder_of(
        &self,
        hash: TokenHash,
        mut tx: Box<dyn Tx>,
        since: Option<u64>,
    ) -> ServiceResult<Caller> {
        let actor = match tx.token_holder(&hash).await? {
            Some(TokenHolder::Application { id, name, model }) => {
                Actor::Application { id, name, model }
            }
            Some(TokenHolder::User { id, name }) => Actor::User { id, name },
            None => return Err(ServiceError::Unauthenticated),
        };
        Ok(Caller {
            actor,
            source: None,
            remembered: since.map(|since| Remembered { token: hash, since }),
        })
    }
}
