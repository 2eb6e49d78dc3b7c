//! The permission matrix: every service operation against every kind of caller. Allowed calls
//! succeed; refused ones get 403 or 404 as product spec §2 says, change nothing, and leave a
//! `denied` event in the audit chain.

use backend::audit::Outcome;
use backend::password::Password;
use backend::service::{
    GrantRef, MatrixRequest, ReadMode, ReviewPageRequest, ReviewQuery, ReviewSlice, SecretUpdate,
};
use backend::store::{AuditQuery, SecretQuery};
use backend::{Caller, ServiceError};
use domain::{
    AccessLevel, ApplicationName, ModelName, RevisionNumber, SignOffNote, TokenId, UserName,
};
use std::future::Future;
use std::pin::Pin;

use crate::support::{World, app_name, content, new_secret, sref};

type Fut<'a> = Pin<Box<dyn Future<Output = Result<(), ServiceError>> + Send + 'a>>;
type Op = for<'a> fn(&'a World, &'a Caller, &'a Fixture) -> Fut<'a>;

/// Fresh things for one call to act on, made by the system before the call.
pub struct Fixture {
    secret: backend::service::SecretRef,
    app: ApplicationName,
    user: UserName,
    token: TokenId,
    model: ModelName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Read,
    Write,
    Admin,
    Superuser,
    Application,
    WriteOrApplication,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Reader,
    Writer,
    Admin,
    Superuser,
    App,
    ForeignApp,
    Outsider,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allowed,
    Forbidden,
    NotFound,
}

fn expected(need: Need, who: Who) -> Expect {
    use Expect::{Allowed, Forbidden, NotFound};
    let level = match who {
        Who::Reader => Some(AccessLevel::Read),
        Who::Writer => Some(AccessLevel::Write),
        Who::Admin => Some(AccessLevel::Admin),
        _ => None,
    };
    match (need, who) {
        (Need::Superuser, Who::Superuser) => Allowed,
        (Need::Superuser, _) => Forbidden,
        (_, Who::Outsider | Who::ForeignApp) => NotFound,
        (Need::Application, Who::App) | (Need::WriteOrApplication, Who::App) => Allowed,
        (_, Who::App) => Forbidden,
        (Need::Application, _) => Forbidden,
        (_, Who::Superuser) => Allowed,
        (Need::Read, _) => {
            if level >= Some(AccessLevel::Read) {
                Allowed
            } else {
                Forbidden
            }
        }
        (Need::Write | Need::WriteOrApplication, _) => {
            if level >= Some(AccessLevel::Write) {
                Allowed
            } else {
                Forbidden
            }
        }
        (Need::Admin, _) => {
            if level >= Some(AccessLevel::Admin) {
                Allowed
            } else {
                Forbidden
            }
        }
    }
}

macro_rules! op {
    ($name:ident, |$w:ident, $c:ident, $f:ident| $body:expr) => {
        fn $name<'a>($w: &'a World, $c: &'a Caller, $f: &'a Fixture) -> Fut<'a> {
            Box::pin(async move { $body.map(|_| ()) })
        }
    };
}

op!(list_secrets, |w, c, f| w
    .h
    .services
    .list_secrets(c, &f.model, &SecretQuery::default())
    .await);
op!(show_secret, |w, c, f| w
    .h
    .services
    .show_secret(c, &f.model, &f.secret)
    .await);
op!(grant_review, |w, c, f| w
    .h
    .services
    .grant_review(c, &f.model)
    .await);
op!(audit_events, |w, c, f| w
    .h
    .services
    .audit_events(c, &f.model, AuditQuery::default())
    .await);
op!(secret_overview, |w, c, f| w
    .h
    .services
    .secret_overview(c, &f.model, &f.secret)
    .await);
op!(applications, |w, c, f| w
    .h
    .services
    .applications(c, &f.model)
    .await);
op!(application_names, |w, c, f| w
    .h
    .services
    .application_names(c, &f.model)
    .await);
