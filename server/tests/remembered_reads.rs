//! Each PostgreSQL node answers applications' reads from memory, checked in the audit group
//! commit against every node's changes (docs/adr/0028). Readers race on node A while node B
//! revokes grants and tokens and removes applications: every read sent to A after B has
//! answered is refused, in every one of 1,000 tries. Needs `TEST_POSTGRES_URL`. The same races
//! on one SQLite node, whose commits forget only what they changed (docs/adr/0029).

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use support::pair::{Pair, one_node, pair, read_on};
use testkit::pg::TestDatabase;

/// Readers on node A that keep its memory warm and its audit groups full while the tries run.
struct Readers {
    stop: Arc<AtomicBool>,
    served: Arc<AtomicUsize>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Readers {
    fn start(pair: &Arc<Pair>, token: &str, secrets: &[String]) -> Readers {
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicUsize::new(0));
        let threads = (0..4)
            .map(|n| {
                let (pair, stop, served) = (pair.clone(), stop.clone(), served.clone());
                let (token, secrets) = (token.to_owned(), secrets.to_vec());
                std::thread::spawn(move || {
                    let mut i = n;
                    while !stop.load(Ordering::Relaxed) {
                        let status = read_on(&pair.a, &token, &secrets[i % secrets.len()]);
                        assert_eq!(status, 200, "a granted read on A");
                        served.fetch_add(1, Ordering::Relaxed);
                        i += 1;
                    }
                })
            })
            .collect();
        Readers {
            stop,
            served,
            threads,
        }
    }

    fn stop(self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().expect("reader");
        }
        self.served.load(Ordering::Relaxed)
    }
}

#[tokio::test]
async fn every_read_on_a_after_a_revoke_on_b_has_answered_is_refused() {
    let Some(url) = testkit::postgres_url("the two-node read cache test") else {
        return;
    };
    let database = TestDatabase::create(&url).await;
    every_read_after_a_revoke_has_answered_is_refused(Arc::new(pair(&database.url)));
}

#[test]
fn on_one_sqlite_node_every_read_after_a_revoke_has_answered_is_refused() {
    every_read_after_a_revoke_has_answered_is_refused(Arc::new(one_node()));
}

/// Readers race on A while 1,000 revokes are made through B (the same node on SQLite); the
/// read made on A right after each revoke answered must be refused.
fn every_read_after_a_revoke_has_answered_is_refused(pair: Arc<Pair>) {
    let (reader, _) = pair.application_with_token("reader");
    let busy: Vec<String> = (0..20).map(|i| pair.secret(&format!("busy-{i}"))).collect();
    for id in &busy {
        pair.grant(id, "reader", false);
    }
    let probes: Vec<String> = (0..10)
        .map(|i| pair.secret(&format!("probe-{i}")))
        .collect();
    let readers = Readers::start(&pair, &reader, &busy);
    let mut served_after = Vec::new();

    // 600 grant revokes: the read just before each made sure A remembers the grant.
    for i in 0..600 {
        let probe = &probes[i % probes.len()];
        pair.grant(probe, "reader", false);
        assert_eq!(read_on(&pair.a, &reader, probe), 200, "granted, read on A");
        pair.grant(probe, "reader", true);
        let status = read_on(&pair.a, &reader, probe);
        if status != 403 {
            served_after.push(format!("grant revoke {i}: {status}"));
        }
    }
    // 300 token revokes: the token's holder was remembered on A by the read before.
    for i in 0..300 {
        let (token, id) = pair.token_for("reader");
        assert_eq!(read_on(&pair.a, &token, &busy[i % busy.len()]), 200);
        let path = format!("/api/v1/models/prod/applications/reader/tokens/{id}");
        pair.on_b("DELETE", &path, None);
        let status = read_on(&pair.a, &token, &busy[i % busy.len()]);
        if status != 401 {
            served_after.push(format!("token revoke {i}: {status}"));
        }
    }
    // 100 applications removed, each read on A just before.
    for i in 0..100 {
        let name = format!("gone{i}");
        let (token, _) = pair.application_with_token(&name);
        pair.grant(&busy[0], &name, false);
        assert_eq!(read_on(&pair.a, &token, &busy[0]), 200);
        pair.on_b(
            "DELETE",
            &format!("/api/v1/models/prod/applications/{name}"),
            None,
        );
        let status = read_on(&pair.a, &token, &busy[0]);
        if status != 401 {
            served_after.push(format!("application removal {i}: {status}"));
        }
    }
    let served = readers.stop();
    assert!(served > 1_000, "the readers raced: {served} reads");
    assert!(
        served_after.is_empty(),
        "{} of 1,000 reads on A after B answered were not refused: {served_after:?}",
        served_after.len()
    );
    // PostgreSQL: A's group commits went in one round trip (docs/adr/0031), though B's writes
    // kept moving the head A expected and made some of its reads stale (each a second try); in
    // a transaction of their own they take four.
    if let Some((groups, trips)) = group_commits(&pair.a) {
        let per_group = trips as f64 / groups as f64;
        eprintln!("A: {groups} audit group commits, {per_group:.2} round trips each");
        assert!(
            groups > 100 && per_group < 3.0,
            "{trips} round trips for {groups} audit group commits on A"
        );
    }
}

/// A node's audit group commits and their round trips, from its metrics (PostgreSQL only).
fn group_commits(node: &support::web::Running) -> Option<(u64, u64)> {
    let url = format!("http://127.0.0.1:{}/metrics", node.metrics_port?);
    let text = support::web::agent()
        .get(&url)
        .call()
        .expect("metrics")
        .into_body()
        .read_to_string()
        .expect("text");
    let value = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
    };
    Some((
        value("strongbox_audit_group_commits_total")?,
        value("strongbox_audit_group_round_trips_total")?,
    ))
}
