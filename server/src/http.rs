//! The HTTP server. For now: liveness and readiness; the dashboard and API mount here later.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use backend::Services;

use crate::config::Config;
use crate::startup::{App, StartupError};

pub fn router(services: Services) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(services)
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers and every migration is applied.
async fn readyz(State(services): State<Services>) -> (StatusCode, &'static str) {
    match services.store().ready().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(e) => {
            tracing::warn!(error = ?e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready\n")
        }
    }
}

pub async fn serve(config: &Config, app: App) -> Result<(), StartupError> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| {
            StartupError::Input(format!(
                "--listen / STRONGBOX_LISTEN: cannot listen on {}: {e}",
                config.listen
            ))
        })?;
    let addr = listener.local_addr()?;
    crate::admin::say(&format!("strongbox listening on http://{addr}"));
    axum::serve(listener, router(app.services))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
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
