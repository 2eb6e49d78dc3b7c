//! Revision semantics (juju-secrets.md §3): dedup by checksum, obsolete revisions, tracking,
//! auto-prune, and removal.

use backend::service::{ReadMode, RemoveOutcome, SecretUpdate};
use backend::{Caller, ServiceError};
use domain::RevisionNumber;

use crate::support::{World, app_name, content, new_secret, sref};

fn rev(n: i64) -> RevisionNumber {
    RevisionNumber::new(n).expect("positive")
}

fn new_content(text: &str) -> SecretUpdate {
    SecretUpdate {
        content: Some(content(text)),
        ..SecretUpdate::default()
    }
}

/// (revision, obsolete, tracked by) for each revision, oldest first.
async fn history(w: &World, name: &str) -> Vec<(i64, bool, Vec<String>)> {
    let details =
        w.h.services
            .show_secret(&w.reader, &w.model, &sref(name))
            .await
            .expect("show");
    details
        .revisions
        .into_iter()
        .map(|r| {
            (
                r.meta.revision.get(),
                r.obsolete,
                r.tracked_by.iter().map(ToString::to_string).collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn identical_content_makes_no_revision_but_metadata_still_changes() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("cfg", "token=same\nport=5432"))
        .await
        .expect("add");
    w.h.clock.advance(60_000);
    let update = SecretUpdate {
        description: Some(domain::Description::parse("the db").expect("d")),
        ..new_content("port=5432\ntoken=same")
    };
    let out = s
        .update_secret(&w.writer, m, &sref("cfg"), update)
        .await
        .expect("update");
    assert_eq!(out.new_revision, None);
    assert_eq!(out.secret.latest_revision, rev(1));
    assert_eq!(out.secret.description.as_str(), "the db");
    assert!(
        out.secret.updated_at > out.secret.created_at,
        "metadata update bumps `updated`"
    );
    let out = s
        .update_secret(
            &w.writer,
            m,
            &sref("cfg"),
            new_content("token=new\nport=5432"),
        )
        .await
        .expect("update");
    assert_eq!(out.new_revision, Some(rev(2)));
}

#[tokio::test]
async fn auto_prune_is_off_by_default_and_old_revisions_become_obsolete() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let added = s
        .add_secret(&w.writer, m, new_secret("cfg", "token=1"))
        .await
        .expect("add");
    assert!(!added.auto_prune, "auto-prune is opt-in");
    for v in 2..=3 {
        s.update_secret(
            &w.writer,
            m,
            &sref("cfg"),
            new_content(&format!("token={v}")),
        )
        .await
        .expect("update");
    }
    assert_eq!(
        history(&w, "cfg").await,
        vec![(1, true, vec![]), (2, true, vec![]), (3, false, vec![])]
    );

    let on = SecretUpdate {
        auto_prune: Some(true),
        ..SecretUpdate::default()
    };
    let out = s
        .update_secret(&w.writer, m, &sref("cfg"), on)
        .await
        .expect("turn on");
    assert_eq!(
        out.pruned,
        vec![rev(1), rev(2)],
        "turning auto-prune on prunes what is obsolete"
    );
    assert_eq!(
        history(&w, "cfg").await,
        vec![(3, false, vec![])],
        "the latest is never pruned"
    );
    let pruned =
        w.h.count("select count(*) from audit_event where action = 'revision-prune'")
            .await;
    assert_eq!(pruned, 2, "each pruned revision is audited");
}

#[tokio::test]
async fn tracking_peek_refresh_and_prune_never_touches_a_tracked_revision() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let uri = granted_db(&w, "mysql", true).await;

    let first = s
        .read_content(&w.app, m, &uri, ReadMode::Tracked)
        .await
        .expect("first read");
    assert_eq!(first.revision, rev(1), "the first read tracks the latest");
    s.update_secret(&w.writer, m, &sref("db"), new_content("password=two"))
        .await
        .expect("update");
    assert_eq!(
        history(&w, "db").await,
        vec![(1, false, vec!["mysql".into()]), (2, false, vec![])]
    );

    let again = s
        .read_content(&w.app, m, &uri, ReadMode::Tracked)
        .await
        .expect("read");
    assert_eq!(again.revision, rev(1), "still tracking revision 1");
    let peek = s
        .read_content(&w.app, m, &uri, ReadMode::Peek)
        .await
        .expect("peek");
    assert_eq!(peek.revision, rev(2));
    assert_eq!(peek.content.decoded()["password"], b"two");
    assert_eq!(
        history(&w, "db").await[0],
        (1, false, vec!["mysql".into()]),
        "peek does not move tracking"
    );

    let refreshed = s
        .read_content(&w.app, m, &uri, ReadMode::Refresh)
        .await
        .expect("refresh");
    assert_eq!(refreshed.revision, rev(2));
    assert_eq!(
        history(&w, "db").await,
        vec![(2, false, vec!["mysql".into()])],
        "revision 1 became obsolete and was pruned"
    );
}

