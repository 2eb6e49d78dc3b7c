//! Envelope encryption of secret content (product spec §6).
//!
//! Each revision gets its own random 256-bit data key; content is sealed with AES-256-GCM under
//! that key, and the data key is itself sealed under the master key. Both seals carry associated
//! data naming the model, secret and revision, so ciphertext copied to another row fails to open.
//! Master keys are identified by a fingerprint, which lets a running server notice a rotation.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use domain::{ModelUuid, RevisionNumber, SecretId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use thiserror::Error;
use zeroize::Zeroizing;

mod event_cursor;
mod key_file;
mod webhook_key;

pub use event_cursor::CursorPosition;

pub use key_file::{KeyFiles, read_key_file, write_key_file};
pub use webhook_key::{
    WEBHOOK_KEY_BYTES, WrappedKey, generate_webhook_key, unwrap_webhook_key, wrap_webhook_key,
};

#[derive(Debug, Error)]
pub enum CryptoError {
    #[error(
        "revision {revision} of secret \"{secret}\" failed to decrypt: the stored ciphertext does not belong to this revision or was altered"
    )]
    Decrypt {
        secret: String,
        revision: RevisionNumber,
    },
    #[error(
        "the signing key of application {application}'s webhook failed to decrypt: it was altered or belongs to another application"
    )]
    WebhookKey { application: i64 },
    #[error("master key {id} is not available (looked in {path})")]
    MissingMasterKey { id: String, path: PathBuf },
    #[error("master key file {path}: {problem}")]
    KeyFile { path: PathBuf, problem: String },
    #[error("encryption failed")]
    Seal,
    /// Never expected; propagated so that a failure can never seal or checksum empty content.
    #[error("secret content could not be serialized")]
    Encode(#[source] serde_json::Error),
}

/// The master key. Its bytes are wiped on drop and never printed.
pub struct MasterKey {
    id: String,
    bytes: Zeroizing<[u8; 32]>,
}

impl MasterKey {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        Self::from_bytes(bytes)
    }

    pub fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> Self {
        let digest = Sha256::new_with_prefix(b"strongbox master key id\0")
            .chain_update(*bytes)
            .finalize();
        MasterKey {
            id: hex::encode(&digest[..8]),
            bytes,
        }
    }

    /// A fingerprint that names the key without revealing it.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn encoded(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(*self.bytes))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(self.bytes.as_ref()))
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey({}, <redacted>)", self.id)
    }
}

/// Content and data key of one revision, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    pub ciphertext: Vec<u8>,
    pub nonce: Vec<u8>,
    pub wrapped_key: Vec<u8>,
    pub key_nonce: Vec<u8>,
    pub master_key_id: String,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Sealed({} bytes, key {})",
            self.ciphertext.len(),
            self.master_key_id
        )
    }
}

/// What a sealed revision is bound to.
pub struct Binding<'a> {
    pub model: &'a ModelUuid,
    pub secret: &'a SecretId,
    pub revision: RevisionNumber,
}

impl Binding<'_> {
    fn aad(&self, purpose: &str) -> Vec<u8> {
        format!(
            "strongbox/{purpose}/v1/{}/{}/{}",
            self.model, self.secret, self.revision
        )
        .into_bytes()
    }

    pub fn decrypt_error(&self) -> CryptoError {
        CryptoError::Decrypt {
            secret: self.secret.uri(),
            revision: self.revision,
        }
    }
}

pub fn seal(
    master: &MasterKey,
    binding: &Binding<'_>,
    plaintext: &[u8],
) -> Result<Sealed, CryptoError> {
    let mut data_key = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(data_key.as_mut());
    let content_cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(data_key.as_ref()));
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let ciphertext = content_cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: &binding.aad("content"),
            },
        )
        .map_err(|_| CryptoError::Seal)?;
    let (wrapped_key, key_nonce) = wrap(master, binding, data_key.as_ref())?;
    Ok(Sealed {
        ciphertext,
        nonce: nonce.to_vec(),
        wrapped_key,
        key_nonce,
        master_key_id: master.id.clone(),
    })
}

pub fn open(
    master: &MasterKey,
    binding: &Binding<'_>,
    sealed: &Sealed,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let data_key = unwrap(master, binding, sealed)?;
    let content_cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&data_key));
    let nonce = nonce_of(&sealed.nonce).ok_or_else(|| binding.decrypt_error())?;
    content_cipher
        .decrypt(
            nonce,
            Payload {
                msg: &sealed.ciphertext,
                aad: &binding.aad("content"),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| binding.decrypt_error())
}

