//! The signed-in person's own personal access tokens.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{NewToken, TokenJson};

#[server]
pub async fn my_tokens() -> Result<Vec<TokenJson>, AppError> {
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    let tokens = services.personal_tokens(&caller).await.map_err(fail)?;
    Ok(tokens.iter().map(backend::wire::token_json).collect())
}

/// A new personal token, returned in the clear this once.
#[server]
pub async fn create_my_token(label: String) -> Result<NewToken, AppError> {
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    let (_, token) = services
        .create_personal_token(&caller, &label)
        .await
        .map_err(fail)?;
    let name = match &caller.actor {
        backend::Actor::User { name, .. } => name.to_string(),
        _ => String::new(),
    };
    Ok(NewToken {
        owner: name,
        token: token.expose().to_owned(),
    })
}

#[server]
pub async fn revoke_my_token(token: i64) -> Result<(), AppError> {
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    services
        .revoke_personal_token(&caller, domain::TokenId(token))
        .await
        .map_err(fail)?;
    Ok(())
}
