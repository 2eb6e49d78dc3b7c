//! Applications hear of changes to what they read (issue 13), through the running binary:
//! `GET /api/v1/app/events` as a Server-Sent Events stream and as a (long) poll.

mod support;

use serde_json::{Value, json};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::time::{Duration, Instant};

use support::web::{Reach, Running, api_token, call};
use support::{data_with_alice_and_prod, serve};

/// Model `prod` with application `mysql` and its token; secrets `db`, `db2`, `db3` granted to
/// it and read once (so it tracks revision 1 of each).
struct World {
    node: Running,
    data: tempfile::TempDir,
    alice: String,
    app: String,
    /// The id of `app` in the application's token list.
    app_token_id: i64,
    ids: Vec<String>,
}

fn world() -> World {
    let data = data_with_alice_and_prod();
    let node = serve(data.path());
    let alice = api_token(&node, "alice");
    let ok = |(status, body): (u16, Value)| {
        assert!((200..300).contains(&status), "{status}: {body}");
        body
    };
    ok(call(
        &node,
        "POST",
        "/api/v1/models/prod/applications",
        &alice,
        Some(json!({"name": "mysql"})),
    ));
    let issued = ok(call(
        &node,
        "POST",
        "/api/v1/models/prod/applications/mysql/tokens",
        &alice,
        Some(json!({"label": "events"})),
    ));
    let app = issued["token"].as_str().expect("token").to_owned();
    let app_token_id = issued["id"].as_i64().expect("token id");
    let mut ids = Vec::new();
    for name in ["db", "db2", "db3"] {
        let body = json!({"name": name, "content": {"password": "one"}});
        let created = ok(call(
            &node,
            "POST",
            "/api/v1/models/prod/secrets",
            &alice,
            Some(body),
        ));
        let id = created["id"].as_str().expect("id").to_owned();
        let apps = json!({"applications": ["mysql"]});
        ok(call(
            &node,
            "POST",
            &format!("/api/v1/models/prod/secrets/{id}/grant"),
            &alice,
            Some(apps),
        ));
        ok(call(
            &node,
            "GET",
            &format!("/api/v1/app/secrets/{id}"),
            &app,
            None,
        ));
        ids.push(id);
    }
    World {
        node,
        data,
        alice,
        app,
        app_token_id,
        ids,
    }
}

impl World {
    fn update(&self, id: &str, password: &str) {
        let body = json!({"content": {"password": password}});
        let path = format!("/api/v1/models/prod/secrets/{id}");
        let (status, body) = call(&self.node, "PATCH", &path, &self.alice, Some(body));
        assert_eq!(status, 200, "{body}");
    }

    /// `(kind, secret)` of each event, and the cursor to continue from.
    fn poll(&self, since: Option<&str>, wait: u32) -> (Vec<(String, String)>, String) {
        let mut path = format!("/api/v1/app/events?wait={wait}");
        if let Some(s) = since {
            path.push_str(&format!("&since={s}"));
        }
        let (status, page) = call(&self.node, "GET", &path, &self.app, None);
        assert_eq!(status, 200, "{page}");
        let events = page["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| {
                let secret = e["secret"].as_str().unwrap_or("").to_owned();
                (e["kind"].as_str().expect("kind").to_owned(), secret)
            })
            .collect();
        (events, page["next"].as_str().expect("next").to_owned())
    }

    /// The application's event stream, past its status line (200) and headers.
    fn open_stream(&self) -> BufReader<std::net::TcpStream> {
        let mut stream =
            std::net::TcpStream::connect(("127.0.0.1", self.node.port)).expect("connect");
        let request = format!(
            "GET /api/v1/app/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\
             Authorization: Bearer {}\r\n\r\n",
            self.app
        );
        stream.write_all(request.as_bytes()).expect("send");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("status line");
        assert!(line.contains("200"), "{line}");
        while line != "\r\n" {
            line.clear();
            reader.read_line(&mut line).expect("header");
        }
        reader
    }

    fn changed(&self, n: usize) -> (String, String) {
        ("secret-changed".to_owned(), self.ids[n].clone())
    }
}

#[test]
fn a_stream_hears_of_an_update_within_a_second() {
    let w = world();
    let mut lines = w.open_stream().lines();

    let updated = Instant::now();
    w.update(&w.ids[0], "two");
    let mut seen = Vec::new();
    // Up to the blank line that ends the event (the body is chunked: size lines come between).
    for line in lines.by_ref() {
        let line = line.expect("an event within the read timeout");
        if line.is_empty() && seen.iter().any(|l: &String| l.starts_with("data:")) {
            break;
        }
        seen.push(line);
    }
    let took = updated.elapsed();
    let text = seen.join("\n");
    assert!(text.contains("event: secret-changed"), "{text}");
    assert!(text.contains(&w.ids[0]), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("id: ")),
        "a cursor to resume from: {text}"
    );
    assert!(took < Duration::from_secs(1), "heard after {took:?}");
}

