//! From the services' records to the contract's answers: one conversion per shape.

use api_types::admin::{AuditJson, TokenJson};
use api_types::secrets::{AccessJson, ContentJson, RevisionJson, SecretDetailJson, SecretJson};

use crate::audit::AuditEvent;
use crate::service::{RevealedContent, SecretDetails};
use crate::store::{SecretOwner, SecretRecord, SecretSummary, TokenRecord};

pub fn secret_json(
    s: &SecretRecord,
    owner_name: Option<&domain::ApplicationName>,
    granted_to: i64,
) -> SecretJson {
    let owner = match (s.owner, owner_name) {
        (SecretOwner::Model, _) => "model".to_owned(),
        (SecretOwner::Application(_), Some(n)) => n.to_string(),
        (SecretOwner::Application(id), None) => format!("application {id}"),
    };
    SecretJson {
        id: s.id.clone(),
        uri: s.id.to_uri(),
        name: s.name.clone(),
        owner,
        description: s.description.to_string(),
        revision: s.latest_revision.get(),
        auto_prune: s.auto_prune,
        rotation: s.rotate_policy,
        granted_to,
        created: s.created_at,
        updated: s.updated_at,
    }
}

pub fn summary_json(s: &SecretSummary) -> SecretJson {
    secret_json(&s.secret, s.owner_name.as_ref(), s.grant_count)
}

pub fn detail_json(d: &SecretDetails) -> SecretDetailJson {
    SecretDetailJson {
        secret: secret_json(&d.secret, d.owner_name.as_ref(), d.grants.len() as i64),
        revisions: d
            .revisions
            .iter()
            .map(|r| RevisionJson {
                revision: r.meta.revision.get(),
                created: r.meta.created_at,
                latest: r.latest,
                obsolete: r.obsolete,
                tracked_by: r.tracked_by.clone(),
            })
            .collect(),
        access: d
            .grants
            .iter()
            .map(|g| AccessJson {
                target: format!("application-{}", g.application_name),
                scope: format!("model-{}", d.model.uuid),
                role: "view".into(),
                granted_by: g.granted_by.clone(),
                granted_at: g.granted_at,
            })
            .collect(),
    }
}

/// Revealed or read content: decoded text where it is UTF-8, and always the base64 form.
pub fn content_json(revealed: &RevealedContent) -> ContentJson {
    let content = &revealed.content;
    let content_base64 = content
        .encoded()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let content_text = content
        .decoded()
        .into_iter()
        .filter_map(|(k, v)| String::from_utf8(v).ok().map(|t| (k, t)))
        .collect();
    ContentJson {
        revision: revealed.revision.get(),
        checksum: revealed.checksum.clone(),
        content: content_text,
        content_base64,
    }
}

/// A token as lists show it: never the token itself.
pub fn token_json(t: &TokenRecord) -> TokenJson {
    TokenJson {
        id: t.id.0,
        label: t.label.clone(),
        created: t.created_at,
    }
}

pub fn audit_json(e: &AuditEvent) -> AuditJson {
    AuditJson {
        seq: e.seq,
        at: e.event.at,
        actor: e.event.actor.name.clone(),
        action: e.event.action.to_string(),
        outcome: e.event.outcome.to_string(),
        secret: e.event.secret.clone(),
        revision: e.event.revision.map(domain::RevisionNumber::get),
        detail: e.event.detail.clone(),
        source: e.event.source.clone(),
    }
}
