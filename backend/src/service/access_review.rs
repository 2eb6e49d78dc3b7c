//! The access review: every grant of a model with the usage behind it, the flags a reviewer
//! looks for, and the sign-offs that record a review took place (issue 25, ADR 0024).

use domain::{
    ApplicationName, Capabilities, ModelName, ReviewFlag, StaleDays, Timestamp,
    natural_order::natural_sort_key,
};
use sha2::{Digest, Sha256};

use super::{Caller, Scope, SecretRef, Services, Subject, application_named};
use crate::audit::AuditAction;
use crate::error::ServiceResult;
use crate::store::{
    GrantUsageRecord, ModelGrantRecord, OwnerFilter, ReviewAppCounts, ReviewFilter, ReviewRows,
    ReviewWindow, SecretOwner, SignOffRecord, Tx, usage_day,
};

/// Reads in this many days count as recent (`reads_30d`).
pub const RECENT_DAYS: i64 = 30;

/// What the reviewer asked to see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewQuery {
    pub stale_days: StaleDays,
    /// Grants with any of these flags; all grants when empty.
    pub flags: Vec<ReviewFlag>,
    pub application: Option<ApplicationName>,
    pub secret: Option<SecretRef>,
    pub owner: OwnerFilter,
}

/// One grant, its usage, and what the review flags in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedGrant {
    pub grant: GrantUsageRecord,
    pub flags: Vec<ReviewFlag>,
}

/// Which of the selected grants a review carries, in review order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewSlice {
    All,
    Page { offset: usize, limit: usize },
}

/// The review of a model's grants under one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessReview {
    pub stale_days: StaleDays,
    /// The slice of the selected grants, by application then secret, names in natural order.
    pub grants: Vec<ReviewedGrant>,
    /// Where the slice starts among the selected grants, and how many the query selects.
    pub offset: usize,
    pub total: usize,
    /// How many grants the query's other filters select before the flag filter, and how many
    /// of those carry each flag: the page's summary.
    pub considered: usize,
    pub flag_counts: Vec<(ReviewFlag, usize)>,
    /// The same per application, in natural name order.
    pub per_application: Vec<ReviewAppCounts>,
    pub capabilities: Capabilities,
    pub generated_at: Timestamp,
}

impl Services {
    /// Writes the reads this node has counted in memory but not yet stored (ADR 0024): the
    /// review does so before it reads usage, and the server when it stops.
    pub async fn write_counted_reads(&self) -> ServiceResult<()> {
        Ok(self.journal.write_usage().await?)
    }

    /// `access_review` handed out of Strongbox (the API's JSON and CSV, the CLI, the
    /// dashboard's download): the export is audited.
    #[tracing::instrument(skip_all)]
    pub async fn export_access_review(
        &self,
        caller: &Caller,
        model: &ModelName,
        query: &ReviewQuery,
    ) -> ServiceResult<AccessReview> {
        self.write_counted_reads().await?;
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let review = self
            .review_in(&mut *tx, &scope, query, ReviewSlice::All)
            .await?;
        drop(tx);
        let subject = Subject::model(&scope.model).detail(format!(
            "exported {} grants of the access review",
            review.grants.len()
        ));
        self.journaled(caller, AuditAction::AccessReviewExport, subject)
            .await?;
        Ok(review)
    }

    /// What the store selects for `query`: its names resolved to ids, its times to instants.
    pub(super) async fn review_filter(
        &self,
        tx: &mut dyn Tx,
        scope: &Scope,
        query: &ReviewQuery,
    ) -> ServiceResult<ReviewFilter> {
        let now = self.clock.now();
        Ok(ReviewFilter {
            model: scope.model.id,
            application: match &query.application {
                Some(name) => Some(application_named(tx, &scope.model, name).await?.id),
                None => None,
            },
            secret: match &query.secret {
                Some(s) => Some(self.secret_id_of(tx, scope, s, SecretOwner::Model).await?),
                None => None,
            },
            owner: query.owner.clone(),
            flags: query.flags.clone(),
            stale_before: Timestamp(now.millis() - query.stale_days.millis()),
            recent_from_day: usage_day(now) - (RECENT_DAYS - 1),
        })
    }

    pub(super) async fn review_in(
        &self,
        tx: &mut dyn Tx,
        scope: &Scope,
        query: &ReviewQuery,
        slice: ReviewSlice,
    ) -> ServiceResult<AccessReview> {
        let filter = self.review_filter(tx, scope, query).await?;
        self.review_of(tx, scope, &filter, query.stale_days, slice)
            .await
    }

