//! What a transaction does with users, models, and applications with their tokens: parts of
//! [`super::Tx`].

use async_trait::async_trait;
use domain::{
    AccessLevel, ApplicationId, ApplicationName, ModelId, ModelName, ModelUuid, Timestamp, UserId,
    UserName,
};

use super::{
    ApplicationRecord, Asker, MemberRecord, ModelRecord, NewToken, NewUser, Standing, StoreResult,
    TokenHolder, TokenOwner, TokenRecord, UserRecord,
};
use crate::token::TokenHash;

#[async_trait]
pub trait UserTx {
    async fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId>;
    async fn user(&mut self, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn user_by_name(&mut self, name: &UserName) -> StoreResult<Option<UserRecord>>;
    async fn users(&mut self) -> StoreResult<Vec<UserRecord>>;
    async fn set_superuser(
        &mut self,
        id: UserId,
        superuser: bool,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn set_password_hash(
        &mut self,
        id: UserId,
        hash: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Ends every session that began before `cutoff`.
    async fn set_sessions_valid_after(&mut self, id: UserId, cutoff: Timestamp) -> StoreResult<()>;
}

#[async_trait]
pub trait ModelTx {
    async fn insert_model(
        &mut self,
        uuid: ModelUuid,
        name: &ModelName,
        now: Timestamp,
    ) -> StoreResult<ModelRecord>;
    async fn model(&mut self, id: ModelId) -> StoreResult<Option<ModelRecord>>;
    async fn model_by_name(&mut self, name: &ModelName) -> StoreResult<Option<ModelRecord>>;
    /// The model named `name` and where `asker` stands in it, in one statement: every request
    /// that names a model asks.
    async fn model_with_standing(
        &mut self,
        name: &ModelName,
        asker: Asker,
    ) -> StoreResult<Option<(ModelRecord, Standing)>>;
    async fn models(&mut self) -> StoreResult<Vec<ModelRecord>>;
    /// Removes the model with everything in it (its secrets, applications, members and
    /// grants); whether there was one. Only a Juju backend's unmount removes a model.
    async fn delete_model(&mut self, id: ModelId) -> StoreResult<bool>;
    async fn set_member(
        &mut self,
        model: ModelId,
        user: UserId,
        access: AccessLevel,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn remove_member(&mut self, model: ModelId, user: UserId) -> StoreResult<bool>;
    async fn members(&mut self, model: ModelId) -> StoreResult<Vec<MemberRecord>>;
    async fn memberships(&mut self, user: UserId) -> StoreResult<Vec<(ModelRecord, AccessLevel)>>;
    /// Every membership of every user, for the users page.
    async fn all_memberships(&mut self) -> StoreResult<Vec<(UserId, ModelName, AccessLevel)>>;
}

#[async_trait]
pub trait ApplicationTx {
    async fn insert_application(
        &mut self,
        model: ModelId,
        name: &ApplicationName,
        now: Timestamp,
    ) -> StoreResult<ApplicationRecord>;
    async fn application(&mut self, id: ApplicationId) -> StoreResult<Option<ApplicationRecord>>;
    async fn application_by_name(
        &mut self,
        model: ModelId,
        name: &ApplicationName,
    ) -> StoreResult<Option<ApplicationRecord>>;
    async fn applications(&mut self, model: ModelId) -> StoreResult<Vec<ApplicationRecord>>;
    async fn delete_application(&mut self, id: ApplicationId) -> StoreResult<()>;
    async fn insert_token(&mut self, token: &NewToken) -> StoreResult<TokenRecord>;
    async fn token_by_hash(&mut self, hash: &TokenHash) -> StoreResult<Option<TokenRecord>>;
    /// Who the token stands for, in one statement: every API request asks.
    async fn token_holder(&mut self, hash: &TokenHash) -> StoreResult<Option<TokenHolder>>;
    async fn tokens_of(&mut self, owner: TokenOwner) -> StoreResult<Vec<TokenRecord>>;
    async fn delete_token(&mut self, token: &TokenRecord) -> StoreResult<()>;
    /// Every person's personal tokens, for the users page.
    async fn personal_tokens(&mut self) -> StoreResult<Vec<TokenRecord>>;
    /// Deletes every token of `owner`; returns how many there were.
    async fn delete_tokens_of(&mut self, owner: TokenOwner) -> StoreResult<u64>;
}
