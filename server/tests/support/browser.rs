//! A browser for sign-in through an OpenID provider: cookies kept per origin, no redirect
//! followed, and the provider's development pages walked as a person would.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::web::agent;

/// A browser: no redirects followed, and cookies kept per origin (ports apart, as the tests'
/// two servers share 127.0.0.1). Paths are ignored: every cookie of an origin goes with every
/// request to it, which the provider and Strongbox both accept.
pub struct Browser {
    agent: ureq::Agent,
    jar: Mutex<BTreeMap<String, BTreeMap<String, String>>>,
}

pub type Answer = ureq::http::Response<ureq::Body>;

impl Browser {
    pub fn new() -> Self {
        Browser {
            agent: agent(),
            jar: Mutex::new(BTreeMap::new()),
        }
    }

    fn cookies(&self, url: &str) -> String {
        let jar = self.jar.lock().expect("jar");
        jar.get(&origin(url))
            .map(|c| {
                c.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    fn keep(&self, url: &str, r: &Answer) {
        let mut jar = self.jar.lock().expect("jar");
        let cookies = jar.entry(origin(url)).or_default();
        for set in r.headers().get_all("set-cookie") {
            let Some(pair) = set.to_str().ok().and_then(|s| s.split(';').next()) else {
                continue;
            };
            if let Some((name, value)) = pair.split_once('=') {
                cookies.insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    /// Keeps `pair` (`name=value`) as a cookie of `url`'s origin.
    pub fn set_cookie(&self, url: &str, pair: &str) {
        if let Some((name, value)) = pair.split_once('=') {
            let mut jar = self.jar.lock().expect("jar");
            let cookies = jar.entry(origin(url)).or_default();
            cookies.insert(name.to_owned(), value.to_owned());
        }
    }

    pub fn get(&self, url: &str) -> Answer {
        let r = self
            .agent
            .get(url)
            .header("Cookie", &self.cookies(url))
            .call()
            .expect("GET");
        self.keep(url, &r);
        r
    }

    pub fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Answer {
        let r = self
            .agent
            .post(url)
            .header("Cookie", &self.cookies(url))
            .send_form(form.iter().copied())
            .expect("POST");
        self.keep(url, &r);
        r
    }
}

pub fn origin(url: &str) -> String {
    url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")
}

/// Where an answer sends the browser on: the URL of its Refresh header (a page that moves on,
/// as the provider callback's does), or else its redirect's Location.
pub fn sent_on_to(r: &Answer) -> String {
    let refresh = r.headers().get("refresh").and_then(|v| v.to_str().ok());
    match refresh.and_then(|v| v.split_once("url=")) {
        Some((_, url)) => url.to_owned(),
        None => location(r),
    }
}

pub fn location(r: &Answer) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// `to` made absolute against `base`'s origin.
pub fn absolute(base: &str, to: &str) -> String {
    if to.starts_with("http") {
        to.to_owned()
    } else {
        format!("{}{to}", origin(base))
    }
}

/// A form's `action`, from the provider's development page.
fn form_action(html: &str) -> String {
    html.split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no form in {html}"))
        .to_owned()
}

/// Walks the provider's pages as a browser would, signing in as `login` and consenting, until
/// the provider sends the browser back to Strongbox: the callback URL.
pub fn through_provider(browser: &Browser, start: &str, login: &str) -> String {
    let mut url = start.to_owned();
    for _ in 0..20 {
        let r = browser.get(&url);
        if r.status().is_redirection() {
            let next = absolute(&url, &location(&r));
            if next.contains("/auth/oidc/callback") {
                return next;
            }
            url = next;
            continue;
        }
        let html = r.into_body().read_to_string().expect("page");
        let action = absolute(&url, &form_action(&html));
        let posted = if html.contains("name=\"login\"") {
            let form = [("prompt", "login"), ("login", login), ("password", "any")];
            browser.post_form(&action, &form)
        } else {
            browser.post_form(&action, &[("prompt", "consent")])
        };
        assert!(posted.status().is_redirection(), "{}", posted.status());
        url = absolute(&action, &location(&posted));
        if url.contains("/auth/oidc/callback") {
            return url;
        }
    }
    panic!("the provider never sent the browser back")
}
