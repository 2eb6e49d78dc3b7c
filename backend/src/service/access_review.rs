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
    GrantUsageRecord, ModelGrantRecord, OwnerFilter, ReviewScope, SecretOwner, SignOffRecord, Tx,
    usage_day,
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

/// The review of a model's grants under one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessReview {
    pub stale_days: StaleDays,
    /// The grants the query selects, by application then secret, names in natural order.
    pub grants: Vec<ReviewedGrant>,
    /// How many grants the query's other filters select before the flag filter, and how many
    /// of those carry each flag: the page's summary.
    pub considered: usize,
    pub flag_counts: Vec<(ReviewFlag, usize)>,
    pub capabilities: Capabilities,
    pub generated_at: Timestamp,
}

impl Services {
    /// `access_review` handed out of Strongbox (the API's JSON and CSV, the CLI, the
    /// dashboard's download): the export is audited.
    #[tracing::instrument(skip_all)]
    pub async fn export_access_review(
        &self,
        caller: &Caller,
        model: &ModelName,
        query: &ReviewQuery,
    ) -> ServiceResult<AccessReview> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let review = self.review_in(&mut *tx, &scope, query).await?;
        drop(tx);
        let subject = Subject::model(&scope.model).detail(format!(
            "exported {} grants of the access review",
            review.grants.len()
        ));
        self.journaled(caller, AuditAction::AccessReviewExport, subject)
            .await?;
        Ok(review)
    }

    pub(super) async fn review_in(
        &self,
        tx: &mut dyn Tx,
        scope: &Scope,
        query: &ReviewQuery,
    ) -> ServiceResult<AccessReview> {
        let now = self.clock.now();
        let application = match &query.application {
            Some(name) => Some(application_named(tx, &scope.model, name).await?.id),
            None => None,
        };
        let secret = match &query.secret {
            Some(s) => Some(self.secret_id_of(tx, scope, s, SecretOwner::Model).await?),
            None => None,
        };
        let review_scope = ReviewScope {
            model: scope.model.id,
            application,
            secret,
            recent_from_day: usage_day(now) - (RECENT_DAYS - 1),
        };
        let mut grants: Vec<ReviewedGrant> = tx
            .grant_usage(&review_scope)
            .await?
            .into_iter()
            .filter(|g| owned_as(&query.owner, g))
            .map(|grant| ReviewedGrant {
                flags: flags_of(&grant, now, query.stale_days),
                grant,
            })
            .collect();
        let considered = grants.len();
        let flag_counts = ReviewFlag::ALL
            .into_iter()
            .map(|f| (f, grants.iter().filter(|g| g.flags.contains(&f)).count()))
            .collect();
        if !query.flags.is_empty() {
            grants.retain(|g| g.flags.iter().any(|f| query.flags.contains(f)));
        }
        grants.sort_by_cached_key(|g| {
            let secret = g.grant.secret_name.as_ref().map(|n| n.to_string());
            (
                natural_sort_key(g.grant.application_name.as_str()),
                natural_sort_key(secret.as_deref().unwrap_or(g.grant.secret_id.as_str())),
                g.grant.secret_id.clone(),
            )
        });
        Ok(AccessReview {
            stale_days: query.stale_days,
            grants,
            considered,
            flag_counts,
            capabilities: scope.role.capabilities(),
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

/// What the review says of one grant at `now`.
fn flags_of(grant: &GrantUsageRecord, now: Timestamp, stale: StaleDays) -> Vec<ReviewFlag> {
    let cutoff = now.millis() - stale.millis();
    let mut flags = Vec::new();
    if grant.last_read_at.is_none() {
        flags.push(ReviewFlag::NeverRead);
    }
    // A grant never read is stale once it has been held that long.
    let last_use = grant.last_read_at.unwrap_or(grant.granted_at);
    if last_use.millis() < cutoff {
        flags.push(ReviewFlag::Stale);
    }
    if grant.tracked.is_some_and(|t| t < grant.latest) {
        flags.push(ReviewFlag::Behind);
    }
    if !grant.live_token {
        flags.push(ReviewFlag::NoToken);
    }
    flags
}

fn owned_as(owner: &OwnerFilter, grant: &GrantUsageRecord) -> bool {
    match owner {
        OwnerFilter::Any => true,
        OwnerFilter::Model => grant.owner.is_none(),
        OwnerFilter::Application(app) => grant.owner.as_ref() == Some(app),
    }
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
