//! Opening what the server needs: the store (migrated), the keyring, and the services.

use backend::crypto::CryptoError;
use backend::store::sqlite::SqliteStore;
use backend::{Keyring, ServiceError, Services, StoreError, SystemClock};
use std::sync::Arc;
use thiserror::Error;

use crate::config::{Config, ConfigError, Database};

#[derive(Debug, Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot open the database: {0}")]
    Store(#[source] StoreError),
    #[error("{0}")]
    Key(#[from] CryptoError),
    #[error("{0}")]
    Service(#[from] ServiceError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Input(String),
}

impl From<StoreError> for StartupError {
    fn from(e: StoreError) -> Self {
        StartupError::Store(e)
    }
}

pub struct App {
    pub services: Services,
    pub keys: Arc<Keyring>,
}

/// Opens the database and the master key. `create_key` allows creating the key file on a fresh
/// data directory; commands that only read existing data never do.
pub async fn open(config: &Config, create_key: bool) -> Result<App, StartupError> {
    let store = match &config.database {
        Database::Sqlite(url) => SqliteStore::connect(url)
            .await
            .map_err(describe_store_error)?,
    };
    let keys = Arc::new(Keyring::open(&config.master_key_file, create_key)?);
    let services = Services::new(Arc::new(store), keys.clone(), Arc::new(SystemClock));
    let key_id = services.ensure_master_key().await.map_err(|e| match e {
        ServiceError::Internal(backend::InternalError::Crypto(c)) => StartupError::Key(c),
        other => StartupError::Service(other),
    })?;
    tracing::info!(master_key = %key_id, "store open");
    Ok(App { services, keys })
}

fn describe_store_error(e: StoreError) -> StartupError {
    tracing::error!(error = ?e, "opening the database failed");
    StartupError::Store(e)
}
