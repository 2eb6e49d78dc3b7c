//! `auth/token/create`'s body as Vault reads it: `policies` as a list or a comma-separated
//! string, `ttl` as seconds or a Go duration ("10m", "3600s", "1h30m").

use backend::service::VaultTokenRequest;
use serde_json::Value;

use super::refusal::VaultError;

pub fn token_request(body: &Value) -> Result<VaultTokenRequest, VaultError> {
    let policies = match body.get("policies") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => s.split(',').map(|p| p.trim().to_owned()).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|p| p.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| VaultError::bad_request("policies must be a list of names"))?,
        Some(_) => return Err(VaultError::bad_request("policies must be a list of names")),
    };
    let ttl_secs =
        match body.get("ttl") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(n.as_u64().ok_or_else(|| {
                VaultError::bad_request(format!("time: invalid duration \"{n}\""))
            })?),
            Some(Value::String(s)) => Some(duration_secs(s)?),
            Some(other) => {
                return Err(VaultError::bad_request(format!(
                    "time: invalid duration \"{other}\""
                )));
            }
        };
    let flag = |name: &str| body.get(name).and_then(Value::as_bool).unwrap_or(false);
    Ok(VaultTokenRequest {
        policies,
        ttl_secs,
        no_default_policy: flag("no_default_policy"),
        no_parent: flag("no_parent"),
        display_name: body
            .get("display_name")
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
    })
}

/// Whole seconds of a Vault duration: a number of seconds, or a Go duration of numbers with
/// units h, m, s, ms, us or ns (`1h30m`, `2.5s`), as Vault's `parseutil` reads them.
fn duration_secs(text: &str) -> Result<u64, VaultError> {
    let invalid = || VaultError::bad_request(format!("time: invalid duration \"{text}\""));
    let t = text.trim();
    if let Ok(secs) = t.parse::<u64>() {
        return Ok(secs);
    }
    let mut rest = t;
    let mut nanos: f64 = 0.0;
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(invalid)?;
        let number: f64 = rest[..number_end].parse().map_err(|_| invalid())?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "h" => 3.6e12,
            "m" => 6e10,
            "s" => 1e9,
            "ms" => 1e6,
            "us" | "µs" => 1e3,
            "ns" => 1.0,
            _ => return Err(invalid()),
        };
        nanos += number * scale;
        rest = &rest[unit_end..];
    }
    Ok((nanos / 1e9) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_read_as_vault_reads_them() {
        for (text, secs) in [
            ("10m", 600),
            ("3600s", 3600),
            ("1h30m", 5400),
            ("90", 90),
            ("2.5s", 2),
        ] {
            assert_eq!(duration_secs(text).ok(), Some(secs), "{text}");
        }
        for bad in ["", "bogus", "10x", "m"] {
            assert!(duration_secs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn juju_s_bodies_are_read() {
        let r = token_request(&json!({
            "policies": ["m-create", "m-x-owner"], "ttl": "10m", "no_default_policy": true
        }))
        .ok()
        .expect("read");
        assert_eq!(r.policies, ["m-create", "m-x-owner"]);
        assert_eq!(
            (r.ttl_secs, r.no_default_policy, r.no_parent),
            (Some(600), true, false)
        );
        let rotated = token_request(&json!({"ttl": "3600s", "no_parent": true}))
            .ok()
            .expect("read");
        assert!(rotated.policies.is_empty() && rotated.no_parent);
        assert_eq!(
            token_request(&json!({"policies": "a, b"}))
                .ok()
                .expect("read")
                .policies,
            ["a", "b"]
        );
        assert!(token_request(&json!({"ttl": "bogus"})).is_err());
    }
}
