//! RP-initiated logout: signing out of Strongbox signs out of the provider too, when the
//! provider offers an `end_session_endpoint`. The URL is made at sign-in (when the ID token and
//! the provider's metadata are at hand, on whichever node finished it) and kept in the session.

use openidconnect::{
    ClientId, EndSessionUrl, LogoutRequest, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
};

use super::provider::IdToken;

/// Where the browser goes to end the provider's session: its end-session endpoint with the ID
/// token as a hint, this client, and the sign-in page (on the redirect URL's origin) to come
/// back to. None when the provider has no such endpoint.
pub fn end_session_url(
    metadata: &ProviderMetadataWithLogout,
    id_token: &IdToken,
    client_id: &str,
    redirect_url: &str,
) -> Option<String> {
    let endpoint: EndSessionUrl = metadata
        .additional_metadata()
        .end_session_endpoint
        .clone()?;
    let mut back = openidconnect::url::Url::parse(redirect_url).ok()?;
    back.set_path("/login");
    back.set_query(None);
    let request = LogoutRequest::from(endpoint)
        .set_id_token_hint(id_token)
        .set_client_id(ClientId::new(client_id.to_owned()))
        .set_post_logout_redirect_uri(PostLogoutRedirectUrl::from_url(back));
    Some(request.http_get_url().to_string())
}

/// The origin of `url` (`https://id.example.com`), for the pages' `form-action`: the sign-out
/// form's answer sends the browser there.
pub fn origin(url: &str) -> Option<String> {
    let parsed = openidconnect::url::Url::parse(url).ok()?;
    Some(parsed.origin().ascii_serialization())
}