#[test]
fn a_long_poll_answers_when_the_event_comes() {
    let w = world();
    let (none, next) = w.poll(None, 0);
    assert!(none.is_empty(), "{none:?}");
    std::thread::scope(|s| {
        s.spawn(|| {
            support::pause(Duration::from_millis(300));
            w.update(&w.ids[1], "two");
        });
        let asked = Instant::now();
        let (events, _) = w.poll(Some(&next), 20);
        assert_eq!(events, [w.changed(1)]);
        assert!(
            asked.elapsed() < Duration::from_secs(5),
            "{:?}",
            asked.elapsed()
        );
    });
}

#[test]
fn a_consumer_away_during_three_updates_gets_one_event_then_nothing_once_refreshed() {
    let w = world();
    let (_, since) = w.poll(None, 0);
    for password in ["two", "three", "four"] {
        w.update(&w.ids[0], password);
    }
    let (events, next) = w.poll(Some(&since), 0);
    assert_eq!(events, [w.changed(0)]);
    let path = format!("/api/v1/app/secrets/{}?mode=refresh", w.ids[0]);
    let (status, read) = call(&w.node, "GET", &path, &w.app, None);
    assert_eq!((status, read["revision"].as_i64()), (200, Some(4)));
    assert!(
        w.poll(Some(&next), 0).0.is_empty(),
        "nothing once refreshed"
    );
    assert!(
        w.poll(None, 0).0.is_empty(),
        "nothing behind on a new connection"
    );
}

#[test]
fn a_cursor_replays_what_was_missed_across_a_restart() {
    let mut w = world();
    let (_, since) = w.poll(None, 0);
    w.update(&w.ids[0], "two");
    w.update(&w.ids[1], "two");
    let path = format!("/api/v1/models/prod/secrets/{}", w.ids[2]);
    let (status, _) = call(&w.node, "DELETE", &path, &w.alice, None);
    assert!((200..300).contains(&status), "remove: {status}");

    let _ = w.node.child.kill();
    let _ = w.node.child.wait();
    w.node = serve(w.data.path());

    let (mut events, next) = w.poll(Some(&since), 0);
    events.sort();
    let removed = ("secret-removed".to_owned(), w.ids[2].clone());
    let mut missed = vec![w.changed(0), w.changed(1), removed];
    missed.sort();
    assert_eq!(events, missed);
    assert!(
        w.poll(Some(&next), 0).0.len() == 2,
        "still behind on db and db2 until refreshed"
    );
}

#[test]
fn a_revoked_application_hears_access_revoked_and_nothing_after() {
    let w = world();
    let (_, since) = w.poll(None, 0);
    let revoke = format!("/api/v1/models/prod/secrets/{}/revoke", w.ids[0]);
    let apps = json!({"applications": ["mysql"]});
    let (status, _) = call(&w.node, "POST", &revoke, &w.alice, Some(apps));
    assert_eq!(status, 200);
    w.update(&w.ids[0], "two");
    let (events, _) = w.poll(Some(&since), 0);
    assert_eq!(events, [("access-revoked".to_owned(), w.ids[0].clone())]);
    assert!(
        w.poll(None, 0).0.is_empty(),
        "nothing about it on a new connection"
    );
}

#[test]
fn a_person_is_refused() {
    let w = world();
    let (status, body) = call(&w.node, "GET", "/api/v1/app/events", &w.alice, None);
    assert_eq!(status, 403, "{body}");
}

/// The secret's page says which applications have not refreshed to the latest revision.
#[test]
fn the_secret_page_shows_who_is_behind_until_they_refresh() {
    let w = world();
    let cookie = support::web::form_login(&w.node, "alice", "/models")
        .2
        .expect("cookie");
    let page = || {
        support::web::agent()
            .get(&w.node.url(&format!("/models/prod/secrets/{}", w.ids[0])))
            .header("Cookie", &cookie)
            .call()
            .expect("page")
            .into_body()
            .read_to_string()
            .expect("body")
    };
    let behind = |html: &str| {
        let section = html
            .split("Applications behind")
            .nth(1)
            .expect("the section");
        section
            .split("</section>")
            .next()
            .expect("its end")
            .to_owned()
    };
    assert!(
        behind(&page())
            .contains("Every application that reads this secret has the latest revision")
    );
    w.update(&w.ids[0], "two");
    let shown = behind(&page());
    assert!(shown.contains("<td>mysql<!></td>"), "{shown}");
    let path = format!("/api/v1/app/secrets/{}?mode=refresh", w.ids[0]);
    assert_eq!(call(&w.node, "GET", &path, &w.app, None).0, 200);
    assert!(!behind(&page()).contains("mysql"), "refreshed");
}

