//! Event cursors and webhook event ids that reveal nothing. The event log's sequence is shared
//! by every model and application, so a number handed out as it is tells an application how
//! much happened elsewhere. A cursor is the application and the position sealed with
//! AES-256-GCM under a key derived from the master key (HKDF-SHA256), with a fresh nonce each
//! time: two cursors for the same position differ, and a forged or foreign one does not open. A
//! webhook event id is an HMAC of the application and the position: the same on every attempt,
//! and no number.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{ApplicationId, EventCursor};
use hmac::Mac as _;
use zeroize::Zeroizing;

use super::{CryptoError, Keyring, MasterKey};

/// Where a cursor puts its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorPosition {
    /// After this position in the log.
    After(i64),
    /// It does not open here: sealed for another application, forged, or sealed under a master
    /// key this server no longer holds. The holder should re-read what it tracks.
    Unknown,
}

impl MasterKey {
    /// A key for one purpose, derived from this one (HKDF-SHA256).
    fn derived(&self, purpose: &[u8]) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        hkdf::Hkdf::<sha2::Sha256>::new(None, self.bytes.as_ref())
            .expand(purpose, out.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 length");
        out
    }

    fn cursor_cipher(&self) -> Aes256Gcm {
        let key = self.derived(b"strongbox event cursor v1");
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key.as_ref()))
    }
}

fn aad(app: ApplicationId) -> Vec<u8> {
    let mut aad = b"strongbox event cursor\0".to_vec();
    aad.extend_from_slice(&app.0.to_be_bytes());
    aad
}

impl Keyring {
    /// `app`'s cursor after position `seq`.
    pub fn seal_cursor(&self, app: ApplicationId, seq: i64) -> Result<EventCursor, CryptoError> {
        let master = self.primary().ok_or(CryptoError::Seal)?;
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = master
            .cursor_cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: &seq.to_be_bytes(),
                    aad: &aad(app),
                },
            )
            .map_err(|_| CryptoError::Seal)?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(EventCursor::from_sealed(&URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Where `cursor` puts `app`, under any master key this server holds.
    pub fn open_cursor(&self, app: ApplicationId, cursor: &EventCursor) -> CursorPosition {
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(cursor.sealed()) else {
            return CursorPosition::Unknown;
        };
        if bytes.len() != 12 + 8 + 16 {
            return CursorPosition::Unknown;
        }
        let (nonce, sealed) = bytes.split_at(12);
        let aad = aad(app);
        for master in self.known() {
            let opened = master.cursor_cipher().decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            );
            if let Ok(plain) = opened
                && let Ok(seq) = <[u8; 8]>::try_from(plain.as_slice())
            {
                return CursorPosition::After(i64::from_be_bytes(seq));
            }
        }
        CursorPosition::Unknown
    }

    /// A webhook message's id for `app`'s event at `seq` (or for what `label` names, such as a
    /// `resync`): `evt_` and 22 characters, the same every time.
    pub fn event_id(
        &self,
        label: &str,
        app: ApplicationId,
        seq: i64,
    ) -> Result<String, CryptoError> {
        let master = self.primary().ok_or(CryptoError::Seal)?;
        let key = master.derived(b"strongbox webhook event id v1");
        let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(key.as_ref())
            .expect("HMAC takes a key of any length");
        mac.update(label.as_bytes());
        mac.update(&app.0.to_be_bytes());
        mac.update(&seq.to_be_bytes());
        let tag = mac.finalize().into_bytes();
        Ok(format!("{label}_{}", URL_SAFE_NO_PAD.encode(&tag[..16])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_opens_only_for_its_application_and_says_nothing_twice() {
        let keys = Keyring::in_memory(MasterKey::generate());
        let (mysql, wordpress) = (ApplicationId(1), ApplicationId(2));
        let a = keys.seal_cursor(mysql, 50).expect("seal");
        let b = keys.seal_cursor(mysql, 50).expect("seal");
        assert_ne!(a, b, "the same position never looks the same");
        assert_eq!(
            EventCursor::parse(a.as_str()),
            Ok(a.clone()),
            "of the checked form"
        );
        assert_eq!(keys.open_cursor(mysql, &a), CursorPosition::After(50));
        assert_eq!(keys.open_cursor(wordpress, &a), CursorPosition::Unknown);
        let other = Keyring::in_memory(MasterKey::generate());
        assert_eq!(other.open_cursor(mysql, &a), CursorPosition::Unknown);
        let mut forged = a.as_str().to_owned();
        forged.replace_range(10..11, if &forged[10..11] == "A" { "B" } else { "A" });
        let forged = EventCursor::parse(&forged).expect("well-formed");
        assert_eq!(keys.open_cursor(mysql, &forged), CursorPosition::Unknown);
    }

    #[test]
    fn webhook_event_ids_are_stable_and_per_application() {
        let keys = Keyring::in_memory(MasterKey::generate());
        let id = keys.event_id("evt", ApplicationId(1), 7).expect("id");
        assert_eq!(id, keys.event_id("evt", ApplicationId(1), 7).expect("id"));
        assert_ne!(id, keys.event_id("evt", ApplicationId(2), 7).expect("id"));
        // A digest of 16 bytes, whatever the position: not the position itself.
        assert!(id.starts_with("evt_") && id.len() == 26, "{id}");
        assert_eq!(
            keys.event_id("evt", ApplicationId(1), 7_000_000)
                .expect("id")
                .len(),
            26
        );
    }
}
