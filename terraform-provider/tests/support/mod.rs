//! A live `strongbox serve` on a port of its own, and the real `terraform` pointed at this build of
//! the provider through a `dev_overrides` CLI config (no registry is reachable).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

use api_types::secrets::{ContentInput, UpdateSecret};
use std::collections::BTreeMap;
use strongbox_client::Client;

const PROVIDER: &str = env!("CARGO_BIN_EXE_terraform-provider-strongbox");

/// The server binary, built beside the provider by the same workspace build.
fn strongbox() -> PathBuf {
    let bin = Path::new(PROVIDER).with_file_name("strongbox");
    assert!(
        bin.exists(),
        "{} is missing: build the workspace (cargo build) before this test",
        bin.display()
    );
    bin
}

pub struct Server {
    pub url: String,
    pub token: String,
    pub client: Client,
    child: Child,
    data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// A server with alice (superuser), the model `prod` and its application `mysql`, and
    /// alice's personal token.
    pub async fn start() -> Server {
        let bin = strongbox();
        let data = testkit::data_with_alice_and_prod(&bin);
        testkit::admin(
            &bin,
            data.path(),
            &["add-application", "prod", "mysql"],
            None,
        );
        let served = testkit::serve_with(&bin, data.path(), &[]);
        let (child, url) = (served.child, format!("http://127.0.0.1:{}", served.port));
        let login = Client::new(&url, None, None)
            .expect("client")
            .login("alice", "password-123", "terraform test")
            .await
            .expect("login");
        let client = Client::new(&url, Some(login.token.clone()), None).expect("client");
        Server {
            url,
            token: login.token,
            client,
            child,
            data,
        }
    }
}

/// The provider block for the server at `url` (the token comes from STRONGBOX_TOKEN).
pub fn provider_block(url: &str) -> String {
    format!("provider \"strongbox\" {{\n  url = \"{url}\"\n}}")
}

impl Server {
    /// A personal token for a new user `name` with `level` access to `prod`.
    pub async fn member_token(&self, name: &str, level: &str) -> String {
        let bin = strongbox();
        let data = self.data.path();
        testkit::admin(&bin, data, &["create-user", name], Some("password-123\n"));
        testkit::admin(&bin, data, &["set-access", "prod", name, level], None);
        Client::new(&self.url, None, None)
            .expect("client")
            .login(name, "password-123", "terraform test")
            .await
            .expect("login")
            .token
    }
}

/// A Terraform working directory with its own CLI config.
pub struct Terraform {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Terraform {
    /// `env` is added to what every run gets (the CLI config, no checkpoint calls).
    pub fn new(env: &[(&str, &str)]) -> Terraform {
        let dir = tempfile::tempdir().expect("dir");
        let plugins = Path::new(PROVIDER).parent().expect("bin dir");
        let rc = dir.path().join("terraform.rc");
        std::fs::write(
            &rc,
            format!(
                "provider_installation {{\n  dev_overrides {{ \"strongbox/strongbox\" = {:?} }}\n  direct {{}}\n}}\n",
                plugins.display().to_string()
            ),
        )
        .expect("rc");
        let mut all = vec![
            ("TF_CLI_CONFIG_FILE".to_owned(), rc.display().to_string()),
            ("CHECKPOINT_DISABLE".to_owned(), "1".to_owned()),
            ("TF_IN_AUTOMATION".to_owned(), "1".to_owned()),
        ];
        all.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        Terraform { dir, env: all }
    }

    /// Writes `main.tf`: the provider requirement and `body`.
    pub fn config(&self, body: &str) {
        let text = format!(
            "terraform {{\n  required_providers {{\n    strongbox = {{ source = \"strongbox/strongbox\" }}\n  }}\n}}\n{body}"
        );
        std::fs::write(self.dir.path().join("main.tf"), text).expect("main.tf");
    }

    /// The working directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The local state file as Terraform wrote it.
    pub fn state_file(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("terraform.tfstate")).unwrap_or_default()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new("terraform")
            .args(args)
            .arg("-no-color")
            .current_dir(self.dir.path())
            .env_remove("STRONGBOX_SERVER")
            .env_remove("STRONGBOX_TOKEN")
            .env_remove("STRONGBOX_CA_FILE")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("terraform is on PATH on this kind of machine");
        Run(output)
    }

    /// Runs and expects success.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(run.0.status.success(), "terraform {args:?}:\n{}", run.all());
        run.all()
    }

    /// `terraform plan -detailed-exitcode`: 0 no changes, 2 changes.
    pub fn plan_code(&self) -> i32 {
        let run = self.run(&["plan", "-detailed-exitcode", "-input=false"]);
        run.0.status.code().unwrap_or(-1)
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn all(&self) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.0.stdout),
            String::from_utf8_lossy(&self.0.stderr)
        )
    }
}

/// What the dashboard or the CLI would do: a new value for `key`, outside Terraform.
pub async fn change_elsewhere(server: &Server, id: &str, key: &str, value: &str) {
    let update = UpdateSecret {
        name: None,
        description: None,
        auto_prune: None,
        expected_revision: None,
        content: ContentInput {
            content: BTreeMap::from([(key.to_owned(), value.to_owned())]),
            content_base64: BTreeMap::new(),
        },
    };
    server
        .client
        .update_secret("prod", id, &update)
        .await
        .expect("change elsewhere");
}

pub async fn revealed(server: &Server, id: &str) -> BTreeMap<String, String> {
    server
        .client
        .reveal_secret("prod", id, None)
        .await
        .expect("reveal")
        .content
}
