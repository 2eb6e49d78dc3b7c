//! Sessions: tower-sessions with its sqlx store, in the same database as everything else, so
//! any node can serve any request.

use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use super::hashed_sessions::HashedIds;
use crate::startup::{Pool, StartupError};

/// The session layer for the database in use. `secure` (behind TLS) adds the `Secure` flag and
/// the `__Host-` name prefix, which pins the cookie to this exact origin.
pub async fn layer(
    pool: &Pool,
    secure: bool,
    idle_seconds: u32,
) -> Result<SessionLayer, StartupError> {
    let store_error =
        |e: sqlx::Error| StartupError::Input(format!("cannot prepare the session table: {e}"));
    Ok(match pool {
        Pool::Sqlite(p) => {
            let store = SqliteStore::new(p.clone());
            store.migrate().await.map_err(store_error)?;
            SessionLayer::Sqlite(configure(HashedIds(store), secure, idle_seconds))
        }
        Pool::Postgres(p) => {
            let store = PostgresStore::new(p.clone());
            store.migrate().await.map_err(store_error)?;
            SessionLayer::Postgres(configure(HashedIds(store), secure, idle_seconds))
        }
    })
}

pub enum SessionLayer {
    Sqlite(SessionManagerLayer<HashedIds<SqliteStore>>),
    Postgres(SessionManagerLayer<HashedIds<PostgresStore>>),
}

fn configure<S: SessionStore + ExpiredDeletion + Clone>(
    store: S,
    secure: bool,
    idle_seconds: u32,
) -> SessionManagerLayer<S> {
    // Expired rows are swept in the background; a failure only delays the sweep.
    tokio::spawn(
        store
            .clone()
            .continuously_delete_expired(tokio::time::Duration::from_secs(600)),
    );
    let name = if secure {
        "__Host-strongbox"
    } else {
        "strongbox"
    };
    SessionManagerLayer::new(store)
        .with_name(name)
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::seconds(i64::from(
            idle_seconds,
        ))))
}