/// The checksum of a revision's content, keyed by that revision: HMAC-SHA256 of the canonical
/// content under a key derived (HKDF-SHA256) from the revision's data key. Without the master
/// key it cannot be computed, so neither a reader who sees it nor someone holding only the
/// database can test guesses against it; re-wrapping under a new master key leaves the data key,
/// and so the checksum, unchanged, which keeps dedup working across rotations.
pub fn keyed_checksum(
    master: &MasterKey,
    binding: &Binding<'_>,
    sealed: &Sealed,
    canonical: &[u8],
) -> Result<String, CryptoError> {
    use hmac::Mac as _;
    let data_key = unwrap(master, binding, sealed)?;
    let mut mac_key = Zeroizing::new([0u8; 32]);
    hkdf::Hkdf::<Sha256>::new(None, &data_key)
        .expand(b"strongbox content checksum v1", mac_key.as_mut())
        .map_err(|_| CryptoError::Seal)?;
    let mut mac = <hmac::Hmac<Sha256> as hmac::Mac>::new_from_slice(mac_key.as_ref())
        .map_err(|_| CryptoError::Seal)?;
    mac.update(canonical);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Re-wraps the data key of `sealed` from `old` to `new`; the content is not touched.
pub fn rewrap(
    old: &MasterKey,
    new: &MasterKey,
    binding: &Binding<'_>,
    sealed: &Sealed,
) -> Result<Sealed, CryptoError> {
    let data_key = unwrap(old, binding, sealed)?;
    let (wrapped_key, key_nonce) = wrap(new, binding, &data_key)?;
    Ok(Sealed {
        wrapped_key,
        key_nonce,
        master_key_id: new.id.clone(),
        ..sealed.clone()
    })
}

fn wrap(
    master: &MasterKey,
    binding: &Binding<'_>,
    data_key: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), CryptoError> {
    master.wrap_key(&binding.aad("data-key"), data_key)
}

fn unwrap(
    master: &MasterKey,
    binding: &Binding<'_>,
    sealed: &Sealed,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    master
        .unwrap_key(
            &binding.aad("data-key"),
            &sealed.wrapped_key,
            &sealed.key_nonce,
        )
        .ok_or_else(|| binding.decrypt_error())
}

impl MasterKey {
    /// A 32-byte key sealed (AES-256-GCM) under this master key, bound to `aad`: the sealed
    /// bytes and the nonce.
    fn wrap_key(&self, aad: &[u8], key: &[u8]) -> Result<(Vec<u8>, Vec<u8>), CryptoError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let wrapped = self
            .cipher()
            .encrypt(&nonce, Payload { msg: key, aad })
            .map_err(|_| CryptoError::Seal)?;
        Ok((wrapped, nonce.to_vec()))
    }

    /// The key [`MasterKey::wrap_key`] sealed; `None` if it does not open with this key and
    /// `aad`, or is not 32 bytes.
    fn unwrap_key(&self, aad: &[u8], wrapped: &[u8], nonce: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let key = self
            .cipher()
            .decrypt(nonce_of(nonce)?, Payload { msg: wrapped, aad })
            .ok()
            .map(Zeroizing::new)?;
        (key.len() == 32).then_some(key)
    }
}

fn nonce_of(bytes: &[u8]) -> Option<&Nonce<<Aes256Gcm as AeadCore>::NonceSize>> {
    (bytes.len() == 12).then(|| Nonce::from_slice(bytes))
}

/// The master keys this process knows, loaded from the key files. A key id it does not know
/// makes it read the files again: that is how a server picks up `rotate-master-key` online.
pub struct Keyring {
    files: KeyFiles,
    keys: RwLock<Vec<Arc<MasterKey>>>,
}

impl Keyring {
    /// Loads the keys, creating the master key file (mode 0600) if there is none and
    /// `create_if_missing` is set.
    pub fn open(path: &Path, create_if_missing: bool) -> Result<Self, CryptoError> {
        let files = KeyFiles::beside(path);
        let keys = files.load(create_if_missing)?;
        Ok(Keyring {
            files,
            keys: RwLock::new(keys.into_iter().map(Arc::new).collect()),
        })
    }

    /// A keyring over keys held in memory only, for tests and tools.
    pub fn in_memory(key: MasterKey) -> Self {
        Keyring {
            files: KeyFiles::none(),
            keys: RwLock::new(vec![Arc::new(key)]),
        }
    }

    pub fn files(&self) -> &KeyFiles {
        &self.files
    }

    /// The key with this id, reading the key files again if it is not known yet.
    pub fn key(&self, id: &str) -> Result<Arc<MasterKey>, CryptoError> {
        if let Some(k) = self.find(id) {
            return Ok(k);
        }
        let reloaded = self.files.load(false)?;
        if let Ok(mut keys) = self.keys.write() {
            for k in reloaded {
                if !keys.iter().any(|known| known.id == k.id) {
                    keys.push(Arc::new(k));
                }
            }
        }
        self.find(id).ok_or_else(|| CryptoError::MissingMasterKey {
            id: id.to_owned(),
            path: self.files.current.clone(),
        })
    }

    /// The key in the main key file: the one a fresh database starts with.
    pub fn primary(&self) -> Option<Arc<MasterKey>> {
        self.keys.read().ok().and_then(|k| k.first().cloned())
    }

    /// Every key this process holds.
    fn known(&self) -> Vec<Arc<MasterKey>> {
        self.keys.read().map(|k| k.clone()).unwrap_or_default()
    }

    fn find(&self, id: &str) -> Option<Arc<MasterKey>> {
        self.keys.read().ok()?.iter().find(|k| k.id == id).cloned()
    }
}

#[cfg(test)]
#[path = "crypto_tests.rs"]
mod tests;
