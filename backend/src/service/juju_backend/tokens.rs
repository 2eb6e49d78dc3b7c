//! The backend's tokens: its own (`strongbox admin juju-backend-token`), and those it makes
//! for Juju's agents (`auth/token/create`), each a child of its maker unless an orphan.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{JujuBackendId, JujuBackendName, Timestamp, VaultPolicyName, VaultRefusal};
use rand::RngCore;
use rand::rngs::OsRng;

use super::{bad, holder};
use crate::audit::AuditAction;
use crate::error::{Conflict, Missing, ServiceError, ServiceResult};
use crate::service::caller::Subject;
use crate::service::{Caller, Services};
use crate::store::{NewVaultToken, StoreError, TokenPowers, Tx};
use crate::token::{PlainToken, TokenKind};

/// Vault's system maximum TTL (32 days): a token made without a TTL gets it, and a longer one
/// is cut to it, as OpenBao does.
const MAX_TTL_SECS: u64 = 768 * 3600;

/// What `auth/token/create` asks for, in Strongbox's terms (the adapter reads Vault's wire form).
#[derive(Debug, Clone, Default)]
pub struct VaultTokenRequest {
    /// Empty: the maker's own powers.
    pub policies: Vec<String>,
    pub ttl_secs: Option<u64>,
    pub no_default_policy: bool,
    pub no_parent: bool,
    pub display_name: Option<String>,
}

/// A token made, shown once.
pub struct IssuedVaultToken {
    pub token: PlainToken,
    pub accessor: String,
    /// As Vault reports them: the names given, with `default` when attached; `root` for the
    /// backend's own role.
    pub policies: Vec<String>,
    pub lease_duration_secs: u64,
    pub orphan: bool,
    /// The TTL asked for was longer than `MAX_TTL_SECS` and was cut to it.
    pub ttl_capped: bool,
}

