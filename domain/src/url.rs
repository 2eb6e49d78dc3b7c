//! Percent-encoding for URLs built by hand, through the `percent-encoding` crate.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters: safe in a path segment or a query value.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
/// The same, keeping `/`: for a whole path.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// Encodes everything but unreserved characters: for one path segment or query value.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Like [`encode_component`], but keeps `/`: for a whole path.
pub fn encode_path(s: &str) -> String {
    utf8_percent_encode(s, PATH).to_string()
}

/// `target` when it is a path on this site, to be sent back to after a form or sign-in; `None`
/// for anything a browser could resolve to another origin. Browsers treat `\\` like `/` and drop
/// tabs and newlines, so `/\\evil.example` and `/\t/evil.example` lead off-site just as
/// `//evil.example` does: only printable ASCII without a backslash is accepted (a path built by
/// this site is percent-encoded), and never a second leading slash.
pub fn local_path(target: &str) -> Option<&str> {
    let printable = target.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let local = target.starts_with('/') && !target.starts_with("//");
    (printable && local).then_some(target)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_paths_of_this_site_are_local() {
        for ok in ["/models", "/models/prod/secrets?q=a%20b&sort=name", "/"] {
            assert_eq!(super::local_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example/phish",
            "/\t/evil.example",
            "/\n",
            "/ /x",
            "https://evil.example",
            "evil.example",
            "",
            "/é",
        ] {
            assert_eq!(super::local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reserved_characters_are_escaped() {
        assert_eq!(
            super::encode_component("a b/c?d=é"),
            "a%20b%2Fc%3Fd%3D%C3%A9"
        );
        assert_eq!(super::encode_path("/models/a b?x"), "/models/a%20b%3Fx");
    }
}
