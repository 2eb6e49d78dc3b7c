//! Personal access tokens: how a person's scripts and the CLI act as that person.

use domain::{Permission, TokenId, UserName};

use super::{Actor, Caller, Services, Subject, user_named};
use crate::audit::AuditAction;
use crate::error::{Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{NewToken, TokenOwner, TokenRecord};
use crate::token::{PlainToken, TokenKind};

/// Deletes token `id` if `owner` holds it; `NotFound` otherwise, so nobody learns of others' tokens.
pub(crate) async fn delete_token_of(
    tx: &mut dyn crate::store::Tx,
    owner: TokenOwner,
    id: TokenId,
) -> ServiceResult<()> {
    let token = tx
        .tokens_of(owner)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(ServiceError::NotFound(Missing::Token))?;
    tx.delete_token(&token).await?;
    Ok(())
}

/// Only people have personal tokens, and only for themselves.
pub(super) fn person(caller: &Caller) -> ServiceResult<domain::UserId> {
    match &caller.actor {
        Actor::User { id, .. } => Ok(*id),
        Actor::Application { .. } | Actor::System | Actor::JujuToken(_) => {
            Err(ServiceError::Forbidden(Forbidden::AccessLevel))
        }
    }
}

impl Services {
    /// A new token for the caller. The plaintext is returned once and never stored.
    #[tracing::instrument(skip_all)]
    pub async fn create_personal_token(
        &self,
        caller: &Caller,
        label: &str,
    ) -> ServiceResult<(TokenRecord, PlainToken)> {
        let user = person(caller)?;
        domain::names::refuse_format_characters("token label", label)?;
        let mut tx = self.store.write().await?;
        let issued = self
            .issue_personal_token(&mut *tx, caller, user, label, "")
            .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// Inserts a personal token for `user` in `tx`, audited with `how` after its label.
    pub(crate) async fn issue_personal_token(
        &self,
        tx: &mut dyn crate::store::Tx,
        caller: &Caller,
        user: domain::UserId,
        label: &str,
        how: &str,
    ) -> ServiceResult<(TokenRecord, PlainToken)> {
        if tx.user(user).await?.is_none() {
            return Err(ServiceError::Unauthenticated);
        }
        let plain = PlainToken::generate(TokenKind::Personal);
        let new = NewToken {
            owner: TokenOwner::User(user),
            hash: plain.hash(),
            label: label.trim().to_owned(),
            now: self.clock.now(),
        };
        let record = tx.insert_token(&new).await?;
        let subject = Subject::default().detail(format!(
            "personal token {} ({}){how}",
            record.id, record.label
        ));
        self.succeeded(tx, caller, AuditAction::TokenCreate, subject)
            .await?;
        Ok((record, plain))
    }

    #[tracing::instrument(skip_all)]
    pub async fn personal_tokens(&self, caller: &Caller) -> ServiceResult<Vec<TokenRecord>> {
        let user = person(caller)?;
        let mut tx = self.store.read().await?;
        Ok(tx.tokens_of(TokenOwner::User(user)).await?)
    }

    #[tracing::instrument(skip_all)]
    pub async fn revoke_personal_token(&self, caller: &Caller, id: TokenId) -> ServiceResult<()> {
        let user = person(caller)?;
        let mut tx = self.store.write().await?;
        delete_token_of(&mut *tx, TokenOwner::User(user), id).await?;
        let subject = Subject::default().detail(format!("personal token {id} revoked"));
        self.succeeded(&mut *tx, caller, AuditAction::TokenRevoke, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Services {
    /// Revokes the token presented with the request itself: a person's (`strongbox logout`)
    /// or an application's (a Vault client's `revoke-self`). Audited as its holder's act.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_presented_token(&self, presented: &str) -> ServiceResult<()> {
        let caller = self.authenticate_token(presented).await?;
        let hash = PlainToken::from_presented(presented).hash();
        let mut tx = self.store.write().await?;
        let token = tx
            .token_by_hash(&hash)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        tx.delete_token(&token).await?;
        let whose = match token.owner {
            TokenOwner::User(_) => "personal",
            TokenOwner::Application(_) => "application",
        };
        let subject =
            Subject::default().detail(format!("{whose} token {} revoked by its holder", token.id));
        self.succeeded(&mut *tx, &caller, AuditAction::TokenRevoke, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The record of the token presented with the request (never the token itself).
    pub async fn presented_token(&self, presented: &str) -> ServiceResult<TokenRecord> {
        let hash = PlainToken::from_presented(presented).hash();
        let mut tx = self.store.single().await?;
        tx.token_by_hash(&hash)
            .await?
            .ok_or(ServiceError::Unauthenticated)
    }
}

impl Services {
    /// Another user's personal tokens (never the tokens themselves). Superusers only.
    #[tracing::instrument(skip_all)]
    pub async fn user_tokens(
        &self,
        caller: &Caller,
        name: &UserName,
    ) -> ServiceResult<Vec<TokenRecord>> {
        let mut tx = self
            .reading_global(caller, Permission::ManageUsers, AuditAction::TokenRevoke)
            .await?;
        let user = user_named(&mut *tx, name).await?;
        Ok(tx.tokens_of(TokenOwner::User(user.id)).await?)
    }

    /// Revokes one of another user's personal tokens. Superusers only.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_user_token(
        &self,
        caller: &Caller,
        name: &UserName,
        id: TokenId,
    ) -> ServiceResult<()> {
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::TokenRevoke)
            .await?;
        let user = user_named(&mut *tx, name).await?;
        delete_token_of(&mut *tx, TokenOwner::User(user.id), id).await?;
        let subject = Subject::default().detail(format!("personal token {id} of {name} revoked"));
        self.succeeded(&mut *tx, caller, AuditAction::TokenRevoke, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