op!(add_secret, |w, c, f| w
    .h
    .services
    .add_secret(
        c,
        &f.model,
        new_secret(&format!("new-{}", f.user), "token=abc")
    )
    .await);
op!(update_content, |w, c, f| {
    let update = SecretUpdate {
        content: Some(content("token=changed")),
        ..SecretUpdate::default()
    };
    w.h.services
        .update_secret(c, &f.model, &f.secret, update)
        .await
});
op!(update_auto_prune, |w, c, f| {
    let update = SecretUpdate {
        auto_prune: Some(true),
        ..SecretUpdate::default()
    };
    w.h.services
        .update_secret(c, &f.model, &f.secret, update)
        .await
});
op!(remove_revision, |w, c, f| w
    .h
    .services
    .remove_secret(c, &f.model, &f.secret, Some(RevisionNumber::FIRST))
    .await);
op!(remove_secret, |w, c, f| w
    .h
    .services
    .remove_secret(c, &f.model, &f.secret, None)
    .await);
op!(grant, |w, c, f| w
    .h
    .services
    .grant_secret(c, &f.model, &f.secret, &[app_name("wordpress")])
    .await);
op!(revoke, |w, c, f| w
    .h
    .services
    .revoke_secret(c, &f.model, &f.secret, &[app_name("mysql")])
    .await);
op!(reveal, |w, c, f| w
    .h
    .services
    .reveal(c, &f.model, &f.secret, None)
    .await);
op!(read_content, |w, c, f| w
    .h
    .services
    .read_content(c, &f.model, &f.secret, ReadMode::Tracked)
    .await);
op!(set_member, |w, c, f| w
    .h
    .services
    .set_member(c, &f.model, &f.user, AccessLevel::Write)
    .await);
op!(remove_member, |w, c, f| w
    .h
    .services
    .remove_member(c, &f.model, &f.user)
    .await);
op!(members, |w, c, f| w.h.services.members(c, &f.model).await);
op!(add_application, |w, c, f| {
    let name = app_name(&format!("{}-new", f.app));
    w.h.services.add_application(c, &f.model, &name).await
});
op!(remove_application, |w, c, f| w
    .h
    .services
    .remove_application(c, &f.model, &f.app)
    .await);
op!(create_token, |w, c, f| w
    .h
    .services
    .create_application_token(c, &f.model, &f.app, "ci")
    .await);
op!(revoke_token, |w, c, f| w
    .h
    .services
    .revoke_application_token(c, &f.model, &f.app, f.token)
    .await);
op!(create_model, |w, c, f| w
    .h
    .services
    .create_model(c, &crate::support::model(&format!("m-{}", f.user)))
    .await);
op!(create_user, |w, c, f| {
    let name = UserName::parse(&format!("{}-x", f.user)).expect("name");
    w.h.services
        .create_user(c, &name, Password::new("password-123".into()), false)
        .await
});
op!(set_superuser, |w, c, f| w
    .h
    .services
    .set_superuser(c, &f.user, true)
    .await);
op!(reset_password, |w, c, f| w
    .h
    .services
    .reset_password(c, &f.user, Password::new("another-pass".into()))
    .await);
op!(list_users, |w, c, _f| w.h.services.users(c).await);
op!(rotate_master_key, |w, c, _f| w.h.rotate_master_key(c).await);
op!(verify_audit, |w, c, _f| w.h.services.verify_audit(c).await);
op!(set_access, |w, c, f| {
    let change = backend::service::AccessChange {
        grant: vec![app_name("wordpress")],
        revoke: vec![app_name("mysql")],
    };
    w.h.services
        .set_access(c, &f.model, &f.secret, &change)
        .await
});
op!(diff_revisions, |w, c, f| {
    w.h.services
        .diff_revisions(
            c,
            &f.model,
            &f.secret,
            (RevisionNumber::FIRST, RevisionNumber::FIRST.next()),
        )
        .await
});
op!(end_sessions, |w, c, f| w
    .h
    .services
    .end_sessions(c, &f.user)
    .await);
