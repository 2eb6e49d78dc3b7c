//! From service answers to what pages get.

use backend::service::{RevisionView, SecretDetails};
use backend::store::{GrantRecord, SecretOwner, SecretRecord, SecretSummary};

use crate::types::{GrantRow, Owner, RevisionRow, SecretRow};

pub fn secret_row(
    record: &SecretRecord,
    owner_name: Option<&domain::ApplicationName>,
    granted_to: i64,
) -> SecretRow {
    let owner = match (record.owner, owner_name) {
        (SecretOwner::Model, _) => Owner::Model,
        (SecretOwner::Application(_), Some(name)) => Owner::Application(name.to_string()),
        (SecretOwner::Application(id), None) => Owner::Application(format!("application {id}")),
    };
    SecretRow {
        id: record.id.to_string(),
        uri: record.id.uri(),
        name: record.name.as_ref().map(ToString::to_string),
        owner,
        description: record.description.to_string(),
        revision: record.latest_revision.get(),
        granted_to,
        auto_prune: record.auto_prune,
        rotation: record.rotate_policy,
        created: record.created_at,
        updated: record.updated_at,
    }
}

pub fn summary_row(s: &SecretSummary) -> SecretRow {
    secret_row(&s.secret, s.owner_name.as_ref(), s.grant_count)
}

pub fn detail_row(d: &SecretDetails) -> SecretRow {
    secret_row(&d.secret, d.owner_name.as_ref(), d.grants.len() as i64)
}

pub fn revision_row(r: &RevisionView) -> RevisionRow {
    RevisionRow {
        revision: r.meta.revision.get(),
        created: r.meta.created_at,
        latest: r.latest,
        obsolete: r.obsolete,
        tracked_by: r.tracked_by.iter().map(ToString::to_string).collect(),
        checksum: r.meta.checksum.chars().take(8).collect(),
    }
}

pub fn grant_row(g: &GrantRecord) -> GrantRow {
    GrantRow {
        application: g.application_name.to_string(),
        granted_by: g.granted_by.clone(),
        granted_at: g.granted_at,
    }
}
