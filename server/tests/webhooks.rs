//! Webhooks through the running binary: a receiver on this machine hears a change within a
//! second, signed as Standard Webhooks, and a post it refused comes again with the same id.

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Mac as _;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::web::{Running, api_token, call};
use support::{closed_port, data_with_alice_and_prod, serve_with};

/// One post as the receiver got it: lower-case header names, and the body.
struct Post {
    headers: HashMap<String, String>,
    body: String,
}

/// A receiver on 127.0.0.1 that answers with `statuses` in turn, then 200; it sends each post
/// down the channel.
fn receiver(statuses: Vec<u16>) -> (u16, mpsc::Receiver<Post>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (sender, posts) = mpsc::channel();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut headers = HashMap::new();
            let mut line = String::new();
            reader.read_line(&mut line).expect("request line");
            loop {
                line.clear();
                reader.read_line(&mut line).expect("header");
                let Some((name, value)) = line.trim_end().split_once(": ") else {
                    break;
                };
                headers.insert(name.to_ascii_lowercase(), value.to_owned());
            }
            let length: usize = headers["content-length"].parse().expect("length");
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("body");
            let status = statuses.next().unwrap_or(200);
            let answer =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            stream.write_all(answer.as_bytes()).expect("answer");
            let body = String::from_utf8(body).expect("utf-8");
            if sender.send(Post { headers, body }).is_err() {
                return;
            }
        }
    });
    (port, posts)
}

/// Standard Webhooks' check, written out: HMAC-SHA256 of `id.timestamp.body` under the key
/// after `whsec_`, base64, after `v1,`.
fn verifies(secret: &str, post: &Post) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("prefix"))
        .expect("key");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("mac");
    let signed = format!(
        "{}.{}.{}",
        post.headers["webhook-id"], post.headers["webhook-timestamp"], post.body
    );
    mac.update(signed.as_bytes());
    post.headers["webhook-signature"]
        == format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Setting the webhook to `url` is refused with 422 on field `url`; the error body.
fn refused(node: &Running, token: &str, url: &str) -> Value {
    let hook = "/api/v1/models/prod/applications/mysql/webhook";
    let (status, body) = call(node, "PUT", hook, token, Some(json!({"url": url})));
    assert_eq!(
        (status, body["field"].clone()),
        (422, json!("url")),
        "{url}: {body}"
    );
    body
}

fn ok((status, body): (u16, Value)) -> Value {
    assert!((200..300).contains(&status), "{status}: {body}");
    body
}

/// `prod` with application `mysql` tracking secret `db`; returns alice's token and the ID.
fn mysql_tracks_db(node: &Running) -> (String, String) {
    let alice = api_token(node, "alice");
    let apps = "/api/v1/models/prod/applications";
    ok(call(
        node,
        "POST",
        apps,
        &alice,
        Some(json!({"name": "mysql"})),
    ));
    let issued = ok(call(
        node,
        "POST",
        &format!("{apps}/mysql/tokens"),
        &alice,
        Some(json!({"label": "hook"})),
    ));
    let app = issued["token"].as_str().expect("token").to_owned();
    let body = json!({"name": "db", "content": {"password": "one"}});
    let created = ok(call(
        node,
        "POST",
        "/api/v1/models/prod/secrets",
        &alice,
        Some(body),
    ));
    let id = created["id"].as_str().expect("id").to_owned();
    let grant = json!({"applications": ["mysql"]});
    ok(call(
        node,
        "POST",
        &format!("/api/v1/models/prod/secrets/{id}/grant"),
        &alice,
        Some(grant),
    ));
    ok(call(
        node,
        "GET",
        &format!("/api/v1/app/secrets/{id}"),
        &app,
        None,
    ));
    (alice, id)
}

#[test]
fn a_receiver_hears_a_change_signed_within_a_second_and_a_refused_post_comes_again() {
    let data = data_with_alice_and_prod();
    let node = serve_with(data.path(), &["--webhook-allow-local"]);
    let (alice, id) = mysql_tracks_db(&node);
    let (receiver_port, posts) = receiver(vec![503]);
    let hook = "/api/v1/models/prod/applications/mysql/webhook";
    let url = format!("http://127.0.0.1:{receiver_port}/strongbox");
    let set = ok(call(&node, "PUT", hook, &alice, Some(json!({"url": url}))));
    let secret = set["signing_secret"].as_str().expect("secret").to_owned();
    assert_eq!(set["enabled"], true);

    let started = Instant::now();
    let change = json!({"content": {"password": "two"}});
    ok(call(
        &node,
        "PATCH",
        &format!("/api/v1/models/prod/secrets/{id}"),
        &alice,
        Some(change),
    ));
    let first = posts.recv_timeout(Duration::from_secs(5)).expect("a post");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "heard after {:?}",
        started.elapsed()
    );
    assert!(
        verifies(&secret, &first),
        "signature of {:?}",
        first.headers
    );
    let event_id = &first.headers["webhook-id"];
    assert!(
        event_id.starts_with("evt_") && event_id.len() == 26,
        "a keyed id, not the log's shared counter: {event_id}"
    );
    let body: Value = serde_json::from_str(&first.body).expect("json");
    assert_eq!(body["data"]["id"], event_id.as_str(), "{body}");
    assert_eq!(body["type"], "secret-changed");
    assert_eq!(body["data"]["secret"], id.as_str());
    assert_eq!(body["data"]["application"], "mysql");
    assert!(!first.body.contains("two"), "metadata only: {}", first.body);

    // The failure is recorded once the receiver's 503 is back, a moment after the post.
    let mut failed = ok(call(&node, "GET", hook, &alice, None));
    for _ in 0..50 {
        if failed["failures"] == 1 {
            break;
        }
        support::pause(Duration::from_millis(100));
        failed = ok(call(&node, "GET", hook, &alice, None));
    }
    assert_eq!(failed["failures"], 1, "{failed}");
    assert!(
        failed["last_error"].as_str().unwrap_or("").contains("503"),
        "{failed}"
    );
    let again = posts
        .recv_timeout(Duration::from_secs(10))
        .expect("the retry");
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "retried after {:?}",
        started.elapsed()
    );
    assert_eq!(again.headers["webhook-id"], first.headers["webhook-id"]);
    assert_eq!(again.body, first.body);
    assert!(verifies(&secret, &again));
    let deadline = Instant::now() + Duration::from_secs(5);
    let healed = loop {
        let status = ok(call(&node, "GET", hook, &alice, None));
        if status["failures"] == 0 || Instant::now() > deadline {
            break status;
        }
        support::pause(Duration::from_millis(50));
    };
    assert!(healed["last_success"].is_string(), "{healed}");
    assert_eq!(
        (healed["failures"].clone(), healed["enabled"].clone()),
        (json!(0), json!(true))
    );

    ok(call(&node, "DELETE", hook, &alice, None));
    let gone = call(&node, "GET", hook, &alice, None);
    assert_eq!(gone.0, 404, "{}", gone.1);
}

