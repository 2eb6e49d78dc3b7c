//! Rotate policies of application-owned secrets (`core/secrets/rotate.go`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::{Date, Duration, Month};

use crate::error::ValidationError;
use crate::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RotatePolicy {
    #[default]
    Never,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl RotatePolicy {
    pub const ALL: [RotatePolicy; 7] = [
        RotatePolicy::Never,
        RotatePolicy::Hourly,
        RotatePolicy::Daily,
        RotatePolicy::Weekly,
        RotatePolicy::Monthly,
        RotatePolicy::Quarterly,
        RotatePolicy::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RotatePolicy::Never => "never",
            RotatePolicy::Hourly => "hourly",
            RotatePolicy::Daily => "daily",
            RotatePolicy::Weekly => "weekly",
            RotatePolicy::Monthly => "monthly",
            RotatePolicy::Quarterly => "quarterly",
            RotatePolicy::Yearly => "yearly",
        }
    }

    /// When a secret rotated at `last` is due again; `None` for `never`. Months are calendar
    /// months with Go's `AddDate` overflow (31 January 2024 + 1 month = 2 March).
    pub fn next_rotation(self, last: Timestamp) -> Option<Timestamp> {
        let dt = last.to_datetime();
        let months = match self {
            RotatePolicy::Never => return None,
            RotatePolicy::Hourly => return Some(last.plus_millis(3_600_000)),
            RotatePolicy::Daily => return Some(Timestamp::from_datetime(dt + Duration::days(1))),
            RotatePolicy::Weekly => return Some(Timestamp::from_datetime(dt + Duration::weeks(1))),
            RotatePolicy::Monthly => 1,
            RotatePolicy::Quarterly => 3,
            RotatePolicy::Yearly => 12,
        };
        let date = dt.date();
        let month_index = i32::from(u8::from(date.month())) - 1 + months;
        let year = date.year() + month_index.div_euclid(12);
        let month = Month::try_from((month_index.rem_euclid(12) + 1) as u8).ok()?;
        let first = Date::from_calendar_date(year, month, 1).ok()?;
        let target = first + Duration::days(i64::from(date.day()) - 1);
        Some(Timestamp::from_datetime(dt.replace_date(target)))
    }
}

impl fmt::Display for RotatePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RotatePolicy {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RotatePolicy::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ValidationError::RotatePolicy(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).expect("valid time")
    }

    #[test]
    fn parses_every_policy_and_rejects_others() {
        for p in RotatePolicy::ALL {
            assert_eq!(p.as_str().parse::<RotatePolicy>(), Ok(p));
        }
        assert_eq!(
            "fortnightly"
                .parse::<RotatePolicy>()
                .unwrap_err()
                .to_string(),
            "rotate policy \"fortnightly\" not valid"
        );
    }

    #[test]
    fn next_rotation_times() {
        let t = at("2024-01-31T10:00:00Z");
        assert_eq!(RotatePolicy::Never.next_rotation(t), None);
        assert_eq!(
            RotatePolicy::Hourly.next_rotation(t),
            Some(at("2024-01-31T11:00:00Z"))
        );
        assert_eq!(
            RotatePolicy::Weekly.next_rotation(t),
            Some(at("2024-02-07T10:00:00Z"))
        );
        assert_eq!(
            RotatePolicy::Monthly.next_rotation(t),
            Some(at("2024-03-02T10:00:00Z"))
        );
        assert_eq!(
            RotatePolicy::Quarterly.next_rotation(t),
            Some(at("2024-05-01T10:00:00Z"))
        );
        assert_eq!(
            RotatePolicy::Yearly.next_rotation(t),
            Some(at("2025-01-31T10:00:00Z"))
        );
    }
}
