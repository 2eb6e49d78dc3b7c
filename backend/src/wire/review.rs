//! The access review's requests and answers, for the API, the CLI's server side and the
//! dashboard alike.

use api_types::review::{GrantRefJson, ReviewItemJson, ReviewJson, ReviewParams, SignOffJson};
use domain::{ApplicationName, ReviewFlag, StaleDays, ValidationError};

use super::params::given;
use crate::error::{InternalError, ServiceError, ServiceResult};
use crate::service::{AccessReview, GrantRef, ReviewQuery, SecretRef};
use crate::store::{OwnerFilter, SignOffRecord};

/// How the review is handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFormat {
    Json,
    Csv,
}

impl ReviewFormat {
    pub fn from_param(value: Option<&str>) -> Result<Self, ValidationError> {
        match given(value) {
            None | Some("json") => Ok(ReviewFormat::Json),
            Some("csv") => Ok(ReviewFormat::Csv),
            Some(other) => Err(ValidationError::QueryValue {
                parameter: "format",
                value: other.to_owned(),
                allowed: "json or csv",
            }),
        }
    }
}

impl ReviewQuery {
    pub fn from_params(p: &ReviewParams) -> Result<Self, ValidationError> {
        let stale_days = match p.stale_days {
            Some(days) => StaleDays::new(days)?,
            None => StaleDays::default(),
        };
        let mut flags = Vec::new();
        for text in p.flag.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
            let flag = ReviewFlag::parse(text)?;
            if !flags.contains(&flag) {
                flags.push(flag);
            }
        }
        Ok(ReviewQuery {
            stale_days,
            flags,
            application: given(p.application.as_deref())
                .map(ApplicationName::parse)
                .transpose()?,
            secret: given(p.secret.as_deref())
                .map(SecretRef::parse)
                .transpose()?,
            owner: OwnerFilter::from_param(p.owner.as_deref())?,
        })
    }
}

impl GrantRef {
    pub fn from_request(g: &GrantRefJson) -> Result<Self, ValidationError> {
        Ok(GrantRef {
            application: ApplicationName::parse(g.application.trim())?,
            secret: SecretRef::parse(g.secret.trim())?,
        })
    }
}

pub fn review_json(review: &AccessReview) -> ReviewJson {
    ReviewJson {
        stale_days: review.stale_days.get(),
        generated_at: review.generated_at,
        items: review
            .grants
            .iter()
            .map(|r| {
                let g = &r.grant;
                ReviewItemJson {
                    application: g.application_name.clone(),
                    secret_id: g.secret_id.clone(),
                    secret_name: g.secret_name.clone(),
                    granted_by: g.granted_by.clone(),
                    granted_at: g.granted_at,
                    last_read_at: g.last_read_at,
                    reads_30d: g.recent_reads,
                    tracked_revision: g.tracked.map(|t| t.get()),
                    latest_revision: g.latest.get(),
                    flags: r.flags.clone(),
                }
            })
            .collect(),
    }
}

/// The CSV columns, in the JSON items' order and names.
const CSV_HEADER: [&str; 10] = [
    "application",
    "secret_id",
    "secret_name",
    "granted_by",
    "granted_at",
    "last_read_at",
    "reads_30d",
    "tracked_revision",
    "latest_revision",
    "flags",
];

/// The review as CSV with a header row; several flags share a cell, separated by spaces.
pub fn review_csv(review: &ReviewJson) -> ServiceResult<String> {
    csv_text(review).map_err(|e| ServiceError::Internal(InternalError::Csv(e)))
}

fn csv_text(review: &ReviewJson) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_HEADER)?;
    for i in &review.items {
        let flags: Vec<&str> = i.flags.iter().map(|f| f.as_str()).collect();
        out.write_record([
            i.application.to_string(),
            i.secret_id.to_string(),
            i.secret_name
                .as_ref()
                .map(|n| n.to_string())
                .unwrap_or_default(),
            i.granted_by.clone(),
            i.granted_at.to_rfc3339(),
            i.last_read_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            i.reads_30d.to_string(),
            i.tracked_revision
                .map(|r| r.to_string())
                .unwrap_or_default(),
            i.latest_revision.to_string(),
            flags.join(" "),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

pub fn sign_off_json(s: &SignOffRecord) -> SignOffJson {
    SignOffJson {
        id: s.id,
        reviewed_by: s.reviewed_by.clone(),
        reviewed_at: s.reviewed_at,
        note: s.note.clone(),
        grant_count: s.grant_count,
        grant_digest: s.grant_digest.clone(),
    }
}
