//! Secret content: keys, values and the rules Juju applies to them (`core/secrets/createsecret.go`).
//!
//! Values are held base64-encoded, as Juju stores and transports them; limits are measured on that
//! encoded form, and the checksum is taken over Juju's canonical JSON map key → base64 value.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::error::ValidationError;

/// Largest base64-encoded value, and largest sum of them, in bytes (Juju 3.6 and 4.0).
pub const MAX_VALUE_BYTES: usize = 1_000_000;
/// The whole content: key names count too, so that names cannot carry what values may not.
pub const MAX_CONTENT_BYTES: usize = 1_000_000;
/// Juju's key rule has no length limit; ours keeps key names (which appear in listings, diffs
/// and the audit log) small.
pub const MAX_KEY_BYTES: usize = 128;
/// The largest request body read, for the API and the dashboard alike. Percent-encoding a form
/// can triple content (`é` is `%C3%A9`), so a valid secret may take three times its size on
/// the wire; the last megabyte is for the other fields.
pub const MAX_REQUEST_BYTES: usize = 3 * MAX_CONTENT_BYTES + 1_048_576;
pub const MAX_KEYS: usize = 256;

const BASE64_SUFFIX: &str = "#base64";
const FILE_SUFFIX: &str = "#file";

/// A key that matches `^([a-z](?:-?[a-z0-9]){2,})$`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SecretKey(String);

impl SecretKey {
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        if s.len() > MAX_KEY_BYTES {
            return Err(ValidationError::KeyTooLong {
                key: s.chars().take(32).collect(),
                size: s.len(),
                max: MAX_KEY_BYTES,
            });
        }
        if key_matches_juju_rule(s) {
            Ok(SecretKey(s.to_owned()))
        } else {
            Err(ValidationError::KeyNotValid(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The regex above, spelled out: a lowercase letter, then at least two more letters or digits,
/// each of which may be preceded by one dash. So no `--`, no trailing dash, no `_`.
fn key_matches_juju_rule(s: &str) -> bool {
    let bytes = s.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let mut groups = 0;
    let mut after_dash = false;
    for &b in &bytes[1..] {
        match b {
            b'-' if !after_dash => after_dash = true,
            b'a'..=b'z' | b'0'..=b'9' => {
                groups += 1;
                after_dash = false;
            }
            _ => return false,
        }
    }
    !after_dash && groups >= 2
}

impl TryFrom<String> for SecretKey {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        SecretKey::parse(&s)
    }
}

impl From<SecretKey> for String {
    fn from(k: SecretKey) -> Self {
        k.0
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an argument's value comes from, by the key's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// `key=value`: plain text, encoded by us.
    Plain,
    /// `key#base64=value`: already base64.
    Base64,
    /// `key#file=path`: read from a file by the client.
    File,
}

/// One `key[#base64|#file]=value` argument, split but not yet resolved.
#[derive(Clone, PartialEq, Eq)]
pub struct ContentArg {
    pub key: String,
    pub source: ValueSource,
    pub value: String,
}

impl fmt::Debug for ContentArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContentArg")
            .field("key", &self.key)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ContentArg {
    /// Splits an argument exactly as Juju does: trailing `=` padding is ignored only to find
    /// the separator; the key is what stands before the first `=` and must not be empty.
    pub fn parse(arg: &str) -> Result<Self, ValidationError> {
        let stripped = arg.trim_end_matches('=');
        let idx = match stripped.find('=') {
            Some(i) if i >= 1 => i,
            _ => return Err(ValidationError::KeyValueNotValid(arg.to_owned())),
        };
        let (raw_key, value) = (&arg[..idx], &arg[idx + 1..]);
        let (key, source) = if let Some(k) = raw_key.strip_suffix(BASE64_SUFFIX) {
            (k, ValueSource::Base64)
        } else if let Some(k) = raw_key.strip_suffix(FILE_SUFFIX) {
            (k, ValueSource::File)
        } else {
            (raw_key, ValueSource::Plain)
        };
        SecretKey::parse(key)?;
        Ok(ContentArg {
            key: key.to_owned(),
            source,
            value: value.to_owned(),
        })
    }

    /// Splits a document key such as `cert#base64` into its key and source.
    pub fn split_key(raw_key: &str) -> (&str, ValueSource) {
        match raw_key.strip_suffix(BASE64_SUFFIX) {
            Some(k) => (k, ValueSource::Base64),
            None => (raw_key, ValueSource::Plain),
        }
    }
}

/// A resolved value for one key, before validation.
#[derive(Clone, PartialEq, Eq)]
pub enum ContentEntry {
    Bytes { key: String, value: Vec<u8> },
    Base64 { key: String, value: String },
}

impl ContentEntry {
    pub fn key(&self) -> &str {
        match self {
            ContentEntry::Bytes { key, .. } | ContentEntry::Base64 { key, .. } => key,
        }
    }
}

impl fmt::Debug for ContentEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentEntry({:?}, <redacted>)", self.key())
    }
}

/// Validated content of one revision: key → base64 value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, String>",
    into = "BTreeMap<String, String>"
)]
pub struct SecretContent(BTreeMap<SecretKey, String>);

