//! Users, models, memberships, applications, tokens, and rollback.

use crate::*;

#[tokio::test]
async fn users_models_and_memberships() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let new = NewUser {
            name: user_name("alice"),
            password_hash: "$argon2id$x".into(),
            superuser: false,
            now: T0,
        };
        let alice = tx.insert_user(&new).await.expect("insert");
        tx.commit().await.expect("commit");
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move { tx.insert_user(&new).await.map(drop) })
        })
        .await;

        let mut tx = s.store.write().await.expect("tx");
        let found = tx
            .user_by_name(&user_name("alice"))
            .await
            .expect("q")
            .expect("found");
        assert_eq!((found.id, found.superuser), (alice, false));
        tx.set_superuser(alice, true, T0).await.expect("flag");
        assert!(tx.user(alice).await.expect("q").expect("found").superuser);
        let prod = model(&mut *tx, "prod").await;
        let staging = model(&mut *tx, "staging").await;
        assert_eq!(
            tx.model_by_name(&prod.name).await.expect("q"),
            Some(prod.clone())
        );
        tx.set_member(prod.id, alice, AccessLevel::Read, T0)
            .await
            .expect("member");
        tx.set_member(prod.id, alice, AccessLevel::Admin, T0)
            .await
            .expect("upsert");
        tx.set_member(staging.id, alice, AccessLevel::Write, T0)
            .await
            .expect("member");
        let standing = tx
            .model_with_standing(&prod.name, backend::store::Asker::User(alice))
            .await
            .expect("q");
        assert_eq!(
            standing.map(|(_, s)| s),
            Some(backend::store::Standing::User {
                superuser: true,
                access: Some(AccessLevel::Admin)
            }),
            "the second level replaced the first"
        );
        let levels: Vec<_> = tx
            .memberships(alice)
            .await
            .expect("q")
            .into_iter()
            .map(|(m, l)| (m.name.to_string(), l))
            .collect();
        assert_eq!(
            levels,
            [
                ("prod".to_owned(), AccessLevel::Admin),
                ("staging".to_owned(), AccessLevel::Write)
            ]
        );
        assert!(tx.remove_member(prod.id, alice).await.expect("rm"));
        assert!(!tx.remove_member(prod.id, alice).await.expect("rm again"));
        assert_eq!(tx.members(prod.id).await.expect("q"), []);
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn uncommitted_writes_vanish() {
    for s in stores().await {
        {
            let mut tx = s.store.write().await.expect("tx");
            model(&mut *tx, "ghost").await;
        }
        let mut tx = s.store.read().await.expect("tx");
        assert_eq!(
            tx.models().await.expect("q"),
            [],
            "a dropped transaction rolls back"
        );
    }
}

/// Requests are cancelled at any await when a client goes away. Whatever point a write was
/// cut at, the connection comes back with no transaction open: the next writer begins, and
/// what it commits is there, beside only those cut writes that had committed.
#[tokio::test]
async fn writes_cut_at_any_point_leave_the_writer_usable() {
    for s in stores().await {
        for step in 0..40u64 {
            let name = format!("cut-{step}");
            let write = async {
                let mut tx = s.store.write().await?;
                model(&mut *tx, &name).await;
                tokio::task::yield_now().await;
                tx.commit().await
            };
            let budget = std::time::Duration::from_micros(step * 25);
            let _ = tokio::time::timeout(budget, write).await;
        }
        let mut tx = s.store.write().await.expect("the writer is free");
        model(&mut *tx, "after").await;
        tx.commit().await.expect("commit");
        let mut tx = s.store.read().await.expect("tx");
        let names: Vec<String> = tx
            .models()
            .await
            .expect("q")
            .into_iter()
            .map(|m| m.name.to_string())
            .collect();
        assert!(names.contains(&"after".to_string()), "{names:?}");
        assert!(
            names.iter().all(|n| n == "after" || n.starts_with("cut-")),
            "{names:?}"
        );
    }
}

