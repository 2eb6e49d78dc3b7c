//! What the API accepts, the dashboard accepts, however its form encodes it; what is far too
//! large is refused with 413 and a message for the content field, not a 500.

use crate::{Server, form_login, post_form, server_fn};

fn add_secret(server: &Server, cookie: &str, name: &str, value: &str) -> (u16, String) {
    let add = server_fn(
        server,
        cookie,
        "/models/prod/secrets?dialog=add",
        "add_secret",
    );
    post_form(
        server,
        &add,
        cookie,
        &[
            ("model", "prod"),
            ("name", name),
            ("description", ""),
            ("content[entries][0][key]", "text"),
            ("content[entries][0][value]", value),
        ],
    )
}

#[test]
fn a_valid_secret_is_accepted_however_its_form_encodes() {
    let server = Server::start(&[]);
    let cookie = form_login(&server, "bob", "/models").2.expect("cookie");
    // 749,980 bytes of text: 999,976 base64 characters with the key, within the 1 MB limit;
    // percent-encoded, the form is 2.25 MB.
    let accents = "é".repeat(374_990);
    let (status, body) = add_secret(&server, &cookie, "accents", &accents);
    assert_eq!(status, 200, "{}", &body[..body.len().min(300)]);
}

#[test]
fn a_far_too_large_post_is_refused_with_413_for_the_content_field() {
    let server = Server::start(&[]);
    let cookie = form_login(&server, "bob", "/models").2.expect("cookie");
    let (status, body) = add_secret(&server, &cookie, "huge", &"a".repeat(5_000_000));
    assert_eq!(status, 413, "{}", &body[..body.len().min(300)]);
    assert!(body.contains(r#""field":"content""#), "{body}");
    assert!(body.contains("request too large"), "{body}");
}
