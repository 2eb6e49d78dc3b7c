//! The site's static files (wasm, JS, CSS): from inside the binary when it is built with
//! `--features embed-site`, otherwise from `--site-root`.
//!
//! Each build's files are served under `/pkg/<version>/…`, the version being a digest of their
//! content, with `cache-control: immutable`: a repeat visit asks for nothing, and a new build has
//! new paths. `scripts/build-site.sh --release` writes brotli (quality 11) and gzip copies beside
//! each file; the one the browser accepts is sent. Files without copies (a debug site) are
//! compressed on the way out. `/pkg/<file>` without a version still answers, revalidated on each
//! visit. Pages are never compressed: a page that mixes a secret with text from the request
//! would leak it to a length attack (BREACH).

use axum::Router;
use axum::http::{HeaderValue, header};
use sha2::{Digest as _, Sha256};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Whether this binary carries its site.
pub const EMBEDDED: bool = cfg!(feature = "embed-site");

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The digest that names this build's files: the first 16 hex digits of a SHA-256 over each
/// file's name and content.
pub fn version(site_root: &str) -> String {
    let mut digest = Sha256::new();
    for (name, content_digest) in files::digests(site_root) {
        digest.update(name.as_bytes());
        digest.update([0]);
        digest.update(content_digest);
    }
    hex::encode(digest.finalize())[..16].to_owned()
}

/// Where the pages find this build's files, for Leptos's `site_pkg_dir`.
pub fn pkg_dir(version: &str) -> String {
    format!("pkg/{version}")
}

/// Routes for `/pkg/…`.
pub fn routes(site_root: &str, version: &str) -> Router {
    let cache = |value: &'static str| {
        SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(value))
    };
    let versioned = files::router(site_root, &format!("/pkg/{version}")).layer(cache(IMMUTABLE));
    let bare = files::router(site_root, "/pkg").layer(cache("no-cache"));
    versioned
        .merge(bare)
        .layer(CompressionLayer::new().br(true).gzip(true))
}

/// The encodings a request accepts, in the order to prefer them: brotli, then gzip.
// A site on disk is negotiated by ServeDir itself.
#[cfg_attr(not(feature = "embed-site"), allow(dead_code))]
fn accepted(headers: &axum::http::HeaderMap) -> Vec<&'static str> {
    let offered: Vec<(String, bool)> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|item| {
            let name = item.split(';').next().unwrap_or_default();
            (name.trim().to_ascii_lowercase(), q_zero(item))
        })
        .collect();
    ["br", "gzip"]
        .into_iter()
        .filter(|enc| offered.iter().any(|(n, refused)| n == enc && !refused))
        .collect()
}

/// Whether an `Accept-Encoding` item carries `q=0` (or `q=0.0…`): "not this one".
fn q_zero(item: &str) -> bool {
    item.split(';').skip(1).any(|p| {
        let p = p.trim().to_ascii_lowercase();
        p.strip_prefix("q=")
            .and_then(|q| q.trim().parse::<f32>().ok())
            .is_some_and(|q| q == 0.0)
    })
}

#[cfg(not(feature = "embed-site"))]
mod files {
    use axum::Router;
    use sha2::{Digest as _, Sha256};

    fn dir(site_root: &str) -> std::path::PathBuf {
        std::path::Path::new(site_root).join("pkg")
    }

    /// Each file's name and the SHA-256 of its content, by name; the compressed copies follow
    /// their originals and are left out.
    pub fn digests(site_root: &str) -> Vec<(String, Vec<u8>)> {
        let Ok(entries) = std::fs::read_dir(dir(site_root)) else {
            return Vec::new();
        };
        let mut out: Vec<(String, Vec<u8>)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
            .filter_map(|name| {
                let content = std::fs::read(dir(site_root).join(&name)).ok()?;
                Some((name, Sha256::digest(content).to_vec()))
            })
            .collect();
        out.sort();
        out
    }

    /// ServeDir answers If-Modified-Since with 304 and picks the precompressed copies.
    pub fn router(site_root: &str, prefix: &str) -> Router {
        let serve = tower_http::services::ServeDir::new(dir(site_root))
            .precompressed_br()
            .precompressed_gzip();
        Router::new().nest_service(prefix, serve)
    }
}

#[cfg(feature = "embed-site")]
mod files {
    use axum::Router;
    use axum::extract::Path;
    use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
    use axum::response::{IntoResponse, Response};

    #[derive(rust_embed::Embed)]
    #[folder = "../target/site/"]
    struct Site;

    pub fn digests(_site_root: &str) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = Site::iter()
            .filter_map(|path| {
                let name = path.strip_prefix("pkg/")?.to_owned();
                if name.ends_with(".br") || name.ends_with(".gz") {
                    return None;
                }
                let file = Site::get(&path)?;
                Some((name, file.metadata.sha256_hash().to_vec()))
            })
            .collect();
        out.sort();
        out
    }

    pub fn router(_site_root: &str, prefix: &str) -> Router {
        Router::new().route(&format!("{prefix}/{{file}}"), axum::routing::get(serve))
    }

    fn content_type(file: &str) -> &'static str {
        match file.rsplit('.').next() {
            Some("js") => "text/javascript; charset=utf-8",
            Some("wasm") => "application/wasm",
            Some("css") => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        }
    }

    /// The file in the best encoding the browser accepts, or 304 when the browser's copy
    /// (named by its ETag, the sent bytes' SHA-256) is current.
    async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
        let Some(plain) = Site::get(&format!("pkg/{file}")) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let suffix = |enc: &str| if enc == "br" { ".br" } else { ".gz" };
        let (asset, encoding) = super::accepted(&headers)
            .into_iter()
            .find_map(|enc| {
                Site::get(&format!("pkg/{file}{}", suffix(enc))).map(|a| (a, Some(enc)))
            })
            .unwrap_or((plain, None));
        let etag = format!("\"{}\"", hex::encode(asset.metadata.sha256_hash()));
        let Ok(etag) = HeaderValue::from_str(&etag) else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
        if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), vary]).into_response();
        }
        let mut response = (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(&file)),
                ),
                (header::ETAG, etag),
                vary,
            ],
            asset.data.into_owned(),
        )
            .into_response();
        if let Some(enc) = encoding {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(value: &str) -> Vec<&'static str> {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("value"),
        );
        accepted(&headers)
    }

    #[test]
    fn brotli_is_preferred_and_q_zero_refuses() {
        assert_eq!(accepts("gzip, deflate, br"), ["br", "gzip"]);
        assert_eq!(accepts("gzip"), ["gzip"]);
        assert_eq!(accepts("br;q=0, gzip;q=0.5"), ["gzip"]);
        assert_eq!(accepts("BR;q=0.000"), Vec::<&str>::new());
        assert_eq!(accepts("identity"), Vec::<&str>::new());
    }
}
