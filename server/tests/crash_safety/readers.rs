//! The reading side of the crash test. Applications `reader-a` to `reader-d` are granted `shared`, whose
//! content an updater keeps changing. Each reader alternates a tracked read with a refresh
//! (which moves its tracking to the latest revision) and records what the server answered.
//! After the restart, the audit log must hold a content-read event for every answered read, and
//! each reader's tracked revision must be at least the last one a refresh answered with.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::support::request;

const READERS: usize = 4;
/// Reads each reader should have answered before the kill, so the kill lands mid-stream.
const ENOUGH: usize = 100;

pub struct Readers {
    tokens: Vec<String>,
    /// `shared`'s ID: an application names a secret it does not own by ID.
    id: String,
}

/// What the server answered before it died, per reader.
pub struct Answered {
    pub reads: Vec<usize>,
    /// The revision the last answered refresh returned (0: none).
    pub refreshed: Vec<i64>,
}

pub struct Reading {
    answered: Arc<Mutex<Answered>>,
    total: Arc<AtomicUsize>,
    threads: Vec<JoinHandle<()>>,
}

/// Juju's application names may not end in a number after a hyphen.
fn app(r: usize) -> String {
    format!(
        "reader-{}",
        char::from(b'a' + u8::try_from(r).expect("few readers"))
    )
}

fn call(port: u16, method: &str, path: &str, token: &str, body: &str) -> serde_json::Value {
    let (status, body) = request(port, method, path, Some(token), Some(body)).expect(path);
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {body}"
    );
    serde_json::from_str(&body).unwrap_or(serde_json::Value::Null)
}

impl Readers {
    pub fn set_up(port: u16, admin: &str) -> Self {
        let secrets = "/api/v1/models/prod/secrets";
        let created = call(
            port,
            "POST",
            secrets,
            admin,
            r#"{"name":"shared","content":{"value":"0"}}"#,
        );
        let id = created["id"].as_str().expect("id").to_owned();
        let tokens = (0..READERS)
            .map(|r| {
                let apps = "/api/v1/models/prod/applications";
                call(
                    port,
                    "POST",
                    apps,
                    admin,
                    &format!(r#"{{"name":"{}"}}"#, app(r)),
                );
                let path = format!("{apps}/{}/tokens", app(r));
                let made = call(port, "POST", &path, admin, r#"{"label":"crash"}"#);
                made["token"].as_str().expect("token").to_owned()
            })
            .collect();
        let all: Vec<String> = (0..READERS).map(|r| format!("\"{}\"", app(r))).collect();
        let grant = format!(r#"{{"applications":[{}]}}"#, all.join(","));
        call(
            port,
            "POST",
            &format!("{secrets}/shared/grant"),
            admin,
            &grant,
        );
        Readers { tokens, id }
    }

    pub fn start(&self, port: u16, admin: &str, stop: &Arc<AtomicBool>) -> Reading {
        let answered = Arc::new(Mutex::new(Answered {
            reads: vec![0; READERS],
            refreshed: vec![0; READERS],
        }));
        let total = Arc::new(AtomicUsize::new(0));
        let mut threads: Vec<JoinHandle<()>> = self
            .tokens
            .iter()
            .enumerate()
            .map(|(r, token)| {
                let (token, answered, total, stop) =
                    (token.clone(), answered.clone(), total.clone(), stop.clone());
                let path = format!("/api/v1/app/secrets/{}", self.id);
                std::thread::spawn(move || {
                    read_until_stopped(port, (r, &token, &path), &answered, &total, &stop)
                })
            })
            .collect();
        let (admin, stop) = (admin.to_owned(), stop.clone());
        threads.push(std::thread::spawn(move || {
            let path = "/api/v1/models/prod/secrets/shared";
            for n in 1.. {
                let body = format!(r#"{{"content":{{"value":"{n}"}}}}"#);
                if stop.load(Ordering::SeqCst)
                    || request(port, "PATCH", path, Some(&admin), Some(&body)).is_none()
                {
                    return;
                }
            }
        }));
        Reading {
            answered,
            total,
            threads,
        }
    }

    pub fn check(&self, port: u16, admin: &str, answered: &Answered) {
        for (r, token) in self.tokens.iter().enumerate() {
            let events = content_reads(port, admin, &format!("prod/{}", app(r)));
            assert!(
                events >= answered.reads[r],
                "{}: {} reads answered but {events} audited",
                app(r),
                answered.reads[r]
            );
            let now = call(
                port,
                "GET",
                &format!("/api/v1/app/secrets/{}", self.id),
                token,
                "",
            );
            let tracked = now["revision"].as_i64().expect("revision");
            assert!(
                tracked >= answered.refreshed[r],
                "{}: a refresh to revision {} was answered, but it tracks {tracked}",
                app(r),
                answered.refreshed[r]
            );
        }
    }
}

/// Reader `r` reads `path` with `token` until told to stop or the server dies.
fn read_until_stopped(
    port: u16,
    (r, token, path): (usize, &str, &str),
    answered: &Mutex<Answered>,
    total: &AtomicUsize,
    stop: &AtomicBool,
) {
    for n in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let mode = if n % 2 == 0 { "" } else { "?mode=refresh" };
        let path = format!("{path}{mode}");
        match request(port, "GET", &path, Some(token), None) {
            Some((200, body)) => {
                let v: serde_json::Value = serde_json::from_str(&body).expect("json");
                let mut a = answered.lock().expect("lock");
                a.reads[r] += 1;
                if !mode.is_empty() {
                    a.refreshed[r] = v["revision"].as_i64().expect("revision");
                }
                total.fetch_add(1, Ordering::SeqCst);
            }
            Some((status, body)) => panic!("{}: unexpected {status}: {body}", app(r)),
            None => return,
        }
    }
}

/// Successful content reads the audit log holds for `actor`, paging back through it.
fn content_reads(port: u16, admin: &str, actor: &str) -> usize {
    let mut count = 0;
    let mut before = String::new();
    loop {
        let path = format!(
            "/api/v1/models/prod/audit?action=content-read&actor={actor}&limit=500{before}"
        );
        let page = call(port, "GET", &path, admin, "");
        let events = page.as_array().expect("events");
        count += events.iter().filter(|e| e["outcome"] == "success").count();
        match events.last() {
            Some(last) if events.len() == 500 => before = format!("&before={}", last["seq"]),
            _ => return count,
        }
    }
}

impl Reading {
    pub fn enough(&self) -> bool {
        self.total.load(Ordering::SeqCst) >= READERS * ENOUGH
    }

    pub fn join(self) -> Answered {
        for t in self.threads {
            t.join().expect("reader");
        }
        Arc::try_unwrap(self.answered)
            .ok()
            .expect("readers done")
            .into_inner()
            .expect("lock")
    }
}
