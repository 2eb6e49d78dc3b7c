//! One OpenID provider: discovery, the authorization request, and the callback's checks.
//! Discovery waits for the first sign-in, so a provider that is down never stops Strongbox from
//! starting (password sign-in keeps working); a signature that fails is retried once against
//! freshly fetched keys, for a provider that rotated them.

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreResponseType,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessToken, AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, Client, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    ProviderMetadataWithLogout, RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse,
    SubjectIdentifier, TokenResponse, reqwest,
};
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;

use backend::service::ProviderPerson;
use backend::store::{Identity, ProviderFlow};
use domain::Timestamp;
use domain::sign_in::ProviderFailure;

use super::claims::{self, Claims, OtherClaims};
use super::refusal::{Refusal, claims_refusal, refuse, token_refusal};
use super::settings::ProviderConfig;
use super::sign_out::end_session_url;
use crate::webhooks::reasons as error_chain;

/// How far the provider's clock may be from ours.
const CLOCK_SKEW_SECS: i64 = 60;
/// How long one request to the provider may take.
const PROVIDER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

type IdFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<IdFields, CoreTokenType>;
pub type IdToken = openidconnect::IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// A finished sign-in: who the provider vouched for, and where signing out sends the browser
/// to end the provider's session too (when it offers that).
pub struct Finished {
    pub person: ProviderPerson,
    pub sign_out: Option<String>,
}
type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// SHA-256 of a `state`, hex: what the database keeps of it.
pub fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

pub struct Provider {
    config: ProviderConfig,
    http: reqwest::Client,
    discovered: RwLock<Option<ProviderMetadataWithLogout>>,
}