fn accessor() -> String {
    let mut bytes = [0u8; 18];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A backend's own token: the backend's role, no expiry.
fn backend_token(
    backend: JujuBackendId,
    name: &JujuBackendName,
    now: Timestamp,
) -> (PlainToken, NewVaultToken) {
    let token = PlainToken::generate(TokenKind::JujuBackend);
    let new = NewVaultToken {
        backend,
        parent: None,
        hash: token.hash(),
        accessor: accessor(),
        display_name: format!("juju-backend-{name}"),
        powers: TokenPowers::Backend,
        now,
        expires_at: None,
    };
    (token, new)
}

impl Services {
    /// A transaction for a superuser's change to backends, from the server console.
    async fn managing_backends(
        &self,
        caller: &Caller,
        action: AuditAction,
    ) -> ServiceResult<Box<dyn Tx>> {
        self.writing_global(caller, domain::Permission::ManageUsers, action)
            .await
    }

    /// Makes the backend and its own token (`strongbox admin juju-backend-token`): the token
    /// `juju add-secret-backend` is given. It does not expire.
    pub async fn create_juju_backend(
        &self,
        caller: &Caller,
        name: &JujuBackendName,
    ) -> ServiceResult<IssuedVaultToken> {
        let mut tx = self
            .managing_backends(caller, AuditAction::TokenCreate)
            .await?;
        let now = self.clock.now();
        let backend = match tx.insert_juju_backend(name, now).await {
            Err(StoreError::Conflict(_)) => {
                return Err(ServiceError::Conflict(Conflict::JujuBackend(
                    name.to_string(),
                )));
            }
            other => other?,
        };
        let (token, new) = backend_token(backend, name, now);
        let detail = format!(
            "Juju backend {name} created with its token (accessor {})",
            new.accessor
        );
        self.issue(tx, caller, token, new, detail, 0).await
    }

    /// `strongbox admin juju-backend-token NAME --replace`: revokes every token of the backend
    /// (its own, a rotated one, every agent's) and makes it a new one, for a token that
    /// leaked. Its mounts, policies and secrets stay.
    pub async fn replace_juju_backend_token(
        &self,
        caller: &Caller,
        name: &JujuBackendName,
    ) -> ServiceResult<IssuedVaultToken> {
        let mut tx = self
            .managing_backends(caller, AuditAction::TokenRevoke)
            .await?;
        let Some(backend) = tx.juju_backend_by_name(name).await? else {
            return Err(ServiceError::NotFound(Missing::JujuBackend(
                name.to_string(),
            )));
        };
        let gone = tx.revoke_backend_vault_tokens(backend.id).await?;
        let subject = Subject::default().detail(format!(
            "every token of Juju backend {name} revoked ({gone})"
        ));
        self.succeeded(&mut *tx, caller, AuditAction::TokenRevoke, subject)
            .await?;
        let (token, new) = backend_token(backend.id, name, self.clock.now());
        let detail = format!(
            "Juju backend {name} given a new token (accessor {})",
            new.accessor
        );
        self.issue(tx, caller, token, new, detail, 0).await
    }

    /// Keeps the token, audits its making with `detail`, commits, and hands it over once.
    async fn issue(
        &self,
        mut tx: Box<dyn Tx>,
        caller: &Caller,
        token: PlainToken,
        new: NewVaultToken,
        detail: String,
        lease_duration_secs: u64,
    ) -> ServiceResult<IssuedVaultToken> {
        tx.insert_vault_token(&new).await?;
        let subject = Subject::default().detail(detail);
        self.succeeded(&mut *tx, caller, AuditAction::TokenCreate, subject)
            .await?;
        tx.commit().await?;
        Ok(IssuedVaultToken {
            token,
            accessor: new.accessor,
            policies: new.powers.reported(),
            lease_duration_secs,
            orphan: new.parent.is_none(),
            ttl_capped: false,
        })
    }

    /// `auth/token/create`: the backend's role makes tokens with any names of policies (as a
    /// Vault root token may); a token holding only policies makes none.
    pub async fn create_juju_token(
        &self,
        caller: &Caller,
        request: VaultTokenRequest,
    ) -> ServiceResult<IssuedVaultToken> {
        let maker = self
            .backend_role(caller, AuditAction::TokenCreate, "auth/token/create")
            .await?;
        let mut names = Vec::new();
        for raw in request
            .policies
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            match raw.to_lowercase().as_str() {
                "root" => {
                    return Err(bad(VaultRefusal::RootToken));
                }
                "default" => {}
                _ => names.push(VaultPolicyName::from_request(raw)?),
            }
        }
        names.sort();
        names.dedup();
        let powers = if names.is_empty() && request.policies.is_empty() {
            maker.powers.clone()
        } else {
            TokenPowers::Policies {
                names,
                default_policy: !request.no_default_policy,
            }
        };
        let now = self.clock.now();
        let asked = request.ttl_secs.filter(|t| *t > 0).unwrap_or(MAX_TTL_SECS);
        let ttl = asked.min(MAX_TTL_SECS);
        let expires_at = Timestamp(
            now.millis()
                .saturating_add((ttl as i64).saturating_mul(1000)),
        );
        let token = PlainToken::generate(TokenKind::JujuBackend);
        let new = NewVaultToken {
            backend: maker.backend,
            parent: (!request.no_parent).then_some(maker.token),
            hash: token.hash(),
            accessor: accessor(),
            display_name: request
                .display_name
                .map(|d| format!("token-{}", d.trim()))
                .unwrap_or_else(|| "token".to_owned()),
            powers,
            now,
            expires_at: Some(expires_at),
        };
        let detail = format!(
            "token {} made ({}policies {}, {ttl} s)",
            new.accessor,
            if request.no_parent { "orphan, " } else { "" },
            new.powers.reported().join(", ")
        );
        let tx = self.store.write().await?;
        let mut issued = self.issue(tx, caller, token, new, detail, ttl).await?;
        issued.ttl_capped = asked > ttl;
        Ok(issued)
    }

    /// `auth/token/revoke-self`: the token and those made from it. Vault's default policy
    /// allows it, so a token made without that policy may not.
    pub async fn revoke_juju_token_self(&self, caller: &Caller) -> ServiceResult<()> {
        let holder = holder(caller)?;
        if matches!(
            holder.powers,
            TokenPowers::Policies {
                default_policy: false,
                ..
            }
        ) {
            let subject = Subject::default().detail("auth/token/revoke-self");
            return Err(self
                .refused(caller, AuditAction::TokenRevoke, subject, super::denied())
                .await);
        }
        let mut tx = self.store.write().await?;
        let gone = tx.revoke_vault_token(holder.token).await?;
        let subject = Subject::default().detail(format!(
            "token {} revoked itself, with {} made from it",
            holder.accessor,
            gone.saturating_sub(1)
        ));
        self.succeeded(&mut *tx, caller, AuditAction::TokenRevoke, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `auth/token/lookup-self`, which the default policy allows.
    pub fn juju_token_self<'a>(
        &self,
        caller: &'a Caller,
    ) -> ServiceResult<&'a crate::service::caller::JujuTokenHolder> {
        let holder = holder(caller)?;
        if matches!(
            holder.powers,
            TokenPowers::Policies {
                default_policy: false,
                ..
            }
        ) {
            return Err(super::denied());
        }
        Ok(holder)
    }

    /// `sys/key-status`, which only the backend's own role may read: Juju's check that its
    /// token works. The install time is when the asking token was made.
    pub async fn juju_key_status(&self, caller: &Caller) -> ServiceResult<Timestamp> {
        let holder = self
            .backend_role(caller, AuditAction::VaultSystemRead, "sys/key-status")
            .await?;
        Ok(holder.created_at)
    }

    /// Removes expired tokens and those made from them; how many went.
    pub async fn remove_expired_juju_tokens(&self) -> ServiceResult<u64> {
        let mut tx = self.store.write().await?;
        let gone = tx.remove_expired_vault_tokens(self.clock.now()).await?;
        tx.commit().await?;
        Ok(gone)
    }
}
