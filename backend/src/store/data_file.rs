//! The SQLite file on disk: who may read it, and which one server serves it.

use std::path::Path;

use super::{StoreError, StoreResult};

/// The database holds wrapped keys, hashes and the audit log: only its owner may read it.
/// SQLite gives the `-wal` and `-shm` files the database file's mode, so creating the file first,
/// mode 0600, covers them; files made by an older version are narrowed.
pub(super) fn owner_only(db: &Path) -> StoreResult<()> {
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    let io = |e: std::io::Error| StoreError::Database(sqlx::Error::Io(e));
    if db.as_os_str().is_empty() || db.as_os_str() == ":memory:" {
        return Ok(());
    }
    if !db.exists() {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(db)
            .map_err(io)?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        if Path::new(&path).exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
    }
    Ok(())
}

/// Held for as long as a server serves the file: a second `strongbox serve` on the same data
/// directory is refused, so the read cache's rule that this process makes every write holds.
/// `strongbox admin` commands do not take it; they only add users, models, applications and
/// members, which narrows no application's access.
pub(super) fn serve_lock(db: &Path) -> StoreResult<std::fs::File> {
    let mut path = db.as_os_str().to_owned();
    path.push("-serve.lock");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| StoreError::File {
            what: format!("cannot open {}", Path::new(&path).display()),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse(db.display().to_string())),
        Err(std::fs::TryLockError::Error(source)) => Err(StoreError::File {
            what: format!("cannot lock {}", Path::new(&path).display()),
            source,
        }),
    }
}
