//! The site's static files (`/pkg/…`: wasm, JS, CSS): from inside the binary when it is built
//! with `--features embed-site`, otherwise from `--site-root`. Either way they are compressed
//! (brotli or gzip, as the browser accepts) and revalidated on each visit (`no-cache` with a
//! validator), so a repeat visit costs a 304 per file. Pages are never compressed: a page that
//! mixes a secret with text from the request would leak it to a length attack (BREACH).

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Routes for `/pkg/…`.
pub fn routes(site_root: &str) -> Router {
    let files = files(site_root);
    files
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

#[cfg(not(feature = "embed-site"))]
fn files(site_root: &str) -> Router {
    // ServeDir answers If-Modified-Since with 304 (Leptos's own file handler drops the
    // request's headers, so it never did).
    let dir = std::path::Path::new(site_root).join("pkg");
    Router::new().nest_service("/pkg", tower_http::services::ServeDir::new(dir))
}

#[cfg(feature = "embed-site")]
fn files(_site_root: &str) -> Router {
    Router::new().route("/pkg/{*file}", axum::routing::get(embedded::serve))
}

/// Whether this binary carries its site.
pub const EMBEDDED: bool = cfg!(feature = "embed-site");

#[cfg(feature = "embed-site")]
mod embedded {
    use axum::extract::Path;
    use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
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

    /// The file, or 304 when the browser's copy (named by its ETag, the content's SHA-256) is
    /// current.
    pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
        let Some(asset) = Site::get(&format!("pkg/{file}")) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let etag = format!("\"{}\"", hex::encode(asset.metadata.sha256_hash()));
        let Ok(etag) = HeaderValue::from_str(&etag) else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
        }
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(&file)),
                ),
                (header::ETAG, etag),
            ],
            asset.data.into_owned(),
        )
            .into_response()
    }
}
