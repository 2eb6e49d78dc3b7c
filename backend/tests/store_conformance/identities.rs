//! Sign-in through a provider: flows taken once, identities, and access from groups that
//! stands beside access set by hand (the higher counts).

use crate::*;
use backend::store::{Asker, Identity, ProviderFlow, Standing};

#[tokio::test]
async fn group_access_stands_beside_hand_set_access_and_flows_are_taken_once() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let carol = tx
            .insert_user(&NewUser {
                name: UserName::parse("carol").expect("name"),
                password_hash: "!provider".into(),
                superuser: false,
                now: T0,
            })
            .await
            .expect("carol");
        let prod = model(&mut *tx, "prod").await;
        let staging = model(&mut *tx, "staging").await;
        let id = Identity {
            issuer: "https://id.example.com".into(),
            subject: "u-1".into(),
        };
        tx.link_identity(&id, carol, T0).await.expect("link");
        tx.set_member(prod.id, carol, AccessLevel::Read, T0)
            .await
            .expect("by hand");
        tx.set_group_member(prod.id, carol, AccessLevel::Write, "ops", T0)
            .await
            .expect("by group");
        tx.set_group_member(staging.id, carol, AccessLevel::Read, "auditors,ops", T0)
            .await
            .expect("by group");
        tx.set_group_superuser(carol, true, T0).await.expect("root");
        tx.commit().await.expect("commit");

        let mut tx = s.store.write().await.expect("tx");
        let found = tx.user_by_identity(&id).await.expect("q").expect("linked");
        assert_eq!(
            (found.id, found.superuser, found.group_superuser),
            (carol, false, true)
        );
        assert_eq!(
            tx.identities(carol).await.expect("q"),
            std::slice::from_ref(&id)
        );
        let levels: Vec<_> = tx
            .memberships(carol)
            .await
            .expect("q")
            .into_iter()
            .map(|(m, a)| (m.name.to_string(), a))
            .collect();
        assert_eq!(
            levels,
            [
                ("prod".to_owned(), AccessLevel::Write),
                ("staging".to_owned(), AccessLevel::Read)
            ],
            "the higher of hand and group, and group alone"
        );
        let groups = tx.group_memberships(carol).await.expect("q");
        assert_eq!(groups[1].groups, "auditors,ops");
        tx.remove_group_member(prod.id, carol).await.expect("rm");
        tx.set_group_superuser(carol, false, T0)
            .await
            .expect("root");
        let standing = tx
            .model_with_standing(&prod.name, Asker::User(carol))
            .await
            .expect("q")
            .map(|(_, st)| st);
        assert_eq!(
            standing,
            Some(Standing::User {
                superuser: false,
                access: Some(AccessLevel::Read)
            }),
            "the hand-set read is left"
        );

        let flow = |state: &str, at: i64| ProviderFlow {
            state_hash: state.into(),
            nonce: "nonce".into(),
            pkce_verifier: "verifier".into(),
            return_to: "/models/prod".into(),
            created_at: Timestamp(T0.0 + at),
        };
        tx.insert_provider_flow(&flow("old", 0)).await.expect("old");
        tx.insert_provider_flow(&flow("new", 60_000))
            .await
            .expect("new");
        let since = Timestamp(T0.0 + 1);
        assert_eq!(tx.take_provider_flow("old", since).await.expect("q"), None);
        assert_eq!(
            tx.take_provider_flow("new", since).await.expect("q"),
            Some(flow("new", 60_000))
        );
        assert_eq!(tx.take_provider_flow("new", since).await.expect("q"), None);
        tx.commit().await.expect("commit");
    }
}