/// A token revoked while its stream and a long poll wait: both end at once.
#[test]
fn revoking_the_token_ends_its_stream_and_its_long_poll() {
    let w = world();
    let stream = w.open_stream();
    let (_, since) = w.poll(None, 0);
    std::thread::scope(|s| {
        let waiting = s.spawn(|| {
            let path = format!("/api/v1/app/events?since={since}&wait=20");
            call(&w.node, "GET", &path, &w.app, None).0
        });
        support::pause(Duration::from_millis(300));
        let revoked = Instant::now();
        let path = format!(
            "/api/v1/models/prod/applications/mysql/tokens/{}",
            w.app_token_id
        );
        assert!((200..300).contains(&call(&w.node, "DELETE", &path, &w.alice, None).0));
        assert_eq!(waiting.join().expect("poll"), 401);
        assert!(
            revoked.elapsed() < Duration::from_secs(2),
            "{:?}",
            revoked.elapsed()
        );
    });
    // The stream's body ends (the chunked terminator) instead of waiting for the read timeout;
    // the connection itself stays open for the next request.
    let mut rest = Vec::new();
    let mut reader = stream;
    while !rest.ends_with(b"0\r\n\r\n") {
        let mut byte = [0u8; 1];
        reader
            .read_exact(&mut byte)
            .expect("the stream ends within the read timeout");
        rest.push(byte[0]);
    }
}

/// Before, cursors were the log's shared counter: an application in one model saw it move
/// when another model changed, and a cursor past the newest event was answered with itself,
/// skipping what came in between. Now they are opaque, and one that does not open here (another
/// application's, a number) does not skip anything.
#[test]
fn cursors_tell_nothing_of_other_applications_and_cannot_be_made_up() {
    let w = world();
    let ok = |(status, body): (u16, Value)| {
        assert!((200..300).contains(&status), "{status}: {body}");
        body
    };
    let (_, before) = w.poll(None, 0);
    // Another model's application, and changes it alone hears of.
    ok(call(
        &w.node,
        "POST",
        "/api/v1/models",
        &w.alice,
        Some(json!({"name": "staging"})),
    ));
    let staging = "/api/v1/models/staging";
    ok(call(
        &w.node,
        "POST",
        &format!("{staging}/applications"),
        &w.alice,
        Some(json!({"name": "other"})),
    ));
    let issued = ok(call(
        &w.node,
        "POST",
        &format!("{staging}/applications/other/tokens"),
        &w.alice,
        Some(json!({"label": "x"})),
    ));
    let other = issued["token"].as_str().expect("token").to_owned();
    let created = ok(call(
        &w.node,
        "POST",
        &format!("{staging}/secrets"),
        &w.alice,
        Some(json!({"name": "s", "content": {"password": "one"}})),
    ));
    let id = created["id"].as_str().expect("id");
    ok(call(
        &w.node,
        "POST",
        &format!("{staging}/secrets/{id}/grant"),
        &w.alice,
        Some(json!({"applications": ["other"]})),
    ));
    ok(call(
        &w.node,
        "GET",
        &format!("/api/v1/app/secrets/{id}"),
        &other,
        None,
    ));
    let (status, page) = call(&w.node, "GET", "/api/v1/app/events", &other, None);
    assert_eq!(status, 200, "{page}");
    let others_cursor = page["next"].as_str().expect("next").to_owned();
    for password in ["two", "three", "four", "five"] {
        let path = format!("{staging}/secrets/{id}");
        ok(call(
            &w.node,
            "PATCH",
            &path,
            &w.alice,
            Some(json!({"content": {"password": password}})),
        ));
    }

    let (events, after) = w.poll(Some(&before), 0);
    assert!(events.is_empty(), "{events:?}");
    for cursor in [&before, &after] {
        assert!(
            cursor.starts_with("c1_") && cursor.len() == before.len(),
            "{cursor}"
        );
        assert!(cursor.parse::<i64>().is_err(), "{cursor}");
    }
    assert_ne!(
        before, after,
        "a fresh cursor every time, whatever happened elsewhere"
    );

    // A number is not a cursor: refused, in the documented shape.
    let (status, body) = call(&w.node, "GET", "/api/v1/app/events?since=50", &w.app, None);
    assert_eq!(
        (status, body["field"].clone()),
        (400, json!("query")),
        "{body}"
    );
    // Another application's cursor does not open for this one: resync, and nothing skipped.
    w.update(&w.ids[0], "two");
    let (events, _) = w.poll(Some(&others_cursor), 0);
    assert_eq!(events[0].0, "resync", "{events:?}");
    assert!(events.contains(&w.changed(0)), "{events:?}");
}