impl SecretContent {
    /// Validates keys, base64, duplicates and sizes, and refuses empty content.
    pub fn from_entries(entries: Vec<ContentEntry>) -> Result<Self, ValidationError> {
        if entries.len() > MAX_KEYS {
            return Err(ValidationError::TooManyKeys {
                count: entries.len(),
                max: MAX_KEYS,
            });
        }
        let mut map = BTreeMap::new();
        for entry in entries {
            let (key, encoded) = match entry {
                ContentEntry::Bytes { key, value } => (key, STANDARD.encode(value)),
                ContentEntry::Base64 { key, value } => {
                    if STANDARD.decode(value.as_bytes()).is_err() {
                        return Err(ValidationError::InvalidBase64(key));
                    }
                    (key, value)
                }
            };
            let key = SecretKey::parse(&key)?;
            if map.contains_key(&key) {
                return Err(ValidationError::DuplicateKey(key.0));
            }
            map.insert(key, encoded);
        }
        Self::checked(map)
    }

    fn checked(map: BTreeMap<SecretKey, String>) -> Result<Self, ValidationError> {
        if map.is_empty() {
            return Err(ValidationError::EmptyContent);
        }
        let mut total = 0;
        for (key, value) in &map {
            if value.len() > MAX_VALUE_BYTES {
                return Err(ValidationError::ValueTooLarge {
                    key: key.0.clone(),
                    size: value.len(),
                });
            }
            total += key.0.len() + value.len();
        }
        if total > MAX_CONTENT_BYTES {
            return Err(ValidationError::ContentTooLarge { size: total });
        }
        Ok(SecretContent(map))
    }

    /// The JSON object key → base64 value, keys sorted: what Juju hashes for its checksum. Ours
    /// is keyed (HMAC under a per-revision key; see the backend's `crypto::keyed_checksum`), since
    /// a plain hash of a short value can be reversed by trying every value.
    pub fn canonical_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&self.encoded())
    }

    pub fn keys(&self) -> impl Iterator<Item = &SecretKey> {
        self.0.keys()
    }

    /// key → base64 value, as Juju's API returns it.
    pub fn encoded(&self) -> BTreeMap<&str, &str> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// key → decoded bytes. Validation guaranteed every value decodes.
    pub fn decoded(&self) -> BTreeMap<String, Vec<u8>> {
        self.0
            .iter()
            .map(|(k, v)| {
                (
                    k.0.clone(),
                    STANDARD.decode(v.as_bytes()).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Which keys were added, removed or changed from `older` to `self`. Names only, never values.
    pub fn diff_from(&self, older: &SecretContent) -> KeyDiff {
        let mut diff = KeyDiff::default();
        for (k, v) in &self.0 {
            match older.0.get(k) {
                None => diff.added.push(k.clone()),
                Some(old) if old != v => diff.changed.push(k.clone()),
                Some(_) => diff.unchanged.push(k.clone()),
            }
        }
        diff.removed = older
            .0
            .keys()
            .filter(|k| !self.0.contains_key(*k))
            .cloned()
            .collect();
        diff
    }
}

impl fmt::Debug for SecretContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.0.keys().map(SecretKey::as_str))
            .finish()?;
        f.write_str(" (values redacted)")
    }
}

impl TryFrom<BTreeMap<String, String>> for SecretContent {
    type Error = ValidationError;
    fn try_from(map: BTreeMap<String, String>) -> Result<Self, Self::Error> {
        let entries = map
            .into_iter()
            .map(|(key, value)| ContentEntry::Base64 { key, value });
        SecretContent::from_entries(entries.collect())
    }
}

impl From<SecretContent> for BTreeMap<String, String> {
    fn from(c: SecretContent) -> Self {
        c.0.into_iter().map(|(k, v)| (k.0, v)).collect()
    }
}

/// A key-level comparison of two revisions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDiff {
    pub added: Vec<SecretKey>,
    pub removed: Vec<SecretKey>,
    pub changed: Vec<SecretKey>,
    pub unchanged: Vec<SecretKey>,
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
