//! Content-Security-Policy. Pages carry a per-response nonce for the hydration script; every
//! other response gets the strict policy with no script at all.

pub const STRICT: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy for a page whose inline scripts carry `nonce`. `wasm-unsafe-eval` lets the page
/// compile its own WebAssembly; nothing else may be evaluated. Forms post here only, and may
/// lead on to `provider` (the sign-out form's answer goes to the provider's end-session page).
pub fn for_page(nonce: &str, provider: Option<&str>) -> String {
    let provider = provider.map(|p| format!(" {p}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; \
         base-uri 'none'; form-action 'self'{provider}"
    )
}
