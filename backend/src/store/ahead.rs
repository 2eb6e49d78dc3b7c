//! What a write transaction read when it began, so that its first lookups need no round trip
//! of their own (ADR 0021).
//!
//! On SQLite every statement is a round trip to the connection's thread, which costs more than
//! the statement (ADR 0019). A write transaction holds the write lock from its BEGIN, so what
//! it reads in the same round trip stays true until it writes: its own audit appends and key
//! change are the only writers of the audit head and the current master key, and the lookups
//! are dropped at its first other statement.

use domain::{ModelId, ModelName, RevisionNumber, SecretId};

use super::{Asker, ModelRecord, RevisionRecord, SecretRecord, Standing};

/// What a write is about, for the store to look up with its BEGIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteAbout {
    pub model: ModelName,
    pub asker: Asker,
    /// The secret it changes, when the caller named it by ID.
    pub secret: Option<SecretId>,
}

/// The answers read with the BEGIN.
#[derive(Default)]
pub(crate) struct ReadAhead {
    /// The audit chain's head: `Some(None)` for an empty chain. Kept current by the
    /// transaction's own appends.
    pub(crate) audit_head: Option<Option<(i64, String)>>,
    /// The master key new data keys are wrapped with; kept current by a key change.
    pub(crate) master_key_id: Option<Option<String>>,
    lookups: Option<Lookups>,
}

/// Lookups that hold only until the transaction's first statement of its own.
struct Lookups {
    model: ModelName,
    asker: Asker,
    standing: Option<(ModelRecord, Standing)>,
    secret: Option<SecretRecord>,
    latest: Option<RevisionRecord>,
}

impl ReadAhead {
    pub(crate) fn with_lookups(
        mut self,
        about: &WriteAbout,
        standing: Option<(ModelRecord, Standing)>,
        secret: Option<SecretRecord>,
        latest: Option<RevisionRecord>,
    ) -> Self {
        self.lookups = Some(Lookups {
            model: about.model.clone(),
            asker: about.asker,
            standing,
            secret,
            latest,
        });
        self
    }

    /// The transaction is about to send a statement that may change what was looked up.
    pub(crate) fn forget_lookups(&mut self) {
        self.lookups = None;
    }

    /// The model and the asker's standing, when that is what was looked up.
    pub(crate) fn standing(
        &self,
        model: &ModelName,
        asker: Asker,
    ) -> Option<Option<(ModelRecord, Standing)>> {
        let l = self.lookups.as_ref()?;
        (l.model == *model && l.asker == asker).then(|| l.standing.clone())
    }

    /// The secret, when it was found in that model.
    pub(crate) fn secret(&self, model: ModelId, id: &SecretId) -> Option<SecretRecord> {
        let s = self.lookups.as_ref()?.secret.as_ref()?;
        (s.model_id == model && s.id == *id).then(|| s.clone())
    }

    /// The secret's latest revision, when that is the one asked for.
    pub(crate) fn revision(&self, secret: &SecretId, n: RevisionNumber) -> Option<RevisionRecord> {
        let r = self.lookups.as_ref()?.latest.as_ref()?;
        (r.secret_id == *secret && r.revision == n).then(|| r.clone())
    }
}
