//! `strongbox admin` takes its settings before or after the verb, as people type them.

mod support;

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

/// Runs the binary in `cwd` with `args`, feeding `stdin`.
fn run(cwd: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(support::bin())
        .args(args)
        .current_dir(cwd)
        .env("RUST_LOG", "warn")
        .env_remove("STRONGBOX_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("strongbox");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

#[test]
fn the_data_dir_may_follow_the_admin_verb() {
    let cwd = tempfile::tempdir().expect("dir");
    let data = tempfile::tempdir().expect("dir");
    let dir = data.path().to_str().expect("utf-8 path");

    let after = run(
        cwd.path(),
        &["admin", "create-user", "alice", "--data-dir", dir],
        "password-123\n",
    );
    assert!(
        after.status.success(),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert!(
        !cwd.path().join("strongbox-data").exists(),
        "the flag after the verb was ignored: the default data directory was used"
    );

    // The same directory, named before the verb, already holds alice.
    let before = run(
        cwd.path(),
        &["admin", "--data-dir", dir, "create-user", "alice"],
        "password-123\n",
    );
    assert!(!before.status.success());
    let stderr = String::from_utf8_lossy(&before.stderr);
    assert!(stderr.contains("alice"), "{stderr}");
}
