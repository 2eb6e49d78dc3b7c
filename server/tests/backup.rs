//! `strongbox admin backup` while the server serves, and `strongbox admin restore` into a fresh
//! data directory: the secret reveals there, and only with the master key beside it.

mod support;

use std::process::{Command, Output};

use support::web::{agent, api_token};
use support::{bin, data_with_alice_and_prod, serve};

fn strongbox_admin(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("admin")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("admin")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Starts a server on `data` and reveals `secret`'s password through the API.
fn revealed(data: &std::path::Path, secret: &str) -> String {
    let node = serve(data);
    let port = node.port;
    let token = api_token(&node, "alice");
    let url = format!("http://127.0.0.1:{port}/api/v1/models/prod/secrets/{secret}/reveal");
    let content: serde_json::Value = agent()
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(serde_json::json!({}))
        .expect("reveal")
        .into_body()
        .read_json()
        .expect("json");
    content["content"]["password"]
        .as_str()
        .expect("password")
        .to_owned()
}

/// Puts `from`'s master key into `into` (it travels apart from the backup) and restores `file`
/// there, which must succeed with the audit chain intact.
fn restores_with_the_key_of(from: &std::path::Path, into: &std::path::Path, file: &str) {
    std::fs::copy(from.join("master.key"), into.join("master.key")).expect("the key");
    let restored = strongbox_admin(into, &["restore", file]);
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("audit chain intact"),
        "{}",
        text(&restored)
    );
}

#[test]
fn a_backup_taken_while_serving_restores_and_reveals_with_its_key() {
    let data = data_with_alice_and_prod();
    let node = serve(data.path());
    let port = node.port;
    let token = api_token(&node, "alice");
    let body = serde_json::json!({"name": "db", "content": {"password": "s3cret"}});
    let status = agent()
        .post(&format!(
            "http://127.0.0.1:{port}/api/v1/models/prod/secrets"
        ))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(&body)
        .expect("add")
        .status()
        .as_u16();
    assert_eq!(status, 201);

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("strongbox-backup.db");
    let file_arg = file.to_str().expect("utf-8");
    let out = strongbox_admin(data.path(), &["backup", file_arg]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("the master key is not in it"));
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&file)
        .expect("backup")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the backup holds wrapped keys: owner only");
    let again = strongbox_admin(data.path(), &["backup", file_arg]);
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
    drop(node);

    // Without the key, nothing is restored.
    let fresh = tempfile::tempdir().expect("dir");
    let refused = strongbox_admin(fresh.path(), &["restore", file_arg]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("put the master key file the backup was sealed with"),
        "{}",
        text(&refused)
    );
    assert!(!fresh.path().join("strongbox.db").exists());

    restores_with_the_key_of(data.path(), fresh.path(), file_arg);
    assert_eq!(revealed(fresh.path(), "db"), "s3cret");
    let twice = strongbox_admin(fresh.path(), &["restore", file_arg]);
    assert!(
        text(&twice).contains("never overwritten"),
        "a database in place is kept: {}",
        text(&twice)
    );
}

/// A restore that fails (here: the wrong master key) leaves the data directory as it was, so
/// the same command with the right key then succeeds. Before, it left `strongbox.db`, `-wal`
/// and `-shm` behind, and the retry failed with "File exists".
#[test]
fn a_failed_restore_leaves_nothing_behind_and_a_retry_succeeds() {
    let data = data_with_alice_and_prod();
    let backup_dir = tempfile::tempdir().expect("dir");
    let file = backup_dir.path().join("strongbox.backup");
    let file_arg = file.to_str().expect("utf-8");
    let made = strongbox_admin(data.path(), &["backup", file_arg]);
    assert!(made.status.success(), "{}", text(&made));

    let fresh = tempfile::tempdir().expect("dir");
    let other = data_with_alice_and_prod();
    std::fs::copy(
        other.path().join("master.key"),
        fresh.path().join("master.key"),
    )
    .expect("the wrong key");
    let listing = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing(fresh.path());
    let refused = strongbox_admin(fresh.path(), &["restore", file_arg]);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert_eq!(listing(fresh.path()), before, "{}", text(&refused));

    restores_with_the_key_of(data.path(), fresh.path(), file_arg);
    assert!(fresh.path().join("strongbox.db").exists());
    assert!(!fresh.path().join("strongbox.db.restoring").exists());
}

#[test]
fn a_backup_on_postgresql_points_to_pg_dump_with_exit_status_2() {
    let data = tempfile::tempdir().expect("dir");
    let file = data.path().join("copy.db");
    // Never reached: the answer needs no connection, so none is made.
    let url = "postgres://strongbox:hunter2@db.internal:5432/strongbox";
    let out = strongbox_admin(
        data.path(),
        &[
            "--database-url",
            url,
            "backup",
            file.to_str().expect("utf-8"),
        ],
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("pg_dump --format=custom --file strongbox.dump 'postgres://strongbox@db.internal:5432/strongbox'"),
        "{said}"
    );
    assert!(!said.contains("hunter2"), "the password is shown: {said}");
    assert!(!said.contains("internal error"), "{said}");
    assert!(!file.exists());
}
