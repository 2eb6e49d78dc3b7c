//! After sign-in the browser goes back where it came from, but only to a page of this site.

use crate::{Server, agent, form_login};

#[test]
fn sign_in_never_redirects_off_site() {
    let server = Server::start(&[]);
    // A newline once made the redirect panic and the connection drop without an answer.
    for next in [
        "/\n",
        "/\\evil.example/phish",
        "/\t/evil.example",
        "//evil.example",
        "https://evil.example/",
    ] {
        let (status, location, _) = form_login(&server, "alice", next);
        assert!(
            (300..400).contains(&status),
            "{next:?}: signed in and redirected, status {status}"
        );
        assert_eq!(location, "/models", "{next:?}");
    }
    let (_, location, _) = form_login(&server, "alice", "/models/prod/secrets?q=db");
    assert_eq!(
        location, "/models/prod/secrets?q=db",
        "a local page is kept"
    );
}

/// A guard for the page itself, which renders `next` into its form: as one attribute value,
/// escaped, whatever it holds (where it may lead is decided at sign-in, above).
#[test]
fn the_sign_in_page_renders_a_hostile_next_as_an_escaped_value() {
    let server = Server::start(&[]);
    for (sent, meant) in [
        ("/%0a", "/\n"),
        ("/%5Cevil.example", "/\\evil.example"),
        ("%00", "\0"),
        (
            "%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
            "\"><script>alert(1)</script>",
        ),
        (
            "/models%22%20autofocus%20onfocus=%22x",
            "/models\" autofocus onfocus=\"x",
        ),
    ] {
        let res = agent()
            .get(&server.url(&format!("/login?next={sent}")))
            .call()
            .expect("answered");
        assert_eq!(res.status().as_u16(), 200, "{sent}");
        let page = res.into_body().read_to_string().expect("page");
        assert!(!page.contains("<script>alert"), "{sent}: injected: {page}");
        let inputs: Vec<&str> = page
            .split("<input")
            .filter(|i| i.contains("name=\"next\""))
            .collect();
        assert_eq!(inputs.len(), 1, "{sent}: one next field");
        let value = inputs[0]
            .split("value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or_else(|| panic!("{sent}: no value in {}", inputs[0]));
        assert_eq!(html_escape::decode_html_entities(value), meant, "{sent}");
    }
}

/// HEAD is GET without the body: a page sends a signed-out client to sign in either way.
#[test]
fn head_is_answered_as_get_is() {
    let server = Server::start(&[]);
    for path in ["/", "/models", "/models/prod/secrets"] {
        let get = agent().get(&server.url(path)).call().expect("get");
        let head = agent().head(&server.url(path)).call().expect("head");
        assert_eq!(
            (head.status().as_u16(), head.headers().get("location")),
            (get.status().as_u16(), get.headers().get("location")),
            "{path}"
        );
    }
}
