//! The review page's data from the review use case: one page of rows, one matrix window.

use std::collections::HashMap;

use backend::service::{ReviewMatrix, ReviewPage, ReviewedGrant};
use domain::ReviewFlag;

use crate::api::review::ReviewView;
use crate::types::{
    DueRow, GrantChangeView, MatrixWindow, OverviewData, RecentEvent, ReviewPageData, ReviewRow,
    ReviewStatusView, SignOffView,
};

pub fn review_row(g: &ReviewedGrant) -> ReviewRow {
    let r = &g.grant;
    ReviewRow {
        application: r.application_name.to_string(),
        secret_id: r.secret_id.to_string(),
        secret_name: r.secret_name.as_ref().map(ToString::to_string),
        granted_by: r.granted_by.clone(),
        granted_at: r.granted_at,
        last_read_at: r.last_read_at,
        reads_30d: r.recent_reads,
        tracked: r.tracked.map(|t| t.get()),
        latest: r.latest.get(),
        behind_since: r
            .behind_since
            .filter(|_| g.flags.contains(&ReviewFlag::Behind)),
        flags: g.flags.clone(),
    }
}

pub fn review_page_data(page: ReviewPage, view: &ReviewView) -> ReviewPageData {
    let all = page.all.as_deref().unwrap_or_default();
    let to_revoke = all
        .iter()
        .filter(|g| {
            let key = format!("{}/{}", g.grant.application_name, g.grant.secret_id);
            view.revoke.contains(&key)
                || (view.revoke_stale && g.flags.contains(&ReviewFlag::Stale))
        })
        .map(review_row)
        .collect();
    ReviewPageData {
        rows: page.review.grants.iter().map(review_row).collect(),
        offset: page.review.offset.min(page.review.total),
        total: page.review.total,
        considered: page.review.considered,
        flag_counts: page.review.flag_counts.clone(),
        stale_days: page.review.stale_days.get(),
        can: page.review.capabilities,
        applications: page.applications.iter().map(ToString::to_string).collect(),
        status: status_view(&page.status),
        to_revoke,
        matrix: page.matrix.as_ref().map(matrix_window),
        now: page.review.generated_at,
    }
}

/// The matrix window the service read, as the page draws it.
fn matrix_window(m: &ReviewMatrix) -> MatrixWindow {
    let flags: HashMap<(&str, &str), &Vec<ReviewFlag>> = m
        .grants
        .iter()
        .map(|g| {
            let key = (
                g.grant.application_name.as_str(),
                g.grant.secret_id.as_str(),
            );
            (key, &g.flags)
        })
        .collect();
    let cells = m
        .applications
        .iter()
        .map(|app| {
            m.secrets
                .iter()
                .map(|(id, _)| {
                    flags
                        .get(&(app.as_str(), id.as_str()))
                        .map(|f| (*f).clone())
                })
                .collect()
        })
        .collect();
    MatrixWindow {
        applications: m.applications.iter().map(ToString::to_string).collect(),
        secrets: m
            .secrets
            .iter()
            .map(|(id, name)| {
                let label = name
                    .as_ref()
                    .map_or_else(|| id.to_string(), ToString::to_string);
                (id.to_string(), label)
            })
            .collect(),
        cells,
        row_offset: m.row_offset,
        column_offset: m.column_offset,
        total_applications: m.total_applications,
        total_secrets: m.total_secrets,
    }
}

pub fn status_view(status: &backend::service::ReviewStatus) -> ReviewStatusView {
    ReviewStatusView {
        last: status.last.as_ref().map(|s| SignOffView {
            reviewed_by: s.reviewed_by.clone(),
            reviewed_at: s.reviewed_at,
            note: s.note.clone(),
            grant_count: s.grant_count,
        }),
        unchanged: status.unchanged,
        changes: status
            .changes
            .iter()
            .map(|e| GrantChangeView {
                at: e.event.at,
                actor: e.event.actor.name.clone(),
                added: e.event.action == backend::audit::AuditAction::SecretGrant,
                secret_id: e.event.secret.as_ref().map(ToString::to_string),
                detail: e.event.detail.clone(),
            })
            .collect(),
    }
}

pub fn overview_data(o: backend::service::ModelOverview) -> OverviewData {
    OverviewData {
        secrets: o.counts.secrets,
        applications: o.counts.applications,
        grants: i64::try_from(o.review.considered).unwrap_or(i64::MAX),
        flag_counts: o.review.flag_counts.clone(),
        behind: o.behind.iter().map(|(a, n)| (a.to_string(), *n)).collect(),
        due: o
            .due
            .iter()
            .map(|d| DueRow {
                secret_id: d.secret_id.to_string(),
                label: d
                    .label
                    .as_ref()
                    .map_or_else(|| d.secret_id.to_string(), ToString::to_string),
                owner: d.owner.to_string(),
                rotate_at: d.rotate_at,
                expire_at: d.expire_at,
            })
            .collect(),
        recent: o
            .recent
            .iter()
            .map(|e| RecentEvent {
                at: e.event.at,
                actor: e.event.actor.name.clone(),
                action: e.event.action.to_string(),
                denied: e.event.outcome == backend::audit::Outcome::Denied,
                secret_id: e.event.secret.as_ref().map(ToString::to_string),
                detail: e.event.detail.clone(),
            })
            .collect(),
        status: status_view(&o.status),
        can: o.review.capabilities,
    }
}
