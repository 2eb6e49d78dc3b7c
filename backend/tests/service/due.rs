//! Rotation and expiry fall due (Juju's `secret-rotate`, `secret-expired`): the owner is told,
//! told again every five minutes until it acts, and each notice is audited.

use crate::support::*;
use backend::service::{NewSecret, SecretUpdate};
use domain::{EventKind, RotatePolicy};

const MINUTE: i64 = 60_000;

async fn told(w: &World) -> Vec<(EventKind, Option<i64>)> {
    let backend::Actor::Application { id, .. } = &w.app.actor else {
        panic!("an application");
    };
    // From the start of the log: the position only the server can seal.
    let start = w.h.keys.seal_cursor(*id, 0).expect("cursor");
    let batch =
        w.h.services
            .app_events(&w.app, Some(&start), false)
            .await
            .expect("events");
    batch
        .events
        .iter()
        .map(|e| (e.kind, e.revision.map(domain::RevisionNumber::get)))
        .collect()
}

#[tokio::test]
async fn the_owner_is_told_when_rotation_and_expiry_fall_due_until_it_acts() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let now = backend::Clock::now(&*w.h.clock);
    let cert = NewSecret {
        rotate_policy: RotatePolicy::Hourly,
        expire_at: Some(now.plus_millis(60 * MINUTE)),
        ..new_secret("cert", "key=one")
    };
    s.add_secret(&w.app, m, cert).await.expect("own secret");
    assert_eq!(
        s.announce_due().await.expect("due"),
        0,
        "nothing is due yet"
    );

    w.h.clock.advance(61 * MINUTE);
    assert_eq!(s.announce_due().await.expect("due"), 2);
    let both = [
        (EventKind::SecretRotate, None),
        (EventKind::SecretExpired, Some(1)),
    ];
    assert_eq!(told(&w).await, both);
    assert_eq!(
        s.announce_due().await.expect("due"),
        0,
        "told once per five minutes"
    );
    let audited = "select count(*) from audit_event where action in ('rotate-due', 'expiry-due')";
    assert_eq!(w.h.count(audited).await, 2);

    w.h.clock.advance(5 * MINUTE);
    assert_eq!(
        s.announce_due().await.expect("due"),
        2,
        "told again: nothing was done"
    );

    let update = SecretUpdate {
        content: Some(content("key=two")),
        ..SecretUpdate::default()
    };
    s.update_secret(&w.app, m, &sref("cert"), update)
        .await
        .expect("a new revision");
    w.h.clock.advance(10 * MINUTE);
    assert_eq!(
        s.announce_due().await.expect("due"),
        0,
        "the new revision is the rotation, and it does not expire"
    );
    w.h.clock.advance(60 * MINUTE);
    assert_eq!(
        s.announce_due().await.expect("due"),
        1,
        "the next rotation, an hour on"
    );
    assert_eq!(w.h.count(audited).await, 5);
}

/// Juju's `secret-remove` hook: the owner hears of each revision no application tracks any
/// more. (Application secrets are not granted to others here, so the tracker is the owner.)
#[tokio::test]
async fn the_owner_hears_when_a_revision_is_tracked_by_no_one() {
    use backend::service::ReadMode;
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.app, m, new_secret("cert", "key=one"))
        .await
        .expect("own secret");
    let read = async |mode| {
        s.read_content(&w.app, m, &sref("cert"), mode)
            .await
            .expect("read");
    };
    let update = async |text: &str| {
        let change = SecretUpdate {
            content: Some(content(text)),
            ..SecretUpdate::default()
        };
        s.update_secret(&w.app, m, &sref("cert"), change)
            .await
            .expect("update");
    };
    read(ReadMode::Tracked).await;
    update("key=two").await;
    assert_eq!(told(&w).await, [], "revision 1 is still tracked");
    read(ReadMode::Refresh).await;
    assert_eq!(told(&w).await, [(EventKind::RevisionObsolete, Some(1))]);
    read(ReadMode::Peek).await;
    update("key=three").await;
    assert_eq!(
        told(&w).await,
        [(EventKind::RevisionObsolete, Some(1))],
        "revision 2 is still tracked"
    );
}
