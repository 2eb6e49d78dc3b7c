//! People, for superusers: accounts, the superuser flag, memberships, passwords, sessions and
//! personal tokens.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::UsersPage;

#[server]
pub async fn list_users() -> Result<UsersPage, AppError> {
    use super::ssr::{context, fail};
    use crate::types::UserView;
    let (services, caller) = context().await?;
    let all = services.users_with_access(&caller).await.map_err(fail)?;
    Ok(UsersPage {
        users: all
            .users
            .into_iter()
            .map(|u| UserView {
                name: u.user.name.to_string(),
                superuser: u.user.superuser,
                group_superuser: u.user.group_superuser,
                created: u.user.created_at,
                group_memberships: u
                    .group_memberships
                    .into_iter()
                    .map(|g| (g.model_name.to_string(), g.access, g.groups))
                    .collect(),
                identities: u
                    .identities
                    .into_iter()
                    .map(|i| format!("{} at {}", i.subject, i.issuer))
                    .collect(),
                memberships: u
                    .memberships
                    .into_iter()
                    .map(|(m, l)| (m.to_string(), l))
                    .collect(),
                tokens: u.tokens.iter().map(backend::wire::token_json).collect(),
            })
            .collect(),
        models: all.models.iter().map(ToString::to_string).collect(),
    })
}

#[server]
pub async fn create_user(
    name: String,
    password: String,
    superuser: Option<String>,
) -> Result<(), AppError> {
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let name = valid(domain::UserName::parse(name.trim()))?;
    let password = backend::password::Password::new(password);
    services
        .create_user(&caller, &name, password, superuser.is_some())
        .await
        .map_err(fail)?;
    Ok(())
}

#[server]
pub async fn set_superuser(name: String, superuser: bool) -> Result<(), AppError> {
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let name = valid(domain::UserName::parse(&name))?;
    services
        .set_superuser(&caller, &name, superuser)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Sets the user's level in a model; `level` "none" removes the membership.
#[server]
pub async fn set_membership(name: String, model: String, level: String) -> Result<(), AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let name = valid(domain::UserName::parse(&name))?;
    let model = parse_model(&model)?;
    match level.as_str() {
        "none" => services
            .remove_member(&caller, &model, &name)
            .await
            .map_err(fail)?,
        level => {
            let level = valid(level.parse::<domain::AccessLevel>())?;
            services
                .set_member(&caller, &model, &name, level)
                .await
                .map_err(fail)?;
        }
    }
    Ok(())
}

#[server]
pub async fn reset_password(name: String, password: String) -> Result<(), AppError> {
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let name = valid(domain::UserName::parse(&name))?;
    services
        .reset_password(&caller, &name, backend::password::Password::new(password))
        .await
        .map_err(fail)?;
    Ok(())
}

#[server]
pub async fn end_sessions(name: String) -> Result<(), AppError> {
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let name = valid(domain::UserName::parse(&name))?;
    services.end_sessions(&caller, &name).await.map_err(fail)?;
    Ok(())
}

/// Revokes one of a user's personal tokens.
#[server]
pub async fn revoke_user_token(name: String, token: i64) -> Result<(), AppError> {
    use super::ssr::{context, fail, valid};
    let (services, caller) = context().await?;
    let name = valid(domain::UserName::parse(&name))?;
    services
        .revoke_user_token(&caller, &name, domain::TokenId(token))
        .await
        .map_err(fail)?;
    Ok(())
}
