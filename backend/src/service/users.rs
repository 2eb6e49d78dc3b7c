//! People: accounts, passwords and the superuser flag.

use domain::{Permission, UserName, ValidationError};

use super::{Caller, Services, Subject, user_named};
use crate::audit::AuditAction;
use crate::error::{Conflict, ServiceError, ServiceResult};
use crate::password::{self, MIN_PASSWORD_LEN, Password};
use crate::store::{NewUser, UserRecord};

fn check_password(password: &Password) -> ServiceResult<()> {
    if password.len() < MIN_PASSWORD_LEN {
        return Err(ValidationError::PasswordTooShort {
            min: MIN_PASSWORD_LEN,
        }
        .into());
    }
    Ok(())
}

impl Services {
    pub async fn create_user(
        &self,
        caller: &Caller,
        name: &UserName,
        password: Password,
        superuser: bool,
    ) -> ServiceResult<UserRecord> {
        check_password(&password)?;
        // Hash before taking the write lock: argon2 is slow on purpose.
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
            created_at: now,
            sessions_valid_after: domain::Timestamp(0),
        })
    }

    /// Checks a name and password. Every failure looks the same to the caller.
    pub async fn authenticate_user(
        &self,
        name: &str,
        password: Password,
    ) -> ServiceResult<UserRecord> {
        let user = match UserName::parse(name) {
            Ok(name) => self.store.read().await?.user_by_name(&name).await?,
            Err(_) => None,
        };
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        match (password::verify(password, stored).await?, user) {
            (true, Some(user)) => Ok(user),
            _ => Err(ServiceError::Unauthenticated),
        }
    }

    pub async fn users(&self, caller: &Caller) -> ServiceResult<Vec<UserRecord>> {
        let mut tx = self
            .reading_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        Ok(tx.users().await?)
    }

    pub async fn set_superuser(
        &self,
        caller: &Caller,
        name: &UserName,
        superuser: bool,
    ) -> ServiceResult<()> {
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let user = user_named(&mut *tx, name).await?;
        tx.set_superuser(user.id, superuser, self.clock.now())
            .await?;
        let subject = Subject::default().detail(format!("{name} superuser: {superuser}"));
        self.succeeded(&mut *tx, caller, AuditAction::UserUpdate, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn reset_password(
        &self,
        caller: &Caller,
        name: &UserName,
        password: Password,
    ) -> ServiceResult<()> {
        check_password(&password)?;
        let hash = password::hash(password).await?;
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let user = user_named(&mut *tx, name).await?;
        tx.set_password_hash(user.id, &hash, self.clock.now())
            .await?;
        let subject = Subject::default().detail(format!("password of {name} reset"));
        self.succeeded(&mut *tx, caller, AuditAction::UserUpdate, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Services {
    /// Whether the user holds the superuser flag now; `Unauthenticated` if the account is gone.
    pub async fn is_superuser(&self, id: domain::UserId) -> ServiceResult<bool> {
        let mut tx = self.store.read().await?;
        tx.user(id)
            .await?
            .map(|u| u.superuser)
            .ok_or(ServiceError::Unauthenticated)
    }
}

/// A user with the models they belong to, for the users page.
#[derive(Debug, Clone)]
pub struct UserWithAccess {
    pub user: UserRecord,
    pub memberships: Vec<(domain::ModelName, domain::AccessLevel)>,
}

impl Services {
    /// Ends every session the user has, on every node: sessions that began before now stop
    /// being accepted.
    pub async fn end_sessions(&self, caller: &Caller, name: &UserName) -> ServiceResult<()> {
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let user = user_named(&mut *tx, name).await?;
        tx.set_sessions_valid_after(user.id, self.clock.now())
            .await?;
        let subject = Subject::default().detail(format!("sessions of {name} ended"));
        self.succeeded(&mut *tx, caller, AuditAction::UserUpdate, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a session that began at `signed_in_at` for this user is still good: the account
    /// exists and its sessions were not ended since.
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

    /// Every user with their memberships. Superusers only.
    pub async fn users_with_access(&self, caller: &Caller) -> ServiceResult<Vec<UserWithAccess>> {
        let mut tx = self
            .reading_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let users = tx.users().await?;
        let memberships = tx.all_memberships().await?;
        Ok(users
            .into_iter()
            .map(|user| {
                let memberships = memberships
                    .iter()
                    .filter(|(id, _, _)| *id == user.id)
                    .map(|(_, m, l)| (m.clone(), *l))
                    .collect();
                UserWithAccess { user, memberships }
            })
            .collect())
    }
}
