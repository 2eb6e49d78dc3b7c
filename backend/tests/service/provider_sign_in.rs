//! Sign-in through an OpenID provider, past the protocol: identity by (issuer, subject), access
//! that follows groups at every sign-in apart from what an admin set, flows used once.

use backend::service::{FLOW_TTL_MS, GroupMapping, GroupRoles, ProviderPerson};
use backend::store::{Identity, ProviderFlow};
use backend::{Caller, ServiceError};
use domain::{AccessLevel, UserName};

use crate::support::{Harness, model, new_secret};

const ISSUER: &str = "https://id.example.com";

fn person(sub: &str, username: &str, groups: &[&str]) -> ProviderPerson {
    ProviderPerson {
        identity: Identity {
            issuer: ISSUER.into(),
            subject: sub.into(),
        },
        username: username.into(),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
    }
}

fn roles() -> GroupRoles {
    let map = |group: &str, m: &str, level| GroupMapping {
        group: group.into(),
        model: model(m),
        level,
    };
    GroupRoles {
        mappings: vec![
            map("ops", "prod", AccessLevel::Write),
            map("auditors", "prod", AccessLevel::Read),
            map("platform", "staging", AccessLevel::Admin),
        ],
        superuser_groups: vec!["root-admins".into()],
    }
}

async fn levels(h: &Harness, who: &Caller) -> Vec<(String, AccessLevel)> {
    h.services
        .visible_models(who)
        .await
        .expect("models")
        .into_iter()
        .map(|(m, level)| (m.name.to_string(), level))
        .collect()
}

async fn world() -> Harness {
    let h = Harness::new().await;
    for m in ["prod", "staging"] {
        h.services
            .create_model(&Caller::system(), &model(m))
            .await
            .expect("model");
    }
    h
}

#[tokio::test]
async fn groups_decide_access_at_every_sign_in_and_hand_set_access_stays_apart() {
    let h = world().await;
    let s = &h.services;
    let first = s
        .sign_in_with_provider(&person("u-1", "carol", &["ops", "auditors"]), &roles())
        .await
        .expect("first sign-in makes the user");
    assert_eq!(first.name.as_str(), "carol");
    let carol = Caller::user(first.id, first.name.clone());
    assert_eq!(
        levels(&h, &carol).await,
        [("prod".to_owned(), AccessLevel::Write)],
        "the higher of ops and auditors"
    );
    s.add_secret(&carol, &model("prod"), new_secret("db", "password=1"))
        .await
        .expect("write in prod through the ops group");

    // An admin gives carol read in staging by hand; her groups change at the provider.
    s.set_member(
        &Caller::system(),
        &model("staging"),
        &UserName::parse("carol").expect("name"),
        AccessLevel::Read,
    )
    .await
    .expect("by hand");
    let again = s
        .sign_in_with_provider(&person("u-1", "carol", &["auditors", "platform"]), &roles())
        .await
        .expect("second sign-in");
    assert_eq!(
        again.id, first.id,
        "the same person, found by issuer and subject"
    );
    assert_eq!(
        levels(&h, &carol).await,
        [
            ("prod".to_owned(), AccessLevel::Read),
            ("staging".to_owned(), AccessLevel::Admin),
        ]
    );
    let refused = s
        .add_secret(&carol, &model("prod"), new_secret("other", "password=1"))
        .await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );

    // Out of every group: only what the admin set by hand is left.
    s.sign_in_with_provider(&person("u-1", "carol", &[]), &roles())
        .await
        .expect("no groups is no access, not a failed sign-in");
    assert_eq!(
        levels(&h, &carol).await,
        [("staging".to_owned(), AccessLevel::Read)]
    );
    let changes = h
        .count("select count(*) from audit_event where action in ('member-set', 'member-remove') and actor_name = 'carol'")
        .await;
    assert_eq!(
        changes, 5,
        "prod write, prod read, staging admin, two removals"
    );
    let sign_ins = h
        .count("select count(*) from audit_event where action = 'sign-in' and actor_name = 'carol' and detail like '%subject u-1%'")
        .await;
    assert_eq!(sign_ins, 3, "each sign-in is on record");
}

#[tokio::test]
async fn a_superuser_group_makes_a_superuser_until_the_person_leaves_it() {
    let h = world().await;
    let s = &h.services;
    let user = s
        .sign_in_with_provider(&person("u-2", "dave", &["root-admins"]), &roles())
        .await
        .expect("sign-in");
    assert!(
        user.is_superuser() && !user.superuser,
        "by group, not by hand"
    );
    let user = s
        .sign_in_with_provider(&person("u-2", "dave", &["ops"]), &roles())
        .await
        .expect("sign-in");
    assert!(!user.is_superuser());
}

#[tokio::test]
async fn a_local_user_of_the_same_name_is_not_taken_over() {
    let h = world().await;
    h.user("erin", false).await;
    let before = h.state().await;
    let refused = h
        .services
        .sign_in_with_provider(&person("u-3", "erin", &["ops"]), &roles())
        .await;
    match refused {
        Err(ServiceError::Conflict(c)) => assert!(c.to_string().contains("link-user"), "{c}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(h.state().await, before, "nothing linked, nothing granted");
}

#[tokio::test]
async fn a_flow_is_finished_once_and_not_after_ten_minutes() {
    let h = world().await;
    let s = &h.services;
    let flow = |state: &str| ProviderFlow {
        state_hash: state.into(),
        nonce: "n".into(),
        pkce_verifier: "v".into(),
        return_to: "/models".into(),
        created_at: s.now(),
    };
    s.begin_provider_flow(flow("a")).await.expect("begin");
    s.begin_provider_flow(flow("b")).await.expect("begin");
    let taken = s.take_provider_flow("a").await.expect("take");
    assert_eq!(taken.map(|f| f.return_to), Some("/models".into()));
    assert_eq!(s.take_provider_flow("a").await.expect("take"), None, "once");
    h.clock.advance(FLOW_TTL_MS + 1);
    assert_eq!(
        s.take_provider_flow("b").await.expect("take"),
        None,
        "expired"
    );
}
