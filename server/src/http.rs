//! The HTTP server: the dashboard (pages and server functions), health endpoints, and the
//! middleware every request passes.

use app::api::ssr::DashboardState;
use app::{App as Dashboard, shell};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use backend::Services;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;

use crate::config::Config;
use crate::startup::{App, StartupError};

mod assets;
mod body_limit;
mod connections;
mod downloads;
mod hashed_sessions;
mod header_deadline;
mod metrics;
mod request_id;
mod security;
mod serving;
pub mod sessions;

pub use serving::{Running, serve, start};

use sessions::SessionLayer;

/// Where the built site (wasm, JS, CSS) is served from: this build's versioned directory.
pub fn leptos_options(site_root: &str, version: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("strongbox")
        .site_root(site_root)
        .site_pkg_dir(assets::pkg_dir(version))
        .build()
}

/// The whole application.
pub async fn router(app: &App, config: &Config) -> Result<Router, StartupError> {
    let version = assets::version(&config.site_root);
    let options = leptos_options(&config.site_root, &version);
    let state = DashboardState {
        services: app.services.clone(),
        absolute_lifetime_ms: i64::from(config.session_max_seconds) * 1000,
        idle_ms: i64::from(config.session_idle_seconds) * 1000,
        sign_in: app::types::SignInChoices {
            provider: config
                .sign_in
                .provider
                .as_ref()
                .map(|p| p.display_name.clone()),
            password: config.sign_in.password,
        },
        provider_origin: config
            .sign_in
            .provider
            .as_ref()
            .and_then(|p| crate::oidc::origin(&p.issuer)),
    };
    let context_state = state.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            generate_route_list(Dashboard),
            move || provide_context(context_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    let health = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(app.services.clone());
    if assets::EMBEDDED {
        tracing::info!("serving the dashboard's files from inside the binary");
    }
    let api = crate::api::router(crate::api::ApiState {
        services: app.services.clone(),
    });
    let provider = match &config.sign_in.provider {
        Some(p) => Some(std::sync::Arc::new(
            crate::oidc::Provider::new(p.clone()).map_err(StartupError::Input)?,
        )),
        None => None,
    };
    let sign_in_routes = match provider {
        Some(p) => crate::oidc::routes(app.services.clone(), p),
        None => Router::new(),
    };
    // Pages, server functions, sign-in and downloads know the caller by the session cookie;
    // the API, the Vault surface and the health checks by a bearer token or not at all. The
    // cookie layers stay off the latter: an application's read must not pay for a session it
    // never has (docs/adr/0033).
    let signed_in = assets::routes(&config.site_root, &version)
        .merge(pages)
        .merge(sign_in_routes)
        .merge(downloads::routes(app.services.clone()))
        .layer(from_fn_with_state(state, security::require_sign_in));
    let layer = sessions::layer(
        &app.pool,
        config.secure_cookies(),
        config.session_idle_seconds,
    )
    .await?;
    let with_sessions = match layer {
        SessionLayer::Sqlite(layer) => signed_in.layer(layer),
        SessionLayer::Postgres(layer) => signed_in.layer(layer),
    };
    let return_base = security::ReturnBase(config.public_url.clone());
    let by_token = health
        .merge(api)
        .merge(crate::vault::routes(
            app.services.clone(),
            config.vault_mount.clone(),
        ))
        .merge(crate::vault::juju_routes(app.services.clone()));
    let routes = with_sessions
        .layer(from_fn_with_state(return_base, security::form_return))
        .merge(by_token);
    let metrics = match config.metrics_listen {
        Some(addr) => {
            let bound = metrics::install(addr, app.services.clone())?;
            strongbox_cli::say(&format!("metrics on http://{bound}/metrics"));
            Some(from_fn(metrics::record))
        }
        None => None,
    };
    // One `layer` call for the whole stack, not one each: every `Router::layer` boxes each
    // route once more, and a request clones the boxes inside the one it enters, so separate
    // calls made each request clone the stack again at every level (docs/adr/0033).
    // Outermost first: the request id, so that every log line of the request, the other
    // layers' too, carries it.
    let edge = ServiceBuilder::new()
        .layer(from_fn(request_id::assign))
        .option_layer(metrics)
        .layer(from_fn(security::headers))
        .layer(from_fn(security::same_origin))
        .layer(from_fn(body_limit::limit_bodies))
        .layer(body_limit::layer());
    Ok(routes.layer(edge))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers and every migration is applied.
/// 503 at once when the database does not answer within `READY_WAIT`: a load balancer's
/// probe must not hang while PostgreSQL is down or failing over.
async fn readyz(State(services): State<Services>) -> (StatusCode, &'static str) {
    if database_ready(&services).await {
        (StatusCode::OK, "ready\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n")
    }
}

/// Whether the database answers, with its schema current, within `READY_WAIT`; why not is
/// logged.
pub(crate) async fn database_ready(services: &Services) -> bool {
    match tokio::time::timeout(READY_WAIT, services.database_ready()).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = ?e, "not ready");
            false
        }
        Err(_) => {
            tracing::warn!("not ready: the database did not answer in time");
            false
        }
    }
}

const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
