//! The access review's vocabulary: what a grant's usage can say about it.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::ValidationError;

/// What the review finds worth a reviewer's look in one grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReviewFlag {
    /// The application has never read the secret's content under this grant.
    NeverRead,
    /// Not read for the review's number of days (a grant never read counts once it is that
    /// old).
    Stale,
    /// The application tracks an older revision than the latest.
    Behind,
    /// The application has no token, so nothing can read under the grant.
    NoToken,
}

impl ReviewFlag {
    pub const ALL: [ReviewFlag; 4] = [
        ReviewFlag::NeverRead,
        ReviewFlag::Stale,
        ReviewFlag::Behind,
        ReviewFlag::NoToken,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewFlag::NeverRead => "never-read",
            ReviewFlag::Stale => "stale",
            ReviewFlag::Behind => "behind",
            ReviewFlag::NoToken => "no-token",
        }
    }

    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| ValidationError::QueryValue {
                parameter: "flag",
                value: text.to_owned(),
                allowed: "never-read, stale, behind or no-token",
            })
    }
}

impl fmt::Display for ReviewFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many days without a read make a grant stale: 30 unless the reviewer picks another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleDays(u32);

impl StaleDays {
    pub const DEFAULT: StaleDays = StaleDays(30);
    /// Ten years: past that, nothing is ever stale and the number is a typo.
    pub const MAX: u32 = 3650;

    pub fn new(days: u32) -> Result<Self, ValidationError> {
        if (1..=Self::MAX).contains(&days) {
            Ok(StaleDays(days))
        } else {
            Err(ValidationError::QueryValue {
                parameter: "stale_days",
                value: days.to_string(),
                allowed: "a number of days from 1 to 3650",
            })
        }
    }

    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let days = text
            .trim()
            .parse()
            .map_err(|_| ValidationError::QueryValue {
                parameter: "stale_days",
                value: text.to_owned(),
                allowed: "a number of days from 1 to 3650",
            })?;
        Self::new(days)
    }

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn millis(self) -> i64 {
        i64::from(self.0) * 86_400_000
    }
}

impl Default for StaleDays {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A reviewer's note on a sign-off: free text, bounded so the audit log stays readable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffNote(String);

impl SignOffNote {
    pub const MAX_CHARS: usize = 2000;

    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let text = text.trim();
        let chars = text.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(ValidationError::NoteTooLong {
                size: chars,
                max: Self::MAX_CHARS,
            });
        }
        Ok(SignOffNote(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_and_name_the_choices() {
        for flag in ReviewFlag::ALL {
            assert_eq!(ReviewFlag::parse(flag.as_str()), Ok(flag));
        }
        let refused = ReviewFlag::parse("unused").unwrap_err().to_string();
        assert!(
            refused.contains("never-read, stale, behind or no-token"),
            "{refused}"
        );
    }

    #[test]
    fn stale_days_are_bounded() {
        assert_eq!(StaleDays::parse("7").map(StaleDays::get), Ok(7));
        assert!(StaleDays::parse("0").is_err());
        assert!(StaleDays::parse("3651").is_err());
        assert!(StaleDays::parse("soon").is_err());
        assert_eq!(StaleDays::default().millis(), 30 * 86_400_000);
    }

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(SignOffNote::parse("  fine \n").unwrap().as_str(), "fine");
        assert!(SignOffNote::parse(&"x".repeat(2001)).is_err());
    }
}
