//! Application reads are answered from memory between writes (docs/adr/0017). Readers that
//! hammer a secret while its grant, then the token itself, is revoked: every read sent after the
//! revoke has answered is refused, however warm the cache was.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::scale::{app_with_granted_secret, post, token};
use crate::{Server, agent, pause};

/// When each read was sent, and its status.
type Reads = Vec<(Instant, u16)>;

fn read_until(server: &Server, path: &str, app_token: &str, stop: &AtomicBool) -> Reads {
    let mut reads = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let sent = Instant::now();
        let status = agent()
            .get(&server.url(path))
            .header("Authorization", &format!("Bearer {app_token}"))
            .call()
            .expect("answered")
            .status()
            .as_u16();
        reads.push((sent, status));
    }
    reads
}

/// Eight readers run while `revoke` is called; returns their reads and when `revoke` answered.
fn race(
    server: &Arc<Server>,
    path: &str,
    app_token: &str,
    revoke: impl FnOnce(),
) -> (Reads, Instant) {
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let (server, stop) = (server.clone(), stop.clone());
            let (path, app_token) = (path.to_owned(), app_token.to_owned());
            std::thread::spawn(move || read_until(&server, &path, &app_token, &stop))
        })
        .collect();
    pause(Duration::from_millis(300));
    revoke();
    let revoked = Instant::now();
    pause(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let reads = readers
        .into_iter()
        .flat_map(|r| r.join().expect("reader"))
        .collect();
    (reads, revoked)
}

fn assert_cut_off(reads: &Reads, revoked: Instant, refused: u16) {
    let before = reads.iter().filter(|(sent, _)| *sent < revoked);
    assert!(
        before.filter(|(_, status)| *status == 200).count() > 20,
        "the readers were served before the revoke"
    );
    let after: Vec<u16> = reads
        .iter()
        .filter(|(sent, _)| *sent > revoked)
        .map(|(_, status)| *status)
        .collect();
    assert!(!after.is_empty(), "reads were sent after the revoke");
    assert!(
        after.iter().all(|s| *s == refused),
        "reads sent after the revoke: {} served",
        after.iter().filter(|s| **s == 200).count()
    );
}

#[test]
fn reads_racing_a_revoke_are_refused_from_the_moment_it_answers() {
    let server = Arc::new(Server::start(&[]));
    let alice = token(&server, "alice");
    let granted = app_with_granted_secret(&server, &alice);
    let (app_token, token_id, id) = (granted.token, granted.token_id, granted.secret);
    let grant = format!("/api/v1/models/prod/secrets/{id}/grant");
    let apps = serde_json::json!({"applications": ["mysql"]});
    let read = format!("/api/v1/app/secrets/{id}");

    let (reads, revoked) = race(&server, &read, &app_token, || {
        let revoke = format!("/api/v1/models/prod/secrets/{id}/revoke");
        post(&server, &alice, &revoke, apps.clone());
    });
    assert_cut_off(&reads, revoked, 403);

    post(&server, &alice, &grant, apps.clone());
    let (reads, revoked) = race(&server, &read, &app_token, || {
        let status = agent()
            .delete(&server.url(&format!(
                "/api/v1/models/prod/applications/mysql/tokens/{token_id}"
            )))
            .header("Authorization", &format!("Bearer {alice}"))
            .call()
            .expect("answered")
            .status();
        assert!(status.is_success(), "token revoke: {status}");
    });
    assert_cut_off(&reads, revoked, 401);
}

#[test]
fn a_second_server_on_the_same_data_directory_is_refused() {
    let server = Server::start(&[]);
    let second = std::process::Command::new(crate::support::bin())
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(server.data.path())
        .output()
        .expect("run");
    assert!(!second.status.success(), "the second server started");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(
        said.contains("another `strongbox serve` is using"),
        "the refusal names the cause: {said}"
    );
}
