//! A fresh Strongbox on a temporary SQLite file, with people and applications in every role.

use backend::crypto::{MasterKey, write_key_file};
use backend::password::Password;
use backend::service::{NewSecret, SecretRef};
use backend::store::sqlite::SqliteStore;
use backend::{Caller, Clock, Keyring, Services};
use domain::document::parse_document;
use domain::{
    AccessLevel, ApplicationName, Description, ModelName, RotatePolicy, SecretContent, SecretName,
    Timestamp, UserName,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

pub struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

impl TestClock {
    pub fn at(ms: i64) -> Self {
        TestClock(AtomicI64::new(ms))
    }

    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

pub struct Harness {
    pub services: Services,
    pub store: SqliteStore,
    pub keys: Arc<Keyring>,
    pub clock: Arc<TestClock>,
    pub db_path: std::path::PathBuf,
    pub key_path: std::path::PathBuf,
    pub dir: tempfile::TempDir,
}

/// Everyone the permission tests need, all in model `prod` unless said otherwise.
pub struct World {
    pub h: Harness,
    pub model: ModelName,
    pub reader: Caller,
    pub writer: Caller,
    pub admin: Caller,
    pub superuser: Caller,
    pub outsider: Caller,
    /// Application `mysql` of `prod`.
    pub app: Caller,
    /// Application `wordpress` of `prod`.
    pub other_app: Caller,
    /// Application `mysql` of model `staging`.
    pub foreign_app: Caller,
}

impl Harness {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db_path = dir.path().join("strongbox.db");
        let key_path = dir.path().join("master.key");
        let store = SqliteStore::connect_serving(&format!("sqlite://{}", db_path.display()))
            .await
            .expect("store");
        let keys = Arc::new(Keyring::open(&key_path, true).expect("keyring"));
        let clock = Arc::new(TestClock(AtomicI64::new(1_767_225_600_000)));
        let services = Services::new(Arc::new(store.clone()), keys.clone(), clock.clone());
        services.ensure_master_key().await.expect("master key");
        Harness {
            services,
            store,
            keys,
            clock,
            db_path,
            key_path,
            dir,
        }
    }

    /// Raw SQL on the database file, as someone with access to the disk would run it.
    pub async fn sql(&self, statement: &str) {
        sqlx::query(statement)
            .execute(self.store.pool())
            .await
            .expect(statement);
    }

    pub async fn count(&self, query: &str) -> i64 {
        sqlx::query_scalar(query)
            .fetch_one(self.store.pool())
            .await
            .expect(query)
    }

    /// Every row of every table but the audit log (and its head), to prove a refused call changed
    /// nothing.
    pub async fn state(&self) -> String {
        let except = ["audit_event", "audit_head", "_sqlx_migrations"];
        testkit::sqlite::every_row(self.store.pool(), &except).await
    }

    pub async fn user(&self, name: &str, superuser: bool) -> Caller {
        let user = self
            .services
            .create_user(
                &Caller::system(),
                &UserName::parse(name).expect("name"),
                Password::new("password-123".into()),
                superuser,
            )
            .await
            .expect("user");
        Caller::user(user.id, user.name)
    }

    pub async fn app_caller(&self, model: &ModelName, name: &str) -> Caller {
        let app_name = ApplicationName::parse(name).expect("app name");
        let app = self
            .services
            .add_application(&Caller::system(), model, &app_name)
            .await
            .expect("app");
        // The caller an application's request carries: the one its token authenticates as.
        let (_, token) = self
            .services
            .create_application_token(&Caller::system(), model, &app.name, "test")
            .await
            .expect("token");
        self.services
            .authenticate_token(token.expose())
            .await
            .expect("the token authenticates")
    }

    /// What `strongbox admin rotate-master-key` does: new key beside the old, re-wrap, swap.
    pub async fn rotate_master_key(&self, caller: &Caller) -> Result<u64, backend::ServiceError> {
        let key = MasterKey::generate();
        let files = self.keys.files().clone();
        write_key_file(&files.next, &key).expect("write the pending key");
        let result = self.services.rotate_master_key(caller, &key).await;
        match result {
            Ok(_) => files.promote_next().expect("promote"),
            Err(_) => files.discard_next().expect("discard"),
        }
        result
    }
}

pub fn model(name: &str) -> ModelName {
    ModelName::parse(name).expect("model name")
}

pub fn app_name(name: &str) -> ApplicationName {
    ApplicationName::parse(name).expect("app name")
}

pub fn sref(text: &str) -> SecretRef {
    SecretRef::parse(text).expect("secret ref")
}

/// Content from `.env`-style text, e.g. `"token=abc\nother=def"`.
pub fn content(text: &str) -> SecretContent {
    SecretContent::from_entries(parse_document(text).expect("document")).expect("content")
}

pub fn new_secret(name: &str, text: &str) -> NewSecret {
    NewSecret {
        name: Some(SecretName::parse(name).expect("name")),
        description: Description::parse("").expect("description"),
        content: content(text),
        rotate_policy: RotatePolicy::Never,
        expire_at: None,
    }
}

impl World {
    pub async fn new() -> Self {
        let h = Harness::new().await;
        let system = Caller::system();
        let prod = model("prod");
        let staging = model("staging");
        h.services.create_model(&system, &prod).await.expect("prod");
        h.services
            .create_model(&system, &staging)
            .await
            .expect("staging");
        let reader = h.user("reader", false).await;
        let writer = h.user("writer", false).await;
        let admin = h.user("admin", false).await;
        let superuser = h.user("root", true).await;
        let outsider = h.user("outsider", false).await;
        for (who, level) in [
            ("reader", AccessLevel::Read),
            ("writer", AccessLevel::Write),
            ("admin", AccessLevel::Admin),
        ] {
            h.services
                .set_member(&system, &prod, &UserName::parse(who).expect("name"), level)
                .await
                .expect("member");
        }
        // The outsider is a member elsewhere, so "no access here" is not "no access anywhere".
        h.services
            .set_member(
                &system,
                &staging,
                &UserName::parse("outsider").expect("name"),
                AccessLevel::Admin,
            )
            .await
            .expect("member");
        let app = h.app_caller(&prod, "mysql").await;
        let other_app = h.app_caller(&prod, "wordpress").await;
        let foreign_app = h.app_caller(&staging, "mysql").await;
        World {
            h,
            model: prod,
            reader,
            writer,
            admin,
            superuser,
            outsider,
            app,
            other_app,
            foreign_app,
        }
    }
}
