//! The HTTP API in-process: a fresh store, the real router, requests through `oneshot`.

mod admin;
mod app_side;
mod errors;
mod errors_change_nothing;
mod secrets;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use backend::password::Password;
use backend::store::sqlite::SqliteStore;
use backend::{Caller, Keyring, Services, SystemClock};
use domain::{AccessLevel, ApplicationName, ModelName, UserName};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use server::api::{ApiState, router};
use std::sync::Arc;
use tower::ServiceExt as _;

pub struct TestApi {
    pub router: axum::Router,
    pub services: Services,
    dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl TestApi {
    /// Model `prod` with users admin (admin), writer (write), reader (read) and applications
    /// mysql and wordpress; model `staging` with application mysql.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let store =
            SqliteStore::connect_serving(&format!("sqlite://{}", dir.path().join("db").display()))
                .await
                .expect("store");
        let keys = Arc::new(Keyring::open(&dir.path().join("master.key"), true).expect("keys"));
        let services = Services::new(Arc::new(store), keys, Arc::new(SystemClock));
        services.ensure_master_key().await.expect("key");
        let sys = Caller::system();
        for model in ["prod", "staging"] {
            services
                .create_model(&sys, &ModelName::parse(model).expect("m"))
                .await
                .expect("model");
        }
        let prod = ModelName::parse("prod").expect("m");
        for (user, level) in [
            ("admin", AccessLevel::Admin),
            ("writer", AccessLevel::Write),
            ("reader", AccessLevel::Read),
        ] {
            let name = UserName::parse(user).expect("u");
            services
                .create_user(&sys, &name, Password::new("password-123".into()), false)
                .await
                .expect("user");
            services
                .set_member(&sys, &prod, &name, level)
                .await
                .expect("member");
        }
        let root = UserName::parse("root").expect("u");
        services
            .create_user(&sys, &root, Password::new("password-123".into()), true)
            .await
            .expect("root");
        for (model, app) in [
            ("prod", "mysql"),
            ("prod", "wordpress"),
            ("staging", "mysql"),
        ] {
            let model = ModelName::parse(model).expect("m");
            services
                .add_application(&sys, &model, &ApplicationName::parse(app).expect("a"))
                .await
                .expect("app");
        }
        let state = ApiState {
            services: services.clone(),
        };
        TestApi {
            router: router(state),
            services,
            dir,
        }
    }

    /// How many refusals of `actor` the audit log holds.
    pub async fn denied(&self, actor: &str) -> i64 {
        let url = format!("sqlite://{}", self.dir.path().join("db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("open");
        sqlx::query_scalar(
            "select count(*) from audit_event where outcome = 'denied' and actor_name = ?",
        )
        .bind(actor)
        .fetch_one(&pool)
        .await
        .expect("count")
    }

    /// Every row of every table but the audit log and the sign-in back-off, to show that a
    /// refused request changed nothing.
    pub async fn state(&self) -> String {
        let url = format!("sqlite://{}", self.dir.path().join("db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("open");
        let except = [
            "audit_event",
            "audit_head",
            "login_throttle",
            "_sqlx_migrations",
        ];
        testkit::sqlite::every_row(&pool, &except).await
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, body }
    }

    /// A personal token through `POST /api/v1/login`.
    pub async fn login(&self, user: &str) -> String {
        let r = self
            .call(
                "POST",
                "/api/v1/login",
                None,
                Some(json!({"username": user, "password": "password-123"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.body["token"].as_str().expect("token").to_owned()
    }

    pub async fn app_token(&self, model: &str, app: &str) -> String {
        let (_, token) = self
            .services
            .create_application_token(
                &Caller::system(),
                &ModelName::parse(model).expect("m"),
                &ApplicationName::parse(app).expect("a"),
                "test",
            )
            .await
            .expect("token");
        token.expose().to_owned()
    }
}
