//! The secrets table at 100,000 secrets: how long one page takes to fetch from SQLite, first and
//! deep (keyset), sorted, filtered and searched. Prints the median of 25 runs of each.
//!
//!     cargo run --release -p bench --bin list-secrets [-- COUNT]

use backend::store::sqlite::SqliteStore;
use backend::store::{Cursor, OwnerFilter, SecretOwner, SecretQuery, SecretRecord, SortKey, Store};
use domain::{
    ApplicationName, Description, ModelName, ModelUuid, RevisionNumber, RotatePolicy, SecretId,
    SecretName, Timestamp,
};
use std::io::Write as _;
use std::time::Instant;

const RUNS: usize = 25;
const PAGE: u32 = 51;

fn secret(i: u32, model: domain::ModelId, owner: SecretOwner) -> SecretRecord {
    let mut unique = [0u8; 8];
    unique[..4].copy_from_slice(&i.to_be_bytes());
    SecretRecord {
        id: SecretId::from_parts(1_700_000_000 + i, unique),
        model_id: model,
        owner,
        name: Some(SecretName::parse(&format!("service-{i:06}-password")).expect("name")),
        description: Description::parse(&format!("credential number {i} for the billing cluster"))
            .expect("d"),
        auto_prune: false,
        rotate_policy: RotatePolicy::Never,
        next_rotate_at: None,
        latest_revision: RevisionNumber::FIRST,
        revision_counter: RevisionNumber::FIRST,
        created_at: Timestamp(1_700_000_000_000 + i64::from(i) * 1000),
        updated_at: Timestamp(1_700_000_000_000 + i64::from((i * 7919) % 100_000) * 1000),
    }
}

#[tokio::main]
async fn main() {
    let count: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::connect(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await
    .expect("store");
    let started = Instant::now();
    let mut tx = store.write().await.expect("tx");
    let model = tx
        .insert_model(
            ModelUuid(uuid::Uuid::new_v4()),
            &ModelName::parse("bench").expect("m"),
            Timestamp(0),
        )
        .await
        .expect("model");
    let app = tx
        .insert_application(
            model.id,
            &ApplicationName::parse("mysql").expect("a"),
            Timestamp(0),
        )
        .await
        .expect("app");
    for i in 0..count {
        let owner = if i % 10 == 0 {
            SecretOwner::Application(app.id)
        } else {
            SecretOwner::Model
        };
        tx.insert_secret(&secret(i, model.id, owner))
            .await
            .expect("insert");
        if i % 3 == 0 {
            tx.insert_grant(
                &secret(i, model.id, owner).id,
                app.id,
                "bench",
                Timestamp(0),
            )
            .await
            .expect("grant");
        }
    }
    tx.commit().await.expect("commit");
    say(&format!(
        "{count} secrets inserted in {:.1} s",
        started.elapsed().as_secs_f64()
    ));

    let deep_name = format!("service-{:06}-password", count * 9 / 10);
    let deep_id = secret(count * 9 / 10, model.id, SecretOwner::Model).id;
    let cases: Vec<(&str, SecretQuery)> = vec![
        (
            "first page, by name",
            SecretQuery {
                limit: PAGE,
                ..SecretQuery::default()
            },
        ),
        (
            "page 90% deep, by name (keyset)",
            SecretQuery {
                after: Some(Cursor::Text(deep_name, deep_id)),
                limit: PAGE,
                ..SecretQuery::default()
            },
        ),
        (
            "first page, newest updated first",
            SecretQuery {
                sort: SortKey::Updated,
                descending: true,
                limit: PAGE,
                ..SecretQuery::default()
            },
        ),
        (
            "owner filter: one application",
            SecretQuery {
                owner: OwnerFilter::Application(app.name.clone()),
                limit: PAGE,
                ..SecretQuery::default()
            },
        ),
        (
            "search, rare term (one match)",
            SecretQuery {
                search: Some("service-054321".into()),
                limit: PAGE,
                ..SecretQuery::default()
            },
        ),
        (
            "search, common term",
            SecretQuery {
                search: Some("billing".into()),
                limit: PAGE,
                ..SecretQuery::default()
            },
        ),
    ];
    say(&format!(
        "{:<36} {:>10} {:>10}",
        "query (page of 50)", "median ms", "max ms"
    ));
    for (label, query) in cases {
        let mut times = Vec::with_capacity(RUNS);
        let mut rows = 0;
        for _ in 0..RUNS {
            let mut tx = store.read().await.expect("tx");
            let t = Instant::now();
            rows = tx.list_secrets(model.id, &query).await.expect("list").len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        say(&format!(
            "{label:<36} {:>10.2} {:>10.2}   ({rows} rows)",
            times[RUNS / 2],
            times[RUNS - 1]
        ));
    }
}

fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}
