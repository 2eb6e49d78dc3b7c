//! Fills a data directory through the services, as users would, for `bench/run` and for anyone
//! who wants a realistic model to look at: by default 100,000 secrets in model `bench`,
//! 1,000,000 revisions, 50 applications with grants spread among them, and 10 users.
//!
//!   cargo run --release -p bench --bin seed -- --data-dir DIR [--database-url postgres://…]
//!       [--secrets 100000] [--revisions 1000000] [--applications 50] [--users 10]
//!
//! Afterwards `strongbox serve --data-dir DIR` serves it. Superuser `bench` and users
//! `user-01`… have the password `password-123`; `DIR/app-token` holds a token of `app01`, and
//! `DIR/app-secret` the ID of a secret granted to it.

use backend::password::Password;
use backend::service::{NewSecret, SecretRef, SecretUpdate};
use backend::store::Store;
use backend::store::postgres::PgStore;
use backend::store::sqlite::SqliteStore;
use backend::{Caller, Keyring, Services, SystemClock};
use domain::{
    AccessLevel, ApplicationName, ContentEntry, Description, ModelName, RotatePolicy,
    SecretContent, SecretName, UserName,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::sync::Arc;

const PASSWORD: &str = "password-123";
/// Writers at once: encryption runs in parallel, commits queue on the database.
const WORKERS: usize = 4;

struct Args {
    data_dir: PathBuf,
    database_url: Option<String>,
    secrets: usize,
    revisions: usize,
    applications: usize,
    users: usize,
}

fn args() -> Args {
    let mut a = Args {
        data_dir: PathBuf::new(),
        database_url: None,
        secrets: 100_000,
        revisions: 1_000_000,
        applications: 50,
        users: 10,
    };
    let mut it = std::env::args().skip(1);
    while let (Some(flag), Some(value)) = (it.next(), it.next()) {
        let number = || {
            value
                .parse()
                .unwrap_or_else(|_| fail(&format!("{flag}: not a number")))
        };
        match flag.as_str() {
            "--data-dir" => a.data_dir = PathBuf::from(&value),
            "--database-url" => a.database_url = Some(value.clone()),
            "--secrets" => a.secrets = number(),
            "--revisions" => a.revisions = number(),
            "--applications" => a.applications = number(),
            "--users" => a.users = number(),
            _ => fail(&format!("unknown flag {flag}")),
        }
    }
    if a.data_dir.as_os_str().is_empty() || a.secrets == 0 || a.applications == 0 {
        fail("--data-dir is required; --secrets and --applications must be positive");
    }
    a
}

fn fail(message: &str) -> ! {
    eprintln!("seed: {message}");
    std::process::exit(2)
}

fn content(i: usize, revision: usize) -> SecretContent {
    let value = format!("pw-{i:06}-r{revision}-{:016x}", rand::random::<u64>());
    SecretContent::from_entries(vec![ContentEntry::Bytes {
        key: "password".into(),
        value: value.into_bytes(),
    }])
    .unwrap_or_else(|e| fail(&e.to_string()))
}

async fn open(a: &Args) -> Services {
    std::fs::create_dir_all(&a.data_dir).unwrap_or_else(|e| fail(&e.to_string()));
    let store: Arc<dyn Store> = match &a.database_url {
        Some(url) => Arc::new(
            PgStore::connect(url)
                .await
                .unwrap_or_else(|e| fail(&format!("{e:?}"))),
        ),
        None => {
            let url = format!("sqlite://{}", a.data_dir.join("strongbox.db").display());
            Arc::new(
                SqliteStore::connect(&url)
                    .await
                    .unwrap_or_else(|e| fail(&format!("{e:?}"))),
            )
        }
    };
    let keys = Keyring::open(&a.data_dir.join("master.key"), true)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let services = Services::new(store, Arc::new(keys), Arc::new(SystemClock));
    services
        .ensure_master_key()
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    services
}

/// A service error with its whole chain: "internal error" alone names no cause.
fn ok<T>(r: Result<T, backend::ServiceError>) -> T {
    r.unwrap_or_else(|e| fail(&format!("{e:?}")))
}

fn name<T>(parsed: Result<T, domain::ValidationError>) -> T {
    parsed.unwrap_or_else(|e| fail(&e.to_string()))
}

#[tokio::main]
async fn main() {
    let a = args();
    let services = open(&a).await;
    let sys = Caller::system();
    let model = name(ModelName::parse("bench"));
    ok(services.create_model(&sys, &model).await);
    let bench = name(UserName::parse("bench"));
    ok(services
        .create_user(&sys, &bench, Password::new(PASSWORD.into()), true)
        .await);
    for u in 1..=a.users {
        let user = name(UserName::parse(&format!("user-{u:02}")));
        ok(services
            .create_user(&sys, &user, Password::new(PASSWORD.into()), false)
            .await);
        let level = [AccessLevel::Read, AccessLevel::Write, AccessLevel::Admin][u % 3];
        ok(services.set_member(&sys, &model, &user, level).await);
    }
    let apps: Vec<ApplicationName> = (1..=a.applications)
        .map(|n| name(ApplicationName::parse(&format!("app{n:02}"))))
        .collect();
    for app in &apps {
        ok(services.add_application(&sys, &model, app).await);
    }
    let (_, token) = ok(services
        .create_application_token(&sys, &model, &apps[0], "bench")
        .await);
    let write = |file: &str, text: &str| {
        std::fs::write(a.data_dir.join(file), text).unwrap_or_else(|e| fail(&e.to_string()));
    };
    write("app-token", token.expose());

    let per_secret = (a.revisions / a.secrets).max(1);
    let bar = ProgressBar::new((a.secrets * per_secret) as u64);
    bar.set_style(
        ProgressStyle::with_template("{wide_bar} {pos}/{len} revisions, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let services = Arc::new(services);
    let apps = Arc::new(apps);
    let mut workers = Vec::new();
    for w in 0..WORKERS {
        let (services, apps, model, bar) =
            (services.clone(), apps.clone(), model.clone(), bar.clone());
        let count = a.secrets;
        workers.push(tokio::spawn(async move {
            let mut granted_to_first = None;
            for i in (w..count).step_by(WORKERS) {
                let new = NewSecret {
                    name: Some(name(SecretName::parse(&format!("service-{i:06}-password")))),
                    description: name(Description::parse(&format!(
                        "credential {i} of the billing cluster"
                    ))),
                    content: content(i, 1),
                    rotate_policy: RotatePolicy::Never,
                    expire_at: None,
                };
                let sys = Caller::system();
                let record = ok(services.add_secret(&sys, &model, new).await);
                bar.inc(1);
                let sref = SecretRef::uri(domain::uri::SecretUri {
                    source: None,
                    id: record.id.clone(),
                });
                // Every secret is granted to one application, every fifth to a second one.
                let mut to = vec![apps[i % apps.len()].clone()];
                if i % 5 == 0 && apps.len() > 1 {
                    to.push(apps[(i / 5 + 1) % apps.len()].clone());
                }
                ok(services.grant_secret(&sys, &model, &sref, &to).await);
                if i % apps.len() == 0 {
                    granted_to_first.get_or_insert_with(|| record.id.to_string());
                }
                for revision in 2..=per_secret {
                    let update = SecretUpdate {
                        content: Some(content(i, revision)),
                        ..SecretUpdate::default()
                    };
                    ok(services.update_secret(&sys, &model, &sref, update).await);
                    bar.inc(1);
                }
            }
            granted_to_first
        }));
    }
    let mut first = None;
    for w in workers {
        if let Ok(Some(id)) = w.await {
            first.get_or_insert(id);
        }
    }
    bar.finish();
    if let Some(id) = first {
        write("app-secret", &id);
    }
}
