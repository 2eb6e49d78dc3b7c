//! Sign-in through a real OpenID provider (npm `oidc-provider` 9, certified, run offline by
//! testkit), against the running binary: the whole browser round trip with cookies, groups
//! that decide access (from userinfo, as the provider gives them by default), and refusals.

#[path = "oidc/forging_idp.rs"]
mod forging_idp;
mod support;

use forging_idp::{Fault, ForgingIdp};
use support::browser::{Browser, location, sent_on_to, through_provider};
use support::web::{Reach, Running, agent};
use support::{PASSWORD, admin, closed_port, data_with_alice_and_prod, serve_with};
use testkit::oidc::{CLIENT_ID, OidcProvider};

/// A Strongbox signing in through `provider`, on a port chosen before the provider started
/// (the provider must know the redirect URL).
struct Setup {
    sb: Running,
    provider: OidcProvider,
    data: tempfile::TempDir,
}

fn setup(extra: &[&str]) -> Setup {
    let port = closed_port();
    let redirect = format!("http://127.0.0.1:{port}/auth/oidc/callback");
    let provider = OidcProvider::start(&redirect, false);
    let data = data_with_alice_and_prod();
    admin(
        data.path(),
        &["create-user", "erin"],
        Some(&format!("{PASSWORD}\n")),
    );
    let secret = provider.secret_file();
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec![
        "--listen",
        &listen,
        "--oidc-issuer",
        &provider.issuer,
        "--oidc-client-id",
        CLIENT_ID,
        "--oidc-client-secret-file",
        secret.to_str().expect("path"),
        "--oidc-redirect-url",
        &redirect,
        "--oidc-display-name",
        "Test IdP",
        "--oidc-group",
        "ops=prod:write",
    ];
    args.extend_from_slice(extra);
    let sb = serve_with(data.path(), &args);
    Setup { sb, provider, data }
}

/// Signs in through the provider as `login` with a fresh browser: the browser, and where
/// Strongbox's callback sent it.
fn sign_in(s: &Setup, login: &str) -> (Browser, String) {
    let browser = Browser::new();
    let begun = browser.get(&s.sb.url("/auth/oidc/login?next=/models"));
    assert_eq!(begun.status(), 303);
    let at_provider = location(&begun);
    assert!(at_provider.starts_with(&s.provider.issuer), "{at_provider}");
    assert!(
        at_provider.contains("code_challenge_method=S256"),
        "{at_provider}"
    );
    let callback = through_provider(&browser, &at_provider, login);
    let landed = browser.get(&callback);
    assert_eq!(
        landed.status(),
        200,
        "signed in: a page of Strongbox's that goes on"
    );
    (browser, sent_on_to(&landed))
}

fn page(browser: &Browser, sb: &Running, path: &str) -> (u16, String) {
    let r = browser.get(&sb.url(path));
    let status = r.status().as_u16();
    (status, r.into_body().read_to_string().unwrap_or_default())
}

