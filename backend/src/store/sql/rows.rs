//! Rows as SQLite returns them, and their conversion into domain records. A value the domain
//! rejects means the file was edited behind our back, and is reported as corrupt.

use domain::{
    AccessLevel, ApplicationId, ApplicationName, Description, ModelId, ModelName, ModelUuid,
    RevisionNumber, RotatePolicy, SecretId, SecretName, Timestamp, UserId, UserName,
};

use crate::crypto::Sealed;
use crate::store::{
    ApplicationRead, ApplicationRecord, Asker, ModelRecord, ReaderView, RevisionMeta,
    RevisionRecord, SecretOwner, SecretRecord, SecretSummary, Standing, StoreResult, UserRecord,
    stored,
};

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    name: String,
    password_hash: String,
    superuser: bool,
    group_superuser: bool,
    created_at: i64,
    sessions_valid_after: i64,
}

impl UserRow {
    pub(crate) fn into_record(self) -> StoreResult<UserRecord> {
        Ok(UserRecord {
            id: UserId(self.id),
            name: stored("user name", UserName::parse(&self.name))?,
            password_hash: self.password_hash,
            superuser: self.superuser,
            group_superuser: self.group_superuser,
            created_at: Timestamp(self.created_at),
            sessions_valid_after: Timestamp(self.sessions_valid_after),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ModelRow {
    pub(crate) id: i64,
    pub(crate) uuid: String,
    pub(crate) name: String,
    pub(crate) created_at: i64,
}

impl ModelRow {
    pub(crate) fn into_record(self) -> StoreResult<ModelRecord> {
        Ok(ModelRecord {
            id: ModelId(self.id),
            uuid: stored("model uuid", self.uuid.parse::<ModelUuid>())?,
            name: stored("model name", ModelName::parse(&self.name))?,
            created_at: Timestamp(self.created_at),
        })
    }
}

/// A model and where an asker stands in it: `$1`, `$2` the user (or null), `$3` the
/// application (or null), `$4` the model's name. One text for both kinds of asker; the other
/// kind's joins find nothing.
/// A person's level is the higher of what an admin set and what provider groups give (ADR 0026).
pub(crate) const STANDING_SELECT: &str = "select m.id, m.uuid, m.name, m.created_at, \
     (u.superuser or u.group_superuser) as superuser, mm.access, gm.access as group_access, \
     a.model_id as app_model_id from model m \
     left join app_user u on u.id = $1 \
     left join model_member mm on mm.model_id = m.id and mm.user_id = $2 \
     left join model_group_member gm on gm.model_id = m.id and gm.user_id = $2 \
     left join application a on a.id = $3 where m.name = $4";

/// A secret's columns, for `select … from secret s`.
pub(crate) const SECRET_COLUMNS: &str = "s.id, s.model_id, s.owner_application_id, s.name, s.description, \
     s.auto_prune, s.rotate_policy, s.next_rotate_at, s.latest_revision, s.revision_counter, \
     s.created_at, s.updated_at";

/// A revision's columns, to be followed by a `where`.
pub(crate) const REVISION_COLUMNS: &str = "select secret_id, revision, checksum, expire_at, ciphertext, nonce, \
     wrapped_key, key_nonce, master_key_id, created_at from secret_revision";

/// A model with its asker's standing columns: a user's flag and membership, or the model of
/// an application (each null when the asker is gone or is the other kind).
#[derive(sqlx::FromRow)]
pub(crate) struct StandingRow {
    #[sqlx(flatten)]
    model: ModelRow,
    superuser: Option<bool>,
    access: Option<String>,
    group_access: Option<String>,
    app_model_id: Option<i64>,
}

impl StandingRow {
    pub(crate) fn into_parts(self, asker: Asker) -> StoreResult<(ModelRecord, Standing)> {
        let model = self.model.into_record()?;
        let standing = match (asker, self.superuser, self.app_model_id) {
            (Asker::User(_), Some(superuser), _) => {
                let by_hand = self.access.as_deref().map(access_level).transpose()?;
                let by_group = self.group_access.as_deref().map(access_level).transpose()?;
                Standing::User {
                    superuser,
                    access: by_hand.max(by_group),
                }
            }
            (Asker::Application(_), _, Some(of)) => Standing::Application {
                of_this_model: of == model.id.0,
            },
            _ => Standing::Gone,
        };
        Ok((model, standing))
    }
}

pub(crate) fn access_level(s: &str) -> StoreResult<AccessLevel> {
    stored("access level", s.parse::<AccessLevel>())
}

pub(crate) fn app_name(s: &str) -> StoreResult<ApplicationName> {
    stored("application name", ApplicationName::parse(s))
}

pub(crate) fn revision(n: i64) -> StoreResult<RevisionNumber> {
    stored("revision", RevisionNumber::new(n))
}

pub(crate) fn secret_id(s: &str) -> StoreResult<SecretId> {
    stored("secret id", SecretId::parse(s))
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApplicationRow {
    id: i64,
    model_id: i64,
    name: String,
    created_at: i64,
}

impl ApplicationRow {
    pub(crate) fn into_record(self) -> StoreResult<ApplicationRecord> {
        Ok(ApplicationRecord {
            id: ApplicationId(self.id),
            model_id: ModelId(self.model_id),
            name: app_name(&self.name)?,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SecretRow {
    id: String,
    model_id: i64,
    owner_application_id: Option<i64>,
    name: Option<String>,
    description: String,
    auto_prune: bool,
    rotate_policy: String,
    next_rotate_at: Option<i64>,
    latest_revision: i64,
    revision_counter: i64,
    created_at: i64,
    updated_at: i64,
}

impl SecretRow {
    pub(crate) fn into_record(self) -> StoreResult<SecretRecord> {
        Ok(SecretRecord {
            id: secret_id(&self.id)?,
            model_id: ModelId(self.model_id),
            owner: self.owner_application_id.map_or(SecretOwner::Model, |a| {
                SecretOwner::Application(ApplicationId(a))
            }),
            name: self
                .name
                .map(|n| stored("secret name", SecretName::parse(&n)))
                .transpose()?,
            description: stored("description", Description::parse(&self.description))?,
            auto_prune: self.auto_prune,
            rotate_policy: stored("rotate policy", self.rotate_policy.parse::<RotatePolicy>())?,
            next_rotate_at: self.next_rotate_at.map(Timestamp),
            latest_revision: revision(self.latest_revision)?,
            revision_counter: revision(self.revision_counter)?,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    #[sqlx(flatten)]
    secret: SecretRow,
    owner_name: Option<String>,
    grant_count: i64,
}

impl SummaryRow {
    pub(crate) fn into_summary(self) -> StoreResult<SecretSummary> {
        Ok(SecretSummary {
            secret: self.secret.into_record()?,
            owner_name: self.owner_name.as_deref().map(app_name).transpose()?,
            grant_count: self.grant_count,
        })
    }
}

/// A secret with one application's view of it and the revision its read returns; the revision's
/// columns carry an `r_` prefix and are null when that revision is gone.
#[derive(sqlx::FromRow)]
pub(crate) struct ApplicationReadRow {
    #[sqlx(flatten)]
    secret: SecretRow,
    granted: bool,
    tracked: Option<i64>,
    r_revision: Option<i64>,
    r_checksum: Option<String>,
    r_expire_at: Option<i64>,
    r_ciphertext: Option<Vec<u8>>,
    r_nonce: Option<Vec<u8>>,
    r_wrapped_key: Option<Vec<u8>>,
    r_key_nonce: Option<Vec<u8>>,
    r_master_key_id: Option<String>,
    r_created_at: Option<i64>,
}

impl ApplicationReadRow {
    pub(crate) fn into_read(self) -> StoreResult<ApplicationRead> {
        let secret = self.secret.into_record()?;
        let sealed = match (
            self.r_ciphertext,
            self.r_nonce,
            self.r_wrapped_key,
            self.r_key_nonce,
            self.r_master_key_id,
        ) {
            (
                Some(ciphertext),
                Some(nonce),
                Some(wrapped_key),
                Some(key_nonce),
                Some(master_key_id),
            ) => Some(Sealed {
                ciphertext,
                nonce,
                wrapped_key,
                key_nonce,
                master_key_id,
            }),
            _ => None,
        };
        let returned = match (self.r_revision, self.r_checksum, self.r_created_at, sealed) {
            (Some(n), Some(checksum), Some(at), Some(sealed)) => Some(RevisionRecord {
                secret_id: secret.id.clone(),
                revision: revision(n)?,
                checksum,
                expire_at: self.r_expire_at.map(Timestamp),
                sealed,
                created_at: Timestamp(at),
            }),
            _ => None,
        };
        Ok(ApplicationRead {
            secret,
            view: ReaderView {
                granted: self.granted,
                tracked: self.tracked.map(revision).transpose()?,
            },
            revision: returned,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RevisionRow {
    secret_id: String,
    revision: i64,
    checksum: String,
    expire_at: Option<i64>,
    ciphertext: Vec<u8>,
    nonce: Vec<u8>,
    wrapped_key: Vec<u8>,
    key_nonce: Vec<u8>,
    master_key_id: String,
    created_at: i64,
}

impl RevisionRow {
    pub(crate) fn into_record(self) -> StoreResult<RevisionRecord> {
        Ok(RevisionRecord {
            secret_id: secret_id(&self.secret_id)?,
            revision: revision(self.revision)?,
            checksum: self.checksum,
            expire_at: self.expire_at.map(Timestamp),
            sealed: Sealed {
                ciphertext: self.ciphertext,
                nonce: self.nonce,
                wrapped_key: self.wrapped_key,
                key_nonce: self.key_nonce,
                master_key_id: self.master_key_id,
            },
            created_at: Timestamp(self.created_at),
        })
    }

    pub(crate) fn into_meta(self) -> StoreResult<RevisionMeta> {
        Ok(RevisionMeta {
            revision: revision(self.revision)?,
            checksum: self.checksum,
            expire_at: self.expire_at.map(Timestamp),
            created_at: Timestamp(self.created_at),
        })
    }
}
