//! Session ids are stored only as a hash, as API tokens are: whoever reads the database (a
//! backup, a replica) finds no session they could present. The cookie carries the id; the table
//! is keyed by SHA-256 of it, cut to the id's 128 bits.

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{ExpiredDeletion, Result};

/// Wraps a session store so that it only ever sees hashed ids.
#[derive(Debug, Clone)]
pub struct HashedIds<S>(pub S);

fn stored_id(id: &Id) -> Id {
    let digest = Sha256::digest(id.0.to_le_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    Id(i128::from_le_bytes(first))
}

#[async_trait]
impl<S: SessionStore> SessionStore for HashedIds<S> {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // The inner store would settle a collision by picking an id of its own, which could not
        // be hashed back; so collisions (of 128 random bits) are settled here.
        while self.0.load(&stored_id(&record.id)).await?.is_some() {
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let mut stored = record.clone();
        stored.id = stored_id(&record.id);
        self.0.save(&stored).await
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let found = self.0.load(&stored_id(id)).await?;
        Ok(found.map(|mut record| {
            record.id = *id;
            record
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.0.delete(&stored_id(id)).await
    }
}

#[async_trait]
impl<S: ExpiredDeletion> ExpiredDeletion for HashedIds<S> {
    async fn delete_expired(&self) -> Result<()> {
        self.0.delete_expired().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_sessions_sqlx_store::SqliteStore;

    #[tokio::test]
    async fn the_store_holds_only_the_hash_and_the_id_still_loads() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:")
            .await
            .expect("pool");
        let inner = SqliteStore::new(pool);
        inner.migrate().await.expect("table");
        let store = HashedIds(inner.clone());
        let mut record = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
                + tower_sessions::cookie::time::Duration::hours(1),
        };
        store.create(&mut record).await.expect("create");
        assert!(
            inner.load(&record.id).await.expect("load").is_none(),
            "not under the id"
        );
        assert!(
            inner
                .load(&stored_id(&record.id))
                .await
                .expect("load")
                .is_some()
        );
        let loaded = store.load(&record.id).await.expect("load").expect("found");
        assert_eq!(loaded.id, record.id);
        store.delete(&record.id).await.expect("delete");
        assert!(store.load(&record.id).await.expect("load").is_none());
    }
}
