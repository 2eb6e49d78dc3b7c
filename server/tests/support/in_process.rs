//! The server in this process, started as `strongbox serve` starts it: the flags parsed by the
//! real command line, the store opened and migrated by the real start-up, the whole router with
//! every layer (sessions, security headers, body limits), on a listener bound to port 0 and kept.
//! A test reaches it over HTTP and may also call its services directly to set up a scene.

use clap::Parser as _;
use server::cli::{Cli, Command};
use server::config::{Config, Database};
use server::startup::{Opening, open};
use std::net::SocketAddr;

/// A server of the test's own, stopped when dropped.
pub struct SpawnedApp {
    pub addr: SocketAddr,
    pub services: backend::Services,
    /// The database its store opened, for tests that inspect the rows themselves.
    pub database: Database,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    // Last: the server stops before its data directory goes.
    pub data: tempfile::TempDir,
}

/// Starts a server on a fresh data directory with `extra` flags of `strongbox serve`.
pub async fn spawn_app(extra: &[&str]) -> SpawnedApp {
    let data = tempfile::tempdir().expect("dir");
    let dir = data.path().to_str().expect("utf-8 path");
    let mut args = vec![
        "strongbox",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        dir,
    ];
    args.extend_from_slice(extra);
    let Command::Serve(settings) = Cli::try_parse_from(args).expect("flags").command else {
        unreachable!("parsed as serve")
    };
    let config = Config::resolve(&settings).expect("settings");
    let app = open(&config, Opening::Serve).await.expect("start-up");
    let services = app.services.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = server::http::start(&config, app, async {
        let _ = stopped.await;
    })
    .await
    .expect("listening");
    SpawnedApp {
        addr: running.addr,
        services,
        database: config.database,
        stop: Some(stop),
        data,
    }
}

impl SpawnedApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for SpawnedApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
