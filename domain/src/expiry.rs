//! Expiry of application-owned secret revisions, as Juju's `secret-add --expire`: a duration
//! (Go syntax: `24h`, `1h30m`, `90s`) or a time (`RFC 3339`, or `2006-01-02T15:04:05` in UTC).

use time::PrimitiveDateTime;
use time::macros::format_description;

use crate::error::ValidationError;
use crate::timestamp::Timestamp;

pub fn parse_expiry(text: &str, now: Timestamp) -> Result<Timestamp, ValidationError> {
    let text = text.trim();
    if let Some(t) = Timestamp::parse_rfc3339(text) {
        return Ok(t);
    }
    let local = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    if let Ok(t) = PrimitiveDateTime::parse(text, &local) {
        return Ok(Timestamp::from_datetime(t.assume_utc()));
    }
    match go_duration_ms(text) {
        Some(ms) if ms < 0 => Err(ValidationError::NegativeExpiry(text.to_owned())),
        Some(ms) => Ok(now.plus_millis(ms)),
        None => Err(ValidationError::Expiry(text.to_owned())),
    }
}

/// `[-]N<unit>…` with units h, m, s, ms; at least one part. Returns milliseconds.
fn go_duration_ms(text: &str) -> Option<i64> {
    let (sign, mut rest) = match text.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, text),
    };
    if rest.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit_ms, len) = if rest.starts_with("ms") {
            (1, 2)
        } else if rest.starts_with('h') {
            (3_600_000, 1)
        } else if rest.starts_with('m') {
            (60_000, 1)
        } else if rest.starts_with('s') {
            (1_000, 1)
        } else {
            return None;
        };
        total = total.checked_add(n.checked_mul(unit_ms)?)?;
        rest = &rest[len..];
    }
    Some(sign * total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_700_000_000_000);

    #[test]
    fn durations_and_times() {
        assert_eq!(parse_expiry("24h", NOW), Ok(NOW.plus_millis(86_400_000)));
        assert_eq!(parse_expiry("1h30m", NOW), Ok(NOW.plus_millis(5_400_000)));
        assert_eq!(
            parse_expiry("2024-04-22T01:29:57Z", NOW).map(|t| t.to_rfc3339()),
            Ok("2024-04-22T01:29:57Z".into())
        );
        assert_eq!(
            parse_expiry("2024-04-22T01:29:57", NOW).map(|t| t.to_rfc3339()),
            Ok("2024-04-22T01:29:57Z".into())
        );
    }

    #[test]
    fn errors_use_juju_texts() {
        assert_eq!(
            parse_expiry("soon", NOW).unwrap_err().to_string(),
            "expire time or duration \"soon\" not valid"
        );
        assert_eq!(
            parse_expiry("-1h", NOW).unwrap_err().to_string(),
            "negative expire duration \"-1h\" not valid"
        );
        assert!(parse_expiry("10", NOW).is_err());
        assert!(parse_expiry("", NOW).is_err());
    }
}
