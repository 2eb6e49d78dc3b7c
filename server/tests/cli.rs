//! The client verbs against a live server on a random port: exact output of every verb in
//! every format, and Juju's error texts.

mod support;

use std::process::{Command, Stdio};
use support::{BIN, admin, data_with_alice_and_prod, serve, status_with_bearer};

/// One person's CLI: its own configuration directory (server, token, current model).
struct Session {
    config: tempfile::TempDir,
}

struct Cli {
    port: u16,
    /// alice's.
    session: Session,
    _server: support::web::Running,
    _data: tempfile::TempDir,
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Session {
    fn new() -> Self {
        Session {
            config: tempfile::tempdir().expect("dir"),
        }
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Out {
        let out = support::run_cli(self.config.path(), args, stdin);
        Out {
            ok: out.ok,
            stdout: out.stdout,
            stderr: out.stderr,
        }
    }
}

impl Cli {
    /// A server with model `prod` (alice is a superuser) and applications mysql and wordpress;
    /// alice logged in and `prod` current.
    fn start() -> Self {
        let data = data_with_alice_and_prod();
        admin(data.path(), &["create-user", "bob"], Some("password-123\n"));
        admin(data.path(), &["set-access", "prod", "bob", "write"], None);
        for app in ["mysql", "wordpress"] {
            admin(data.path(), &["add-application", "prod", app], None);
        }
        let server = serve(data.path());
        let port = server.port;
        let cli = Cli {
            port,
            session: Session::new(),
            _server: server,
            _data: data,
        };
        let login = cli.run_with_stdin(
            &["login", &format!("http://127.0.0.1:{port}"), "-u", "alice"],
            "password-123\n",
        );
        assert!(login.ok, "{}", login.stderr);
        assert!(cli.run(&["switch", "prod"]).ok);
        cli
    }

    fn run(&self, args: &[&str]) -> Out {
        self.run_with_stdin(args, "")
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Out {
        self.session.run_with_stdin(args, stdin)
    }

    /// Runs a command that must fail and returns its error line.
    fn error(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.ok, "{args:?} should fail, printed {}", out.stdout);
        out.stderr.trim_end().to_owned()
    }

    /// Adds an application and returns the token `add-application` printed.
    fn add_application(&self, name: &str) -> String {
        self.run(&["add-application", name])
            .stdout
            .trim()
            .to_owned()
    }

    /// Application `redis` (its token) and secret `db` (`password=one`, its id) granted to it.
    fn redis_granted_db(&self) -> (String, String) {
        let token = self.add_application("redis");
        let id = self.add(&["db", "password=one"]);
        assert!(self.run(&["grant-secret", "db", "redis"]).ok);
        (token, id)
    }

    /// Adds a secret and returns its bare id.
    fn add(&self, args: &[&str]) -> String {
        let out = self.run(&[&["add-secret"], args].concat());
        assert!(out.ok, "{}", out.stderr);
        let uri = out.stdout.trim();
        assert!(
            uri.starts_with("secret:") && uri.len() == 27 && !uri.contains('\n'),
            "add-secret prints the URI only: {uri:?}"
        );
        uri.trim_start_matches("secret:").to_owned()
    }
}

/// `2026-…Z` → `<time>`, so whole outputs can be compared.
fn times(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_inclusive([' ', '"', '\n']) {
        let bare = word.trim_end_matches([' ', '"', '\n']);
        if bare.len() >= 20 && bare.ends_with('Z') && bare.as_bytes()[4] == b'-' {
            out.push_str("<time>");
            out.push_str(&word[bare.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

#[test]
fn login_keeps_a_private_config_and_models_marks_the_current_one() {
    let cli = Cli::start();
    let path = cli.session.config.path().join("strongbox/config.json");
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&path)
            .expect("config")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("sbxp_")
    );
    assert_eq!(cli.run(&["models"]).stdout, "Model  Access\nprod*  admin\n");
    assert!(cli.run(&["add-model", "staging"]).ok);
    assert_eq!(
        cli.run(&["models"]).stdout,
        "Model    Access\nprod*    admin\nstaging  admin\n"
    );
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let token = config["token"].as_str().expect("token").to_owned();
    assert_eq!(cli.run(&["logout"]).stdout, "Logged out.\n");
    assert!(cli.error(&["models"]).starts_with("ERROR not logged in"));
    let after = status_with_bearer(cli.port, "GET", "/api/v1/models", &token);
    assert!(
        after.starts_with("HTTP/1.1 401"),
        "logout revoked the token on the server: {after}"
    );
}

#[test]
fn secrets_in_every_format() {
    let cli = Cli::start();
    let a = cli.add(&["my-apitoken", "token=34ae35facd4"]);
    let b = cli.add(&[
        "my-secret",
        "key#base64=AA==",
        "other=x",
        "--info",
        "a description",
    ]);
    let table = cli.run(&["secrets"]).stdout;
    let expected = format!(
        "ID                    Name         Owner    Rotation  Revision  Last updated\n\
         {a}  my-apitoken  <model>  never            1  just now\n\
         {b}  my-secret    <model>  never            1  just now\n"
    );
    assert_eq!(table, expected);
    assert_eq!(
        cli.run(&["list-secrets"]).stdout,
        table,
        "list-secrets is an alias"
    );

    let yaml = times(&cli.run(&["secrets", "--format", "yaml"]).stdout);
    assert_eq!(
        yaml,
        format!(
            "{a}:\n  revision: 1\n  owner: <model>\n  name: my-apitoken\n  created: <time>\n  updated: <time>\n\
         {b}:\n  revision: 1\n  owner: <model>\n  description: a description\n  name: my-secret\n  created: <time>\n  updated: <time>\n"
        )
    );
    let json = times(&cli.run(&["secrets", "--format", "json"]).stdout);
    assert_eq!(
        json,
        format!(
            "{{\"{a}\":{{\"revision\":1,\"owner\":\"<model>\",\"name\":\"my-apitoken\",\"created\":\"<time>\",\"updated\":\"<time>\"}},\
         \"{b}\":{{\"revision\":1,\"owner\":\"<model>\",\"description\":\"a description\",\"name\":\"my-secret\",\"created\":\"<time>\",\"updated\":\"<time>\"}}}}\n"
        )
    );
    assert_eq!(
        cli.run(&["secrets", "--owner", "application-mysql"]).stdout,
        "ID  Name  Owner  Rotation  Revision  Last updated\n"
    );
}

#[test]
fn show_secret_with_reveal_revisions_and_access() {
    let cli = Cli::start();
    let id = cli.add(&["db", "password=s3cret", "--info", "main db"]);
    assert!(cli.run(&["grant-secret", "db", "mysql,wordpress"]).ok);
    assert!(
        cli.run(&["revoke-secret", &format!("secret:{id}"), "wordpress"])
            .ok
    );
    let shown = times(&cli.run(&["show-secret", "db"]).stdout);
    let scope_line = shown
        .lines()
        .find(|l| l.contains("scope: model-"))
        .expect("scope")
        .to_owned();
    assert_eq!(
        shown,
        format!(
            "{id}:\n  revision: 1\n  rotation: never\n  owner: <model>\n  description: main db\n  name: db\n  created: <time>\n  updated: <time>\n  access:\n  - target: application-mysql\n{scope_line}\n    role: view\n"
        )
    );
    let revealed = times(&cli.run(&["show-secret", &id, "--reveal"]).stdout);
    assert!(
        revealed.starts_with(&format!("{id}:\n  revision: 1\n  checksum: ")),
        "{revealed}"
    );
    assert!(
        revealed.contains("  content:\n    password: s3cret\n"),
        "{revealed}"
    );

    assert!(cli.run(&["update-secret", "db", "password=changed"]).ok);
    let revisions = times(
        &cli.run(&["show-secret", "db", "--revisions", "--format", "json"])
            .stdout,
    );
    assert!(revisions.contains("\"revisions\":[{\"revision\":1,\"backend\":\"internal\",\"created\":\"<time>\",\"updated\":\"<time>\",\"obsolete\":true},{\"revision\":2,"), "{revisions}");
    let old = cli
        .run(&["show-secret", "db", "--revision", "1", "--reveal"])
        .stdout;
    assert!(old.contains("password: s3cret"), "{old}");

    assert_eq!(cli.error(&["show-secret"]), "ERROR secret ID is required");
    assert_eq!(
        cli.error(&["show-secret", "db", "--revisions", "--reveal"]),
        "ERROR specify either --revisions or --reveal but not both"
    );
    assert_eq!(
        cli.error(&["show-secret", "db", "--revisions", "--revision", "1"]),
        "ERROR specify either --revisions or --revision but not both"
    );
    assert_eq!(
        cli.error(&["show-secret", "db", "--revision", "-1"]),
        "ERROR revision must be a positive integer"
    );
    assert_eq!(
        cli.error(&["show-secret", "nope"]),
        "ERROR secret \"nope\" not found"
    );
}

#[test]
fn update_rename_auto_prune_and_remove() {
    let cli = Cli::start();
    cli.add(&["cfg", "token=1"]);
    assert!(
        cli.run(&[
            "update-secret",
            "cfg",
            "token=2",
            "--name",
            "config",
            "--auto-prune"
        ])
        .ok
    );
    let shown = cli
        .run(&["show-secret", "config", "--revisions", "--format", "json"])
        .stdout;
    assert!(shown.contains("\"revision\":2"), "{shown}");
    assert!(
        !shown.contains("\"revision\":1,"),
        "auto-prune removed the obsolete revision 1: {shown}"
    );
    assert!(
        cli.run(&["update-secret", "config", "token=3", "--auto-prune=false"])
            .ok
    );
    assert!(cli.run(&["remove-secret", "config", "--revision", "2"]).ok);
    assert!(
        cli.run(&["show-secret", "config"])
            .stdout
            .contains("revision: 3")
    );
    assert!(cli.run(&["remove-secret", "config"]).ok);
    assert_eq!(
        cli.error(&["show-secret", "config"]),
        "ERROR secret \"config\" not found"
    );
    assert_eq!(
        cli.error(&["update-secret", "config"]),
        "ERROR secret \"config\" not found"
    );
    assert_eq!(cli.error(&["remove-secret"]), "ERROR missing secret URI");
    assert_eq!(cli.error(&["update-secret"]), "ERROR missing secret URI");
}

#[test]
fn juju_error_texts() {
    let cli = Cli::start();
    cli.add(&["taken", "token=x"]);
    assert_eq!(
        cli.error(&["add-secret"]),
        "ERROR secret name needs to be supplied as the first argument"
    );
    assert_eq!(
        cli.error(&["add-secret", "empty"]),
        "ERROR missing secret value or filename"
    );
    assert_eq!(
        cli.error(&["add-secret", "bad", "fo=bar"]),
        "ERROR key \"fo\" not valid"
    );
    assert_eq!(
        cli.error(&["add-secret", "bad", "token"]),
        "ERROR key value \"token\" not valid"
    );
    assert_eq!(
        cli.error(&["add-secret", "taken", "token=y"]),
        "ERROR secret with name \"taken\" already exists"
    );
    assert_eq!(
        cli.error(&["update-secret", "taken"]),
        "ERROR at least one attribute to update must be specified"
    );
    assert_eq!(
        cli.error(&["grant-secret", "taken"]),
        "ERROR missing secret URI or application name"
    );
    let taken = cli
        .run(&["show-secret", "taken", "--format", "json"])
        .stdout;
    let id = taken.split('"').nth(1).expect("id").to_owned();
    assert_eq!(
        cli.error(&["grant-secret", "taken", "mysql,ghost"]),
        format!(
            "ERROR failed to grant secret: cannot change access to \"secret:{id}\" for \"ghost\": application \"ghost\" not found"
        )
    );
    assert_eq!(
        cli.error(&["revoke-secret", "nope", "mysql"]),
        "ERROR failed to revoke secret: secret \"nope\" not found"
    );
}

#[test]
fn values_from_files_and_documents() {
    let cli = Cli::start();
    let dir = tempfile::tempdir().expect("dir");
    let pem = dir.path().join("cert.pem");
    std::fs::write(&pem, "-----BEGIN CERTIFICATE-----\n").expect("write");
    let doc = dir.path().join("values.yaml");
    std::fs::write(&doc, "password: from-file\nport: 5432\n").expect("write");
    cli.add(&[
        "tls",
        &format!("cert#file={}", pem.display()),
        "password=from-args",
        "--file",
        doc.to_str().expect("path"),
    ]);
    let shown = cli
        .run(&["show-secret", "tls", "--reveal", "--format", "json"])
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let content = &v.as_object().expect("map").values().next().expect("one")["content"];
    assert_eq!(content["cert"], "-----BEGIN CERTIFICATE-----\n");
    assert_eq!(
        content["password"], "from-file",
        "--file wins over arguments"
    );
    assert_eq!(content["port"], "5432");
}

#[test]
fn add_application_prints_its_token_once() {
    let cli = Cli::start();
    let out = cli.run(&["add-application", "redis"]);
    assert!(out.ok, "{}", out.stderr);
    let token = out.stdout.trim();
    assert!(
        token.starts_with("sbxa_") && !token.contains('\n'),
        "{token:?}"
    );
    assert!(out.stderr.contains("shown only this once"));
    assert!(cli.run(&["remove-application", "redis"]).ok);
}

#[test]
fn a_webhook_is_set_shown_and_removed_and_a_loopback_target_refused() {
    let cli = Cli::start();
    let out = cli.run(&["set-webhook", "mysql", "https://hooks.example/strongbox"]);
    assert!(out.ok, "{}", out.stderr);
    let secret = out.stdout.trim();
    assert!(
        secret.starts_with("whsec_") && !secret.contains('\n'),
        "{secret:?}"
    );
    assert!(
        out.stderr.contains("shown only this once"),
        "{}",
        out.stderr
    );
    let shown = cli.run(&["show-webhook", "mysql"]);
    assert_eq!(
        times(&shown.stdout),
        "url: https://hooks.example/strongbox\nenabled: true\nfailures: 0\ncreated: <time>\n"
    );
    let enabled = cli.run(&["enable-webhook", "mysql"]);
    assert!(enabled.ok, "{}", enabled.stderr);
    assert_eq!(
        times(&enabled.stdout),
        "url: https://hooks.example/strongbox\nenabled: true\nfailures: 0\ncreated: <time>\n"
    );
    // The verb enabled it (a healthy webhook shows the same status): the audit log says so.
    let login = support::request(
        cli.port,
        "POST",
        "/api/v1/login",
        None,
        Some(r#"{"username": "alice", "password": "password-123"}"#),
    )
    .expect("login");
    let token: serde_json::Value = serde_json::from_str(&login.1).expect("json");
    let token = token["token"].as_str().expect("token");
    let (_, audit) = support::request(
        cli.port,
        "GET",
        "/api/v1/models/prod/audit",
        Some(token),
        None,
    )
    .expect("audit");
    assert!(audit.contains("webhook of mysql enabled"), "{audit}");
    assert_eq!(
        cli.error(&["enable-webhook", "redis"]),
        "ERROR application \"redis\" not found"
    );
    assert_eq!(
        cli.error(&["set-webhook", "mysql", "http://127.0.0.1:8080/"]),
        "ERROR webhook URL \"http://127.0.0.1:8080/\" not valid: a loopback or link-local address \
         (allowed only with --webhook-allow-local)"
    );
    assert!(cli.run(&["remove-webhook", "mysql"]).ok);
    assert_eq!(
        cli.error(&["show-webhook", "mysql"]),
        "ERROR application \"mysql\" has no webhook"
    );
}

#[test]
fn the_tracking_flow_through_secret_get() {
    let cli = Cli::start();
    let (token, id) = cli.redis_granted_db();
    let get = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args([&["secret-get"], args].concat())
            .env("XDG_CONFIG_HOME", cli.session.config.path())
            .env("STRONGBOX_APP_TOKEN", &token);
        let out = cmd.output().expect("secret-get");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(
        get(&[&id]).1,
        "password: one\n",
        "the first read tracks revision 1"
    );
    assert!(cli.run(&["update-secret", "db", "password=two"]).ok);
    assert_eq!(get(&[&id, "password"]).1, "one\n", "still tracking 1");
    assert_eq!(get(&[&id, "password", "--peek"]).1, "two\n");
    assert_eq!(
        get(&[&id, "password"]).1,
        "one\n",
        "peek did not move the tracking"
    );
    let shown = cli
        .run(&["show-secret", "db", "--revisions", "--format", "json"])
        .stdout;
    assert!(
        !shown.contains("\"obsolete\""),
        "revision 1 is tracked: {shown}"
    );
    assert_eq!(get(&[&id, "password#base64", "--refresh"]).1, "dHdv\n");
    let shown = cli
        .run(&["show-secret", "db", "--revisions", "--format", "json"])
        .stdout;
    assert!(
        shown.contains("{\"revision\":1,\"backend\":\"internal\""),
        "{shown}"
    );
    assert!(
        shown.contains("\"obsolete\":true"),
        "the untracked old revision shows as obsolete: {shown}"
    );

    assert!(cli.run(&["update-secret", "db", "--auto-prune"]).ok);
    let shown = cli
        .run(&["show-secret", "db", "--revisions", "--format", "json"])
        .stdout;
    assert!(
        !shown.contains("\"revision\":1,"),
        "with auto-prune on, it is deleted: {shown}"
    );
    assert!(cli.run(&["update-secret", "db", "password=three"]).ok);
    let shown = cli
        .run(&["show-secret", "db", "--revisions", "--format", "json"])
        .stdout;
    assert!(
        shown.contains("{\"revision\":2,"),
        "a tracked revision never is: {shown}"
    );

    assert_eq!(
        get(&[&id, "--peek", "--refresh"]).2.trim(),
        "ERROR specify one of --peek or --refresh but not both"
    );
    assert_eq!(
        get(&[]).2.trim(),
        "ERROR require either a secret URI or label"
    );
}

#[test]
fn an_application_token_opens_no_dashboard_page_or_server_function() {
    let cli = Cli::start();
    let token = cli.add_application("redis");
    let page = status_with_bearer(cli.port, "GET", "/models/prod/secrets", &token);
    assert!(
        page.starts_with("HTTP/1.1 303"),
        "pages want a signed-in person: {page}"
    );
    // whoami sits beside login; its URL carries the same module hash as the login form's.
    let login_page = support::get_body(cli.port, "/login");
    let hash: String = login_page
        .split("/api/login")
        .nth(1)
        .expect("login form")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let whoami = status_with_bearer(cli.port, "POST", &format!("/api/whoami{hash}"), &token);
    assert!(
        whoami.starts_with("HTTP/1.1 401"),
        "server functions ignore bearer tokens: {whoami}"
    );
    let api = status_with_bearer(cli.port, "GET", "/api/v1/models", &token);
    assert!(
        api.starts_with("HTTP/1.1 403"),
        "and the API refuses it people's endpoints: {api}"
    );
}

#[test]
fn output_goes_to_a_private_file_with_dash_o() {
    let cli = Cli::start();
    cli.add(&["db", "password=s3cret"]);
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("db.yaml");
    let out = cli.run(&[
        "show-secret",
        "db",
        "--reveal",
        "-o",
        file.to_str().expect("path"),
    ]);
    assert!(out.ok && out.stdout.is_empty(), "{}", out.stderr);
    assert!(
        std::fs::read_to_string(&file)
            .expect("written")
            .contains("password: s3cret")
    );
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777,
        0o600
    );
    let listed = dir.path().join("list.json");
    assert!(
        cli.run(&[
            "secrets",
            "--format",
            "json",
            "--output",
            listed.to_str().expect("path")
        ])
        .ok
    );
    assert!(
        std::fs::read_to_string(&listed)
            .expect("written")
            .contains("\"name\":\"db\"")
    );
}

/// The same server, another person: bob, who may write in `prod` but not reveal.
fn as_bob(cli: &Cli) -> Session {
    let bob = Session::new();
    let login = format!("http://127.0.0.1:{}", cli.port);
    let out = bob.run_with_stdin(&["login", &login, "-u", "bob"], "password-123\n");
    assert!(out.ok, "{}", out.stderr);
    assert!(bob.run_with_stdin(&["switch", "prod"], "").ok);
    bob
}

#[test]
fn the_rest_of_jujus_error_texts() {
    let cli = Cli::start();
    let id = cli.add(&["db", "password=x"]);
    cli.add(&["other", "password=y"]);
    let dir = tempfile::tempdir().expect("dir");
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "{}").expect("write");
    assert_eq!(
        cli.error(&[
            "add-secret",
            "nothing",
            "--file",
            empty.to_str().expect("path")
        ]),
        "ERROR empty secret value not valid"
    );
    let blob = dir.path().join("blob.bin");
    std::fs::write(&blob, vec![b'x'; 750_001]).expect("write");
    let big = format!("blob#file={}", blob.display());
    assert_eq!(
        cli.error(&["add-secret", "big", &big]),
        "ERROR base64 encoded secret content for key \"blob\" too large: 1000004 bytes"
    );
    assert_eq!(
        cli.error(&["update-secret", "db", "--name", "other"]),
        "ERROR secret with name \"other\" already exists"
    );
    assert_eq!(
        cli.error(&["remove-secret", "db", "--revision", "7"]),
        format!("ERROR revision 7 for secret \"secret:{id}\" not found")
    );

    let bob = as_bob(&cli);
    let refused = bob.run_with_stdin(&["show-secret", "db", "--reveal"], "");
    assert!(!refused.ok);
    assert_eq!(refused.stderr.trim_end(), "ERROR permission denied");
    let shown = bob.run_with_stdin(&["show-secret", "db"], "");
    assert!(
        shown.ok && shown.stdout.contains("name: db"),
        "bob may see the metadata: {}",
        shown.stdout
    );
}

#[test]
fn secret_get_watch_prints_each_new_revision_until_access_is_revoked() {
    use std::io::BufRead as _;
    let cli = Cli::start();
    let (token, id) = cli.redis_granted_db();
    let mut watching = Command::new(BIN)
        .args(["secret-get", &id, "password", "--watch"])
        .env("XDG_CONFIG_HOME", cli.session.config.path())
        .env("STRONGBOX_APP_TOKEN", &token)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("secret-get --watch");
    let (lines, printed) = std::sync::mpsc::channel();
    let stdout = watching.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let next = || printed.recv_timeout(std::time::Duration::from_secs(5));
    assert_eq!(next().as_deref(), Ok("one"));
    assert!(cli.run(&["update-secret", "db", "password=two"]).ok);
    assert_eq!(
        next().as_deref(),
        Ok("two"),
        "the new revision, read as the application"
    );
    assert!(cli.run(&["update-secret", "db", "password=three"]).ok);
    assert_eq!(next().as_deref(), Ok("three"));
    // It tracks what it printed.
    let shown = cli
        .run(&["show-secret", "db", "--revisions", "--format", "json"])
        .stdout;
    assert!(
        shown.contains("\"obsolete\":true"),
        "revisions 1 and 2 are no longer tracked: {shown}"
    );

    assert!(cli.run(&["revoke-secret", "db", "redis"]).ok);
    let out = watching.wait_with_output().expect("ends");
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!("ERROR access to {id} was revoked")
    );
}

#[test]
fn access_review_in_every_format_and_a_sign_off() {
    let cli = Cli::start();
    let (token, id) = cli.redis_granted_db();
    cli.add(&["api-key-10", "key=v"]);
    assert!(cli.run(&["grant-secret", "api-key-10", "redis"]).ok);
    let read = status_with_bearer(
        cli.port,
        "GET",
        &format!("/api/v1/app/secrets/{id}"),
        &token,
    );
    assert!(read.starts_with("HTTP/1.1 200"), "{read}");

    // Column widths follow the "Last read" cell ("just now", "3 seconds ago"), so compare
    // the cells.
    let table = cli.run(&["access-review"]).stdout;
    let cells: Vec<String> = table
        .lines()
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let line = words.join(" ").replace("just now", "<ago>");
            match line.find(" seconds ago") {
                Some(end) => {
                    let start = line[..end].rfind(' ').unwrap_or(0);
                    format!("{} <ago>{}", &line[..start], &line[end + 12..])
                }
                None => line,
            }
        })
        .collect();
    assert_eq!(
        cells,
        [
            "Application Secret Last read Reads (30d) Revision Flags",
            "redis api-key-10 never 0 -/1 never-read",
            "redis db <ago> 1 1/1",
        ],
        "{table}"
    );
    let csv = cli.run(&["access-review", "--format", "csv"]).stdout;
    assert!(
        csv.starts_with("application,secret_id,secret_name,granted_by,granted_at,last_read_at,reads_30d,tracked_revision,latest_revision,flags\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let json = cli
        .run(&["access-review", "--flag", "never-read", "--format", "json"])
        .stdout;
    let items: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(items[0]["secret_name"], "api-key-10");
    assert_eq!(
        cli.error(&["access-review", "--flag", "unused"]),
        "ERROR flag \"unused\" not valid: use never-read, stale, behind or no-token"
    );

    let signed = cli.run(&["sign-off-review", "--note", "all needed"]);
    assert!(signed.ok, "{}", signed.stderr);
    assert_eq!(
        signed.stderr.trim_end(),
        "Signed off the review of 2 grants in prod as alice."
    );
    let bob = as_bob(&cli);
    let refused = bob.run_with_stdin(&["sign-off-review"], "");
    assert!(!refused.ok, "bob has write access only");
}
