//! `strongbox admin restore FILE`: all or nothing. The backup is copied beside the database's
//! place under a staging name, opened with the master key and checked there (the key opens it,
//! the audit chain is whole), and only then renamed into place. A failed restore (the wrong
//! key, a damaged file) leaves the data directory as it was, so that a retry can succeed.

use backend::Caller;
use std::path::{Path, PathBuf};

use crate::config::{Config, Database};
use crate::startup::{self, StartupError};
use strongbox_cli::say;

pub async fn restore(config: &Config, file: &Path) -> Result<(), StartupError> {
    if !config.master_key_file.exists() {
        return Err(StartupError::Restore(format!(
            "put the master key file the backup was sealed with at {} first: without it nothing \
             in the backup can be read",
            config.master_key_file.display()
        )));
    }
    let Database::Sqlite(url) = &config.database else {
        return Err(StartupError::Restore(
            "a PostgreSQL database is restored with pg_restore (docs/deploy.md)".into(),
        ));
    };
    let target = PathBuf::from(
        url.trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:"),
    );
    if target.exists() {
        return Err(StartupError::Restore(format!(
            "a database is already at {} (a database there is never overwritten)",
            target.display()
        )));
    }
    let staging = beside(&target, ".restoring");
    // What an earlier restore that was killed part way left behind is ours to clear.
    remove_database_files(&staging);
    let events = match stage(file, &staging) {
        Ok(()) => check(config, &staging).await,
        Err(e) => Err(e),
    };
    let events = match events {
        Ok(n) => n,
        Err(e) => {
            remove_database_files(&staging);
            return Err(e);
        }
    };
    std::fs::rename(&staging, &target).map_err(|e| {
        remove_database_files(&staging);
        StartupError::Restore(format!("cannot move the checked copy into place: {e}"))
    })?;
    if let Some(dir) = target.parent()
        && let Ok(dir) = std::fs::File::open(dir)
    {
        // The rename is durable once the directory is.
        let _ = dir.sync_all();
    }
    say(&format!(
        "restored {}: audit chain intact, {events} events verified",
        file.display()
    ));
    Ok(())
}

/// `path` with `suffix` added to its file name: `strongbox.db` → `strongbox.db-wal`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

/// The database file and SQLite's journal files beside it.
fn remove_database_files(db: &Path) {
    for path in [db.to_owned(), beside(db, "-wal"), beside(db, "-shm")] {
        let _ = std::fs::remove_file(path);
    }
}

/// Copies the backup to `staging`, readable by its owner only.
fn stage(file: &Path, staging: &Path) -> Result<(), StartupError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let fail =
        |what: String| move |e: std::io::Error| StartupError::Restore(format!("{what}: {e}"));
    let mut source =
        std::fs::File::open(file).map_err(fail(format!("cannot read {}", file.display())))?;
    let mut copy = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(staging)
        .map_err(fail(format!("cannot create {}", staging.display())))?;
    std::io::copy(&mut source, &mut copy)
        .map_err(fail(format!("cannot copy to {}", staging.display())))?;
    copy.sync_all()
        .map_err(fail(format!("cannot write {}", staging.display())))
}

/// Opens the staged copy as the server would (the master key must open it) and verifies its
/// audit chain; closes it, so that nothing of it is left in a journal beside it.
async fn check(config: &Config, staging: &Path) -> Result<i64, StartupError> {
    let mut staged = config.clone();
    staged.database = Database::Sqlite(format!("sqlite://{}", staging.display()));
    let app = startup::open(&staged, startup::Opening::Admin { create_key: false }).await?;
    let verified = app.services.verify_audit(&Caller::system()).await;
    app.pool.close().await;
    let events = verified?.map_err(|broken| StartupError::Restore(broken.to_string()))?;
    let wal = beside(staging, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(StartupError::Restore(format!(
            "{} was not checkpointed; try again",
            wal.display()
        )));
    }
    remove_database_files(&wal);
    let _ = std::fs::remove_file(beside(staging, "-shm"));
    Ok(events)
}
