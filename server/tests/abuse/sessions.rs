//! Dashboard sessions: activity keeps them alive, idleness ends them, and the database holds
//! nothing that could be presented as one.

use std::time::Duration;

use crate::{Server, form_login, get_with_cookie};

#[test]
fn activity_extends_the_idle_timeout_and_idleness_still_ends_it() {
    let server = Server::start(&["--session-idle-seconds", "4"]);
    let (_, _, cookie) = form_login(&server, "bob", "/models");
    let cookie = cookie.expect("session cookie");
    for second in 1..=8 {
        crate::pause(Duration::from_secs(1));
        assert_eq!(
            get_with_cookie(&server, "/models", &cookie),
            200,
            "still signed in after {second} s of activity"
        );
    }
    crate::pause(Duration::from_secs(6));
    assert_eq!(
        get_with_cookie(&server, "/models", &cookie),
        303,
        "six idle seconds end a session with a four-second idle timeout"
    );
}

#[test]
fn the_database_holds_no_usable_session_id_and_only_its_owner_reads_it() {
    let server = Server::start(&[]);
    let (_, _, cookie) = form_login(&server, "bob", "/models");
    let cookie = cookie.expect("session cookie");
    let id = cookie.split_once('=').expect("name=value").1.to_owned();
    let db = server.data.path().join("strongbox.db");
    let stored: Vec<String> = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
                .await
                .expect("open");
            sqlx::query_scalar("select id from tower_sessions")
                .fetch_all(&pool)
                .await
                .expect("sessions")
        });
    assert_eq!(stored.len(), 1, "one session");
    assert_ne!(stored[0], id, "stored under a hash, not the id itself");
    use std::os::unix::fs::PermissionsExt as _;
    for file in ["strongbox.db", "strongbox.db-wal", "strongbox.db-shm"] {
        let mode = std::fs::metadata(server.data.path().join(file))
            .expect(file)
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }
}
