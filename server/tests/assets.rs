//! The dashboard's files: compressed as the browser accepts, under a versioned path that is
//! cached for good, revalidated on the bare path, and pages never compressed (a page can mix a
//! secret with text from the request: BREACH).

mod support;

use std::io::{Read as _, Write as _};
use support::{admin, serve_with};

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

/// A data directory with one user, and an empty site.
fn data_and_site() -> (tempfile::TempDir, tempfile::TempDir) {
    let data = tempfile::tempdir().expect("dir");
    admin(
        data.path(),
        &["create-user", "alice"],
        Some("password-123\n"),
    );
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir(site.path().join("pkg")).expect("pkg");
    (data, site)
}

#[test]
fn files_are_compressed_and_revalidated_and_pages_are_not_compressed() {
    let (data, site) = data_and_site();
    let js = "export function hydrate() { return 'strongbox'; }\n".repeat(1_000);
    std::fs::write(site.path().join("pkg/strongbox.js"), &js).expect("js");
    let root = site.path().to_str().expect("path");
    let server = serve_with(data.path(), &["--site-root", root]);
    let port = server.port;

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

/// The versioned directory the sign-in page links its stylesheet from.
fn linked_dir(port: u16) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let req = "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    stream.write_all(req.as_bytes()).expect("write");
    let mut page = String::new();
    stream.read_to_string(&mut page).expect("read");
    let start = page.find("href=\"/pkg/").expect("a stylesheet link") + "href=\"".len();
    let end = page[start..]
        .find("/strongbox.css")
        .expect("the stylesheet")
        + start;
    page[start..end].to_owned()
}

#[test]
fn a_build_has_its_own_path_cached_for_good_and_precompressed_copies_are_sent() {
    let (data, site) = data_and_site();
    let pkg = site.path().join("pkg");
    std::fs::write(pkg.join("strongbox.css"), "body { color: black }\n").expect("css");
    let made_at_build = b"brotli bytes made at build time";
    std::fs::write(pkg.join("strongbox.css.br"), made_at_build).expect("br");
    let root = site.path().to_str().expect("path");

    let server = serve_with(data.path(), &["--site-root", root]);
    let port = server.port;
    let dir = linked_dir(port);
    assert!(
        dir.len() == "/pkg/".len() + 16,
        "a versioned directory: {dir}"
    );
    let (status, head, len) = get(
        port,
        &format!("{dir}/strongbox.css"),
        "Accept-Encoding: gzip, br\r\n",
    );
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "content-encoding"), Some("br"));
    assert_eq!(
        len,
        made_at_build.len(),
        "the copy made at build time, as it is"
    );
    assert_eq!(
        header(&head, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    drop(server);

    std::fs::write(pkg.join("strongbox.css"), "body { color: navy }\n").expect("css");
    let server = serve_with(data.path(), &["--site-root", root]);
    let port = server.port;
    let moved = linked_dir(port);
    assert_ne!(moved, dir, "new content, new path");
    let (status, _, _) = get(port, &format!("{moved}/strongbox.css"), "");
    assert_eq!(status, 200);
}
