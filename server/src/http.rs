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
use std::net::SocketAddr;

use crate::config::Config;
use crate::startup::{App, StartupError};

mod assets;
mod body_limit;
mod connections;
mod hashed_sessions;
mod header_deadline;
mod metrics;
mod security;
pub mod sessions;

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
        absolute_lifetime_ms: i64::from(config.session_lifetime_seconds) * 1000,
        idle_ms: i64::from(config.session_idle_seconds) * 1000,
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
    let gated = assets::routes(&config.site_root, &version)
        .merge(pages)
        .merge(health)
        .merge(api)
        .layer(from_fn_with_state(state, security::require_sign_in));
    let layer = sessions::layer(
        &app.pool,
        config.secure_cookies(),
        config.session_idle_seconds,
    )
    .await?;
    let with_sessions = match layer {
        SessionLayer::Sqlite(layer) => gated.layer(layer),
        SessionLayer::Postgres(layer) => gated.layer(layer),
    };
    let return_base = security::ReturnBase(config.public_url.clone());
    let router = with_sessions
        .layer(from_fn_with_state(return_base, security::form_return))
        .layer(body_limit::layer())
        .layer(from_fn(body_limit::limit_bodies))
        .layer(from_fn(security::same_origin))
        .layer(from_fn(security::headers));
    Ok(match config.metrics_listen {
        Some(addr) => {
            metrics::install(addr, app.services.clone())?;
            router.layer(from_fn(metrics::record))
        }
        None => router,
    })
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

pub async fn serve(config: &Config, app: App) -> Result<(), StartupError> {
    let router = router(&app, config).await?;
    let listener = listen(config.listen).map_err(|e| {
        StartupError::Input(format!(
            "--listen / STRONGBOX_LISTEN: cannot listen on {}: {e}",
            config.listen
        ))
    })?;
    let addr = listener.local_addr()?;
    strongbox_cli::say(&format!("strongbox listening on http://{addr}"));
    tokio::spawn(prune_app_events(app.services.clone()));
    tokio::spawn(announce_due(app.services.clone()));
    let transport = crate::webhooks::HttpTransport::new(config.webhooks.clone())
        .map_err(|e| StartupError::Input(format!("webhooks: cannot make an HTTP client: {e}")))?;
    tokio::spawn(crate::webhooks::dispatch(app.services.clone(), transport));
    // Event streams never end on their own; the graceful shutdown waits for them.
    let services = app.services.clone();
    connections::serve(
        listener,
        router,
        config.max_connections,
        shutdown_signal(),
        move || services.close_event_streams(),
    )
    .await;
    Ok(())
}

/// Events older than the retention (`backend::service::RETENTION_MS`) go once an hour.
async fn prune_app_events(services: backend::Services) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        match services.prune_app_events().await {
            Ok(n) if n > 0 => tracing::info!(events = n, "application events pruned"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pruning application events failed"),
        }
    }
}

/// Rotations and expiries that fall due are told to their owners within half a minute.
async fn announce_due(services: backend::Services) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
    loop {
        every.tick().await;
        if let Err(e) = services.announce_due().await {
            tracing::warn!(error = %e, "telling owners of due rotations and expiries failed");
        }
    }
}

/// Connections the kernel may hold for us before we accept them. tokio's default (1,024) let a
/// burst of 1,000 sign-ins overflow the queue now and then, and those clients were reset
/// instead of answered; the kernel still caps this at `net.core.somaxconn`.
const LISTEN_BACKLOG: u32 = 4_096;

fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
