//! The site's static files when they are built into the binary (`--features embed-site`).
//! Without the feature, Leptos's file handler serves them from `--site-root`.

use axum::Router;

/// Routes for the embedded files; empty when the site is served from disk.
pub fn routes() -> Router {
    #[cfg(feature = "embed-site")]
    {
        Router::new().route("/pkg/{*file}", axum::routing::get(embedded::serve))
    }
    #[cfg(not(feature = "embed-site"))]
    {
        Router::new()
    }
}

/// Whether this binary carries its site.
pub const EMBEDDED: bool = cfg!(feature = "embed-site");

#[cfg(feature = "embed-site")]
mod embedded {
    use axum::extract::Path;
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};

    #[derive(rust_embed::Embed)]
    #[folder = "../target/site/"]
    struct Site;

    fn content_type(file: &str) -> &'static str {
        match file.rsplit('.').next() {
            Some("js") => "text/javascript; charset=utf-8",
            Some("wasm") => "application/wasm",
            Some("css") => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        }
    }

    pub async fn serve(Path(file): Path<String>) -> Response {
        match Site::get(&format!("pkg/{file}")) {
            Some(asset) => (
                [
                    (header::CONTENT_TYPE, content_type(&file)),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                asset.data.into_owned(),
            )
                .into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }
}