op!(export_access_review, |w, c, f| w
    .h
    .services
    .export_access_review(c, &f.model, &ReviewQuery::default())
    .await);
op!(review_page, |w, c, f| w
    .h
    .services
    .review_page(
        c,
        &f.model,
        &ReviewQuery::default(),
        ReviewPageRequest {
            slice: ReviewSlice::Page {
                offset: 0,
                limit: 100
            },
            matrix: Some(MatrixRequest {
                row_offset: 0,
                rows: 5,
                column_offset: 0,
                columns: 5
            }),
            all_grants: true
        }
    )
    .await);
op!(model_overview, |w, c, f| w
    .h
    .services
    .model_overview(c, &f.model)
    .await);
op!(review_sign_offs, |w, c, f| w
    .h
    .services
    .review_sign_offs(c, &f.model)
    .await);
op!(sign_off_review, |w, c, f| w
    .h
    .services
    .sign_off_review(c, &f.model, &SignOffNote::default())
    .await);
op!(revoke_grants, |w, c, f| {
    let grant = GrantRef {
        application: app_name("mysql"),
        secret: f.secret.clone(),
    };
    w.h.services.revoke_grants(c, &f.model, &[grant]).await
});
op!(users_with_access, |w, c, _f| w
    .h
    .services
    .users_with_access(c)
    .await);

const OPERATIONS: &[(&str, Need, Op)] = &[
    ("list secrets", Need::Read, list_secrets),
    ("show secret", Need::Read, show_secret),
    ("grant review", Need::Read, grant_review),
    ("audit events", Need::Read, audit_events),
    ("secret page", Need::Read, secret_overview),
    ("list applications", Need::Read, applications),
    ("application names", Need::Read, application_names),
    ("add secret", Need::WriteOrApplication, add_secret),
    ("update content", Need::Write, update_content),
    ("update auto-prune", Need::Write, update_auto_prune),
    ("remove revision", Need::Write, remove_revision),
    ("remove secret", Need::Write, remove_secret),
    ("grant", Need::Write, grant),
    ("revoke", Need::Write, revoke),
    ("reveal", Need::Admin, reveal),
    ("read content", Need::Application, read_content),
    ("set member", Need::Admin, set_member),
    ("remove member", Need::Admin, remove_member),
    ("list members", Need::Admin, members),
    ("add application", Need::Admin, add_application),
    ("remove application", Need::Admin, remove_application),
    ("create token", Need::Admin, create_token),
    ("revoke token", Need::Admin, revoke_token),
    ("create model", Need::Superuser, create_model),
    ("create user", Need::Superuser, create_user),
    ("set superuser", Need::Superuser, set_superuser),
    ("reset password", Need::Superuser, reset_password),
    ("list users", Need::Superuser, list_users),
    ("rotate master key", Need::Superuser, rotate_master_key),
    ("verify audit", Need::Superuser, verify_audit),
    ("set access", Need::Write, set_access),
    ("diff revisions", Need::Read, diff_revisions),
    ("end sessions", Need::Superuser, end_sessions),
    ("users with access", Need::Superuser, users_with_access),
    ("export access review", Need::Read, export_access_review),
    ("review sign-offs", Need::Read, review_sign_offs),
    ("review page", Need::Read, review_page),
    ("model overview", Need::Read, model_overview),
    ("sign off review", Need::Admin, sign_off_review),
    ("revoke grants in bulk", Need::Admin, revoke_grants),
];

/// Letters only, so the result is a valid application name segment.
fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

