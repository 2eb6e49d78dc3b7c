//! One story for every `Store` implementation. It speaks only the store traits, and runs on
//! SQLite (a temporary file) always and on PostgreSQL when `TEST_POSTGRES_URL` names a server
//! (`scripts/test.sh` starts one). Each run gets a database of its own.

pub(crate) use backend::audit::{
    ActorKind, AuditAction, AuditActor, GENESIS_HASH, NewAuditEvent, Outcome, chain_hash,
};
pub(crate) use backend::crypto::Sealed;
pub(crate) use backend::store::postgres::PgStore;
pub(crate) use backend::store::sqlite::SqliteStore;
pub(crate) use backend::store::{
    AuditQuery, Cursor, NewToken, NewUser, OwnerFilter, RevisionRecord, SecretOwner, SecretQuery,
    SecretRecord, SortKey, Store, StoreError, TokenHolder, TokenOwner, Tx,
};
pub(crate) use backend::token::{PlainToken, TokenKind};
pub(crate) use domain::{
    AccessLevel, ApplicationName, Description, ModelName, ModelUuid, RevisionNumber, RotatePolicy,
    SecretId, SecretName, Timestamp, UserName,
};
use testkit::pg::TestDatabase;

pub(crate) struct TestStore {
    pub(crate) store: Box<dyn Store>,
    _dir: tempfile::TempDir,
    /// Declared after the store, so the store's connections close first.
    _database: Option<TestDatabase>,
}

pub(crate) async fn stores() -> Vec<TestStore> {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
    // As `strongbox serve` opens it: with the read cache, so every story runs through it.
    let sqlite = SqliteStore::connect_serving(&url).await.expect("sqlite");
    let mut all = vec![TestStore {
        store: Box::new(sqlite),
        _dir: dir,
        _database: None,
    }];
    if let Some(url) = testkit::postgres_url("the store conformance suite on PostgreSQL") {
        let database = TestDatabase::create(&url).await;
        let store = PgStore::connect(&database.url).await.expect("postgres");
        all.push(TestStore {
            store: Box::new(store),
            _dir: tempfile::tempdir().expect("tempdir"),
            _database: Some(database),
        });
    }
    all
}

pub(crate) type TxFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>> + Send + 'a>>;

/// Runs `write` in a transaction of its own and expects a uniqueness conflict. A transaction
/// that failed is abandoned: PostgreSQL refuses anything further in it, so callers never continue.
pub(crate) async fn expect_conflict<F>(store: &dyn Store, write: F)
where
    F: for<'a> FnOnce(&'a mut dyn Tx) -> TxFuture<'a>,
{
    let mut tx = store.write().await.expect("tx");
    let result = write(&mut *tx).await;
    assert!(
        matches!(result, Err(StoreError::Conflict(_))),
        "expected a conflict, got {result:?}"
    );
}

pub(crate) const T0: Timestamp = Timestamp(1_767_225_600_000);

pub(crate) fn user_name(s: &str) -> UserName {
    UserName::parse(s).expect("user")
}

pub(crate) fn app(s: &str) -> ApplicationName {
    ApplicationName::parse(s).expect("app")
}

pub(crate) fn sid(n: u8) -> SecretId {
    SecretId::from_parts(1_767_225_600 + u32::from(n), [n; 8])
}

pub(crate) fn secret(
    id: SecretId,
    model: domain::ModelId,
    owner: SecretOwner,
    name: Option<&str>,
    at: i64,
) -> SecretRecord {
    SecretRecord {
        id,
        model_id: model,
        owner,
        name: name.map(|n| SecretName::parse(n).expect("name")),
        description: Description::parse("").expect("d"),
        auto_prune: false,
        rotate_policy: RotatePolicy::Never,
        next_rotate_at: None,
        latest_revision: RevisionNumber::FIRST,
        revision_counter: RevisionNumber::FIRST,
        created_at: Timestamp(T0.0 + at),
        updated_at: Timestamp(T0.0 + at),
    }
}

pub(crate) fn sealed(tag: u8) -> Sealed {
    Sealed {
        ciphertext: vec![tag; 16],
        nonce: vec![1; 12],
        wrapped_key: vec![tag; 48],
        key_nonce: vec![2; 12],
        master_key_id: "key-a".into(),
    }
}

pub(crate) async fn model(tx: &mut dyn Tx, name: &str) -> backend::store::ModelRecord {
    let uuid = ModelUuid(uuid::Uuid::new_v4());
    tx.insert_model(uuid, &ModelName::parse(name).expect("model"), T0)
        .await
        .expect("model")
}

/// Model `prod` with application `mysql`, in `tx`.
pub(crate) async fn prod_with_mysql(
    tx: &mut dyn Tx,
) -> (
    backend::store::ModelRecord,
    backend::store::ApplicationRecord,
) {
    let prod = model(tx, "prod").await;
    let mysql = tx
        .insert_application(prod.id, &app("mysql"), T0)
        .await
        .expect("app");
    (prod, mysql)
}

mod accounts;
mod audit;
mod audit_two_nodes;
mod events;
mod identities;
mod juju;
mod listing;
mod read_ahead;
mod read_cache;
mod review;
mod search;
mod secrets;
mod standing;
mod throttle;
mod webhooks;
mod write_lock;
mod writer;
