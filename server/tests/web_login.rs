//! `strongbox login URL --web` against the running binary: the CLI prints a code, a person
//! signed in to the dashboard (with a password here, through a provider in `oidc.rs`'s
//! sibling test) approves it, and the CLI's next command works; an approval works once.

mod support;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use support::web::{Reach, Running, agent, form_login, post_form, server_fn};
use support::{BIN, data_with_alice_and_prod, serve};

/// `strongbox login URL --web` running in its own config directory; the code it printed.
struct WaitingCli {
    child: std::process::Child,
    code: String,
    config: tempfile::TempDir,
}

fn login_web(sb: &Running) -> WaitingCli {
    let config = tempfile::tempdir().expect("dir");
    let mut child = Command::new(BIN)
        .args(["login", &sb.url(""), "--web"])
        .env("XDG_CONFIG_HOME", config.path())
        .env("RUST_LOG", "warn")
        .env_remove("STRONGBOX_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("strongbox login --web");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let opened = lines.next().expect("a line").expect("text");
    assert!(
        opened.starts_with(&format!(
            "To sign in, open {}",
            sb.url("/approve-cli?code=")
        )),
        "{opened}"
    );
    let told = lines.next().expect("a line").expect("text");
    let code: String = told
        .split("approve the code ")
        .nth(1)
        .expect("the code")
        .chars()
        .take(9)
        .collect();
    assert!(opened.ends_with(&code), "{opened} / {told}");
    WaitingCli {
        child,
        code,
        config,
    }
}

/// Approves (`"true"`) or denies the code as the form on its approval page does.
fn decide(sb: &Running, cookie: &str, code: &str, approve: &str) -> (u16, String) {
    let page = format!("/approve-cli?code={code}");
    let action = server_fn(sb, cookie, &page, "decide_cli_sign_in");
    decide_at(sb, &action, cookie, code, approve)
}

fn decide_at(sb: &Running, action: &str, cookie: &str, code: &str, approve: &str) -> (u16, String) {
    post_form(sb, action, cookie, &[("code", code), ("approve", approve)])
}

fn page(sb: &Running, cookie: &str, path: &str) -> String {
    agent()
        .get(&sb.url(path))
        .header("Cookie", cookie)
        .call()
        .expect("page")
        .into_body()
        .read_to_string()
        .expect("body")
}

#[test]
fn the_cli_is_approved_in_the_dashboard_once_and_its_next_command_works() {
    let data = data_with_alice_and_prod();
    let sb = serve(data.path());
    let cli = login_web(&sb);
    let (_, _, cookie) = form_login(&sb, "alice", "/models");
    let cookie = cookie.expect("signed in");

    let shown = page(&sb, &cookie, &format!("/approve-cli?code={}", cli.code));
    assert!(
        shown.contains(&cli.code),
        "the page shows the code: {shown}"
    );
    assert!(shown.contains("strongbox cli on "), "and the host: {shown}");

    let page_path = format!("/approve-cli?code={}", cli.code);
    let action = server_fn(&sb, &cookie, &page_path, "decide_cli_sign_in");
    let (status, body) = decide_at(&sb, &action, &cookie, &cli.code, "true");
    assert_eq!((status, body.as_str()), (200, "true"));
    let out = cli.child.wait_with_output().expect("the CLI ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("as alice"), "{stdout}");

    let models = Command::new(BIN)
        .arg("models")
        .env("XDG_CONFIG_HOME", cli.config.path())
        .env_remove("STRONGBOX_TOKEN")
        .env_remove("STRONGBOX_SERVER")
        .output()
        .expect("models");
    let listed = String::from_utf8_lossy(&models.stdout);
    assert!(
        models.status.success() && listed.contains("prod"),
        "{listed}"
    );
    let account = page(&sb, &cookie, "/account");
    assert!(account.contains("strongbox cli on "), "listed on /account");

    // The same approval a second time: nothing waits with that code any more.
    let (status, body) = decide_at(&sb, &action, &cookie, &cli.code, "true");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("expired") && body.contains("used"), "{body}");
}

#[test]
fn a_token_is_collected_once_and_a_denied_sign_in_gets_none() {
    let data = data_with_alice_and_prod();
    let sb = serve(data.path());
    let (_, _, cookie) = form_login(&sb, "alice", "/models");
    let cookie = cookie.expect("signed in");
    let start = || -> serde_json::Value {
        agent()
            .post(&sb.url("/api/v1/login/web"))
            .send_json(serde_json::json!({"label": "strongbox cli on test"}))
            .expect("started")
            .body_mut()
            .read_json()
            .expect("json")
    };
    let collect = |secret: &serde_json::Value| {
        let r = agent()
            .post(&sb.url("/api/v1/login/web/collect"))
            .send_json(serde_json::json!({ "poll_secret": secret }))
            .expect("answered");
        let status = r.status().as_u16();
        let body = r.into_body().read_to_string().unwrap_or_default();
        (status, body)
    };

    let approved = start();
    let code = approved["code"].as_str().expect("code");
    assert_eq!(collect(&approved["poll_secret"]).0, 202, "pending");
    assert_eq!(decide(&sb, &cookie, code, "true").0, 200);
    let (status, body) = collect(&approved["poll_secret"]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"token\":\"sbxp_"), "{body}");
    let (status, body) = collect(&approved["poll_secret"]);
    assert_eq!(status, 404, "a second collection: {body}");

    let denied = start();
    let code = denied["code"].as_str().expect("code");
    assert_eq!(
        decide(&sb, &cookie, code, "false"),
        (200, "false".to_owned())
    );
    let (status, body) = collect(&denied["poll_secret"]);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("denied"), "{body}");

    // Without a session, the approval page sends the person to sign in first.
    let r = agent()
        .get(&sb.url(&format!("/approve-cli?code={code}")))
        .call()
        .expect("page");
    assert_eq!(r.status(), 303);
}
