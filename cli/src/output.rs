//! Juju's output formats: aligned tables (two spaces between columns, some columns
//! right-aligned), and YAML or JSON maps.

use serde_json::Value;

use super::{ClientError, ClientResult};

/// Columns padded to their widest cell plus two spaces; the last column is not padded.
/// `right` lists the columns aligned to the right.
pub fn table<const N: usize>(headers: &[&str; N], rows: &[[String; N]], right: &[usize]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            let last = i == N - 1;
            if right.contains(&i) {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if !last {
                    out.push_str(&" ".repeat(pad));
                }
            }
            if !last {
                out.push_str("  ");
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = vec![line(headers.to_vec())];
    out.extend(
        rows.iter()
            .map(|r| line(r.iter().map(String::as_str).collect())),
    );
    out.join("\n") + "\n"
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Tabular,
    Yaml,
    Json,
}

impl Format {
    /// The format for a map: a table is not one, and reads as YAML, as Juju prints it.
    pub fn structured(self) -> Format {
        match self {
            Format::Tabular => Format::Yaml,
            other => other,
        }
    }
}

/// A map in YAML (block style) or JSON (one line, as Juju prints it).
pub fn structured(value: &Value, format: Format) -> ClientResult<String> {
    match format {
        Format::Json => {
            Ok(serde_json::to_string(value).map_err(|e| ClientError::new(e.to_string()))? + "\n")
        }
        Format::Yaml | Format::Tabular => {
            let mut escaped = Vec::new();
            let value = set_aside_format_characters(value.clone(), &mut escaped);
            let mut text =
                yaml_serde::to_string(&value).map_err(|e| ClientError::new(e.to_string()))?;
            for (i, original) in escaped.iter().enumerate() {
                text = text.replacen(&placeholder(i), &double_quoted(original), 1);
            }
            Ok(text)
        }
    }
}

/// A string holding a format character (U+200B, U+202E, …) would print as if it did not: in
/// YAML it is written double-quoted with the character escaped (`"a\u200Bb"`), which reads
/// back as the same string. Each such string is set aside for a placeholder here and put back,
/// quoted, after the YAML is written.
fn set_aside_format_characters(value: Value, escaped: &mut Vec<String>) -> Value {
    match value {
        Value::String(s) if s.chars().any(domain::names::is_format_character) => {
            escaped.push(s);
            Value::String(placeholder(escaped.len() - 1))
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| set_aside_format_characters(v, escaped))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, set_aside_format_characters(v, escaped)))
                .collect(),
        ),
        other => other,
    }
}

fn placeholder(i: usize) -> String {
    format!("strongbox-escaped-{i}-placeholder")
}

/// A YAML double-quoted scalar: JSON's escapes, which YAML shares, and format characters
/// escaped too.
fn double_quoted(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_default();
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        match u32::from(c) {
            n if domain::names::is_format_character(c) && n <= 0xFFFF => {
                out.push_str(&format!("\\u{n:04X}"));
            }
            n if domain::names::is_format_character(c) => out.push_str(&format!("\\U{n:08X}")),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_spells_out_invisible_formatting_characters() {
        let value = serde_json::json!({"s1": {"description": "pay\u{200b}roll", "content": {"k": "a\u{202e}b \"q\""}}});
        let text = structured(&value, Format::Yaml).expect("yaml");
        assert!(text.contains(r#"description: "pay\u200Broll""#), "{text}");
        assert!(text.contains(r#"k: "a\u202Eb \"q\"""#), "{text}");
        let back: Value = yaml_serde::from_str(&text).expect("reads back");
        assert_eq!(back, value, "the same strings when read back");
    }

    #[test]
    fn tables_align_like_juju() {
        let rows = [[
            "cjt5s4lp3des77vsgehg".to_owned(),
            "my-secret".to_owned(),
            "1".to_owned(),
        ]];
        let out = table(&["ID", "Name", "Revision"], &rows, &[2]);
        assert_eq!(
            out,
            "ID                    Name       Revision\ncjt5s4lp3des77vsgehg  my-secret         1\n"
        );
    }
}
