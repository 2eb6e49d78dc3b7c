//! An OpenID provider that misbehaves on purpose: it signs ID tokens Strongbox must refuse
//! (another audience or issuer, a wrong nonce, expired, issued in the future, signed with a key
//! it never published) and plays the failures people meet (a wrong client secret, a person who
//! cancels). The real provider (testkit's `oidc-provider`) cannot be made to do these; every
//! other test uses it. With no fault it behaves, which shows each refusal is the fault's doing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, ClientId, EmptyAdditionalClaims, EndUserUsername, IssuerUrl, JsonWebKeyId, Nonce,
    PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "strongbox";
pub const CLIENT_SECRET: &str = "forging-client-secret";
/// The username every ID token names.
pub const USERNAME: &str = "gina";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    None,
    OtherAudience,
    /// Two audiences, this client's and another, with the other as authorized party (`azp`).
    OtherAuthorizedParty,
    OtherIssuer,
    WrongNonce,
    /// Expired by `seconds` (past the allowed skew of 60 s, or within it).
    Expired {
        seconds: i64,
    },
    IssuedInFuture,
    /// Signed with a key the provider's key set does not hold.
    UnpublishedKey,
    /// The person cancels at the provider.
    Cancelled,
    /// The provider knows another secret for the client.
    OtherSecret,
}

#[derive(Default)]
struct Shared {
    fault: Option<Fault>,
    /// Per code: the nonce and PKCE challenge its authorization request carried.
    codes: HashMap<String, (String, String)>,
    /// The query of each end-session request.
    ended: Vec<HashMap<String, String>>,
}

#[derive(Clone)]
struct Idp {
    issuer: String,
    shared: Arc<Mutex<Shared>>,
}

pub struct ForgingIdp {
    pub issuer: String,
    shared: Arc<Mutex<Shared>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl ForgingIdp {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let issuer = format!("http://{}", listener.local_addr().expect("addr"));
        let shared = Arc::new(Mutex::new(Shared::default()));
        let idp = Idp {
            issuer: issuer.clone(),
            shared: shared.clone(),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let app = Router::new()
                    .route("/.well-known/openid-configuration", get(discovery))
                    .route("/authorize", get(authorize))
                    .route("/token", post(token))
                    .route("/jwks", get(jwks))
                    .route("/end-session", get(end_session))
                    .with_state(idp);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        ForgingIdp {
            issuer,
            shared,
            stop: Some(stop),
        }
    }

    pub fn set_fault(&self, fault: Fault) {
        self.shared.lock().expect("lock").fault = Some(fault);
    }

    /// The queries of the end-session requests so far.
    pub fn ended_sessions(&self) -> Vec<HashMap<String, String>> {
        self.shared.lock().expect("lock").ended.clone()
    }

    /// A file holding the client secret, for `--oidc-client-secret-file`.
    pub fn secret_file(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("forging-client-secret");
        std::fs::write(&path, CLIENT_SECRET).expect("secret");
        path
    }
}

impl Drop for ForgingIdp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn key(pem: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new("test-key".into())))
        .expect("test key")
}

fn published_key() -> CoreRsaPrivateSigningKey {
    key(include_str!("test-only-signing-key.pem"))
}

async fn discovery(State(idp): State<Idp>) -> Json<serde_json::Value> {
    let at = |path: &str| format!("{}{path}", idp.issuer);
    Json(serde_json::json!({
        "issuer": idp.issuer,
        "authorization_endpoint": at("/authorize"),
        "token_endpoint": at("/token"),
        "jwks_uri": at("/jwks"),
        "end_session_endpoint": at("/end-session"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
    }))
}

async fn jwks() -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![
        published_key().as_verification_key(),
    ]))
}

async fn authorize(State(idp): State<Idp>, Query(q): Query<HashMap<String, String>>) -> Redirect {
    let field = |name: &str| q.get(name).cloned().unwrap_or_default();
    let back = field("redirect_uri");
    let state = field("state");
    let mut shared = idp.shared.lock().expect("lock");
    if shared.fault == Some(Fault::Cancelled) {
        return Redirect::to(&format!(
            "{back}?error=access_denied&error_description=cancelled&state={state}"
        ));
    }
    assert_eq!(field("code_challenge_method"), "S256");
    let code = format!("code-{}", shared.codes.len());
    shared
        .codes
        .insert(code.clone(), (field("nonce"), field("code_challenge")));
    Redirect::to(&format!("{back}?code={code}&state={state}"))
}

fn client_secret(headers: &HeaderMap) -> Option<String> {
    let basic = headers.get("authorization")?.to_str().ok()?;
    let decoded = STANDARD.decode(basic.strip_prefix("Basic ")?).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (_, secret) = text.split_once(':')?;
    Some(secret.to_owned())
}

async fn token(
    State(idp): State<Idp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let refuse = |status: StatusCode, error: &str| {
        (status, Json(serde_json::json!({ "error": error }))).into_response()
    };
    let (fault, issued) = {
        let mut shared = idp.shared.lock().expect("lock");
        let code = form.get("code").cloned().unwrap_or_default();
        (
            shared.fault.unwrap_or(Fault::None),
            shared.codes.remove(&code),
        )
    };
    if fault == Fault::OtherSecret || client_secret(&headers).as_deref() != Some(CLIENT_SECRET) {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let Some((nonce, challenge)) = issued else {
        return refuse(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
        return refuse(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let id_token = forged_id_token(&idp.issuer, fault, nonce);
    Json(serde_json::json!({
        "access_token": "forged-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

/// An ID token for `USERNAME`, right in every way but `fault`.
fn forged_id_token(issuer: &str, fault: Fault, nonce: String) -> String {
    let now = chrono::Utc::now();
    let minutes = chrono::Duration::minutes;
    let (issued, expires) = match fault {
        Fault::Expired { seconds } => (now - minutes(10), now - chrono::Duration::seconds(seconds)),
        Fault::IssuedInFuture => (now + minutes(5), now + minutes(15)),
        _ => (now, now + minutes(5)),
    };
    let issuer = match fault {
        Fault::OtherIssuer => "http://127.0.0.1:9/elsewhere".to_owned(),
        _ => issuer.to_owned(),
    };
    let audiences = match fault {
        Fault::OtherAudience => vec!["another-client"],
        Fault::OtherAuthorizedParty => vec![CLIENT_ID, "another-client"],
        _ => vec![CLIENT_ID],
    };
    let nonce = match fault {
        Fault::WrongNonce => "not-the-nonce-strongbox-sent".to_owned(),
        _ => nonce,
    };
    let person = StandardClaims::new(SubjectIdentifier::new("forged-person".into()))
        .set_preferred_username(Some(EndUserUsername::new(USERNAME.into())));
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(issuer).expect("issuer"),
        audiences
            .into_iter()
            .map(|a| Audience::new(a.into()))
            .collect(),
        expires,
        issued,
        person,
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(nonce)))
    .set_authorized_party(
        (fault == Fault::OtherAuthorizedParty).then(|| ClientId::new("another-client".into())),
    );
    let signer = match fault {
        Fault::UnpublishedKey => key(include_str!("test-only-rogue-key.pem")),
        _ => published_key(),
    };
    let token = CoreIdToken::new(
        claims,
        &signer,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .expect("signed");
    token.to_string()
}

async fn end_session(State(idp): State<Idp>, Query(q): Query<HashMap<String, String>>) -> Response {
    let back = q.get("post_logout_redirect_uri").cloned();
    idp.shared.lock().expect("lock").ended.push(q);
    match back {
        Some(to) => Redirect::to(&to).into_response(),
        None => "signed out".into_response(),
    }
}
