//! Signing in: the back-off holds under simultaneous guesses and across nodes, and taking an
//! account back (reset, end sessions) shuts out whatever the intruder holds.

use backend::password::Password;
use backend::store::postgres::PgStore;
use backend::{Caller, Keyring, ServiceError, Services, UserChange};
use domain::{TokenId, UserName};
use std::sync::Arc;

use crate::support::{TestClock, World};

fn pw(s: &str) -> Password {
    Password::new(s.into())
}

/// How many of `n` simultaneous wrong guesses were checked (401) and how many held back (429).
/// Bursts stay small enough that two tests running at once fit the hashing pool (66 places on
/// two cores); past it, guesses are refused as busy, which the HTTP tests cover.
async fn burst(services: &Services, name: &str, n: usize) -> (usize, usize) {
    let guesses = (0..n).map(|_| services.sign_in(name, pw("wrong-password")));
    let results = futures::future::join_all(guesses).await;
    let checked = results
        .iter()
        .filter(|r| matches!(r, Err(ServiceError::Unauthenticated)))
        .count();
    let held = results
        .iter()
        .filter(|r| matches!(r, Err(ServiceError::TooManyAttempts { .. })))
        .count();
    (checked, held)
}

#[tokio::test]
async fn simultaneous_guesses_cannot_slip_past_the_back_off() {
    let w = World::new().await;
    let (checked, held) = burst(&w.h.services, "writer", 25).await;
    assert_eq!(
        (checked, held),
        (4, 21),
        "three free guesses and the one that starts the block"
    );
}

#[tokio::test]
async fn a_burst_blocks_the_owner_for_seconds_not_minutes() {
    let w = World::new().await;
    let s = &w.h.services;
    burst(s, "Writer", 20).await;
    let held = s
        .sign_in("writer", pw("password-123"))
        .await
        .expect_err("blocked, whatever the case of the name");
    assert!(
        matches!(
            held,
            ServiceError::TooManyAttempts {
                retry_after_secs: 2
            }
        ),
        "{held:?}"
    );
    w.h.clock.advance(2_000);
    s.sign_in("writer", pw("password-123"))
        .await
        .expect("the owner gets back in");
    assert_eq!(
        burst(s, "writer", 10).await,
        (4, 6),
        "and a success starts afresh"
    );
}

#[tokio::test]
async fn names_that_cannot_exist_are_refused_without_a_record() {
    let w = World::new().await;
    let long = "a".repeat(2_000_000);
    for _ in 0..10 {
        let e = w.h.services.sign_in(&long, pw("x")).await.expect_err("no");
        assert!(matches!(e, ServiceError::Unauthenticated));
    }
    assert_eq!(w.h.count("select count(*) from login_throttle").await, 0);
}

#[tokio::test]
async fn nodes_on_one_postgres_share_the_back_off() {
    let Some(url) = testkit::postgres_url("the shared sign-in back-off on PostgreSQL") else {
        return;
    };
    let database = testkit::pg::TestDatabase::create(&url).await;
    let url = database.url.clone();
    let dir = tempfile::tempdir().expect("dir");
    let keys = Arc::new(Keyring::open(&dir.path().join("master.key"), true).expect("keys"));
    let clock = Arc::new(TestClock::at(1_767_225_600_000));
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let store = PgStore::connect(&url).await.expect("postgres");
        nodes.push(Services::new(Arc::new(store), keys.clone(), clock.clone()));
    }
    nodes[0].ensure_master_key().await.expect("key");
    nodes[0]
        .create_user(
            &Caller::system(),
            &UserName::parse("alice").expect("n"),
            pw("password-123"),
            false,
        )
        .await
        .expect("user");
    let both = futures::future::join(burst(&nodes[0], "alice", 12), burst(&nodes[1], "alice", 12));
    let ((c0, h0), (c1, h1)) = both.await;
    assert_eq!((c0 + c1, h0 + h1), (4, 20), "one back-off for both nodes");
}

#[tokio::test]
async fn a_password_reset_or_ending_sessions_revokes_personal_tokens() {
    let w = World::new().await;
    let s = &w.h.services;
    let sys = Caller::system();
    let writer = UserName::parse("writer").expect("n");
    for end in ["reset", "end sessions"] {
        let (_, token) = s
            .create_personal_token(&w.writer, "laptop")
            .await
            .expect("token");
        let signed_in = s.now();
        w.h.clock.advance(1_000);
        match end {
            "reset" => s.reset_password(&sys, &writer, pw("a-new-password")).await,
            _ => s.end_sessions(&sys, &writer).await,
        }
        .expect("done");
        assert!(
            s.authenticate_token(token.expose()).await.is_err(),
            "{end}: the token is revoked"
        );
        let user = s
            .sign_in("writer", pw("a-new-password"))
            .await
            .expect("the new password works");
        assert!(
            !s.session_valid(user.id, signed_in).await.expect("check"),
            "{end}: the earlier session is over"
        );
        w.h.clock.advance(1_000);
    }
}

#[tokio::test]
async fn a_superuser_lists_and_revokes_another_users_tokens() {
    let w = World::new().await;
    let s = &w.h.services;
    let writer = UserName::parse("writer").expect("n");
    let (record, token) = s
        .create_personal_token(&w.writer, "laptop")
        .await
        .expect("token");
    let listed = s.user_tokens(&w.superuser, &writer).await.expect("list");
    assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), [record.id]);
    let refused = s
        .revoke_user_token(&w.admin, &writer, record.id)
        .await
        .expect_err("a model admin is no superuser");
    assert!(matches!(refused, ServiceError::Forbidden(_)));
    let missing = s
        .revoke_user_token(&w.superuser, &writer, TokenId(record.id.0 + 1000))
        .await
        .expect_err("no such token");
    assert!(matches!(missing, ServiceError::NotFound(_)));
    s.revoke_user_token(&w.superuser, &writer, record.id)
        .await
        .expect("revoked");
    assert!(s.authenticate_token(token.expose()).await.is_err());
}

#[tokio::test]
async fn a_user_change_with_a_bad_password_changes_nothing() {
    let w = World::new().await;
    let before = w.h.state().await;
    let change = UserChange {
        superuser: Some(true),
        password: Some(pw("short")),
    };
    let e =
        w.h.services
            .change_user(&w.superuser, &UserName::parse("writer").expect("n"), change)
            .await
            .expect_err("too short");
    assert!(matches!(e, ServiceError::Invalid(_)), "{e:?}");
    assert_eq!(w.h.state().await, before, "not even the flag");
}

#[tokio::test]
async fn user_management_checks_permission_before_anything_else() {
    let w = World::new().await;
    let name = UserName::parse("mallory").expect("n");
    for caller in [&w.app, &w.admin] {
        let created =
            w.h.services
                .create_user(caller, &name, pw("short"), false)
                .await
                .expect_err("refused");
        assert!(
            matches!(created, ServiceError::Forbidden(_)),
            "refused for who they are, not for the password: {created:?}"
        );
        let reset =
            w.h.services
                .reset_password(caller, &UserName::parse("writer").expect("n"), pw("short"))
                .await
                .expect_err("refused");
        assert!(matches!(reset, ServiceError::Forbidden(_)), "{reset:?}");
    }
}
