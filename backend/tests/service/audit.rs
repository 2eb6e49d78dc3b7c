//! The audit chain: every change and reveal is recorded in its own transaction, tampering is
//! detected, and a reveal that cannot be audited does not happen.

use backend::audit::{AuditAction, Outcome};
use backend::service::ReadMode;
use backend::store::AuditQuery;
use backend::{Caller, ServiceError};

use crate::support::{World, app_name, new_secret, sref};

async fn busy_world() -> World {
    let w = World::new().await;
    let (s, m) = (&w.h.services, &w.model);
    s.add_secret(&w.writer, m, new_secret("db", "password=x"))
        .await
        .expect("add");
    s.grant_secret(&w.writer, m, &sref("db"), &[app_name("mysql")])
        .await
        .expect("grant");
    s.reveal(&w.admin, m, &sref("db"), None)
        .await
        .expect("reveal");
    let _ = s
        .reveal(&w.reader, m, &sref("db"), None)
        .await
        .expect_err("denied");
    w
}

async fn verify(w: &World) -> Result<i64, String> {
    w.h.services
        .verify_audit(&Caller::system())
        .await
        .expect("verify runs")
        .map_err(|b| b.to_string())
}

#[tokio::test]
async fn changes_reveals_reads_and_refusals_are_recorded() {
    let w = busy_world().await;
    let uri = sref(
        &w.h.services
            .show_secret(&w.reader, &w.model, &sref("db"))
            .await
            .expect("show")
            .secret
            .id
            .uri(),
    );
    w.h.services
        .read_content(&w.app, &w.model, &uri, ReadMode::Tracked)
        .await
        .expect("app read");
    let events =
        w.h.services
            .audit_events(&w.reader, &w.model, AuditQuery::default())
            .await
            .expect("events");
    let seen: Vec<_> = events
        .iter()
        .rev()
        .map(|e| (e.event.action, e.event.outcome, e.event.actor.name.as_str()))
        .collect();
    let tail = &seen[seen.len() - 5..];
    assert_eq!(
        tail,
        [
            (AuditAction::SecretAdd, Outcome::Success, "writer"),
            (AuditAction::SecretGrant, Outcome::Success, "writer"),
            (AuditAction::SecretReveal, Outcome::Success, "admin"),
            (AuditAction::SecretReveal, Outcome::Denied, "reader"),
            (AuditAction::ContentRead, Outcome::Success, "prod/mysql"),
        ]
    );
    assert!(
        events
            .iter()
            .all(|e| !e.event.detail.contains("password=x"))
    );
    assert_eq!(
        verify(&w).await,
        Ok(w.h.count("select count(*) from audit_event").await)
    );
}

#[tokio::test]
async fn the_log_cannot_be_changed_through_sql_without_dropping_its_guards() {
    let w = busy_world().await;
    let err = sqlx::query("update audit_event set detail = 'x' where seq = 1")
        .execute(w.h.store.pool())
        .await;
    assert!(
        err.expect_err("append-only")
            .to_string()
            .contains("audit events are append-only")
    );
    let err = sqlx::query("delete from audit_event where seq = 1")
        .execute(w.h.store.pool())
        .await;
    assert!(err.is_err());
}

#[tokio::test]
async fn an_edited_row_is_detected_and_named() {
    let w = busy_world().await;
    w.h.sql("drop trigger audit_event_no_update").await;
    let target = w
        .h
        .count("select seq from audit_event where action = 'secret-reveal' and outcome = 'denied'")
        .await;
    w.h.sql(&format!(
        "update audit_event set actor_name = 'somebody-else' where seq = {target}"
    ))
    .await;
    assert_eq!(
        verify(&w).await,
        Err(format!(
            "audit chain broken at event {target}: its content does not match its hash (the row was edited)"
        ))
    );
}

#[tokio::test]
async fn a_deleted_row_is_detected_and_named() {
    let w = busy_world().await;
    w.h.sql("drop trigger audit_event_no_delete").await;
    w.h.sql("delete from audit_event where seq = 3").await;
    assert_eq!(
        verify(&w).await,
        Err("audit chain broken at event 3: the event is missing (deleted)".to_owned())
    );
}

#[tokio::test]
async fn cutting_off_the_newest_rows_is_detected() {
    let w = busy_world().await;
    let last = w.h.count("select max(seq) from audit_event").await;
    w.h.sql("drop trigger audit_event_no_delete").await;
    w.h.sql(&format!("delete from audit_event where seq = {last}"))
        .await;
    let err = verify(&w).await.expect_err("truncated");
    assert_eq!(
        err,
        format!(
            "audit chain broken at event {last}: events after it were removed (the chain head says {last})"
        )
    );
}

#[tokio::test]
async fn a_reveal_whose_audit_write_fails_reveals_nothing() {
    let w = busy_world().await;
    let before = w.h.count("select count(*) from audit_event").await;
    w.h.sql(
        "create trigger audit_offline before insert on audit_event when new.action = 'secret-reveal' \
         begin select raise(abort, 'audit storage unavailable'); end",
    )
    .await;
    let result =
        w.h.services
            .reveal(&w.admin, &w.model, &sref("db"), None)
            .await;
    assert!(
        matches!(result, Err(ServiceError::Internal(_))),
        "no content without an audit record: {result:?}"
    );
    assert_eq!(w.h.count("select count(*) from audit_event").await, before);
}

#[tokio::test]
async fn a_change_whose_audit_write_fails_does_not_happen() {
    let w = busy_world().await;
    w.h.sql(
        "create trigger audit_offline before insert on audit_event when new.action = 'secret-add' \
         begin select raise(abort, 'audit storage unavailable'); end",
    )
    .await;
    let before = w.h.state().await;
    let result =
        w.h.services
            .add_secret(&w.writer, &w.model, new_secret("new", "token=t"))
            .await;
    assert!(
        matches!(result, Err(ServiceError::Internal(_))),
        "{result:?}"
    );
    assert_eq!(w.h.state().await, before, "the secret was not half-written");
}
