//! Where a user or an application stands in a model, read with the model in one statement.

use crate::*;
use backend::store::{Asker, Standing};

#[tokio::test]
async fn standing_covers_members_superusers_applications_and_the_gone() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let user = |name: &str, superuser| NewUser {
            name: UserName::parse(name).expect("name"),
            password_hash: "$argon2id$x".into(),
            superuser,
            now: T0,
        };
        let alice = tx.insert_user(&user("alice", false)).await.expect("alice");
        let root = tx.insert_user(&user("root", true)).await.expect("root");
        let prod = model(&mut *tx, "prod").await;
        model(&mut *tx, "staging").await;
        tx.set_member(prod.id, alice, AccessLevel::Write, T0)
            .await
            .expect("member");
        let mysql = tx
            .insert_application(prod.id, &app("mysql"), T0)
            .await
            .expect("app");

        let mut standing = async |name: &str, asker| {
            let name = ModelName::parse(name).expect("model");
            tx.model_with_standing(&name, asker)
                .await
                .expect("q")
                .map(|(m, st)| (m.name.to_string(), st))
        };
        let member = |access| Standing::User {
            superuser: false,
            access,
        };
        assert_eq!(
            standing("prod", Asker::User(alice)).await,
            Some(("prod".into(), member(Some(AccessLevel::Write))))
        );
        assert_eq!(
            standing("staging", Asker::User(alice)).await,
            Some(("staging".into(), member(None))),
            "not a member there"
        );
        assert_eq!(
            standing("staging", Asker::User(root)).await,
            Some((
                "staging".into(),
                Standing::User {
                    superuser: true,
                    access: None
                }
            ))
        );
        let app_in = |of_this_model| Standing::Application { of_this_model };
        assert_eq!(
            standing("prod", Asker::Application(mysql.id)).await,
            Some(("prod".into(), app_in(true)))
        );
        assert_eq!(
            standing("staging", Asker::Application(mysql.id)).await,
            Some(("staging".into(), app_in(false)))
        );
        assert_eq!(standing("nowhere", Asker::User(root)).await, None);

        tx.delete_application(mysql.id).await.expect("remove app");
        let prod_name = ModelName::parse("prod").expect("model");
        let gone = tx
            .model_with_standing(&prod_name, Asker::Application(mysql.id))
            .await
            .expect("q");
        assert_eq!(gone.map(|(_, st)| st), Some(Standing::Gone));
        let nobody = tx
            .model_with_standing(&prod_name, Asker::User(domain::UserId(9_999)))
            .await
            .expect("q");
        assert_eq!(nobody.map(|(_, st)| st), Some(Standing::Gone));
        tx.commit().await.expect("commit");
    }
}
