//! The access review's state in the URL: the filter, the view and its place, so a review can
//! be shared, bookmarked and used without JavaScript.

use api_types::review::ReviewParams;
use domain::ReviewFlag;
use leptos_router::params::ParamsMap;

use crate::api::review::ReviewView;
use crate::components::url::encode;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewState {
    pub stale_days: String,
    pub flags: Vec<String>,
    pub application: String,
    pub secret: String,
    pub owner: String,
    pub matrix: bool,
    pub offset: usize,
    pub rows: usize,
    pub cols: usize,
    pub revoke: Vec<String>,
    pub revoke_stale: bool,
    pub dialog: String,
}

impl ReviewState {
    pub fn from_query(q: &ParamsMap) -> Self {
        let get = |k: &str| q.get(k).unwrap_or_default();
        let number = |k: &str| get(k).parse().unwrap_or(0);
        let all = |k: &str| {
            q.get_all(k)
                .unwrap_or_default()
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect()
        };
        ReviewState {
            stale_days: get("stale_days"),
            flags: all("flag"),
            application: get("application"),
            secret: get("secret"),
            owner: get("owner"),
            matrix: get("view") == "matrix",
            offset: number("offset"),
            rows: number("rows"),
            cols: number("cols"),
            revoke: all("grant"),
            revoke_stale: get("select") == "stale",
            dialog: get("dialog"),
        }
    }

    pub fn params(&self) -> ReviewParams {
        let opt = |v: &String| (!v.trim().is_empty()).then(|| v.trim().to_owned());
        ReviewParams {
            // A number that does not parse is sent as given, for the server to name.
            stale_days: self
                .stale_days
                .trim()
                .parse()
                .ok()
                .or_else(|| (!self.stale_days.trim().is_empty()).then_some(0)),
            flag: self.flags.clone(),
            application: opt(&self.application),
            secret: opt(&self.secret),
            owner: opt(&self.owner),
            format: None,
        }
    }

    pub fn view(&self) -> ReviewView {
        ReviewView {
            offset: self.offset,
            matrix: self.matrix,
            row_offset: self.rows,
            column_offset: self.cols,
            revoke: self.revoke.clone(),
            revoke_stale: self.revoke_stale,
        }
    }

    pub fn has_flag(&self, flag: ReviewFlag) -> bool {
        self.flags.iter().any(|f| f == flag.as_str())
    }

    /// The filter alone as query pairs (what the CSV download and every link keep).
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        for (k, v) in [
            ("stale_days", &self.stale_days),
            ("application", &self.application),
            ("secret", &self.secret),
            ("owner", &self.owner),
        ] {
            if !v.is_empty() {
                pairs.push((k, v.clone()));
            }
        }
        pairs.extend(self.flags.iter().map(|f| ("flag", f.clone())));
        pairs
    }

    /// The filter and view, with `more` pairs after.
    pub fn href(&self, more: &[(&'static str, String)]) -> String {
        let mut pairs = self.filter_pairs();
        if self.matrix {
            pairs.push(("view", "matrix".to_owned()));
        }
        pairs.extend(more.iter().cloned());
        query(&pairs)
    }

    /// This filter with only `flag` set.
    pub fn with_flag(&self, flag: ReviewFlag) -> String {
        let only = ReviewState {
            flags: vec![flag.as_str().to_owned()],
            ..self.filter_only()
        };
        only.href(&[])
    }

    pub fn filter_only(&self) -> ReviewState {
        ReviewState {
            stale_days: self.stale_days.clone(),
            flags: self.flags.clone(),
            application: self.application.clone(),
            secret: self.secret.clone(),
            owner: self.owner.clone(),
            matrix: self.matrix,
            ..ReviewState::default()
        }
    }
}

pub fn query(pairs: &[(&'static str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("?{}", parts.join("&"))
}

/// A flag as the page shows it: a symbol and words, so colour is never the only sign.
pub fn flag_label(flag: ReviewFlag) -> (&'static str, &'static str) {
    match flag {
        ReviewFlag::NeverRead => ("○", "never read"),
        ReviewFlag::Stale => ("◷", "stale"),
        ReviewFlag::Behind => ("↓", "behind"),
        ReviewFlag::NoToken => ("⊘", "no token"),
    }
}