impl Provider {
    /// The HTTP client follows no redirects (a provider must answer where discovery says).
    pub fn new(config: ProviderConfig) -> Result<Self, String> {
        let mut http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT);
        if let Some(pem) = &config.ca_pem {
            let ca = reqwest::Certificate::from_pem(pem)
                .map_err(|e| format!("--oidc-ca-file: not a PEM certificate: {e}"))?;
            http = http.add_root_certificate(ca);
        }
        let http = http
            .build()
            .map_err(|e| format!("cannot make the provider's HTTP client: {e}"))?;
        Ok(Provider {
            config,
            http,
            discovered: RwLock::new(None),
        })
    }

    pub fn display_name(&self) -> &str {
        &self.config.display_name
    }

    pub fn roles(&self) -> &backend::service::GroupRoles {
        &self.config.roles
    }

    /// The provider's metadata and keys, fetched now when `fresh` or never fetched.
    async fn metadata(&self, fresh: bool) -> Result<ProviderMetadataWithLogout, Refusal> {
        if !fresh && let Some(known) = self.discovered.read().await.as_ref() {
            return Ok(known.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone())
            .map_err(|e| refuse(ProviderFailure::Internal, e))?;
        let found = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| refuse(ProviderFailure::Unreachable, error_chain(&e)))?;
        *self.discovered.write().await = Some(found.clone());
        Ok(found)
    }

    async fn client(
        &self,
        fresh: bool,
    ) -> Result<(OidcClient, ProviderMetadataWithLogout), Refusal> {
        let metadata = self.metadata(fresh).await?;
        let redirect = RedirectUrl::new(self.config.redirect_url.clone())
            .map_err(|e| refuse(ProviderFailure::Internal, e))?;
        let client = OidcClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        Ok((client, metadata))
    }

    /// Where to send the browser, and the flow to keep until it comes back: PKCE (S256),
    /// `state` and `nonce`, all random.
    pub async fn begin(
        &self,
        return_to: &str,
        now: Timestamp,
    ) -> Result<(String, ProviderFlow), Refusal> {
        let (client, metadata) = self.client(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        // Only scopes the provider offers: some refuse the request for an unknown one.
        let offered = metadata.scopes_supported();
        for scope in ["profile", "email", "groups"] {
            if offered.is_some_and(|s| s.iter().any(|o| o.as_str() == scope)) {
                request = request.add_scope(Scope::new(scope.into()));
            }
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let flow = ProviderFlow {
            state_hash: state_hash(state.secret()),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to: return_to.to_owned(),
            created_at: now,
        };
        Ok((url.to_string(), flow))
    }

    /// Redeems `code` for tokens, checks the ID token against `flow`, and reads who it names.
    pub async fn finish(&self, flow: &ProviderFlow, code: String) -> Result<Finished, Refusal> {
        let (client, metadata) = self.client(false).await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| refuse(ProviderFailure::Unreachable, e))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(token_refusal)?;
        let id_token = tokens.id_token().ok_or_else(|| {
            refuse(
                ProviderFailure::TokenRefused,
                "the token answer has no ID token",
            )
        })?;
        let nonce = Nonce::new(flow.nonce.clone());
        let verified = {
            let checked = self.checked_claims(&client, id_token, &nonce);
            match checked {
                Err(ClaimsVerificationError::SignatureVerification(_)) => {
                    // The provider may have rotated its keys since they were fetched.
                    let (fresh, _) = self.client(true).await?;
                    self.checked_claims(&fresh, id_token, &nonce)
                }
                other => other,
            }
        };
        let claims = verified.map_err(claims_refusal)?;
        let audiences = claims.audiences();
        let azp = claims.authorized_party().map(|a| a.as_str().to_owned());
        if azp.as_deref().is_some_and(|a| a != self.config.client_id)
            || (audiences.len() > 1 && azp.is_none())
        {
            return Err(refuse(
                ProviderFailure::TokenRefused,
                format!(
                    "authorized party {azp:?} is not this client ({} audiences)",
                    audiences.len()
                ),
            ));
        }
        let subject = claims.subject().clone();
        let issuer = claims.issuer().to_string();
        let mut username = claims.text(&self.config.username_claim);
        let mut groups = claims::groups(claims.other(), &self.config.groups_claim);
        let mut overage = claims::overage(claims.other(), &self.config.groups_claim);
        // Many providers put profile and group claims in userinfo only.
        let missing = username.is_none() || groups.is_none();
        if missing
            && let Some(info) = self
                .user_info(&client, tokens.access_token(), &subject)
                .await?
        {
            username = username.or_else(|| info.text(&self.config.username_claim));
            groups = groups.or_else(|| claims::groups(info.other(), &self.config.groups_claim));
            overage |= claims::overage(info.other(), &self.config.groups_claim);
        }
        if overage {
            tracing::warn!(
                subject = %subject.as_str(),
                claim = %self.config.groups_claim,
                "the provider left out the groups claim because the person is in too many groups (Entra ID group overage); they sign in with no groups. Give Strongbox's app a filtered groups claim (e.g. groups assigned to the application) instead"
            );
        }
        let username = username.ok_or_else(|| {
            refuse(
                ProviderFailure::NoUsername,
                format!(
                    "no {} claim in the ID token or userinfo",
                    self.config.username_claim
                ),
            )
        })?;
        let sign_out = end_session_url(
            &metadata,
            id_token,
            &self.config.client_id,
            &self.config.redirect_url,
        );
        let person = ProviderPerson {
            identity: Identity {
                issuer,
                subject: subject.as_str().to_owned(),
            },
            username,
            groups: groups.unwrap_or_default(),
        };
        Ok(Finished { person, sign_out })
    }

    fn checked_claims<'t>(
        &self,
        client: &OidcClient,
        id_token: &'t IdToken,
        nonce: &Nonce,
    ) -> Result<
        &'t openidconnect::IdTokenClaims<OtherClaims, CoreGenderClaim>,
        ClaimsVerificationError,
    > {
        let skew = chrono::Duration::seconds(CLOCK_SKEW_SECS);
        let verifier = client
            .id_token_verifier()
            // Expiry is checked against a clock set back by the skew allowed.
            .set_time_fn(move || chrono::Utc::now() - skew)
            .set_issue_time_verifier_fn(move |issued| {
                if issued > chrono::Utc::now() + skew {
                    Err(format!("issued in the future, at {issued}"))
                } else {
                    Ok(())
                }
            });
        id_token.claims(&verifier, nonce)
    }

    /// Userinfo, when the provider has the endpoint; its subject must be the ID token's.
    async fn user_info(
        &self,
        client: &OidcClient,
        access: &AccessToken,
        subject: &SubjectIdentifier,
    ) -> Result<Option<openidconnect::UserInfoClaims<OtherClaims, CoreGenderClaim>>, Refusal> {
        let Ok(request) = client.user_info(access.clone(), Some(subject.clone())) else {
            return Ok(None);
        };
        let info = request
            .request_async(&self.http)
            .await
            .map_err(|e| refuse(ProviderFailure::Unreachable, error_chain(&e)))?;
        Ok(Some(info))
    }
}
