//! Opening what the server needs: the store (migrated), the keyring, and the services.

use backend::crypto::CryptoError;
use backend::store::Store;
use backend::store::postgres::PgStore;
use backend::store::sqlite::SqliteStore;
use backend::{Keyring, ServiceError, Services, StoreError, SystemClock};
use std::sync::Arc;
use thiserror::Error;

use crate::config::{Config, ConfigError, Database};

#[derive(Debug, Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "--database-url / STRONGBOX_DATABASE_URL: cannot open the database {database}: {cause}"
    )]
    Store { database: String, cause: String },
    #[error("{0}")]
    Key(#[from] CryptoError),
    #[error("restore: {0}")]
    Restore(String),
    #[error("{0}")]
    Service(#[from] ServiceError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Input(String),
}

pub struct App {
    pub services: Services,
    pub keys: Arc<Keyring>,
    /// The connection pool, for the session store that shares the database.
    pub pool: Pool,
}

#[derive(Clone)]
pub enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Pool {
    /// Closes every connection, once each is given back; SQLite then checkpoints its journal.
    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// What the database is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// `strongbox serve`: one server per SQLite file, which may keep reads in memory.
    Serve,
    /// A `strongbox admin` command, beside a running server if there is one. `create_key`
    /// allows creating the key file on a fresh data directory; commands that only read
    /// existing data never do.
    Admin { create_key: bool },
}

/// Opens the database and the master key.
pub async fn open(config: &Config, opening: Opening) -> Result<App, StartupError> {
    let create_key = matches!(
        opening,
        Opening::Serve | Opening::Admin { create_key: true }
    );
    let (store, pool): (Arc<dyn Store>, Pool) = match &config.database {
        Database::Sqlite(url) => {
            let store = match opening {
                Opening::Serve => SqliteStore::connect_serving(url).await,
                Opening::Admin { .. } => SqliteStore::connect(url).await,
            }
            .map_err(|e| describe_store_error(e, &config.database))?;
            let pool = Pool::Sqlite(store.pool().clone());
            (Arc::new(store), pool)
        }
        Database::Postgres(url) => {
            let store = PgStore::connect(url)
                .await
                .map_err(|e| describe_store_error(e, &config.database))?;
            let pool = Pool::Postgres(store.pool().clone());
            (Arc::new(store), pool)
        }
    };
    let keys = Arc::new(Keyring::open(&config.master_key_file, create_key)?);
    let services = Services::new(store, keys.clone(), Arc::new(SystemClock))
        .with_webhook_policy(config.webhooks.clone())
        .with_stream_limits(config.streams)
        .with_password_sign_in(config.sign_in.password);
    let key_error = |e| match e {
        ServiceError::Internal(backend::InternalError::Crypto(c)) => StartupError::Key(c),
        other => StartupError::Service(other),
    };
    let key_id = services.ensure_master_key().await.map_err(key_error)?;
    let rekeyed = services.key_legacy_checksums().await.map_err(key_error)?;
    if rekeyed > 0 {
        tracing::info!(
            revisions = rekeyed,
            "checksums from before keyed checksums re-keyed"
        );
    }
    tracing::info!(master_key = %key_id, "store open");
    Ok(App {
        services,
        keys,
        pool,
    })
}

/// The operator needs the cause (refused connection, bad password, failed migration), so the
/// source chain is spelled out, and the database named without its password.
fn describe_store_error(e: StoreError, database: &Database) -> StartupError {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        // sqlx's I/O error repeats its source in its own text.
        let part = s.to_string();
        if !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    StartupError::Store {
        database: database.shown(),
        cause: text,
    }
}
