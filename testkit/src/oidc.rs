//! A real OpenID provider for tests: `testkit/oidc/provider.mjs`, panva's certified
//! `oidc-provider` 9 in a Node process (installed by `scripts/setup.sh`), with one client and
//! development sign-in pages that take any login name.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub const CLIENT_ID: &str = "strongbox";
pub const CLIENT_SECRET: &str = "test-client-secret";

pub struct OidcProvider {
    /// `http://127.0.0.1:PORT`, the issuer.
    pub issuer: String,
    child: Child,
    accounts: PathBuf,
    dir: tempfile::TempDir,
}

impl OidcProvider {
    /// A provider whose client may redirect to `redirect_uri`. With `groups_in_id_token`
    /// false (the provider's default), scope claims such as `groups` come only from userinfo.
    pub fn start(redirect_uri: &str, groups_in_id_token: bool) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let accounts = dir.path().join("accounts.json");
        std::fs::write(&accounts, "{}").expect("accounts");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/oidc/provider.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .env("OIDC_PORT", "0")
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URIS", redirect_uri)
            .env("OIDC_ACCOUNTS", &accounts)
            .env(
                "OIDC_GROUPS_IN_ID_TOKEN",
                if groups_in_id_token { "1" } else { "0" },
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node testkit/oidc/provider.mjs (scripts/setup.sh installs its packages)");
        let issuer = crate::announced(&mut child, "the OpenID provider", |line| {
            line.strip_prefix("listening ").map(str::to_owned)
        });
        OidcProvider {
            issuer,
            child,
            accounts,
            dir,
        }
    }

    /// The claims each login name gets besides `sub` and `preferred_username` (which are the
    /// login name), as JSON: `{"carol": {"groups": ["ops"]}}`. Read at every sign-in.
    pub fn set_accounts(&self, json: &str) {
        std::fs::write(&self.accounts, json).expect("accounts");
    }

    /// A file holding the client secret, for `--oidc-client-secret-file`.
    pub fn secret_file(&self) -> PathBuf {
        let path = self.dir.path().join("client-secret");
        std::fs::write(&path, CLIENT_SECRET).expect("secret");
        path
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
