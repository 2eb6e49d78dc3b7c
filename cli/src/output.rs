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
            yaml_serde::to_string(value).map_err(|e| ClientError::new(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