#[tokio::test]
async fn applications_tokens_and_cascades() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let prod = model(&mut *tx, "prod").await;
        let staging = model(&mut *tx, "staging").await;
        let mysql = tx
            .insert_application(prod.id, &app("mysql"), T0)
            .await
            .expect("app");
        tx.insert_application(staging.id, &app("mysql"), T0)
            .await
            .expect("same name, other model");
        tx.commit().await.expect("commit");
        let dup = prod.id;
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move {
                tx.insert_application(dup, &app("mysql"), T0)
                    .await
                    .map(drop)
            })
        })
        .await;
        let mut tx = s.store.write().await.expect("tx");
        let plain = PlainToken::generate(TokenKind::Application);
        let token = tx
            .insert_token(&NewToken {
                owner: TokenOwner::Application(mysql.id),
                hash: plain.hash(),
                label: "ci".into(),
                now: T0,
            })
            .await
            .expect("token");
        assert_eq!(
            tx.token_by_hash(&plain.hash()).await.expect("q"),
            Some(token.clone())
        );
        assert_eq!(
            tx.token_holder(&plain.hash()).await.expect("q"),
            Some(TokenHolder::Application {
                id: mysql.id,
                name: app("mysql"),
                model: prod.clone(),
            })
        );
        assert_eq!(
            tx.tokens_of(TokenOwner::Application(mysql.id))
                .await
                .expect("q"),
            [token]
        );
        let s1 = secret(
            sid(1),
            prod.id,
            SecretOwner::Application(mysql.id),
            Some("cert"),
            0,
        );
        tx.insert_secret(&s1).await.expect("app secret");
        tx.delete_application(mysql.id).await.expect("delete");
        assert_eq!(
            tx.token_by_hash(&plain.hash()).await.expect("q"),
            None,
            "tokens go with the app"
        );
        assert_eq!(tx.token_holder(&plain.hash()).await.expect("q"), None);
        assert_eq!(
            tx.secret(prod.id, &s1.id).await.expect("q"),
            None,
            "so do its own secrets"
        );
        tx.commit().await.expect("commit");
    }
}

/// "token 7 revoked" in the audit log names one token: deleting the newest token does not hand
/// its id to the next one.
#[tokio::test]
async fn a_deleted_tokens_id_is_never_given_again() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let prod = model(&mut *tx, "prod").await;
        let mysql = tx
            .insert_application(prod.id, &app("mysql"), T0)
            .await
            .expect("app");
        let mut ids = Vec::new();
        for label in ["first", "second", "third"] {
            let token = tx
                .insert_token(&application_token(mysql.id, label))
                .await
                .expect("token");
            ids.push(token);
        }
        tx.delete_token(&ids[2]).await.expect("delete the newest");
        tx.commit().await.expect("commit");
        let mut tx = s.store.write().await.expect("tx");
        let next = tx
            .insert_token(&application_token(mysql.id, "fourth"))
            .await
            .expect("token");
        tx.commit().await.expect("commit");
        assert!(
            next.id.0 > ids[2].id.0,
            "the deleted token {} was given again as {}",
            ids[2].id.0,
            next.id.0
        );
    }
}

/// A data directory from before migration 0015 whose newest token was deleted: after the
/// migration that id is not given again, and the audit log is exactly as it was (its chain is
/// untouched). SQLite only: PostgreSQL's identity never reused an id.
#[tokio::test]
async fn the_migration_keeps_ids_named_in_the_audit_log_out_of_reach() {
    let (_dir, url, mut conn) = old_data_directory("0015").await;
    sqlx::raw_sql(
        "insert into model (id, uuid, name, created_at, updated_at) values (1, 'u', 'prod', 0, 0); \
         insert into application (id, model_id, name, created_at, updated_at) values (1, 1, 'mysql', 0, 0); \
         insert into api_token (id, application_id, token_hash, created_at, updated_at) values \
           (1, 1, 'h1', 0, 0), (2, 1, 'h2', 0, 0), (3, 1, 'h3', 0, 0), (4, 1, 'h4', 0, 0); \
         insert into audit_event (at, actor_kind, actor_name, action, outcome, detail, prev_hash, hash) \
           values (0, 'user', 'alice', 'token-create', 'success', 'token 4 for mysql', 'g', 'h'), \
                  (0, 'user', 'alice', 'token-revoke', 'success', 'token 4 of mysql revoked', 'h', 'i'); \
         delete from api_token where id in (3, 4);",
    )
    .execute(&mut conn)
    .await
    .expect("old rows");
    let audit_rows = "select group_concat(seq || '|' || detail || '|' || prev_hash || '|' || hash, ';') \
                      from audit_event";
    let audit_before: String = sqlx::query_scalar(audit_rows)
        .fetch_one(&mut conn)
        .await
        .expect("audit");
    sqlx::Connection::close(conn).await.expect("close");

    let store = SqliteStore::connect(&url)
        .await
        .expect("migrate to the latest");
    let mut tx = store.write().await.expect("tx");
    let token = tx
        .insert_token(&application_token(domain::ApplicationId(1), "after"))
        .await
        .expect("token");
    tx.commit().await.expect("commit");
    assert_eq!(token.id.0, 5, "past token 4, which the audit log names");
    let audit_after: String = sqlx::query_scalar(audit_rows)
        .fetch_one(store.pool())
        .await
        .expect("audit");
    assert_eq!(audit_after, audit_before, "the audit rows are untouched");
}

