//! The JSON shapes of `/api/v1`, documented in the OpenAPI document.

use backend::service::SecretDetails;
use backend::store::{SecretOwner, SecretRecord, SecretSummary};
use domain::{ContentEntry, SecretContent, ValidationError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Content as sent: plain values, values already in base64, or both (keys must not repeat).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ContentInput {
    #[serde(default)]
    pub content: BTreeMap<String, String>,
    #[serde(default)]
    pub content_base64: BTreeMap<String, String>,
}

impl ContentInput {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && self.content_base64.is_empty()
    }

    pub fn into_content(self) -> Result<SecretContent, ValidationError> {
        let plain = self
            .content
            .into_iter()
            .map(|(key, v)| ContentEntry::Bytes {
                key,
                value: v.into_bytes(),
            });
        let encoded = self
            .content_base64
            .into_iter()
            .map(|(key, value)| ContentEntry::Base64 { key, value });
        SecretContent::from_entries(plain.chain(encoded).collect())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecretJson {
    /// The bare id, e.g. `cjt5s4lp3des77vsgehg`.
    pub id: String,
    /// `secret:<id>`.
    pub uri: String,
    pub name: Option<String>,
    /// `model` for user secrets, else the owning application's name.
    pub owner: String,
    pub description: String,
    pub revision: i64,
    pub auto_prune: bool,
    pub rotation: domain::RotatePolicy,
    pub granted_to: i64,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub created: String,
    #[schema(format = DateTime)]
    pub updated: String,
}

impl SecretJson {
    pub fn new(
        s: &SecretRecord,
        owner_name: Option<&domain::ApplicationName>,
        granted_to: i64,
    ) -> Self {
        let owner = match (s.owner, owner_name) {
            (SecretOwner::Model, _) => "model".to_owned(),
            (SecretOwner::Application(_), Some(n)) => n.to_string(),
            (SecretOwner::Application(id), None) => format!("application {id}"),
        };
        SecretJson {
            id: s.id.to_string(),
            uri: s.id.uri(),
            name: s.name.as_ref().map(ToString::to_string),
            owner,
            description: s.description.to_string(),
            revision: s.latest_revision.get(),
            auto_prune: s.auto_prune,
            rotation: s.rotate_policy,
            granted_to,
            created: s.created_at.to_rfc3339(),
            updated: s.updated_at.to_rfc3339(),
        }
    }

    pub fn from_summary(s: &SecretSummary) -> Self {
        SecretJson::new(&s.secret, s.owner_name.as_ref(), s.grant_count)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecretPageJson {
    pub items: Vec<SecretJson>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// A revision's metadata. No checksum: that comes only with the content (reveal, reads).
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionJson {
    pub revision: i64,
    #[schema(format = DateTime)]
    pub created: String,
    pub latest: bool,
    pub obsolete: bool,
    pub tracked_by: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessJson {
    /// `application-<name>`, as Juju prints it.
    pub target: String,
    pub scope: String,
    pub role: String,
    pub granted_by: String,
    #[schema(format = DateTime)]
    pub granted_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecretDetailJson {
    #[serde(flatten)]
    pub secret: SecretJson,
    pub revisions: Vec<RevisionJson>,
    pub access: Vec<AccessJson>,
}

impl SecretDetailJson {
    pub fn new(d: &SecretDetails) -> Self {
        SecretDetailJson {
            secret: SecretJson::new(&d.secret, d.owner_name.as_ref(), d.grants.len() as i64),
            revisions: d
                .revisions
                .iter()
                .map(|r| RevisionJson {
                    revision: r.meta.revision.get(),
                    created: r.meta.created_at.to_rfc3339(),
                    latest: r.latest,
                    obsolete: r.obsolete,
                    tracked_by: r.tracked_by.iter().map(ToString::to_string).collect(),
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
                    granted_at: g.granted_at.to_rfc3339(),
                })
                .collect(),
        }
    }
}

/// Revealed or read content: decoded text where it is UTF-8, and always the base64 form.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContentJson {
    pub revision: i64,
    /// Keyed by the revision (HMAC), so it proves equality without giving the value away.
    pub checksum: String,
    pub content: BTreeMap<String, String>,
    pub content_base64: BTreeMap<String, String>,
}

impl ContentJson {
    pub fn new(revealed: &backend::service::RevealedContent) -> Self {
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
}