#[tokio::test]
async fn without_auto_prune_a_revision_left_behind_stays_as_obsolete() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let uri = granted_db(&w, "mysql", false).await;
    s.read_content(&w.app, m, &uri, ReadMode::Tracked)
        .await
        .expect("track 1");
    s.update_secret(&w.writer, m, &sref("db"), new_content("password=two"))
        .await
        .expect("update");
    s.read_content(&w.app, m, &uri, ReadMode::Refresh)
        .await
        .expect("refresh");
    assert_eq!(
        history(&w, "db").await,
        vec![(1, true, vec![]), (2, false, vec!["mysql".into()])]
    );
}

#[tokio::test]
async fn removing_revisions_and_the_last_one_removes_the_secret() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("cfg", "token=1"))
        .await
        .expect("add");
    for v in 2..=3 {
        s.update_secret(
            &w.writer,
            m,
            &sref("cfg"),
            new_content(&format!("token={v}")),
        )
        .await
        .expect("update");
    }
    let out = s
        .remove_secret(&w.writer, m, &sref("cfg"), Some(rev(3)))
        .await
        .expect("remove latest");
    assert!(matches!(out, RemoveOutcome::RevisionRemoved(_, r) if r == rev(3)));
    let details = s
        .show_secret(&w.reader, m, &sref("cfg"))
        .await
        .expect("show");
    assert_eq!(
        details.secret.latest_revision,
        rev(2),
        "the newest remaining revision is the latest"
    );
    let out = s
        .update_secret(&w.writer, m, &sref("cfg"), new_content("token=4"))
        .await
        .expect("update");
    assert_eq!(
        out.new_revision,
        Some(rev(4)),
        "a removed revision number is never reused"
    );

    for r in [1, 2] {
        s.remove_secret(&w.writer, m, &sref("cfg"), Some(rev(r)))
            .await
            .expect("remove");
    }
    let out = s
        .remove_secret(&w.writer, m, &sref("cfg"), Some(rev(4)))
        .await
        .expect("remove last");
    assert!(matches!(out, RemoveOutcome::SecretRemoved(_)));
    let err = s
        .show_secret(&w.reader, m, &sref("cfg"))
        .await
        .expect_err("gone");
    assert!(matches!(err, ServiceError::NotFound(_)));
    assert_eq!(w.h.count("select count(*) from secret_revision").await, 0);
}

#[tokio::test]
async fn removing_an_application_releases_what_it_tracked() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let uri = granted_db(&w, "wordpress", true).await;
    s.read_content(&w.other_app, m, &uri, ReadMode::Tracked)
        .await
        .expect("track 1");
    s.update_secret(&w.writer, m, &sref("db"), new_content("password=two"))
        .await
        .expect("update");
    assert_eq!(history(&w, "db").await.len(), 2);
    s.remove_application(&Caller::system(), m, &app_name("wordpress"))
        .await
        .expect("remove app");
    assert_eq!(history(&w, "db").await, vec![(2, false, vec![])]);
    assert_eq!(w.h.count("select count(*) from secret_grant").await, 0);
}

async fn history_uri(w: &World, name: &str) -> String {
    let details =
        w.h.services
            .show_secret(&w.reader, &w.model, &sref(name))
            .await
            .expect("show");
    details.secret.id.uri()
}

/// Secret `db` with `password=one`, granted to `app`, auto-prune as given; returns its URI.
async fn granted_db(w: &World, app: &str, auto_prune: bool) -> backend::service::SecretRef {
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("db", "password=one"))
        .await
        .expect("add");
    s.grant_secret(&w.writer, m, &sref("db"), &[app_name(app)])
        .await
        .expect("grant");
    if auto_prune {
        let on = SecretUpdate {
            auto_prune: Some(true),
            ..SecretUpdate::default()
        };
        s.update_secret(&w.writer, m, &sref("db"), on)
            .await
            .expect("auto-prune on");
    }
    sref(&history_uri(w, "db").await)
}