/// An application's id is never given again (`store/sqlite/application_ids.rs`): the
/// newest application removed, the next one added gets a new id, on both databases.
#[tokio::test]
async fn a_removed_applications_id_is_never_given_again() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let prod = model(&mut *tx, "prod").await;
        let first = tx
            .insert_application(prod.id, &app("first"), T0)
            .await
            .expect("app");
        let newest = tx
            .insert_application(prod.id, &app("newest"), T0)
            .await
            .expect("app");
        tx.delete_application(newest.id)
            .await
            .expect("remove the newest");
        tx.commit().await.expect("commit");
        let mut tx = s.store.write().await.expect("tx");
        let next = tx
            .insert_application(prod.id, &app("next"), T0)
            .await
            .expect("app");
        tx.commit().await.expect("commit");
        assert!(
            next.id.0 > newest.id.0,
            "{} given again as {}",
            newest.id.0,
            next.id.0
        );
        assert!(first.id.0 < newest.id.0);
    }
}

/// A data directory from before the rebuild of `application`, with rows that reference an
/// application: once opened, nothing that referenced an application is gone, and an id removed
/// afterwards is not given again. SQLite only.
#[tokio::test]
async fn the_application_migration_keeps_every_reference() {
    // Every migration there is: the rebuild is not one.
    let (_dir, url, mut conn) = old_data_directory("9999").await;
    let rows = format!(
        "insert into model (id, uuid, name, created_at, updated_at) values (1, 'u', 'prod', 0, 0); \
         insert into application (id, model_id, name, created_at, updated_at) values \
           (1, 1, 'mysql', 0, 0), (2, 1, 'gone', 0, 0); \
         insert into api_token (application_id, token_hash, created_at, updated_at) values (1, 'h1', 0, 0); \
         insert into secret (id, model_id, owner_application_id, name, description, auto_prune, \
           rotate_policy, latest_revision, revision_counter, created_at, updated_at) values \
           ('{s1}', 1, 1, 'owned', '', 0, 'never', 1, 1, 0, 0), ('{s2}', 1, null, 'db', '', 0, 'never', 1, 1, 0, 0); \
         insert into secret_grant (secret_id, application_id, role, granted_by, granted_at) \
           values ('{s2}', 1, 'view', 'alice', 0); \
         delete from application where id = 2;",
        s1 = sid(1),
        s2 = sid(2),
    );
    sqlx::raw_sql(&rows)
        .execute(&mut conn)
        .await
        .expect("old rows");
    let references = "select (select count(*) from api_token) || '/' || \
        (select count(*) from secret where owner_application_id = 1) || '/' || \
        (select count(*) from secret_grant where application_id = 1)";
    let before: String = sqlx::query_scalar(references)
        .fetch_one(&mut conn)
        .await
        .expect("q");
    assert_eq!(before, "1/1/1");
    sqlx::Connection::close(conn).await.expect("close");

    let store = SqliteStore::connect(&url)
        .await
        .expect("migrate to the latest");
    let after: String = sqlx::query_scalar(references)
        .fetch_one(store.pool())
        .await
        .expect("q");
    assert_eq!(after, before, "no reference was cascaded away");
    let broken: Vec<(String,)> = sqlx::query_as("select \"table\" from pragma_foreign_key_check")
        .fetch_all(store.pool())
        .await
        .expect("check");
    assert!(broken.is_empty(), "broken references: {broken:?}");
    // Application 2 left no trace to keep out of reach; from now on none is given again.
    let mut tx = store.write().await.expect("tx");
    let next = tx
        .insert_application(domain::ModelId(1), &app("next"), T0)
        .await
        .expect("app");
    tx.delete_application(next.id).await.expect("remove it");
    let again = tx
        .insert_application(domain::ModelId(1), &app("again"), T0)
        .await
        .expect("app");
    tx.commit().await.expect("commit");
    assert!(again.id.0 > next.id.0, "{} given again", next.id.0);
}

/// A SQLite file as an older binary left it: migrated with the migrations named before
/// `first_left_out` only, foreign keys on. Its directory, URL and an open connection.
async fn old_data_directory(
    first_left_out: &str,
) -> (tempfile::TempDir, String, sqlx::SqliteConnection) {
    use sqlx::Connection as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("migrations");
    std::fs::create_dir(&old).expect("dir");
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/sqlite");
    for entry in std::fs::read_dir(&all).expect("migrations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.as_str() < first_left_out {
            std::fs::copy(&path, old.join(&name)).expect("copy");
        }
    }
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("open");
    sqlx::raw_sql("pragma foreign_keys = on")
        .execute(&mut conn)
        .await
        .expect("foreign keys");
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("the old migrations")
        .run(&mut conn)
        .await
        .expect("the old migrations ran");
    (dir, url, conn)
}

/// A new token for application `app`, with a fresh secret.
fn application_token(app: domain::ApplicationId, label: &str) -> NewToken {
    NewToken {
        owner: TokenOwner::Application(app),
        hash: PlainToken::generate(TokenKind::Application).hash(),
        label: label.into(),
        now: T0,
    }
}
