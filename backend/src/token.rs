//! API tokens: 256 random bits, shown once; only their SHA-256 is stored. A fast hash is enough
//! because the token, unlike a password, cannot be guessed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use std::fmt;
use zeroize::Zeroizing;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Application,
    Personal,
    /// A Juju backend's token on the Vault surface (ADR 0030).
    JujuBackend,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::Application => "sbxa_",
            TokenKind::Personal => "sbxp_",
            TokenKind::JujuBackend => "sbxv_",
        }
    }
}

impl TokenKind {
    /// The kind a presented token claims by its prefix, if any.
    pub fn of(presented: &str) -> Option<Self> {
        [Self::Application, Self::Personal, Self::JujuBackend]
            .into_iter()
            .find(|k| presented.starts_with(k.prefix()))
    }
}

/// A token in the clear, as handed to its holder once.
pub struct PlainToken(Zeroizing<String>);

impl PlainToken {
    pub fn generate(kind: TokenKind) -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        PlainToken(Zeroizing::new(format!(
            "{}{}",
            kind.prefix(),
            URL_SAFE_NO_PAD.encode(bytes)
        )))
    }

    pub fn from_presented(s: &str) -> Self {
        PlainToken(Zeroizing::new(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex::encode(Sha256::digest(self.0.as_bytes())))
    }
}

impl fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainToken(<redacted>)")
    }
}

/// What the database keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_prefixed_and_hashed() {
        let a = PlainToken::generate(TokenKind::Application);
        let b = PlainToken::generate(TokenKind::Application);
        assert!(a.expose().starts_with("sbxa_"));
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.hash(), PlainToken::from_presented(a.expose()).hash());
        assert_ne!(a.hash().0, a.expose());
        assert!(!format!("{a:?}").contains(&a.expose()[5..]));
    }
}
