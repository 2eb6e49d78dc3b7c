//! Secrets: listing, adding, showing, updating, removing, revealing, granting.

use domain::{
    ApplicationName, ContentEntry, SecretContent, SecretId, SecretName, SecretUri, Timestamp,
    ValidationError,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Content as sent: plain values, values already in base64, or both (keys must not repeat).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentInput {
    #[serde(default, deserialize_with = "unique_keys")]
    pub content: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "unique_keys")]
    pub content_base64: BTreeMap<String, String>,
}

/// A JSON object of content, refusing a key given twice: a map would keep the last value, and
/// an ambiguous request must not change a secret.
fn unique_keys<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct UniqueKeys;

    impl<'de> serde::de::Visitor<'de> for UniqueKeys {
        type Value = BTreeMap<String, String>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of keys and string values")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut content = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                if content.contains_key(&key) {
                    return Err(serde::de::Error::custom(ValidationError::DuplicateKey(key)));
                }
                content.insert(key, value);
            }
            Ok(content)
        }
    }

    deserializer.deserialize_map(UniqueKeys)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretJson {
    /// The bare id, e.g. `cjt5s4lp3des77vsgehg`.
    pub id: SecretId,
    /// `secret:<id>`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub uri: SecretUri,
    pub name: Option<SecretName>,
    /// `model` for user secrets, else the owning application's name.
    pub owner: String,
    pub description: String,
    pub revision: i64,
    pub auto_prune: bool,
    pub rotation: domain::RotatePolicy,
    pub granted_to: i64,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub created: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub updated: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretPageJson {
    pub items: Vec<SecretJson>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// A revision's metadata. No checksum: that comes only with the content (reveal, reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionJson {
    pub revision: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub created: Timestamp,
    pub latest: bool,
    pub obsolete: bool,
    pub tracked_by: Vec<ApplicationName>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessJson {
    /// `application-<name>`, as Juju prints it.
    pub target: String,
    pub scope: String,
    pub role: String,
    pub granted_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub granted_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretDetailJson {
    #[serde(flatten)]
    pub secret: SecretJson,
    pub revisions: Vec<RevisionJson>,
    pub access: Vec<AccessJson>,
}

/// Revealed or read content: decoded text where it is UTF-8, and always the base64 form.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentJson {
    pub revision: i64,
    /// Keyed by the revision (HMAC), so it proves equality without giving the value away.
    pub checksum: String,
    pub content: BTreeMap<String, String>,
    pub content_base64: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ListParams {
    /// Case-insensitive substring of name, id, description, owner or grantee.
    pub search: Option<String>,
    /// `model` for user secrets, or an application name.
    pub owner: Option<String>,
    /// `name` (default), `created` or `updated`.
    #[cfg_attr(feature = "openapi", param(pattern = "^(name|created|updated)?$"))]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[cfg_attr(feature = "openapi", param(pattern = "^(asc|desc)?$"))]
    pub order: Option<String>,
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// At most 500; 50 by default.
    pub limit: Option<u32>,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddSecret {
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(flatten)]
    pub content: ContentInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Created {
    pub id: SecretId,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub uri: SecretUri,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateSecret {
    pub name: Option<String>,
    pub description: Option<String>,
    pub auto_prune: Option<bool>,
    /// Refuse with 409 unless the latest revision is still this one.
    pub expected_revision: Option<i64>,
    #[serde(flatten)]
    pub content: ContentInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Updated {
    pub revision: i64,
    /// The revision this update created; absent when the content was unchanged or not given.
    pub new_revision: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RemoveParams {
    /// Remove only this revision; without it, the whole secret.
    pub revision: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevealRequest {
    /// Defaults to the latest.
    pub revision: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applications {
    pub applications: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Changed {
    /// The applications whose access changed (already granted or revoked ones are left out).
    pub changed: Vec<ApplicationName>,
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
