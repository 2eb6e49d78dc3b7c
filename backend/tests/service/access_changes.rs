//! Setting grants in one step, and the key-level diff.

use backend::ServiceError;
use backend::service::{AccessChange, SecretUpdate};
use domain::RevisionNumber;

use crate::support::{World, app_name, content, new_secret, sref};

#[tokio::test]
async fn grants_and_revokes_happen_together_or_not_at_all() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("shared", "token=t"))
        .await
        .expect("add");
    s.grant_secret(&w.writer, m, &sref("shared"), &[app_name("mysql")])
        .await
        .expect("grant");

    let bad = AccessChange {
        grant: vec![app_name("wordpress")],
        revoke: vec![app_name("ghost")],
    };
    let err = s
        .set_access(&w.writer, m, &sref("shared"), &bad)
        .await
        .expect_err("unknown app");
    assert_eq!(err.to_string(), "application \"ghost\" not found");
    assert_eq!(
        w.h.count("select count(*) from secret_grant").await,
        1,
        "nothing changed"
    );

    let swap = AccessChange {
        grant: vec![app_name("wordpress")],
        revoke: vec![app_name("mysql")],
    };
    let done = s
        .set_access(&w.writer, m, &sref("shared"), &swap)
        .await
        .expect("swap");
    assert_eq!(
        (done.granted, done.revoked),
        (vec![app_name("wordpress")], vec![app_name("mysql")])
    );
    let grants = s
        .show_secret(&w.reader, m, &sref("shared"))
        .await
        .expect("show")
        .grants;
    assert_eq!(
        grants
            .iter()
            .map(|g| g.application_name.to_string())
            .collect::<Vec<_>>(),
        ["wordpress"]
    );

    let refused = s
        .set_access(&w.reader, m, &sref("shared"), &swap)
        .await
        .expect_err("reader");
    assert!(matches!(refused, ServiceError::Forbidden(_)));
}

#[tokio::test]
async fn the_diff_names_keys_and_never_values() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("cfg", "keep=1\nedit=2\ngone=3"))
        .await
        .expect("add");
    let update = SecretUpdate {
        content: Some(content("keep=1\nedit=changed\nfresh=4")),
        ..SecretUpdate::default()
    };
    s.update_secret(&w.writer, m, &sref("cfg"), update)
        .await
        .expect("update");
    let rev = |n| RevisionNumber::new(n).expect("n");
    let diff = s
        .diff_revisions(&w.reader, m, &sref("cfg"), (rev(1), rev(2)))
        .await
        .expect("diff");
    let names = |v: &Vec<domain::SecretKey>| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(names(&diff.added), ["fresh"]);
    assert_eq!(names(&diff.removed), ["gone"]);
    assert_eq!(names(&diff.changed), ["edit"]);
    assert_eq!(names(&diff.unchanged), ["keep"]);
    let reveals =
        w.h.count("select count(*) from audit_event where action = 'secret-reveal'")
            .await;
    assert_eq!(reveals, 0, "a diff is not a reveal");
    let missing = s
        .diff_revisions(&w.reader, m, &sref("cfg"), (rev(1), rev(9)))
        .await
        .expect_err("no revision 9");
    assert!(
        missing.to_string().starts_with("revision 9 for secret"),
        "{missing}"
    );
    let outsider = s
        .diff_revisions(&w.outsider, m, &sref("cfg"), (rev(1), rev(2)))
        .await
        .expect_err("outsider");
    assert!(matches!(outsider, ServiceError::NotFound(_)));
}

#[tokio::test]
async fn ending_sessions_invalidates_earlier_sign_ins_only() {
    let w = World::new().await;
    let (s, sys) = (&w.h.services, backend::Caller::system());
    let user = s
        .sign_in(
            "writer",
            backend::password::Password::new("password-123".into()),
        )
        .await
        .expect("login");
    let signed_in = s.now();
    assert!(s.session_valid(user.id, signed_in).await.expect("check"));
    w.h.clock.advance(1_000);
    s.end_sessions(&sys, &user.name).await.expect("end");
    assert!(
        !s.session_valid(user.id, signed_in).await.expect("check"),
        "the old session is over"
    );
    w.h.clock.advance(1_000);
    assert!(
        s.session_valid(user.id, s.now()).await.expect("check"),
        "a new sign-in works"
    );
    let refused = s
        .end_sessions(&w.admin, &user.name)
        .await
        .expect_err("not a superuser");
    assert!(matches!(refused, ServiceError::Forbidden(_)));
}

