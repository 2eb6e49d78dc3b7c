//! Content documents: a YAML or JSON map (Juju's `--file`), or a `.env` file pasted into the
//! dashboard. Keys may carry the `#base64` suffix, as in Juju's `--file`.

use crate::content::{ContentArg, ContentEntry, ValueSource};
use crate::error::ValidationError;

/// The formats a document may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Json,
    Yaml,
    DotEnv,
}

impl DocumentFormat {
    /// Guesses the format: JSON starts with `{`; a file whose every content line is
    /// `NAME=value` (optionally `export NAME=value`) is `.env`; anything else is YAML.
    pub fn detect(text: &str) -> Self {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') {
            return DocumentFormat::Json;
        }
        let mut lines = content_lines(text).peekable();
        if lines.peek().is_some() && lines.all(|l| dotenv_pair(l).is_some()) {
            DocumentFormat::DotEnv
        } else {
            DocumentFormat::Yaml
        }
    }
}

/// Parses a document into entries, guessing its format.
pub fn parse_document(text: &str) -> Result<Vec<ContentEntry>, ValidationError> {
    let pairs = match DocumentFormat::detect(text) {
        DocumentFormat::Json => serde_json::from_str(text)
            .map_err(|e| ValidationError::Document(format!("JSON: {e}")))
            .and_then(json_map)?,
        DocumentFormat::Yaml => yaml_map(text)?,
        DocumentFormat::DotEnv => content_lines(text)
            .filter_map(dotenv_pair)
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    };
    pairs
        .into_iter()
        .map(|(raw_key, value)| {
            let (key, source) = ContentArg::split_key(&raw_key);
            let key = key.to_owned();
            Ok(match source {
                ValueSource::Base64 => ContentEntry::Base64 { key, value },
                _ => ContentEntry::Bytes {
                    key,
                    value: value.into_bytes(),
                },
            })
        })
        .collect()
}

fn json_map(value: serde_json::Value) -> Result<Vec<(String, String)>, ValidationError> {
    let serde_json::Value::Object(map) = value else {
        return Err(ValidationError::Document(
            "expected a map of key to value".into(),
        ));
    };
    map.into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => Ok((k, s)),
            serde_json::Value::Number(n) => Ok((k, n.to_string())),
            serde_json::Value::Bool(b) => Ok((k, b.to_string())),
            _ => Err(ValidationError::Document(format!(
                "the value of \"{k}\" is not text"
            ))),
        })
        .collect()
}

fn yaml_map(text: &str) -> Result<Vec<(String, String)>, ValidationError> {
    let value: yaml_serde::Value =
        yaml_serde::from_str(text).map_err(|e| ValidationError::Document(format!("YAML: {e}")))?;
    let yaml_serde::Value::Mapping(map) = value else {
        return Err(ValidationError::Document(
            "expected a map of key to value".into(),
        ));
    };
    map.into_iter()
        .map(|(k, v)| {
            let key = scalar_text(&k)
                .ok_or_else(|| ValidationError::Document("a key is not text".into()))?;
            let value = scalar_text(&v).ok_or_else(|| {
                ValidationError::Document(format!("the value of \"{key}\" is not text"))
            })?;
            Ok((key, value))
        })
        .collect()
}

fn scalar_text(v: &yaml_serde::Value) -> Option<String> {
    match v {
        yaml_serde::Value::String(s) => Some(s.clone()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        yaml_serde::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn content_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// `NAME=value`, `export NAME=value`, with optional matching single or double quotes.
fn dotenv_pair(line: &str) -> Option<(&str, String)> {
    let line = line.strip_prefix("export ").map_or(line, str::trim_start);
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'#');
    if !name_ok {
        return None;
    }
    let value = value.trim();
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
        .unwrap_or(value);
    Some((name, unquoted.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SecretContent;

    fn content(text: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
        let entries = parse_document(text).map_err(|e| e.to_string())?;
        let c = SecretContent::from_entries(entries).map_err(|e| e.to_string())?;
        Ok(c.decoded().into_iter().collect())
    }

    #[test]
    fn yaml_json_and_dotenv_give_the_same_content() {
        let expected = Ok(vec![
            ("password".to_owned(), b"s3cret".to_vec()),
            ("port".to_owned(), b"5432".to_vec()),
        ]);
        assert_eq!(content("password: s3cret\nport: 5432\n"), expected);
        assert_eq!(content(r#"{"password": "s3cret", "port": 5432}"#), expected);
        assert_eq!(
            content("# db\nexport password=\"s3cret\"\nport=5432\n"),
            expected
        );
    }

    #[test]
    fn base64_suffix_is_honoured() {
        assert_eq!(
            content("cert#base64: aGk=\n"),
            Ok(vec![("cert".to_owned(), b"hi".to_vec())])
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            content("DB_PASSWORD=x\n"),
            Err("key \"DB_PASSWORD\" not valid".into())
        );
        assert_eq!(
            content("- a\n- b\n"),
            Err("secret document not valid: expected a map of key to value".into())
        );
        assert_eq!(
            content("nested:\n  a: b\n"),
            Err("secret document not valid: the value of \"nested\" is not text".into())
        );
        assert!(
            content("{not json")
                .unwrap_err()
                .starts_with("secret document not valid: JSON:")
        );
    }
}
