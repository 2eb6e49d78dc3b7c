//! A webhook's signing key: random, wrapped by the master key like a data key, and bound to its
//! application, so a wrapped key copied to another application's row fails to open.

use aes_gcm::aead::OsRng;
use domain::ApplicationId;
use rand::RngCore;
use zeroize::Zeroizing;

use super::{CryptoError, MasterKey};

/// Bytes of a signing key (Standard Webhooks asks for 24 to 64).
pub const WEBHOOK_KEY_BYTES: usize = 32;

/// A 32-byte key wrapped (AES-256-GCM) by the master key named here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    pub wrapped: Vec<u8>,
    pub nonce: Vec<u8>,
    pub master_key_id: String,
}

fn aad(app: ApplicationId) -> Vec<u8> {
    format!("strongbox/webhook-key/v1/{}", app.0).into_bytes()
}

pub fn generate_webhook_key() -> Zeroizing<[u8; WEBHOOK_KEY_BYTES]> {
    let mut key = Zeroizing::new([0u8; WEBHOOK_KEY_BYTES]);
    OsRng.fill_bytes(key.as_mut());
    key
}

pub fn wrap_webhook_key(
    master: &MasterKey,
    app: ApplicationId,
    key: &[u8],
) -> Result<WrappedKey, CryptoError> {
    let (wrapped, nonce) = master.wrap_key(&aad(app), key)?;
    Ok(WrappedKey {
        wrapped,
        nonce,
        master_key_id: master.id().to_owned(),
    })
}

pub fn unwrap_webhook_key(
    master: &MasterKey,
    app: ApplicationId,
    key: &WrappedKey,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    master
        .unwrap_key(&aad(app), &key.wrapped, &key.nonce)
        .ok_or(CryptoError::WebhookKey { application: app.0 })
}
