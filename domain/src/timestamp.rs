//! Instants as milliseconds since the Unix epoch: one integer column in either database, sortable
//! for keyset pagination, and formatted only at the edges.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

const MS_PER_HOUR: i64 = 3_600_000;

impl Timestamp {
    pub fn from_millis(ms: i64) -> Self {
        Timestamp(ms)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn plus_millis(self, ms: i64) -> Self {
        Timestamp(self.0.saturating_add(ms))
    }

    pub fn to_datetime(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    pub fn from_datetime(dt: OffsetDateTime) -> Self {
        Timestamp((dt.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    /// RFC 3339 in UTC, e.g. `2024-04-22T01:29:57.189Z`.
    pub fn to_rfc3339(self) -> String {
        self.to_datetime().format(&Rfc3339).unwrap_or_default()
    }

    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        OffsetDateTime::parse(s, &Rfc3339)
            .ok()
            .map(Self::from_datetime)
    }

    /// Juju's `UserFriendlyDuration`: `just now`, `N seconds ago`, `N minute(s) ago`,
    /// `N hour(s) ago`, or the date once a day old.
    pub fn user_friendly(self, now: Timestamp) -> String {
        let since = now.0 - self.0;
        let hours = since / MS_PER_HOUR;
        let minutes = since / 60_000;
        let seconds = since / 1000;
        let plural = |n: i64, unit: &str| {
            if n == 1 {
                format!("1 {unit} ago")
            } else {
                format!("{n} {unit}s ago")
            }
        };
        if hours >= 24 {
            let d = self.to_datetime().date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        } else if hours >= 1 {
            plural(hours, "hour")
        } else if minutes >= 1 {
            plural(minutes, "minute")
        } else if seconds >= 2 {
            format!("{seconds} seconds ago")
        } else {
            "just now".to_owned()
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friendly_durations_match_juju() {
        let now = Timestamp(1_713_749_397_000);
        let ago = |ms: i64| Timestamp(now.0 - ms).user_friendly(now);
        assert_eq!(ago(500), "just now");
        assert_eq!(ago(5_000), "5 seconds ago");
        assert_eq!(ago(60_000), "1 minute ago");
        assert_eq!(ago(150_000), "2 minutes ago");
        assert_eq!(ago(MS_PER_HOUR), "1 hour ago");
        assert_eq!(ago(23 * MS_PER_HOUR), "23 hours ago");
        assert_eq!(ago(48 * MS_PER_HOUR), "2024-04-20");
    }

    #[test]
    fn rfc3339_round_trip() {
        let t = Timestamp(1_713_749_397_189);
        assert_eq!(t.to_rfc3339(), "2024-04-22T01:29:57.189Z");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Some(t));
    }
}

/// `#[serde(with = "domain::timestamp::rfc3339")]`: a [`Timestamp`] as RFC 3339 text on the
/// wire, as the HTTP API shows times.
pub mod rfc3339 {
    use super::Timestamp;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {text}")))
    }
}

/// The same for an `Option<Timestamp>`: `null` when absent.
pub mod rfc3339_option {
    use super::Timestamp;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&t.to_rfc3339()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| {
                Timestamp::parse_rfc3339(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("not an RFC 3339 time: {text}"))
                })
            })
            .transpose()
    }
}
