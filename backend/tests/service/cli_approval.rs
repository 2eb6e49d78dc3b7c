//! `strongbox login --web` past HTTP: a request is approved by a person and collected once, as
//! a token of that person's; denied, expired and unknown requests give nothing.

use backend::service::{CLI_APPROVAL_TTL_MS, CliCollected};
use backend::{Caller, ServiceError};

use crate::support::Harness;

fn collected_user(c: CliCollected) -> Option<String> {
    match c {
        CliCollected::Pending => None,
        CliCollected::Approved { user, .. } => Some(user.name.to_string()),
    }
}

#[tokio::test]
async fn an_approval_gives_the_approver_a_token_once() {
    let h = Harness::new().await;
    let s = &h.services;
    let alice = h.user("alice", false).await;
    let request = s
        .request_cli_approval("strongbox cli on build-01")
        .await
        .expect("request");
    let waiting = s
        .collect_cli_approval(&request.poll_secret)
        .await
        .expect("poll");
    assert_eq!(collected_user(waiting), None, "pending until approved");
    let shown = s
        .cli_approval(&alice, &request.user_code.to_lowercase().replace('-', ""))
        .await
        .expect("the page finds it however the code is typed");
    assert_eq!(shown.label, "strongbox cli on build-01");

    s.decide_cli_approval(&alice, &request.user_code, true)
        .await
        .expect("approve");
    let again = s
        .decide_cli_approval(&alice, &request.user_code, true)
        .await;
    assert!(matches!(again, Err(ServiceError::NotFound(_))), "{again:?}");

    let got = s
        .collect_cli_approval(&request.poll_secret)
        .await
        .expect("collect");
    assert_eq!(collected_user(got), Some("alice".to_owned()));
    let tokens = s.personal_tokens(&alice).await.expect("tokens");
    assert_eq!(
        tokens.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
        ["strongbox cli on build-01"]
    );
    let twice = s.collect_cli_approval(&request.poll_secret).await;
    assert!(matches!(twice, Err(ServiceError::NotFound(_))), "once");
}

#[tokio::test]
async fn denied_expired_and_unknown_requests_give_nothing() {
    let h = Harness::new().await;
    let s = &h.services;
    let alice = h.user("alice", false).await;

    let denied = s.request_cli_approval("cli").await.expect("request");
    s.decide_cli_approval(&alice, &denied.user_code, false)
        .await
        .expect("deny");
    let refused = s.collect_cli_approval(&denied.poll_secret).await;
    assert!(matches!(refused, Err(ServiceError::Forbidden(_))), "denied");

    let late = s.request_cli_approval("cli").await.expect("request");
    h.clock.advance(CLI_APPROVAL_TTL_MS + 1);
    let page = s.cli_approval(&alice, &late.user_code).await;
    assert!(matches!(page, Err(ServiceError::NotFound(_))), "expired");
    let approve = s.decide_cli_approval(&alice, &late.user_code, true).await;
    assert!(matches!(approve, Err(ServiceError::NotFound(_))), "expired");
    let collect = s.collect_cli_approval(&late.poll_secret).await;
    assert!(matches!(collect, Err(ServiceError::NotFound(_))), "expired");

    let unknown = s.collect_cli_approval("not-a-secret").await;
    assert!(matches!(unknown, Err(ServiceError::NotFound(_))));
    let nobody = s
        .decide_cli_approval(&Caller::system(), &late.user_code, true)
        .await;
    assert!(
        matches!(nobody, Err(ServiceError::Forbidden(_))),
        "only people approve"
    );
    assert!(s.personal_tokens(&alice).await.expect("tokens").is_empty());
}
