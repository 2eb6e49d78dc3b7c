//! The HTTP API in-process: the real start-up and router (`support::in_process`), a fresh data
//! directory, requests over HTTP.

#[path = "../support/mod.rs"]
mod support;

mod access_review;
mod admin;
mod app_side;
mod edge_layers;
mod errors;
mod errors_change_nothing;
mod request_ids;
mod secrets;

use axum::http::StatusCode;
use backend::password::Password;
use backend::{Caller, Services};
use domain::{AccessLevel, ApplicationName, ModelName, UserName};
use serde_json::{Value, json};
use server::config::Database;
use support::in_process::{SpawnedApp, spawn_app};

pub struct TestApi {
    pub services: Services,
    app: SpawnedApp,
    http: reqwest::Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    /// The answer's `x-request-id`.
    pub request_id: Option<String>,
    /// The body as text, for answers that are not JSON.
    pub text: String,
}

impl TestApi {
    /// Model `prod` with users admin (admin), writer (write), reader (read) and applications
    /// mysql and wordpress; model `staging` with application mysql.
    pub async fn new() -> Self {
        let app = spawn_app(&[]).await;
        let services = app.services.clone();
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
        TestApi {
            services,
            app,
            http: reqwest::Client::new(),
        }
    }

    /// How many refusals of `actor` the audit log holds.
    pub async fn denied(&self, actor: &str) -> i64 {
        let pool = self.pool().await;
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
        let pool = self.pool().await;
        let except = [
            "audit_event",
            "audit_head",
            "login_throttle",
            "_sqlx_migrations",
        ];
        testkit::sqlite::every_row(&pool, &except).await
    }

    /// Zeroes every revision's ciphertext, behind the server's back.
    pub async fn corrupt_ciphertext(&self) {
        let pool = self.pool().await;
        sqlx::query("update secret_revision set ciphertext = zeroblob(length(ciphertext))")
            .execute(&pool)
            .await
            .expect("corrupt");
    }

    async fn pool(&self) -> sqlx::SqlitePool {
        let Database::Sqlite(url) = &self.app.database else {
            unreachable!("spawned on SQLite")
        };
        sqlx::SqlitePool::connect(url).await.expect("open")
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.send(method, path, token, body, None).await
    }

    /// A request that names its own id in `x-request-id`.
    pub async fn call_tagged(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        request_id: &str,
    ) -> Reply {
        self.send(method, path, token, None, Some(request_id)).await
    }

    pub async fn call_tagged_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        request_id: &str,
    ) -> Reply {
        self.send(method, path, token, body, Some(request_id)).await
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        request_id: Option<&str>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, self.app.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(id) = request_id {
            req = req.header("x-request-id", id);
        }
        if let Some(b) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.to_string());
        }
        let res = req.send().await.expect("response");
        let status = res.status();
        let request_id = res
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = res.bytes().await.expect("body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            request_id,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
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
