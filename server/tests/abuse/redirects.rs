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

/// A guard for the page itself, which renders `next` into its form.
#[test]
fn the_sign_in_page_survives_a_hostile_next() {
    let server = Server::start(&[]);
    for next in ["/%0a", "/%5Cevil.example", "%00"] {
        let res = agent()
            .get(&server.url(&format!("/login?next={next}")))
            .call()
            .expect("answered");
        assert_eq!(res.status().as_u16(), 200, "{next}");
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
