//! Prometheus metrics, off unless `--metrics-listen` names an address of their own: requests
//! by route and status, their latency, audit events (counted in the backend), and the
//! database connections in use.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use backend::Services;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::startup::StartupError;

const LATENCY: &str = "strongbox_http_request_duration_seconds";
/// Latency buckets, in seconds: a read is around a millisecond; 3 s is the database wait.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 3.0,
];
const SAMPLE_EVERY: Duration = Duration::from_secs(5);

/// Serves `/metrics` on `addr`, an address of its own, and samples connection use. Returns the
/// bound address (`--metrics-listen 127.0.0.1:0` lets the kernel choose the port).
pub fn install(addr: SocketAddr, services: Services) -> Result<SocketAddr, StartupError> {
    let refused = |e: &dyn std::fmt::Display| {
        StartupError::Input(format!(
            "--metrics-listen / STRONGBOX_METRICS_LISTEN: cannot serve metrics on {addr}: {e}"
        ))
    };
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(LATENCY.to_owned()), &BUCKETS)
        .and_then(PrometheusBuilder::install_recorder)
        .map_err(|e| refused(&e))?;
    let listener = std::net::TcpListener::bind(addr)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .and_then(tokio::net::TcpListener::from_std)
        .map_err(|e| refused(&e))?;
    let bound = listener.local_addr()?;
    let scrape = handle.clone();
    let routes = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || std::future::ready(scrape.render())),
    );
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, routes).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
    tokio::spawn(async move {
        loop {
            let using = services.connections();
            metrics::gauge!("strongbox_db_connections", "state" => "open").set(using.open as f64);
            metrics::gauge!("strongbox_db_connections", "state" => "idle").set(using.idle as f64);
            // The histograms' windows are drained here, as the exporter's own listener would.
            handle.run_upkeep();
            tokio::time::sleep(SAMPLE_EVERY).await;
        }
    });
    Ok(bound)
}

/// The method as a label from a closed set: a client may send any token as its method, of any
/// length, and a label made from it would grow the registry with every new one.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// Counts and times each request under its route pattern (`/api/v1/models/{model}/secrets`),
/// never the raw path, so the label set stays small: every label comes from a closed set
/// (routes, `method_label`, status codes).
pub async fn record(route: Option<MatchedPath>, req: Request, next: Next) -> Response {
    let route = route.map_or_else(|| "unmatched".to_owned(), |r| r.as_str().to_owned());
    let method = method_label(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("strongbox_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!(LATENCY, "route" => route).record(started.elapsed().as_secs_f64());
    response
}
