//! Percent-encoding for URLs built by hand.

/// Encodes everything but unreserved characters: for one path segment or query value.
pub fn encode_component(s: &str) -> String {
    encode(s, b"")
}

/// Like [`encode_component`], but keeps `/`: for a whole path.
pub fn encode_path(s: &str) -> String {
    encode(s, b"/")
}

fn encode(s: &str, keep: &[u8]) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b if keep.contains(&b) => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_characters_are_escaped() {
        assert_eq!(
            super::encode_component("a b/c?d=é"),
            "a%20b%2Fc%3Fd%3D%C3%A9"
        );
        assert_eq!(super::encode_path("/models/a b?x"), "/models/a%20b%3Fx");
    }
}
