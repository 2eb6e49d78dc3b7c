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

#[tokio::test]
async fn a_command_line_approval_is_decided_once_and_collected_once() {
    use backend::store::{CliApproval, CliDecision};
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let dave = tx
            .insert_user(&NewUser {
                name: UserName::parse("dave").expect("name"),
                password_hash: "x".into(),
                superuser: false,
                now: T0,
            })
            .await
            .expect("dave");
        let request = |hash: &str, code: &str, at: i64| CliApproval {
            poll_hash: hash.into(),
            user_code: code.into(),
            label: "strongbox cli on host".into(),
            created_at: Timestamp(T0.0 + at),
            decision: CliDecision::Pending,
        };
        let since = T0;
        tx.insert_cli_approval(&request("old", "OLDC-ODEX", -1), Timestamp(0))
            .await
            .expect("old");
        let waiting = tx
            .insert_cli_approval(&request("h1", "BCDF-GHJK", 0), since)
            .await
            .expect("insert");
        assert_eq!(waiting, 1, "the old one is forgotten");
        let found = tx
            .cli_approval_by_code("BCDF-GHJK", since)
            .await
            .expect("q");
        assert_eq!(found, Some(request("h1", "BCDF-GHJK", 0)));
        let pending = tx.take_decided_cli_approval("h1", since).await.expect("q");
        assert_eq!(pending.map(|a| a.decision), Some(CliDecision::Pending));
        let approved = CliDecision::Approved(dave);
        assert!(
            tx.decide_cli_approval("BCDF-GHJK", since, approved)
                .await
                .expect("q")
        );
        assert!(
            !tx.decide_cli_approval("BCDF-GHJK", since, CliDecision::Denied)
                .await
                .expect("q"),
            "decided once"
        );
        let later = Timestamp(T0.0 + 1);
        assert_eq!(
            tx.cli_approval_by_code("BCDF-GHJK", later)
                .await
                .expect("q"),
            None,
            "too old for a later `since`"
        );
        let taken = tx.take_decided_cli_approval("h1", since).await.expect("q");
        assert_eq!(taken.map(|a| a.decision), Some(approved));
        assert_eq!(
            tx.take_decided_cli_approval("h1", since).await.expect("q"),
            None
        );
        tx.commit().await.expect("commit");
    }
}
