//! Why a sign-in through an OpenID provider did not finish: one closed list, named in the
//! sign-in page's URL (`/login?sign_in_error=cancelled`) and told there in one sentence. The
//! details go to the server's log under a reference, never to the page.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderFailure {
    /// The person cancelled, or refused consent, at the provider.
    Cancelled,
    /// The provider could not be reached, or answered with something that is not OpenID.
    Unreachable,
    /// The provider refused Strongbox itself: a wrong client ID or secret, or a redirect URL
    /// it does not know.
    ClientRefused,
    /// The sign-in began more than ten minutes ago, was already finished, or its `state` is not
    /// one Strongbox sent.
    Expired,
    /// The ID token failed a check: signature, issuer, audience, authorized party or nonce.
    TokenRefused,
    /// The ID token's times are off by more than the allowed clock skew.
    ClockSkew,
    /// A local user has the provider's username; an administrator must link them.
    NameTaken,
    /// The username claim is missing or not a valid Strongbox user name.
    NoUsername,
    /// Something on Strongbox's side; the log has the reference.
    Internal,
}

impl ProviderFailure {
    pub const ALL: [ProviderFailure; 9] = [
        ProviderFailure::Cancelled,
        ProviderFailure::Unreachable,
        ProviderFailure::ClientRefused,
        ProviderFailure::Expired,
        ProviderFailure::TokenRefused,
        ProviderFailure::ClockSkew,
        ProviderFailure::NameTaken,
        ProviderFailure::NoUsername,
        ProviderFailure::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderFailure::Cancelled => "cancelled",
            ProviderFailure::Unreachable => "unreachable",
            ProviderFailure::ClientRefused => "client-refused",
            ProviderFailure::Expired => "expired",
            ProviderFailure::TokenRefused => "token-refused",
            ProviderFailure::ClockSkew => "clock-skew",
            ProviderFailure::NameTaken => "name-taken",
            ProviderFailure::NoUsername => "no-username",
            ProviderFailure::Internal => "internal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// What the sign-in page says.
    pub fn sentence(self) -> &'static str {
        match self {
            ProviderFailure::Cancelled => "The sign-in was cancelled at the identity provider.",
            ProviderFailure::Unreachable => {
                "The identity provider could not be reached; try again shortly."
            }
            ProviderFailure::ClientRefused => {
                "The identity provider refused Strongbox's credentials; an administrator must check the OpenID client settings."
            }
            ProviderFailure::Expired => "That sign-in was too old or already used; start again.",
            ProviderFailure::TokenRefused => {
                "The identity provider's answer failed Strongbox's checks, so no one was signed in."
            }
            ProviderFailure::ClockSkew => {
                "The identity provider's clock and this server's differ too much; an administrator must check the time."
            }
            ProviderFailure::NameTaken => {
                "A local user already has your user name; an administrator must link your account first."
            }
            ProviderFailure::NoUsername => {
                "The identity provider sent no usable user name for you."
            }
            ProviderFailure::Internal => {
                "Strongbox could not finish the sign-in; the server's log has the details."
            }
        }
    }
}

impl fmt::Display for ProviderFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_parses_back_from_its_name() {
        for f in ProviderFailure::ALL {
            assert_eq!(ProviderFailure::parse(f.as_str()), Some(f));
        }
        assert_eq!(ProviderFailure::parse("<script>"), None);
    }
}