#[test]
fn without_the_flag_a_loopback_target_is_refused_with_the_reason() {
    let data = data_with_alice_and_prod();
    let node = serve_with(data.path(), &[]);
    let (alice, _) = mysql_tracks_db(&node);
    let hook = "/api/v1/models/prod/applications/mysql/webhook";
    for url in [
        "http://127.0.0.1:9/hook",
        "http://[::1]/hook",
        "http://169.254.1.1/",
    ] {
        let body = refused(&node, &alice, url);
        let message = body["message"].as_str().unwrap_or("");
        assert!(message.contains("--webhook-allow-local"), "{message}");
    }
    let (status, body) = call(
        &node,
        "PUT",
        hook,
        &alice,
        Some(json!({"url": "gopher://x/"})),
    );
    assert_eq!(
        (status, body["field"].clone()),
        (422, json!("url")),
        "{body}"
    );
}

/// Before: IPv6 spellings of loopback (`[::127.0.0.1]`, NAT64, 6to4), AWS's IPv6 metadata
/// service and Alibaba's were accepted; `last_error` showed the OS error and the resolved
/// address; a reader saw the URL with its `?token=`, and so did the audit log.
#[test]
fn hidden_local_targets_and_denied_ranges_are_refused_and_failures_show_a_class() {
    let data = data_with_alice_and_prod();
    support::admin(
        data.path(),
        &["create-user", "carol"],
        Some("password-123\n"),
    );
    support::admin(data.path(), &["set-access", "prod", "carol", "read"], None);
    let deny = [
        "--webhook-deny",
        "10.0.0.0/8",
        "--webhook-deny",
        "192.168.0.0/16",
    ];
    let node = serve_with(data.path(), &deny);
    let (alice, id) = mysql_tracks_db(&node);
    let hook = "/api/v1/models/prod/applications/mysql/webhook";
    for url in [
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://[::ffff:192.168.1.1]/hook",
    ] {
        refused(&node, &alice, url);
    }
    drop(node);

    // A receiver that is not there: the status says so in a word, and nothing more.
    let node = serve_with(data.path(), &["--webhook-allow-local"]);
    let closed = closed_port();
    let url = format!("http://127.0.0.1:{closed}/hook?token=t0p-s3cret");
    ok(call(&node, "PUT", hook, &alice, Some(json!({"url": url}))));
    let change = json!({"content": {"password": "three"}});
    ok(call(
        &node,
        "PATCH",
        &format!("/api/v1/models/prod/secrets/{id}"),
        &alice,
        Some(change),
    ));
    let deadline = Instant::now() + Duration::from_secs(5);
    let failed = loop {
        let status = ok(call(&node, "GET", hook, &alice, None));
        if status["failures"] != 0 || Instant::now() > deadline {
            break status;
        }
        support::pause(Duration::from_millis(50));
    };
    assert_eq!(failed["last_error"], "connection refused", "{failed}");
    assert_eq!(failed["url"], url.as_str(), "an admin sees the URL");

    let carol = api_token(&node, "carol");
    let seen = ok(call(&node, "GET", hook, &carol, None));
    assert!(seen.get("url").is_none(), "a reader sees no URL: {seen}");
    assert!(seen["failures"].as_u64() >= Some(1), "{seen}");
    let (status, _) = call(&node, "POST", &format!("{hook}/enable"), &carol, None);
    assert_eq!(status, 403, "readers cannot enable");

    // Enabled again through its own endpoint: the failures are forgotten, and it is audited.
    let enabled = ok(call(&node, "POST", &format!("{hook}/enable"), &alice, None));
    assert_eq!(
        (
            enabled["enabled"].clone(),
            enabled["failures"].clone(),
            enabled["last_error"].clone()
        ),
        (json!(true), json!(0), json!(null)),
        "{enabled}"
    );

    let audit = ok(call(
        &node,
        "GET",
        "/api/v1/models/prod/audit",
        &alice,
        None,
    ));
    let text = audit.to_string();
    assert!(
        !text.contains("t0p-s3cret"),
        "the audit log keeps no query: {text}"
    );
    assert!(
        text.contains(&format!("127.0.0.1:{closed}/hook?…")) && text.contains("webhook-enable"),
        "{text}"
    );
}