#[tokio::test]
async fn personal_tokens_act_as_their_owner_until_revoked() {
    let w = World::new().await;
    let s = &w.h.services;
    let (record, token) = s
        .create_personal_token(&w.writer, "laptop")
        .await
        .expect("token");
    assert!(token.expose().starts_with("sbxp_"));
    let caller = s
        .authenticate_token(token.expose())
        .await
        .expect("token works");
    assert_eq!(caller.actor, w.writer.actor, "the token is the writer");
    s.add_secret(
        &caller,
        &w.model,
        crate::support::new_secret("via-token", "token=t"),
    )
    .await
    .expect("writes as writer");
    let refused = s
        .reveal(&caller, &w.model, &sref("via-token"), None)
        .await
        .expect_err("not an admin");
    assert!(
        matches!(refused, ServiceError::Forbidden(_)),
        "a token has its owner's level, no more"
    );
    assert_eq!(s.personal_tokens(&w.writer).await.expect("list").len(), 1);
    assert!(
        s.personal_tokens(&w.reader).await.expect("list").is_empty(),
        "tokens are per person"
    );
    let other = s
        .revoke_personal_token(&w.reader, record.id)
        .await
        .expect_err("not theirs");
    assert!(matches!(other, ServiceError::NotFound(_)));
    s.revoke_personal_token(&w.writer, record.id)
        .await
        .expect("revoke");
    let gone = s
        .authenticate_token(token.expose())
        .await
        .expect_err("revoked");
    assert!(matches!(gone, ServiceError::Unauthenticated));
    let app = s
        .create_personal_token(&w.app, "x")
        .await
        .expect_err("applications have no personal tokens");
    assert!(matches!(app, ServiceError::Forbidden(_)));
}

#[tokio::test]
async fn the_grants_become_exactly_the_wanted_set_in_one_step() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let added = s
        .add_secret(&w.writer, m, new_secret("checked", "token=t"))
        .await
        .expect("add");
    s.grant_secret(&w.writer, m, &sref("checked"), &[app_name("mysql")])
        .await
        .expect("grant");
    let granted = |s: &backend::Services| {
        let reader = w.reader.clone();
        let m = m.clone();
        let s = s.clone();
        async move {
            let grants = s
                .show_secret(&reader, &m, &sref("checked"))
                .await
                .expect("show")
                .grants;
            grants
                .iter()
                .map(|g| g.application_name.to_string())
                .collect::<Vec<_>>()
        }
    };

    let err = s
        .set_grants(
            &w.writer,
            m,
            &sref("checked"),
            &[app_name("wordpress"), app_name("ghost")],
        )
        .await
        .expect_err("unknown app");
    assert_eq!(err.to_string(), "application \"ghost\" not found");
    assert_eq!(granted(s).await, ["mysql"], "nothing changed");

    let (id, done) = s
        .set_grants(&w.writer, m, &sref("checked"), &[app_name("wordpress")])
        .await
        .expect("set");
    assert_eq!(id, added.id);
    assert_eq!(
        (done.granted, done.revoked),
        (vec![app_name("wordpress")], vec![app_name("mysql")])
    );
    assert_eq!(granted(s).await, ["wordpress"]);

    let (_, unchanged) = s
        .set_grants(&w.writer, m, &sref("checked"), &[app_name("wordpress")])
        .await
        .expect("same set");
    assert!(unchanged.granted.is_empty() && unchanged.revoked.is_empty());

    let refused = s
        .set_grants(&w.reader, m, &sref("checked"), &[])
        .await
        .expect_err("a reader");
    assert!(matches!(refused, ServiceError::Forbidden(_)), "{refused:?}");
    assert_eq!(granted(s).await, ["wordpress"]);
}
