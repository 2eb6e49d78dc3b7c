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