#[test]
fn sign_in_through_the_provider_gives_access_from_groups_and_follows_their_changes() {
    let s = setup(&[]);
    let (_, login_page) = page(&Browser::new(), &s.sb, "/login");
    assert!(login_page.contains("Sign in with Test IdP"), "{login_page}");
    assert!(
        login_page.contains("name=\"password\""),
        "password sign-in stays on"
    );

    s.provider
        .set_accounts(r#"{"carol": {"groups": ["ops", "unmapped"]}}"#);
    let (browser, landed) = sign_in(&s, "carol");
    assert_eq!(landed, "/models");
    let (status, models) = page(&browser, &s.sb, "/models");
    assert_eq!(status, 200);
    assert!(models.contains("carol"), "signed in as carol");
    assert!(
        models.contains("href=\"/models/prod\""),
        "ops gives prod: {models}"
    );

    // The users page shows her access from the group apart from access set by hand.
    let (_, _, cookie) = support::web::form_login(&s.sb, "alice", "/models");
    let admin_browser = Browser::new();
    admin_browser.set_cookie(&s.sb.url("/"), &cookie.expect("alice signed in"));
    let (_, users) = page(&admin_browser, &s.sb, "/admin/users");
    assert!(users.contains("prod: write (group ops)"), "{users}");
    let linked = format!("carol at {}", s.provider.issuer);
    assert!(users.contains("Signs in through a provider: "), "{users}");
    assert!(users.contains(&linked), "{users}");

    // Signing out goes on to the provider's end-session page.
    let action = sign_out_action(&browser, &s.sb);
    let out = browser.post_form(&s.sb.url(&action), &[]);
    assert!(
        location(&out).starts_with(&s.provider.issuer),
        "{}",
        location(&out)
    );

    // Carol leaves the group at the provider: her next sign-in takes prod away.
    s.provider.set_accounts(r#"{"carol": {"groups": []}}"#);
    let (browser, _) = sign_in(&s, "carol");
    let (_, models) = page(&browser, &s.sb, "/models");
    assert!(!models.contains("href=\"/models/prod\""), "{models}");
}

#[test]
fn a_replayed_or_forged_callback_and_a_taken_name_sign_no_one_in() {
    let s = setup(&[]);
    let browser = Browser::new();
    let begun = browser.get(&s.sb.url("/auth/oidc/login"));
    let callback = through_provider(&browser, &location(&begun), "dave");
    let forged = callback.replace("state=", "state=x");
    let refused = |b: &Browser, url: &str, why: &str| {
        let r = b.get(url);
        assert_eq!(location(&r), format!("/login?sign_in_error={why}"), "{url}");
        let (status, _) = page(b, &s.sb, "/models");
        assert_eq!(status, 303, "no session after {url}");
    };
    refused(&Browser::new(), &forged, "expired");
    let first = browser.get(&callback);
    assert_eq!(
        sent_on_to(&first),
        "/models",
        "the real callback signs dave in"
    );
    refused(&Browser::new(), &callback, "expired");

    // erin is a local user: a provider's erin is not let in as her.
    let browser = Browser::new();
    let begun = browser.get(&s.sb.url("/auth/oidc/login"));
    let callback = through_provider(&browser, &location(&begun), "erin");
    refused(&browser, &callback, "name-taken");

    // Until an administrator links them deliberately.
    admin(
        s.data.path(),
        &[
            "link-user",
            "erin",
            "--issuer",
            &s.provider.issuer,
            "--subject",
            "erin",
        ],
        None,
    );
    let (browser, landed) = sign_in(&s, "erin");
    assert_eq!(landed, "/models");
    let (_, models) = page(&browser, &s.sb, "/models");
    assert!(models.contains("erin"), "signed in as the local erin");

    // Providers name people by e-mail address too.
    let (_, landed) = sign_in(&s, "frank@example.com");
    assert_eq!(landed, "/models");
}

#[test]
fn with_password_sign_in_off_only_the_provider_signs_people_in() {
    let s = setup(&["--password-sign-in", "off"]);
    let (_, login_page) = page(&Browser::new(), &s.sb, "/login");
    assert!(login_page.contains("Sign in with Test IdP"));
    assert!(!login_page.contains("name=\"password\""), "{login_page}");
    let body = serde_json::json!({"username": "alice", "password": PASSWORD});
    let r = agent()
        .post(&s.sb.url("/api/v1/login"))
        .send_json(&body)
        .expect("answered");
    assert_eq!(r.status(), 403);
    let text = r.into_body().read_to_string().expect("body");
    assert!(text.contains("password sign-in is off"), "{text}");
}

/// A Strongbox signing in through the forging provider at `issuer`, password sign-in on.
fn served_with_forger(issuer: &str, data: &tempfile::TempDir) -> Running {
    let port = closed_port();
    let listen = format!("127.0.0.1:{port}");
    let redirect = format!("http://{listen}/auth/oidc/callback");
    let secret = ForgingIdp::secret_file(data.path());
    let args = [
        "--listen",
        &listen,
        "--oidc-issuer",
        issuer,
        "--oidc-client-id",
        forging_idp::CLIENT_ID,
        "--oidc-client-secret-file",
        secret.to_str().expect("path"),
        "--oidc-redirect-url",
        &redirect,
    ];
    serve_with(data.path(), &args)
}

/// A forging provider, and a Strongbox (alice, prod) that signs people in through it.
fn forger_and_strongbox() -> (ForgingIdp, tempfile::TempDir, Running) {
    let idp = ForgingIdp::start();
    let data = data_with_alice_and_prod();
    let sb = served_with_forger(&idp.issuer, &data);
    (idp, data, sb)
}

/// Begins a sign-in with a fresh browser and follows it through the forging provider: the
/// browser, and where Strongbox's callback sent it.
fn through_forger(sb: &Running) -> (Browser, String) {
    let browser = Browser::new();
    let begun = browser.get(&sb.url("/auth/oidc/login"));
    let at_provider = location(&begun);
    let back = browser.get(&at_provider);
    let callback = location(&back);
    assert!(callback.contains("/auth/oidc/callback"), "{callback}");
    let landed = browser.get(&callback);
    (browser, sent_on_to(&landed))
}

fn signed_in(browser: &Browser, sb: &Running) -> bool {
    page(browser, sb, "/models").0 == 200
}

#[test]
fn forged_id_tokens_are_refused_and_none_creates_a_session() {
    let (idp, _data, sb) = forger_and_strongbox();
    let cases = [
        (Fault::OtherAudience, "token-refused"),
        (Fault::OtherAuthorizedParty, "token-refused"),
        (Fault::OtherIssuer, "token-refused"),
        (Fault::WrongNonce, "token-refused"),
        (Fault::UnpublishedKey, "token-refused"),
        (Fault::Expired { seconds: 120 }, "clock-skew"),
        (Fault::IssuedInFuture, "clock-skew"),
    ];
    for (fault, why) in cases {
        idp.set_fault(fault);
        let (browser, landed) = through_forger(&sb);
        assert_eq!(landed, format!("/login?sign_in_error={why}"), "{fault:?}");
        assert!(!signed_in(&browser, &sb), "{fault:?} made a session");
    }
    // The same provider, behaving, signs gina in; a token 30 s past its expiry is within the
    // clock skew allowed.
    for fault in [Fault::None, Fault::Expired { seconds: 30 }] {
        idp.set_fault(fault);
        let (browser, landed) = through_forger(&sb);
        assert_eq!(landed, "/models", "{fault:?}");
        assert!(signed_in(&browser, &sb), "{fault:?}");
    }
}

#[test]
fn each_failure_ends_on_the_sign_in_page_with_one_sentence_and_passwords_still_work() {
    let (idp, _data, sb) = forger_and_strongbox();
    idp.set_fault(Fault::Cancelled);
    let (_, landed) = through_forger(&sb);
    assert_eq!(landed, "/login?sign_in_error=cancelled");
    says(
        &sb,
        "cancelled",
        "The sign-in was cancelled at the identity provider.",
    );

    idp.set_fault(Fault::OtherSecret);
    let (_, landed) = through_forger(&sb);
    assert_eq!(landed, "/login?sign_in_error=client-refused");
    says(&sb, "client-refused", "refused Strongbox's credentials");

    // A provider that is down: Strongbox starts all the same and says so at the first sign-in.
    let down = data_with_alice_and_prod();
    let sb = served_with_forger(&format!("http://127.0.0.1:{}", closed_port()), &down);
    let begun = Browser::new().get(&sb.url("/auth/oidc/login"));
    assert_eq!(location(&begun), "/login?sign_in_error=unreachable");
    says(&sb, "unreachable", "could not be reached");
    let body = serde_json::json!({"username": "alice", "password": PASSWORD});
    let r = agent()
        .post(&sb.url("/api/v1/login"))
        .send_json(&body)
        .expect("answered");
    assert_eq!(r.status(), 200, "password sign-in still works");
}

/// The sign-in page, sent back with `why`, says `sentence`.
fn says(sb: &Running, why: &str, sentence: &str) {
    let (_, html) = page(&Browser::new(), sb, &format!("/login?sign_in_error={why}"));
    assert!(html.contains(sentence), "{why}: {html}");
}

/// The sign-out form's server function, as the page's form names it.
fn sign_out_action(browser: &Browser, sb: &Running) -> String {
    let (_, html) = page(browser, sb, "/models");
    html.split("action=\"")
        .find(|s| s.starts_with("/api/logout"))
        .and_then(|s| s.split('"').next())
        .expect("the sign-out form")
        .to_owned()
}

#[test]
fn signing_out_ends_the_providers_session_too() {
    let (idp, _data, sb) = forger_and_strongbox();
    idp.set_fault(Fault::None);
    let (browser, _) = through_forger(&sb);
    let models = browser.get(&sb.url("/models"));
    let csp = models
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains(&format!("form-action 'self' {}", idp.issuer)),
        "the sign-out form may lead to the provider: {csp}"
    );

    let action = sign_out_action(&browser, &sb);
    let out = browser.post_form(&sb.url(&action), &[]);
    let to = location(&out);
    assert!(
        to.starts_with(&format!("{}/end-session?", idp.issuer)),
        "{to}"
    );
    assert!(!signed_in(&browser, &sb), "the session ended at once");
    let back = browser.get(&to);
    assert_eq!(location(&back), sb.url("/login"));
    let ended = idp.ended_sessions();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0]["client_id"], forging_idp::CLIENT_ID);
    assert!(ended[0]["id_token_hint"].starts_with("ey"), "{ended:?}");

    // A password session signs out of Strongbox only.
    let (_, _, cookie) = support::web::form_login(&sb, "alice", "/models");
    let password = Browser::new();
    password.set_cookie(&sb.url("/"), &cookie.expect("signed in"));
    let action = sign_out_action(&password, &sb);
    let out = password.post_form(&sb.url(&action), &[]);
    assert_eq!(location(&out), "/login");
    assert_eq!(idp.ended_sessions().len(), 1);
}
