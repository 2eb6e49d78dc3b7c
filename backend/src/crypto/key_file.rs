//! The master key on disk: base64 of 32 bytes in `master.key`, mode 0600. During a rotation the
//! new key waits in `master.key.next` until the database has been re-wrapped, then replaces it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use super::{CryptoError, MasterKey};

#[derive(Debug, Clone)]
pub struct KeyFiles {
    pub current: PathBuf,
    pub next: PathBuf,
}

impl KeyFiles {
    pub fn beside(current: &Path) -> Self {
        let mut next = current.as_os_str().to_owned();
        next.push(".next");
        KeyFiles {
            current: current.to_owned(),
            next: PathBuf::from(next),
        }
    }

    pub(super) fn none() -> Self {
        KeyFiles {
            current: PathBuf::new(),
            next: PathBuf::new(),
        }
    }

    /// The current key, then the pending one if a rotation is under way.
    pub(super) fn load(&self, create_if_missing: bool) -> Result<Vec<MasterKey>, CryptoError> {
        if self.current.as_os_str().is_empty() {
            return Ok(Vec::new());
        }
        let mut keys = Vec::new();
        if !self.current.exists() && create_if_missing {
            write_key_file(&self.current, &MasterKey::generate())?;
        }
        keys.push(read_key_file(&self.current)?);
        if self.next.exists() {
            keys.push(read_key_file(&self.next)?);
        }
        Ok(keys)
    }

    /// Makes the pending key the current one, atomically.
    pub fn promote_next(&self) -> Result<(), CryptoError> {
        fs::rename(&self.next, &self.current).map_err(|e| file_error(&self.current, e))?;
        sync_parent(&self.current)
    }

    pub fn discard_next(&self) -> Result<(), CryptoError> {
        match fs::remove_file(&self.next) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(file_error(&self.next, e)),
        }
    }
}

pub fn read_key_file(path: &Path) -> Result<MasterKey, CryptoError> {
    let problem = |p: &str| CryptoError::KeyFile {
        path: path.to_owned(),
        problem: p.to_owned(),
    };
    let meta = fs::metadata(path).map_err(|e| file_error(path, e))?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(problem("is readable by other users; run chmod 600 on it"));
    }
    let text = Zeroizing::new(fs::read_to_string(path).map_err(|e| file_error(path, e))?);
    let bytes = Zeroizing::new(
        STANDARD
            .decode(text.trim().as_bytes())
            .map_err(|_| problem("does not hold a base64 key"))?,
    );
    let array: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| problem("must hold exactly 32 bytes, base64-encoded"))?;
    Ok(MasterKey::from_bytes(Zeroizing::new(array)))
}

/// Writes a new key file readable by its owner only. Refuses to overwrite an existing file.
pub fn write_key_file(path: &Path, key: &MasterKey) -> Result<(), CryptoError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| file_error(dir, e))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| file_error(path, e))?;
    let mut text = key.encoded();
    text.push('\n');
    file.write_all(text.as_bytes())
        .map_err(|e| file_error(path, e))?;
    file.sync_all().map_err(|e| file_error(path, e))?;
    sync_parent(path)
}

fn sync_parent(path: &Path) -> Result<(), CryptoError> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| file_error(dir, e)),
        None => Ok(()),
    }
}

fn file_error(path: &Path, e: std::io::Error) -> CryptoError {
    CryptoError::KeyFile {
        path: path.to_owned(),
        problem: e.to_string(),
    }
}
