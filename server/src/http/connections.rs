//! Accepting connections: each one served by hyper's HTTP/1 server, with a bound on how many
//! are open at once and a deadline for a request's headers (`header_deadline`), so that clients
//! which open connections and never finish a request cannot hold the server's sockets
//! (slowloris).

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

use super::header_deadline::HeaderDeadline;

/// Serves `router` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish (`before_drain` runs first: it ends the event streams, which never end on their own).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    max_connections: u32,
    shutdown: impl Future<Output = ()>,
    before_drain: impl FnOnce(),
) {
    let permits = Arc::new(Semaphore::new(max_connections as usize));
    let graceful = GracefulShutdown::new();
    // hyper's own header timeout would also close idle kept-alive connections a few seconds
    // after their last answer; `HeaderDeadline` times headers only.
    let http = hyper::server::conn::http1::Builder::new();
    tokio::pin!(shutdown);
    loop {
        // A connection is accepted only when it can be served: past the bound, new ones wait in
        // the kernel's backlog rather than taking a socket each.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let service = tower::service_fn(move |mut req: hyper::Request<Incoming>| {
            // What `into_make_service_with_connect_info` would add: the sign-in throttle and
            // the logs read the peer's address.
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(req)
        });
        let connection = http.serve_connection(
            TokioIo::new(HeaderDeadline::new(stream)),
            TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    before_drain();
    graceful.shutdown().await;
}