async fn fixture(w: &World, n: usize) -> Fixture {
    let system = Caller::system();
    let tag = letters(n);
    let added =
        w.h.services
            .add_secret(
                &system,
                &w.model,
                new_secret(&format!("s-{tag}"), "token=one"),
            )
            .await
            .expect("secret");
    let secret = sref(&added.id.uri());
    let update = SecretUpdate {
        content: Some(content("token=two")),
        ..SecretUpdate::default()
    };
    w.h.services
        .update_secret(&system, &w.model, &secret, update)
        .await
        .expect("second revision");
    w.h.services
        .grant_secret(&system, &w.model, &secret, &[app_name("mysql")])
        .await
        .expect("grant");
    let app = app_name(&format!("app-{tag}"));
    w.h.services
        .add_application(&system, &w.model, &app)
        .await
        .expect("app");
    let (token, _) =
        w.h.services
            .create_application_token(&system, &w.model, &app, "t")
            .await
            .expect("token");
    let user = UserName::parse(&format!("u-{tag}")).expect("user");
    w.h.services
        .create_user(&system, &user, Password::new("password-123".into()), false)
        .await
        .expect("user");
    w.h.services
        .set_member(&system, &w.model, &user, AccessLevel::Read)
        .await
        .expect("member");
    Fixture {
        secret,
        app,
        user,
        token: token.id,
        model: w.model.clone(),
    }
}

#[tokio::test]
async fn every_operation_against_every_caller() {
    let w = World::new().await;
    let callers = [
        (Who::Outsider, w.outsider.clone()),
        (Who::ForeignApp, w.foreign_app.clone()),
        (Who::App, w.app.clone()),
        (Who::Reader, w.reader.clone()),
        (Who::Writer, w.writer.clone()),
        (Who::Admin, w.admin.clone()),
        (Who::Superuser, w.superuser.clone()),
    ];
    let mut n = 0;
    for (name, need, op) in OPERATIONS {
        for (who, caller) in &callers {
            n += 1;
            let f = fixture(&w, n).await;
            let before = w.h.state().await;
            let denied_before =
                w.h.count("select count(*) from audit_event where outcome = 'denied'")
                    .await;
            let result = op(&w, caller, &f).await;
            let want = expected(*need, *who);
            let context = format!("{name} by {who:?}: expected {want:?}, got {result:?}");
            match want {
                Expect::Allowed => assert!(result.is_ok(), "{context}"),
                Expect::Forbidden => assert!(
                    matches!(result, Err(ServiceError::Forbidden(_))),
                    "{context}"
                ),
                Expect::NotFound => assert!(
                    matches!(result, Err(ServiceError::NotFound(_))),
                    "{context}"
                ),
            }
            if want != Expect::Allowed {
                assert_eq!(
                    w.h.state().await,
                    before,
                    "{context}: a refused call changed the database"
                );
                let denied =
                    w.h.count("select count(*) from audit_event where outcome = 'denied'")
                        .await;
                assert_eq!(
                    denied,
                    denied_before + 1,
                    "{context}: the refusal was not audited"
                );
                let last: String =
                    sqlx::query_scalar("select outcome from audit_event order by seq desc limit 1")
                        .fetch_one(w.h.store.pool())
                        .await
                        .expect("last event");
                assert_eq!(last, Outcome::Denied.as_str(), "{context}");
            }
        }
    }
}

#[test]
fn the_expectation_table_matches_the_spec_examples() {
    // Spot checks written straight from product spec §2, so a wrong `expected` is caught too.
    assert_eq!(expected(Need::Read, Who::Reader), Expect::Allowed);
    assert_eq!(expected(Need::Write, Who::Reader), Expect::Forbidden);
    assert_eq!(expected(Need::Admin, Who::Writer), Expect::Forbidden);
    assert_eq!(expected(Need::Admin, Who::Superuser), Expect::Allowed);
    assert_eq!(expected(Need::Read, Who::Outsider), Expect::NotFound);
    assert_eq!(
        expected(Need::Application, Who::Superuser),
        Expect::Forbidden
    );
    assert_eq!(expected(Need::Superuser, Who::Admin), Expect::Forbidden);
    assert_eq!(expected(Need::Read, Who::ForeignApp), Expect::NotFound);
}