    /// The review from the store's per-application counts: a page reads only the
    /// applications' windows it shows, so its cost does not grow with the model (ADR 0024).
    pub(super) async fn review_of(
        &self,
        tx: &mut dyn Tx,
        scope: &Scope,
        filter: &ReviewFilter,
        stale_days: StaleDays,
        slice: ReviewSlice,
    ) -> ServiceResult<AccessReview> {
        let now = self.clock.now();
        let mut per_application = tx.review_counts(filter).await?;
        per_application.sort_by_cached_key(|c| natural_sort_key(c.application_name.as_str()));
        let sum = |f: fn(&ReviewAppCounts) -> i64| -> usize {
            per_application
                .iter()
                .map(|c| usize::try_from(f(c)).unwrap_or(0))
                .sum()
        };
        let flag_counts = ReviewFlag::ALL
            .into_iter()
            .map(|flag| {
                let n = match flag {
                    ReviewFlag::NeverRead => sum(|c| c.never_read),
                    ReviewFlag::Stale => sum(|c| c.stale),
                    ReviewFlag::Behind => sum(|c| c.behind),
                    ReviewFlag::NoToken => sum(|c| if c.live_token { 0 } else { c.total }),
                };
                (flag, n)
            })
            .collect();
        let capabilities = self.capabilities_in(tx, scope).await?;
        let (offset, grants) = match slice {
            ReviewSlice::All => (0, every_grant(tx, filter, &per_application).await?),
            ReviewSlice::Page { offset, limit } => {
                let page = page_of(tx, filter, &per_application, offset, limit).await?;
                (offset, with_flags(filter, page))
            }
        };
        Ok(AccessReview {
            stale_days,
            grants,
            offset,
            total: sum(|c| c.selected),
            considered: sum(|c| c.total),
            flag_counts,
            per_application,
            capabilities,
            generated_at: now,
        })
    }

    /// The model's sign-offs, newest first (at most 100).
    #[tracing::instrument(skip_all)]
    pub async fn review_sign_offs(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<Vec<SignOffRecord>> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        Ok(tx.sign_offs(scope.model.id, 100).await?)
    }
}

/// Every grant `filter` selects, in the review's order: applications as `per_application`
/// lists them, secrets as the store gives them.
pub(super) async fn every_grant(
    tx: &mut dyn Tx,
    filter: &ReviewFilter,
    per_application: &[ReviewAppCounts],
) -> ServiceResult<Vec<ReviewedGrant>> {
    let mut all = tx.review_grants(filter, ReviewRows::All).await?;
    // Stable: the store's secret order within each application stays.
    let rank = |id| per_application.iter().position(|c| c.application_id == id);
    all.sort_by_key(|g| rank(g.application_id));
    Ok(with_flags(filter, all))
}

fn with_flags(filter: &ReviewFilter, grants: Vec<GrantUsageRecord>) -> Vec<ReviewedGrant> {
    grants
        .into_iter()
        .map(|grant| ReviewedGrant {
            flags: filter.flags_of(&grant),
            grant,
        })
        .collect()
}

/// `limit` selected grants from `offset` on: whole applications are skipped by their counts,
/// and only the applications the page reaches are read.
async fn page_of(
    tx: &mut dyn Tx,
    filter: &ReviewFilter,
    per_application: &[ReviewAppCounts],
    offset: usize,
    limit: usize,
) -> ServiceResult<Vec<GrantUsageRecord>> {
    let mut grants = Vec::new();
    let mut skip = i64::try_from(offset).unwrap_or(i64::MAX);
    for app in per_application {
        let wanted = limit.saturating_sub(grants.len());
        if wanted == 0 {
            break;
        }
        if skip >= app.selected {
            skip -= app.selected;
            continue;
        }
        let window = ReviewWindow {
            application: app.application_id,
            offset: skip,
            limit: i64::try_from(wanted).unwrap_or(i64::MAX),
        };
        grants.extend(tx.review_grants(filter, ReviewRows::Window(window)).await?);
        skip = 0;
    }
    Ok(grants)
}

/// A digest of the grant set: which application holds which secret, nothing else, so it
/// changes exactly when a grant is added or revoked.
pub(crate) fn grant_digest(grants: &[ModelGrantRecord]) -> String {
    let mut lines: Vec<String> = grants
        .iter()
        .map(|g| format!("{}\t{}\n", g.grant.application_name, g.secret_id.as_str()))
        .collect();
    lines.sort();
    let mut hash = Sha256::new();
    for line in &lines {
        hash.update(line.as_bytes());
    }
    hex::encode(hash.finalize())
}
