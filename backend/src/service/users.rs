//! People: accounts, passwords and the superuser flag.

use domain::{Permission, UserName, ValidationError};

use super::{Caller, Services, Subject, user_named};
use crate::audit::AuditAction;
use crate::error::{Conflict, ServiceError, ServiceResult};
use crate::password::{self, MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, Password};
use crate::store::{NewUser, TokenOwner, UserRecord};

fn check_password(password: &Password) -> ServiceResult<()> {
    if password.len() < MIN_PASSWORD_LEN {
        return Err(ValidationError::PasswordTooShort {
            min: MIN_PASSWORD_LEN,
        }
        .into());
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(ValidationError::PasswordTooLong {
            max: MAX_PASSWORD_LEN,
        }
        .into());
    }
    Ok(())
}

/// A change to a user: the superuser flag, a new password, or both, applied together.
#[derive(Debug, Default)]
pub struct UserChange {
    pub superuser: Option<bool>,
    pub password: Option<Password>,
}

impl Services {
    #[tracing::instrument(skip_all)]
    pub async fn create_user(
        &self,
        caller: &Caller,
        name: &UserName,
        password: Password,
        superuser: bool,
    ) -> ServiceResult<UserRecord> {
        // The permission comes first: argon2 is slow on purpose, and nobody may spend it who
        // could not create the user anyway.
        self.may_manage_users(caller, AuditAction::UserCreate)
            .await?;
        check_password(&password)?;
        // Hash before taking the write lock.
        let password_hash = password::hash(password).await?;
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::UserCreate)
            .await?;
        if tx.user_by_name(name).await?.is_some() {
            return Err(ServiceError::Conflict(Conflict::UserName(name.to_string())));
        }
        let now = self.clock.now();
        let new = NewUser {
            name: name.clone(),
            password_hash,
            superuser,
            now,
        };
        let id = tx.insert_user(&new).await?;
        let role = if superuser { "superuser" } else { "user" };
        let subject = Subject::default().detail(format!("{role} {name} created"));
        self.succeeded(&mut *tx, caller, AuditAction::UserCreate, subject)
            .await?;
        tx.commit().await?;
        Ok(UserRecord {
            id,
            name: name.clone(),
            password_hash: new.password_hash,
            superuser,
            group_superuser: false,
            created_at: now,
            sessions_valid_after: domain::Timestamp(0),
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn users(&self, caller: &Caller) -> ServiceResult<Vec<UserRecord>> {
        let mut tx = self
            .reading_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        Ok(tx.users().await?)
    }

    #[tracing::instrument(skip_all)]
    pub async fn set_superuser(
        &self,
        caller: &Caller,
        name: &UserName,
        superuser: bool,
    ) -> ServiceResult<()> {
        let change = UserChange {
            superuser: Some(superuser),
            password: None,
        };
        self.change_user(caller, name, change).await
    }

    /// A new password; the user's sessions and personal tokens end with the old one.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(
        &self,
        caller: &Caller,
        name: &UserName,
        password: Password,
    ) -> ServiceResult<()> {
        let change = UserChange {
            superuser: None,
            password: Some(password),
        };
        self.change_user(caller, name, change).await
    }

    /// Applies every part of `change` or none: all of it is checked before anything is written,
    /// and it is written in one transaction. A new password ends the user's sessions and
    /// personal tokens, so a reset after a takeover locks the intruder out.
    #[tracing::instrument(skip_all)]
    pub async fn change_user(
        &self,
        caller: &Caller,
        name: &UserName,
        change: UserChange,
    ) -> ServiceResult<()> {
        self.may_manage_users(caller, AuditAction::UserUpdate)
            .await?;
        if change.superuser.is_none() && change.password.is_none() {
            return Err(ValidationError::NothingToUpdate.into());
        }
        let password_hash = match change.password {
            Some(p) => {
                check_password(&p)?;
                Some(password::hash(p).await?)
            }
            None => None,
        };
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let user = user_named(&mut *tx, name).await?;
        let now = self.clock.now();
        let mut done = Vec::new();
        if let Some(flag) = change.superuser {
            tx.set_superuser(user.id, flag, now).await?;
            done.push(format!("{name} superuser: {flag}"));
        }
        if let Some(hash) = password_hash {
            tx.set_password_hash(user.id, &hash, now).await?;
            let tokens = end_access(&mut *tx, &user, now).await?;
            done.push(format!(
                "password of {name} reset; sessions and {tokens} personal tokens ended"
            ));
        }
        let subject = Subject::default().detail(done.join("; "));
        self.succeeded(&mut *tx, caller, AuditAction::UserUpdate, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refuses (and audits) a caller who may not manage users, before any costly work.
    async fn may_manage_users(&self, caller: &Caller, action: AuditAction) -> ServiceResult<()> {
        self.reading_global(caller, Permission::ManageUsers, action)
            .await
            .map(drop)
    }
}

/// Ends every dashboard session and personal token of `user`; returns how many tokens ended.
async fn end_access(
    tx: &mut dyn crate::store::Tx,
    user: &UserRecord,
    now: domain::Timestamp,
) -> ServiceResult<u64> {
    tx.set_sessions_valid_after(user.id, now).await?;
    Ok(tx.delete_tokens_of(TokenOwner::User(user.id)).await?)
}

impl Services {
    /// Whether the user holds the superuser flag now; `Unauthenticated` if the account is gone.
    #[tracing::instrument(skip_all)]
    pub async fn is_superuser(&self, id: domain::UserId) -> ServiceResult<bool> {
        let mut tx = self.store.single().await?;
        tx.user(id)
            .await?
            .map(|u| u.is_superuser())
            .ok_or(ServiceError::Unauthenticated)
    }
}

/// Every user, and every model one may be made a member of: the users page.
#[derive(Debug, Clone)]
pub struct Users {
    pub users: Vec<UserWithAccess>,
    pub models: Vec<domain::ModelName>,
}

/// A user with the models they belong to, for the users page.
#[derive(Debug, Clone)]
pub struct UserWithAccess {
    pub user: UserRecord,
    pub memberships: Vec<(domain::ModelName, domain::AccessLevel)>,
    /// Personal tokens (never the tokens themselves).
    pub tokens: Vec<crate::store::TokenRecord>,
    /// Access from provider groups, apart from `memberships` (set by hand).
    pub group_memberships: Vec<crate::store::GroupMembership>,
    /// Who the user is at OpenID providers.
    pub identities: Vec<crate::store::Identity>,
}

impl Services {
    /// Ends every session the user has, on every node (sessions that began before now stop
    /// being accepted), and revokes their personal tokens: after a takeover, the intruder's
    /// token must not outlive the session it was made in.
    #[tracing::instrument(skip_all)]
    pub async fn end_sessions(&self, caller: &Caller, name: &UserName) -> ServiceResult<()> {
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let user = user_named(&mut *tx, name).await?;
        let tokens = end_access(&mut *tx, &user, self.clock.now()).await?;
        let subject = Subject::default().detail(format!(
            "sessions and {tokens} personal tokens of {name} ended"
        ));
        self.succeeded(&mut *tx, caller, AuditAction::UserUpdate, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a session that began at `signed_in_at` for this user is still good: the account
    /// exists and its sessions were not ended since.
    #[tracing::instrument(skip_all)]
    pub async fn session_valid(
        &self,
        id: domain::UserId,
        signed_in_at: domain::Timestamp,
    ) -> ServiceResult<bool> {
        let mut tx = self.store.read().await?;
        Ok(tx
            .user(id)
            .await?
            .is_some_and(|u| signed_in_at > u.sessions_valid_after))
    }

    /// Every user with their memberships, and every model. Superusers only.
    #[tracing::instrument(skip_all)]
    pub async fn users_with_access(&self, caller: &Caller) -> ServiceResult<Users> {
        let mut tx = self
            .reading_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let users = tx.users().await?;
        let memberships = tx.all_memberships().await?;
        let tokens = tx.personal_tokens().await?;
        let models = tx.models().await?.into_iter().map(|m| m.name).collect();
        // Per user: a users page lists hundreds of people, not millions.
        let mut from_providers = Vec::with_capacity(users.len());
        for user in &users {
            let groups = tx.group_memberships(user.id).await?;
            let identities = tx.identities(user.id).await?;
            from_providers.push((groups, identities));
        }
        let users = users
            .into_iter()
            .zip(from_providers)
            .map(|(user, (group_memberships, identities))| {
                let memberships = memberships
                    .iter()
                    .filter(|(id, _, _)| *id == user.id)
                    .map(|(_, m, l)| (m.clone(), *l))
                    .collect();
                let tokens = tokens
                    .iter()
                    .filter(|t| t.owner == TokenOwner::User(user.id))
                    .cloned()
                    .collect();
                UserWithAccess {
                    user,
                    memberships,
                    tokens,
                    group_memberships,
                    identities,
                }
            })
            .collect();
        Ok(Users { users, models })
    }
}
