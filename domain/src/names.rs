//! Validated names. Each type can only be built through `parse`, so a value of the type is proof
//! that the rule was checked.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::ValidationError;
use crate::uri::SecretUri;

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, ValidationError> {
                let check: fn(&str) -> Result<(), ValidationError> = $check;
                check(s).map(|()| $name(s.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(n: $name) -> Self {
                n.0
            }
        }
    };
}

pub(crate) use name_type;

/// Refuses a name holding a format or bidirectional control character (Unicode category Cf:
/// U+200B zero-width space, U+202E right-to-left override, …), naming the first one. Such a
/// name sits beside its look-alike in the dashboard and the CLI, or shows reordered.
pub fn refuse_format_characters(what: &'static str, s: &str) -> Result<(), ValidationError> {
    match s.chars().find(|c| is_format_character(*c)) {
        Some(c) => Err(ValidationError::FormatCharacter {
            what,
            code: format!("U+{:04X}", u32::from(c)),
        }),
        None => Ok(()),
    }
}

/// Whether `c` is a format or bidirectional control character (Unicode category Cf).
pub fn is_format_character(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory as _};
    c.general_category() == GeneralCategory::Format
}

/// Free text (a description, a value) as shown to a person: each format character spelled out
/// as `<U+200B>`, so that text holding one does not look like text without it. What is stored
/// and what a program reads keep them.
pub fn show_format_characters(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_format_character) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut shown = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_format_character(c) {
            shown.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

const MAX_SECRET_NAME: usize = 128;
const MAX_DESCRIPTION: usize = 16 * 1024;

name_type!(
    /// A user secret's name, unique per model. Juju checks nothing but uniqueness; we also refuse
    /// what would make `<ID>|<name>` lookups ambiguous or unreadable.
    SecretName,
    |s| {
        let bad = |reason| Err(ValidationError::SecretName { name: s.to_owned(), reason });
        if s.is_empty() {
            return bad("it is empty");
        }
        if s.len() > MAX_SECRET_NAME {
            return bad("it is longer than 128 bytes");
        }
        if s.trim() != s {
            return bad("it starts or ends with white space");
        }
        if s.chars().any(char::is_control) {
            return bad("it contains a control character");
        }
        refuse_format_characters("secret name", s)?;
        if SecretUri::parse(s).is_ok() {
            return bad("it would be read as a secret ID");
        }
        Ok(())
    }
);

name_type!(
    /// A model name, Juju's rule: lowercase letters, digits and dashes, starting with a letter or
    /// digit, at most 63 characters.
    ModelName,
    |s| {
        if follows_model_name_rule(s) { Ok(()) } else { Err(ValidationError::ModelName(s.to_owned())) }
    }
);

/// Juju's model-name rule: lowercase letters, digits and dashes, starting with a letter or
/// digit, at most 63 characters.
pub(crate) fn follows_model_name_rule(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

name_type!(
    /// An application name, Juju's rule `^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$`: dash-separated
    /// segments, the first starting with a letter, every later one holding at least one letter.
    ApplicationName,
    |s| {
        let mut segments = s.split('-');
        let first_ok = segments.next().is_some_and(|first| {
            first.starts_with(|c: char| c.is_ascii_lowercase())
                && first.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        let rest_ok = segments.all(|seg| {
            seg.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && seg.bytes().any(|b| b.is_ascii_lowercase())
        });
        if first_ok && rest_ok && s.len() <= 63 {
            Ok(())
        } else {
            Err(ValidationError::ApplicationName(s.to_owned()))
        }
    }
);

name_type!(
    /// A person's login name: letters, digits and `.`, `_`, `-`, `@`, starting with a letter or
    /// digit. `@` because identity providers name people by e-mail address (Entra ID's
    /// `preferred_username`, Google's `email`).
    UserName,
    |s| {
        let ok = (1..=128).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b));
        if ok { Ok(()) } else { Err(ValidationError::UserName(s.to_owned())) }
    }
);

name_type!(
    /// Free text describing a secret, at most 16 KiB.
    Description,
    |s| {
        if s.len() > MAX_DESCRIPTION {
            Err(ValidationError::DescriptionTooLong { size: s.len(), max: MAX_DESCRIPTION })
        } else {
            Ok(())
        }
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_free_text_but_not_ids() {
        assert!(SecretName::parse("db password").is_ok());
        assert!(SecretName::parse("my-apitoken").is_ok());
        assert_eq!(
            SecretName::parse("cjt5s4lp3des77vsgehg")
                .map(|_| ())
                .unwrap_err()
                .to_string(),
            "secret name \"cjt5s4lp3des77vsgehg\" not valid: it would be read as a secret ID"
        );
        assert_eq!(
            SecretName::parse("").map(|_| ()).unwrap_err().to_string(),
            "secret name \"\" not valid: it is empty"
        );
        assert!(SecretName::parse(" padded").is_err());
        assert!(SecretName::parse("tab\there").is_err());
        assert!(SecretName::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn names_refuse_invisible_formatting_characters() {
        for (name, code) in [
            ("s_granted\u{200b}_a", "U+200B"),
            ("\u{202e}txt.exe", "U+202E"),
            ("a\u{2066}b", "U+2066"),
            ("bom\u{feff}", "U+FEFF"),
        ] {
            assert_eq!(
                SecretName::parse(name).map(|_| ()),
                Err(ValidationError::FormatCharacter {
                    what: "secret name",
                    code: code.into()
                }),
                "{name:?}"
            );
        }
        assert!(SecretName::parse("café ünïcode 名前").is_ok());
        assert_eq!(show_format_characters("a\u{202e}b"), "a<U+202E>b");
        assert_eq!(show_format_characters("plain"), "plain");
        assert_eq!(
            refuse_format_characters("token label", "x\u{200b}")
                .unwrap_err()
                .to_string(),
            "token label contains U+200B, an invisible formatting character; names cannot hold these (it would make two names look alike)"
        );
    }

    #[test]
    fn application_names_follow_juju() {
        for ok in ["mysql", "wordpress-k8s", "a1", "db-2a"] {
            assert!(ApplicationName::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1abc", "MySQL", "app-", "app-1", "a--b", "a_b"] {
            assert_eq!(
                ApplicationName::parse(bad).map(|_| ()),
                Err(ValidationError::ApplicationName(bad.to_owned())),
                "{bad}"
            );
        }
        assert_eq!(
            ValidationError::ApplicationName("x y".into()).to_string(),
            "application name \"x y\" not valid"
        );
    }

    #[test]
    fn model_and_user_names() {
        assert!(ModelName::parse("prod").is_ok());
        assert!(ModelName::parse("staging-2").is_ok());
        assert_eq!(
            ModelName::parse("Prod")
                .map(|_| ())
                .unwrap_err()
                .to_string(),
            "model name \"Prod\" not valid"
        );
        assert!(ModelName::parse("-x").is_err());
        assert!(UserName::parse("alice").is_ok());
        assert!(UserName::parse("bob.smith-2").is_ok());
        assert!(
            UserName::parse("carol@example.com").is_ok(),
            "a provider's e-mail name"
        );
        assert_eq!(
            UserName::parse("a b").map(|_| ()).unwrap_err().to_string(),
            "user name \"a b\" not valid"
        );
    }

    #[test]
    fn description_limit() {
        assert!(Description::parse("").is_ok());
        assert_eq!(
            Description::parse(&"d".repeat(16 * 1024 + 1))
                .map(|_| ())
                .unwrap_err()
                .to_string(),
            "description too long: 16385 bytes (at most 16384)"
        );
    }
}
