//! Secret URIs: `secret:<id>`, `secret://<model-uuid>/<id>`, or a bare `<id>`, parsed the way
//! Juju's `secrets.ParseURI` does, with its error texts.

use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::ids::{ModelUuid, SecretId};

const SCHEME: &str = "secret";

/// On the wire, its text (`secret:<id>` or `secret://<model-uuid>/<id>`); a schema names it
/// with `value_type = String`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SecretUri {
    /// The model the secret lives in, when the URI names one (`secret://<uuid>/<id>`).
    pub source: Option<ModelUuid>,
    pub id: SecretId,
}

impl SecretUri {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let not_valid = || ValidationError::Uri(input.to_owned());
        let (scheme, rest) = split_scheme(input);
        match scheme {
            Some(s) if s != SCHEME => return Err(ValidationError::UriScheme(s.to_owned())),
            _ => {}
        }
        let (source, id_text) = match rest.strip_prefix("//") {
            Some(authority_and_path) => {
                let (host, path) = authority_and_path
                    .split_once('/')
                    .unwrap_or((authority_and_path, ""));
                let source = if host.is_empty() {
                    None
                } else {
                    Some(host.parse()?)
                };
                (source, path.trim_start_matches('/'))
            }
            None => (None, rest.trim_start_matches('/')),
        };
        let id = SecretId::parse(id_text).map_err(|_| not_valid())?;
        Ok(SecretUri { source, id })
    }
}

/// Splits `scheme:rest` as a URL parser would: a scheme is a letter followed by letters,
/// digits, `+`, `-` or `.`. Anything else has no scheme.
fn split_scheme(input: &str) -> (Option<&str>, &str) {
    if let Some((scheme, rest)) = input.split_once(':') {
        let mut chars = scheme.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        if starts_with_letter && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
            return (Some(scheme), rest);
        }
    }
    (None, input)
}

impl fmt::Display for SecretUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(model) => write!(f, "{SCHEME}://{model}/{}", self.id),
            None => write!(f, "{SCHEME}:{}", self.id),
        }
    }
}

impl FromStr for SecretUri {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SecretUri::parse(s)
    }
}

impl TryFrom<String> for SecretUri {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        SecretUri::parse(&s)
    }
}

impl From<SecretUri> for String {
    fn from(uri: SecretUri) -> String {
        uri.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "cjt5s4lp3des77vsgehg";
    const MODEL: &str = "e303eb13-2d12-4f26-8730-58966c614efc";

    #[test]
    fn accepts_the_three_input_forms() {
        for input in [format!("secret:{ID}"), ID.to_owned()] {
            let uri = SecretUri::parse(&input).expect("valid");
            assert_eq!(uri.id.as_str(), ID);
            assert_eq!(uri.source, None);
            assert_eq!(uri.to_string(), format!("secret:{ID}"));
        }
        let full = format!("secret://{MODEL}/{ID}");
        let uri = SecretUri::parse(&full).expect("valid");
        assert_eq!(uri.source.map(|m| m.to_string()).as_deref(), Some(MODEL));
        assert_eq!(uri.to_string(), full);
    }

    #[test]
    fn errors_use_juju_texts() {
        let msg = |s: &str| SecretUri::parse(s).map(|_| ()).unwrap_err().to_string();
        assert_eq!(msg("http://x/y"), "secret URI scheme \"http\" not valid");
        assert_eq!(
            msg(&format!("secret://nope/{ID}")),
            "host controller UUID \"nope\" not valid"
        );
        assert_eq!(msg("secret:abc"), "secret URI \"secret:abc\" not valid");
        assert_eq!(msg("my-secret"), "secret URI \"my-secret\" not valid");
        assert_eq!(
            msg("secret:cjt5s4lp3des77vsgehz"),
            "secret URI \"secret:cjt5s4lp3des77vsgehz\" not valid"
        );
    }
}
