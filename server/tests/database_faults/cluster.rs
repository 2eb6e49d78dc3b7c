//! A throw-away PostgreSQL cluster for one test (`scripts/pg-up.sh`), which it may stop, crash
//! and start again.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A cluster of this test's own, deleted when done.
pub struct Cluster {
    dir: String,
    pub url: String,
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scripts")
        .join(name)
}

impl Cluster {
    pub fn start() -> Cluster {
        let text = output(Command::new("bash").arg(script("pg-up.sh")));
        let value = |name: &str| {
            text.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("{name} in {text}"))
                .to_owned()
        };
        Cluster {
            dir: value("PGDATA_DIR"),
            url: value("PG_URL"),
        }
    }

    pub fn ctl(&self, action: &str) {
        let ok = Command::new("bash")
            .arg(script("pg-ctl.sh"))
            .args([&self.dir, action])
            .status()
            .expect("pg-ctl.sh");
        assert!(ok.success(), "pg-ctl.sh {action}");
    }

    /// One statement through `psql`, outside any transaction; its answer, unaligned.
    pub fn sql(&self, statement: &str) -> String {
        let psql = ["-X", "-q", "-A", "-t", "-d", &self.url, "-c", statement];
        output(Command::new("psql").args(psql)).trim().to_owned()
    }
}

/// What `command` printed; it must succeed.
fn output(command: &mut Command) -> String {
    let out = command.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script("pg-down.sh"))
            .arg(&self.dir)
            .status();
    }
}
