//! Two `strongbox serve` nodes on one PostgreSQL database, with alice (a superuser) and model
//! `prod`; node B has a data directory of its own and A's master key, as production runs. Or
//! one node on SQLite, which is then both A and B: the same races, within one process.

use std::path::Path;

use super::web::{Running, api_token, call};
use super::{PASSWORD, admin, serve_with};

pub struct Pair {
    pub a: Running,
    /// None: one node on SQLite, which B's calls go to as well.
    b: Option<Running>,
    /// alice's personal token, issued on B.
    pub alice: String,
    /// The nodes' data directories, A's first; removed when the pair is dropped.
    data_dirs: Vec<tempfile::TempDir>,
}

pub fn pair(url: &str) -> Pair {
    let (data_a, data_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let on_db = |args: &[&str], stdin: Option<&str>| {
        let mut all = vec!["--database-url", url];
        all.extend_from_slice(args);
        admin(data_a.path(), &all, stdin);
    };
    on_db(
        &["create-user", "alice", "--superuser"],
        Some(&format!("{PASSWORD}\n")),
    );
    on_db(&["create-model", "prod"], None);
    let key = data_a.path().join("master.key");
    let node = |data: &Path| {
        let key = key.to_str().expect("utf-8 path");
        let metrics = ["--metrics-listen", "127.0.0.1:0"];
        let mut args = vec!["--database-url", url, "--master-key-file", key];
        args.extend(metrics);
        serve_with(data, &args)
    };
    let (a, b) = (node(data_a.path()), node(data_b.path()));
    let alice = api_token(&b, "alice");
    Pair {
        a,
        b: Some(b),
        alice,
        data_dirs: vec![data_a, data_b],
    }
}

/// One node on SQLite in a data directory of its own, set up as `pair` sets up two.
pub fn one_node() -> Pair {
    let data = super::data_with_alice_and_prod();
    let a = super::serve(data.path());
    let alice = api_token(&a, "alice");
    Pair {
        a,
        b: None,
        alice,
        data_dirs: vec![data],
    }
}

impl Pair {
    /// Node A's data directory, with the master key both nodes use.
    pub fn a_data_dir(&self) -> &Path {
        self.data_dirs[0].path()
    }

    /// alice's call on node B, which must succeed; its answer.
    pub fn on_b(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let b = self.b.as_ref().unwrap_or(&self.a);
        let (status, answer) = call(b, method, path, &self.alice, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {answer}"
        );
        answer
    }

    /// Adds application `name` on B with a token; the token and its id.
    pub fn application_with_token(&self, name: &str) -> (String, i64) {
        let apps = "/api/v1/models/prod/applications";
        self.on_b("POST", apps, Some(serde_json::json!({"name": name})));
        self.token_for(name)
    }

    /// A new token for application `name`, made on B; the token and its id.
    pub fn token_for(&self, name: &str) -> (String, i64) {
        let tokens = format!("/api/v1/models/prod/applications/{name}/tokens");
        let issued = self.on_b("POST", &tokens, Some(serde_json::json!({"label": "test"})));
        (
            issued["token"].as_str().expect("token").to_owned(),
            issued["id"].as_i64().expect("token id"),
        )
    }

    /// A new secret made on B; its ID.
    pub fn secret(&self, name: &str) -> String {
        let body = serde_json::json!({"name": name, "content": {"password": "s3cret"}});
        let created = self.on_b("POST", "/api/v1/models/prod/secrets", Some(body));
        created["id"].as_str().expect("id").to_owned()
    }

    /// Application `reader` with a token, granted a new secret `db`: the token and the secret's ID.
    pub fn granted_reader(&self) -> (String, String) {
        let (token, _) = self.application_with_token("reader");
        let id = self.secret("db");
        self.grant(&id, "reader", false);
        (token, id)
    }

    /// Grants (or with `revoke`, revokes) `secret` to `application` on B.
    pub fn grant(&self, secret: &str, application: &str, revoke: bool) {
        let verb = if revoke { "revoke" } else { "grant" };
        let path = format!("/api/v1/models/prod/secrets/{secret}/{verb}");
        let apps = serde_json::json!({"applications": [application]});
        self.on_b("POST", &path, Some(apps));
    }
}

/// An application's read of `secret` on `node`: the status.
pub fn read_on(node: &Running, token: &str, secret: &str) -> u16 {
    call(
        node,
        "GET",
        &format!("/api/v1/app/secrets/{secret}"),
        token,
        None,
    )
    .0
}
