//! `strongbox import juju FILE` against the running binary, from YAML that mirrors Juju 3.6's
//! `show-secret --reveal` output: revisions in order, multi-line and base64 values, a dry run,
//! a second run that adds nothing, a resume, clashes, and what cannot be imported, each said.

mod support;

use serde_json::{Value, json};
use support::web::{Running, api_token, call};
use support::{data_with_alice_and_prod, serve};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/import_fixtures/juju-3.6-show-secret-reveal.yaml"
);

/// alice's CLI, logged in, with `prod` current.
struct Cli {
    config: tempfile::TempDir,
}

impl Cli {
    fn login(sb: &Running) -> Self {
        let cli = Cli {
            config: tempfile::tempdir().expect("dir"),
        };
        let url = format!("http://127.0.0.1:{}", sb.port);
        assert!(cli.run(&["login", &url, "-u", "alice"], "password-123\n").0);
        assert!(cli.run(&["switch", "prod"], "").0);
        cli
    }

    /// Success, stdout and stderr.
    fn run(&self, args: &[&str], stdin: &str) -> (bool, String, String) {
        let out = support::run_cli(self.config.path(), args, stdin);
        (out.ok, out.stdout, out.stderr)
    }
}

fn secret(sb: &Running, token: &str, name: &str) -> Value {
    let path = format!("/api/v1/models/prod/secrets/{name}");
    call(sb, "GET", &path, token, None).1
}

fn revealed(sb: &Running, token: &str, name: &str, revision: i64) -> Value {
    let path = format!("/api/v1/models/prod/secrets/{name}/reveal");
    let (status, body) = call(
        sb,
        "POST",
        &path,
        token,
        Some(json!({"revision": revision})),
    );
    assert_eq!(status, 200, "{body}");
    body
}

/// The report's row for `name`: its words after the name.
fn row<'a>(report: &'a str, name: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no row for {name} in {report}"))
}

#[test]
fn a_juju_models_secrets_come_in_with_their_revisions_once() {
    let data = data_with_alice_and_prod();
    let sb = serve(data.path());
    let alice = api_token(&sb, "alice");
    let cli = Cli::login(&sb);

    // A dry run says what would happen and changes nothing.
    let (ok, out, err) = cli.run(
        &["import", "juju", FIXTURE, "--all-revisions", "--dry-run"],
        "",
    );
    assert!(
        !ok,
        "the charm's secret and the bad key are not imported: {out}{err}"
    );
    assert!(row(&out, "db-password").contains("created"), "{out}");
    assert!(err.contains("dry run: nothing changed"), "{err}");
    let (_, listed) = call(&sb, "GET", "/api/v1/models/prod/secrets", &alice, None);
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );

    let (ok, out, err) = cli.run(&["import", "juju", FIXTURE, "--all-revisions"], "");
    assert!(!ok, "{out}{err}");
    assert!(row(&out, "db-password").contains("created"), "{out}");
    assert!(row(&out, "tls").contains("created"), "{out}");
    let skipped = row(&out, "d0jc2mi5bsadbt1ojv50");
    assert!(
        skipped.contains("owned by mysql (label db-creds)"),
        "{skipped}"
    );
    let refused = row(&out, "legacy");
    assert!(
        refused.contains("refused") && refused.contains("Juju's rule"),
        "{refused}"
    );
    assert!(err.contains("2 secret(s) imported; 2 not"), "{err}");

    let db = secret(&sb, &alice, "db-password");
    assert_eq!(db["revision"], 2, "both revisions, in order: {db}");
    assert_eq!(db["description"], "main database");
    assert_eq!(
        revealed(&sb, &alice, "db-password", 1)["content"]["password"],
        "first-secret"
    );
    assert_eq!(
        revealed(&sb, &alice, "db-password", 2)["content"]["password"],
        "second-secret"
    );
    let tls = revealed(&sb, &alice, "tls", 1);
    assert!(
        tls["content"]["cert"]
            .as_str()
            .unwrap_or_default()
            .contains("CERTIFICATE-----\nMIIB"),
        "{tls}"
    );
    assert_eq!(
        tls["content_base64"]["key"], "c2VjcmV0LWtleS1ieXRlcw==",
        "base64 kept as base64"
    );

    // Again: nothing is added twice.
    let (_, out, _) = cli.run(&["import", "juju", FIXTURE, "--all-revisions"], "");
    assert!(row(&out, "db-password").contains("unchanged"), "{out}");
    assert_eq!(secret(&sb, &alice, "db-password")["revision"], 2);

    // Each imported secret is audited as an import, naming where it came from.
    let (_, audit) = call(
        &sb,
        "GET",
        "/api/v1/models/prod/audit?action=secret-import",
        &alice,
        None,
    );
    let text = audit.to_string();
    assert!(
        text.contains("imported from Juju secret secret:d0jb4ji5bsadbt1ojv40: 2 revision(s)"),
        "{text}"
    );
}

#[test]
fn an_import_stopped_part_way_resumes_and_a_clash_waits_for_update() {
    let data = data_with_alice_and_prod();
    let sb = serve(data.path());
    let alice = api_token(&sb, "alice");
    let cli = Cli::login(&sb);
    let secrets = "/api/v1/models/prod/secrets";
    // As an import that stopped after db-password's first revision leaves it.
    let first =
        json!({"name": "db-password", "content": {"password": "first-secret", "user": "admin"}});
    call(&sb, "POST", secrets, &alice, Some(first));
    // And a secret of the same name as tls, made here with other content.
    call(
        &sb,
        "POST",
        secrets,
        &alice,
        Some(json!({"name": "tls", "content": {"cert": "mine"}})),
    );

    let (_, out, _) = cli.run(&["import", "juju", FIXTURE, "--all-revisions"], "");
    let resumed = row(&out, "db-password");
    let words: Vec<&str> = resumed.split_whitespace().collect();
    assert_eq!(
        words[1..3],
        ["updated", "1"],
        "only the missing revision: {resumed}"
    );
    assert_eq!(secret(&sb, &alice, "db-password")["revision"], 2);
    let clash = row(&out, "tls");
    assert!(
        clash.contains("clash") && clash.contains("--update"),
        "{clash}"
    );
    assert_eq!(
        secret(&sb, &alice, "tls")["revision"],
        1,
        "never overwritten"
    );

    let (_, out, _) = cli.run(
        &["import", "juju", FIXTURE, "--all-revisions", "--update"],
        "",
    );
    assert!(row(&out, "tls").contains("updated"), "{out}");
    assert_eq!(
        secret(&sb, &alice, "tls")["revision"],
        2,
        "a new revision, the old one kept"
    );
}
