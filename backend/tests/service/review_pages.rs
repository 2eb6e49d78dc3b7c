//! The review page reads a window of the selected grants per application; its pages must
//! add up to the export, in natural name order, and its status must follow grant changes.

use backend::service::{
    AccessReview, MatrixRequest, ReviewPage, ReviewPageRequest, ReviewQuery, ReviewSlice,
};
use domain::{ReviewFlag, SignOffNote};

use crate::support::{World, app_name, new_secret, sref};

const DAY: i64 = 86_400_000;

fn pairs(review: &AccessReview) -> Vec<String> {
    review
        .grants
        .iter()
        .map(|g| {
            let name = g.grant.secret_name.as_ref().expect("named");
            format!("{}/{name}", g.grant.application_name)
        })
        .collect()
}

async fn page_with(w: &World, query: &ReviewQuery, request: ReviewPageRequest) -> ReviewPage {
    w.h.services
        .review_page(&w.reader, &w.model, query, request)
        .await
        .expect("page")
}

async fn page(w: &World, query: &ReviewQuery, offset: usize, limit: usize) -> AccessReview {
    let request = ReviewPageRequest {
        slice: ReviewSlice::Page { offset, limit },
        matrix: None,
        all_grants: false,
    };
    page_with(w, query, request).await.review
}

#[tokio::test]
async fn pages_add_up_to_the_export_in_natural_order() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    for n in 1..=10 {
        let name = format!("key-{n}");
        s.add_secret(&w.writer, m, new_secret(&name, "value=1"))
            .await
            .expect("add");
        let mut to = vec![app_name("mysql")];
        if n % 2 == 1 {
            to.push(app_name("wordpress"));
        }
        s.grant_secret(&w.writer, m, &sref(&name), &to)
            .await
            .expect("grant");
    }
    // A month on, one more grant: the only one not stale.
    w.h.clock.advance(31 * DAY);
    s.add_secret(&w.writer, m, new_secret("fresh", "value=1"))
        .await
        .expect("add");
    s.grant_secret(&w.writer, m, &sref("fresh"), &[app_name("wordpress")])
        .await
        .expect("grant");

    for query in [
        ReviewQuery::default(),
        ReviewQuery {
            flags: vec![ReviewFlag::Stale],
            ..ReviewQuery::default()
        },
    ] {
        let all = s
            .export_access_review(&w.reader, m, &query)
            .await
            .expect("export");
        let mut paged = Vec::new();
        for offset in (0..all.total + 4).step_by(4) {
            let p = page(&w, &query, offset, 4).await;
            assert_eq!((p.total, p.considered), (all.total, all.considered));
            paged.extend(pairs(&p));
        }
        assert_eq!(paged, pairs(&all), "{query:?}");
    }
    let everything = pairs(&page(&w, &ReviewQuery::default(), 0, 100).await);
    assert_eq!(everything.len(), 16);
    assert_eq!(
        everything[..3],
        ["mysql/key-1", "mysql/key-2", "mysql/key-3"],
        "key-2 before key-10"
    );
    assert_eq!(everything[9..11], ["mysql/key-10", "wordpress/fresh"]);
    let stale = ReviewQuery {
        flags: vec![ReviewFlag::Stale],
        ..ReviewQuery::default()
    };
    let stale = page(&w, &stale, 0, 100).await;
    assert_eq!(
        (stale.total, stale.considered),
        (15, 16),
        "fresh is not stale"
    );
    assert!(!pairs(&stale).contains(&"wordpress/fresh".to_string()));

    // The matrix window: columns in natural order, a cell only where a grant is.
    let request = |column_offset| ReviewPageRequest {
        slice: ReviewSlice::Page {
            offset: 0,
            limit: 0,
        },
        matrix: Some(MatrixRequest {
            row_offset: 0,
            rows: 1,
            column_offset,
            columns: 3,
        }),
        all_grants: false,
    };
    let matrix = |p: ReviewPage| {
        let m = p.matrix.expect("matrix");
        let columns: Vec<String> = m
            .secrets
            .iter()
            .map(|(_, name)| name.as_ref().expect("named").to_string())
            .collect();
        let cells: Vec<String> = m
            .grants
            .iter()
            .map(|g| g.grant.application_name.to_string())
            .collect();
        (
            m.applications.len(),
            columns,
            cells,
            m.total_applications,
            m.total_secrets,
        )
    };
    let first = matrix(page_with(&w, &ReviewQuery::default(), request(0)).await);
    assert_eq!(first.0, 1, "one row asked for");
    assert_eq!(first.1, ["fresh", "key-1", "key-2"]);
    assert_eq!(
        first.2,
        ["mysql", "mysql"],
        "mysql holds key-1 and key-2, not fresh"
    );
    assert_eq!((first.3, first.4), (2, 11));
    let last = matrix(page_with(&w, &ReviewQuery::default(), request(9)).await);
    assert_eq!(last.1, ["key-9", "key-10"]);

    // The revoke dialog lists every selected grant, as the export does.
    let stale = ReviewQuery {
        flags: vec![ReviewFlag::Stale],
        ..ReviewQuery::default()
    };
    let dialog = page_with(
        &w,
        &stale,
        ReviewPageRequest {
            slice: ReviewSlice::Page {
                offset: 0,
                limit: 4,
            },
            matrix: None,
            all_grants: true,
        },
    )
    .await;
    let export = s.export_access_review(&w.reader, m, &stale).await;
    assert_eq!(dialog.all, Some(export.expect("export").grants));
    assert_eq!(dialog.review.grants.len(), 4, "the page stays a page");

    let overview = s.model_overview(&w.reader, m).await.expect("overview");
    assert_eq!(
        (overview.counts.secrets, overview.review.considered),
        (11, 16),
        "the overview counts the model's secrets and grants"
    );
}

#[tokio::test]
async fn the_status_says_whether_grants_changed_since_the_sign_off() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    for name in ["db", "cache"] {
        s.add_secret(&w.writer, m, new_secret(name, "value=1"))
            .await
            .expect("add");
    }
    s.grant_secret(&w.writer, m, &sref("db"), &[app_name("mysql")])
        .await
        .expect("grant");
    let note = SignOffNote::parse("quarterly").expect("note");
    s.sign_off_review(&w.admin, m, &note).await.expect("sign");
    let unchanged = || async {
        let p = page_with(
            &w,
            &ReviewQuery::default(),
            ReviewPageRequest {
                slice: ReviewSlice::Page {
                    offset: 0,
                    limit: 10,
                },
                matrix: None,
                all_grants: false,
            },
        )
        .await;
        (p.status.unchanged, p.status.changes.len())
    };
    assert_eq!(unchanged().await, (true, 0));

    w.h.clock.advance(1_000);
    s.grant_secret(&w.writer, m, &sref("cache"), &[app_name("mysql")])
        .await
        .expect("grant");
    assert_eq!(unchanged().await, (false, 1), "a grant added since");
    s.revoke_secret(&w.writer, m, &sref("cache"), &[app_name("mysql")])
        .await
        .expect("revoke");
    assert_eq!(unchanged().await, (true, 2), "back to the signed set");
    s.revoke_secret(&w.writer, m, &sref("db"), &[app_name("mysql")])
        .await
        .expect("revoke");
    assert_eq!(unchanged().await, (false, 3), "a grant removed since");
}
