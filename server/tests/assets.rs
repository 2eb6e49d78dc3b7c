//! The dashboard's files: compressed as the browser accepts, revalidated on a repeat visit, and
//! pages never compressed (a page can mix a secret with text from the request: BREACH).

mod support;

use std::io::{Read as _, Write as _};
use support::{admin, free_port, serve_with};

/// One raw request; the status, the head (names lower-cased, values as sent) and the body's
/// length.
fn get(port: u16, path: &str, extra: &str) -> (u16, String, usize) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head");
    let head: String = String::from_utf8_lossy(&raw[..split])
        .lines()
        .map(|l| match l.split_once(':') {
            Some((name, value)) => format!("{}:{value}\n", name.to_lowercase()),
            None => format!("{l}\n"),
        })
        .collect();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, raw.len() - split - 4)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(str::trim)
}

#[test]
fn files_are_compressed_and_revalidated_and_pages_are_not_compressed() {
    let data = tempfile::tempdir().expect("dir");
    admin(
        data.path(),
        &["create-user", "alice"],
        Some("password-123\n"),
    );
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir(site.path().join("pkg")).expect("pkg");
    let js = "export function hydrate() { return 'strongbox'; }\n".repeat(1_000);
    std::fs::write(site.path().join("pkg/strongbox.js"), &js).expect("js");
    let port = free_port();
    let root = site.path().to_str().expect("path");
    let _server = Stopped(serve_with(data.path(), port, &["--site-root", root]));

    let (status, head, len) = get(port, "/pkg/strongbox.js", "Accept-Encoding: br, gzip\r\n");
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "content-encoding"), Some("br"), "{head}");
    assert!(
        len < js.len() / 10,
        "{len} bytes on the wire for {}",
        js.len()
    );
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    let (_, head, _) = get(port, "/pkg/strongbox.js", "Accept-Encoding: gzip\r\n");
    assert_eq!(header(&head, "content-encoding"), Some("gzip"));

    let modified = header(&head, "last-modified")
        .expect("a validator")
        .to_owned();
    let (status, _, len) = get(
        port,
        "/pkg/strongbox.js",
        &format!("If-Modified-Since: {modified}\r\n"),
    );
    assert_eq!(
        (status, len),
        (304, 0),
        "a repeat visit costs nothing but the answer"
    );

    let (status, head, _) = get(port, "/login", "Accept-Encoding: br, gzip\r\n");
    assert_eq!(status, 200);
    assert_eq!(
        header(&head, "content-encoding"),
        None,
        "pages stay uncompressed"
    );
}

/// Stops the server however the test ends.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
