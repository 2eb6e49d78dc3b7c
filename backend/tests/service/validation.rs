//! Bad input gets a clear error that names the problem, and nothing is written.

use backend::password::Password;
use backend::service::{NewSecret, SecretRef, SecretUpdate};
use backend::{Caller, ServiceError};
use domain::{Description, RevisionNumber, RotatePolicy, SecretName, UserName};

use crate::support::{World, app_name, content, model, new_secret, sref};

fn message<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    r.expect_err("must fail").to_string()
}

#[tokio::test]
async fn secret_operations_use_juju_messages() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("db-password", "password=x"))
        .await
        .expect("add");
    let secrets_before = w.h.count("select count(*) from secret").await;

    assert_eq!(
        message(
            s.add_secret(&w.writer, m, new_secret("db-password", "other=y"))
                .await
        ),
        "secret with name \"db-password\" already exists"
    );
    assert_eq!(
        message(s.show_secret(&w.reader, m, &sref("nope")).await),
        "secret \"nope\" not found"
    );
    assert_eq!(
        message(
            s.show_secret(&w.reader, &model("nowhere"), &sref("nope"))
                .await
        ),
        "model \"nowhere\" not found"
    );
    let empty = SecretUpdate::default();
    assert_eq!(
        message(
            s.update_secret(&w.writer, m, &sref("db-password"), empty)
                .await
        ),
        "at least one attribute to update must be specified"
    );
    let other = s
        .add_secret(&w.writer, m, new_secret("api-token", "token=t"))
        .await
        .expect("add");
    let rename = SecretUpdate {
        name: Some(SecretName::parse("db-password").expect("n")),
        ..SecretUpdate::default()
    };
    assert_eq!(
        message(
            s.update_secret(&w.writer, m, &sref("api-token"), rename)
                .await
        ),
        "secret with name \"db-password\" already exists"
    );
    assert_eq!(
        message(
            s.remove_secret(
                &w.writer,
                m,
                &sref("api-token"),
                Some(RevisionNumber::new(7).expect("7"))
            )
            .await
        ),
        format!("revision 7 for secret \"secret:{}\" not found", other.id)
    );
    assert_eq!(
        message(s.grant_secret(&w.writer, m, &sref("api-token"), &[]).await),
        "missing secret URI or application name"
    );
    let rotating = NewSecret {
        rotate_policy: RotatePolicy::Daily,
        ..new_secret("rotating", "token=t")
    };
    assert_eq!(
        message(s.add_secret(&w.writer, m, rotating).await),
        "rotate policy and expiry apply only to secrets owned by an application"
    );
    assert_eq!(
        w.h.count("select count(*) from secret").await,
        secrets_before + 1,
        "only api-token was added"
    );
}

#[tokio::test]
async fn granting_to_an_unknown_application_grants_nothing() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("shared", "token=t"))
        .await
        .expect("add");
    let apps = [app_name("wordpress"), app_name("nosuch")];
    assert_eq!(
        message(s.grant_secret(&w.writer, m, &sref("shared"), &apps).await),
        "application \"nosuch\" not found"
    );
    assert_eq!(
        w.h.count("select count(*) from secret_grant").await,
        0,
        "all or nothing"
    );
    let granted = s
        .grant_secret(
            &w.writer,
            m,
            &sref("shared"),
            &[app_name("wordpress"), app_name("mysql")],
        )
        .await;
    assert_eq!(
        granted.expect("grant"),
        vec![app_name("wordpress"), app_name("mysql")]
    );
    let again = s
        .grant_secret(&w.writer, m, &sref("shared"), &[app_name("mysql")])
        .await
        .expect("grant");
    assert!(again.is_empty(), "granting twice changes nothing");
}

#[tokio::test]
async fn a_stale_expected_revision_is_a_conflict() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let added = s
        .add_secret(&w.writer, m, new_secret("cfg", "token=1"))
        .await
        .expect("add");
    let bump = SecretUpdate {
        content: Some(content("token=2")),
        ..SecretUpdate::default()
    };
    s.update_secret(&w.writer, m, &sref("cfg"), bump)
        .await
        .expect("update");
    let stale = SecretUpdate {
        content: Some(content("token=3")),
        expected_revision: Some(RevisionNumber::FIRST),
        ..SecretUpdate::default()
    };
    let err = s
        .update_secret(&w.writer, m, &sref("cfg"), stale)
        .await
        .expect_err("stale");
    assert!(matches!(err, ServiceError::Conflict(_)));
    assert_eq!(
        err.to_string(),
        format!("secret \"secret:{}\" is at revision 2, not 1", added.id)
    );
    assert_eq!(
        w.h.count("select count(*) from secret_revision").await,
        2,
        "no revision 3"
    );
}

#[tokio::test]
async fn people_cannot_change_application_owned_secrets() {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    let owned = s
        .add_secret(&w.app, m, new_secret("app-cert", "cert=pem"))
        .await
        .expect("app adds its own");
    let update = SecretUpdate {
        description: Some(Description::parse("mine now").expect("d")),
        ..SecretUpdate::default()
    };
    let err = s
        .update_secret(
            &w.superuser,
            m,
            &SecretRef::parse(&owned.id.uri()).expect("uri"),
            update,
        )
        .await;
    assert_eq!(
        message(err),
        "This secret can only be modified by the application."
    );
    let err = s
        .remove_secret(
            &w.admin,
            m,
            &SecretRef::parse(owned.id.as_str()).expect("id"),
            None,
        )
        .await;
    assert_eq!(
        message(err),
        "This secret can only be modified by the application."
    );
}

#[tokio::test]
async fn accounts_models_and_applications_are_unique() {
    let w = World::new().await;
    let (s, sys) = (&w.h.services, Caller::system());
    let name = UserName::parse("writer").expect("n");
    assert_eq!(
        message(
            s.create_user(&sys, &name, Password::new("long-enough".into()), false)
                .await
        ),
        "user \"writer\" already exists"
    );
    let name = UserName::parse("newbie").expect("n");
    assert_eq!(
        message(
            s.create_user(&sys, &name, Password::new("short".into()), false)
                .await
        ),
        "password must be at least 8 characters"
    );
    assert_eq!(
        message(s.create_model(&sys, &model("prod")).await),
        "model \"prod\" already exists"
    );
    assert_eq!(
        message(s.add_application(&sys, &w.model, &app_name("mysql")).await),
        "application \"mysql\" already exists"
    );
    assert_eq!(
        message(
            s.remove_application(&sys, &w.model, &app_name("ghost"))
                .await
        ),
        "application \"ghost\" not found"
    );
}

#[tokio::test]
async fn login_checks_the_password_and_hides_which_part_was_wrong() {
    let w = World::new().await;
    let s = &w.h.services;
    let user = s
        .sign_in("writer", Password::new("password-123".into()))
        .await
        .expect("login");
    assert_eq!(user.name.as_str(), "writer");
    for (name, pw) in [
        ("writer", "wrong-password"),
        ("nobody", "password-123"),
        ("bad name!", "x"),
    ] {
        let err = s
            .sign_in(name, Password::new(pw.into()))
            .await
            .expect_err("refused");
        assert!(matches!(err, ServiceError::Unauthenticated), "{name}");
    }
}
