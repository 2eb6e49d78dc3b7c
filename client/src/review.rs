//! The access review: the export, sign-offs and bulk revoke.

use api_types::review::{
    GrantRefJson, ReviewJson, ReviewParams, RevokeGrantsBody, RevokedJson, SignOffBody, SignOffJson,
};
use reqwest::Method;

use super::{Client, ClientResult, segment};

impl Client {
    /// The model's grants with their usage and flags, under `filter` (its `format` is ignored).
    pub async fn access_review(
        &self,
        model: &str,
        filter: &ReviewParams,
    ) -> ClientResult<ReviewJson> {
        let request = self.request(Method::GET, &review_path(model));
        self.send(request.query(&query(filter, "json"))).await
    }

    /// The same review as CSV, with a header row.
    pub async fn access_review_csv(
        &self,
        model: &str,
        filter: &ReviewParams,
    ) -> ClientResult<String> {
        let request = self.request(Method::GET, &review_path(model));
        self.send_text(request.query(&query(filter, "csv"))).await
    }

    /// Records that the model's grants were reviewed (admins).
    pub async fn sign_off_review(&self, model: &str, note: &str) -> ClientResult<SignOffJson> {
        let path = format!("{}/sign-off", review_path(model));
        let body = SignOffBody {
            note: note.to_owned(),
        };
        self.call_with(Method::POST, &path, &body).await
    }

    /// The model's sign-offs, newest first.
    pub async fn review_sign_offs(&self, model: &str) -> ClientResult<Vec<SignOffJson>> {
        let path = format!("{}/sign-offs", review_path(model));
        self.call(Method::GET, &path).await
    }

    /// Revokes the grants together: all, or none if any is not a grant (admins).
    pub async fn revoke_grants(
        &self,
        model: &str,
        grants: Vec<GrantRefJson>,
    ) -> ClientResult<RevokedJson> {
        let path = format!("{}/revoke", review_path(model));
        let body = RevokeGrantsBody { grants };
        self.call_with(Method::POST, &path, &body).await
    }
}

fn review_path(model: &str) -> String {
    format!("/models/{}/access-review", segment(model))
}

/// The filter as query pairs; `flag` repeats.
fn query(filter: &ReviewParams, format: &str) -> Vec<(&'static str, String)> {
    let mut pairs = vec![("format", format.to_owned())];
    if let Some(days) = filter.stale_days {
        pairs.push(("stale_days", days.to_string()));
    }
    pairs.extend(filter.flag.iter().map(|f| ("flag", f.clone())));
    let optional = [
        ("application", &filter.application),
        ("secret", &filter.secret),
        ("owner", &filter.owner),
    ];
    pairs.extend(
        optional
            .into_iter()
            .filter_map(|(key, value)| value.clone().map(|v| (key, v))),
    );
    pairs
}
