//! What the binary prints for people. A leaf module: the admin verbs, the client verbs and the
//! server all print through it without importing each other.

use std::io::Write as _;

/// Writes one line of a command's result to stdout.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
