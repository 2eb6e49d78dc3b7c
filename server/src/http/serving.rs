//! Running the server: the listener, the background tasks, and the accept loop until a stop
//! signal. `serve` is what `strongbox serve` runs; `start` is the same without waiting, for the
//! in-process tests, which bind port 0 and keep the listener.

use std::future::Future;
use std::net::SocketAddr;

use super::{connections, router};
use crate::config::Config;
use crate::startup::{App, StartupError};

/// A server accepting connections on `addr` until its stop signal.
pub struct Running {
    /// The address it listens on: `--listen`'s, with the port the kernel chose for port 0.
    pub addr: SocketAddr,
    /// Ends when the server has stopped and its requests in flight have finished.
    pub stopped: tokio::task::JoinHandle<()>,
}

/// `strongbox serve`: serves until SIGINT or SIGTERM.
pub async fn serve(config: &Config, app: App) -> Result<(), StartupError> {
    let running = start(config, app, shutdown_signal()).await?;
    strongbox_cli::say(&format!("strongbox listening on http://{}", running.addr));
    if let Err(e) = running.stopped.await {
        tracing::error!(error = %e, "the server stopped abnormally");
    }
    Ok(())
}

/// Binds `config.listen`, starts the background tasks and serves the whole router until `stop`
/// resolves. Returns once the listener is bound, so connections are accepted from then on.
pub async fn start(
    config: &Config,
    app: App,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Running, StartupError> {
    let router = router(&app, config).await?;
    let listener = listen(config.listen).map_err(|e| {
        StartupError::Input(format!(
            "--listen / STRONGBOX_LISTEN: cannot listen on {}: {e}",
            config.listen
        ))
    })?;
    let addr = listener.local_addr()?;
    tokio::spawn(prune_app_events(app.services.clone()));
    tokio::spawn(announce_due(app.services.clone()));
    tokio::spawn(remove_expired_juju_tokens(app.services.clone()));
    let transport = crate::webhooks::HttpTransport::new(config.webhooks.clone())
        .map_err(|e| StartupError::Input(format!("webhooks: cannot make an HTTP client: {e}")))?;
    tokio::spawn(crate::webhooks::dispatch(app.services.clone(), transport));
    // Event streams never end on their own; the graceful shutdown waits for them.
    let (services, max_connections) = (app.services.clone(), config.max_connections);
    let stopped = tokio::spawn(async move {
        let closing = services.clone();
        connections::serve(listener, router, max_connections, stop, move || {
            closing.close_event_streams()
        })
        .await;
        // Reads counted since the last write would otherwise go with the process (ADR 0024).
        if let Err(e) = services.write_counted_reads().await {
            tracing::warn!(error = %e, "writing the last read counts failed");
        }
    });
    Ok(Running { addr, stopped })
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

/// Juju's agents get a token per configuration request, thousands a day: expired ones (and
/// those made from them) go every ten minutes. Lookups refuse them from their expiry on.
async fn remove_expired_juju_tokens(services: backend::Services) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        match services.remove_expired_juju_tokens().await {
            Ok(n) if n > 0 => tracing::info!(tokens = n, "expired Juju backend tokens removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "removing expired Juju backend tokens failed"),
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
