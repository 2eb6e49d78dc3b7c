//! `strongbox login URL --web`: a command line signs in through the dashboard, so it works with
//! any provider and with passwords alike. The command line asks for a request and shows its
//! short code; a signed-in person opens the approval page, checks that the code there is the
//! one in their terminal, and approves; the command line, polling with a secret only it holds,
//! then collects a personal token of that person's, once. Ten minutes, one use.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::ValidationError;
use rand::Rng as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

use super::tokens::person;
use super::{Caller, Services, Subject};
use crate::audit::AuditAction;
use crate::error::{Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{CliApproval, CliDecision, TokenRecord, UserRecord};
use crate::token::PlainToken;

/// A request not approved and collected within this long is refused.
pub const CLI_APPROVAL_TTL_MS: i64 = 10 * 60 * 1000;
/// Requests waiting at once, across the cluster: anyone may make one, so they are bounded.
const MAX_WAITING: i64 = 1_000;
/// Consonants without look-alikes: codes read aloud and typed without doubt, and spell no word.
const CODE_LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
const MAX_LABEL_CHARS: usize = 100;

/// What the command line gets: the code to show, and the secret to collect the token with.
pub struct CliRequest {
    pub user_code: String,
    pub poll_secret: String,
}

/// Where a command line's request stands.
pub enum CliCollected {
    /// Nobody has decided yet: ask again shortly.
    Pending,
    /// Approved: the person and their new token, shown this once.
    Approved {
        user: UserRecord,
        record: TokenRecord,
        token: PlainToken,
    },
}

fn poll_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut letter = || char::from(CODE_LETTERS[rng.gen_range(0..CODE_LETTERS.len())]);
    let first: String = (0..4).map(|_| letter()).collect();
    let second: String = (0..4).map(|_| letter()).collect();
    format!("{first}-{second}")
}

/// A code as a person may type it (`bcdf ghjk`, `BCDFGHJK`) in the form it is stored.
pub fn normalize_code(code: &str) -> String {
    let letters: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match letters.len() {
        8 => format!("{}-{}", &letters[..4], &letters[4..]),
        _ => letters,
    }
}

impl Services {
    fn cli_since(&self) -> domain::Timestamp {
        self.clock.now().plus_millis(-CLI_APPROVAL_TTL_MS)
    }

    /// A new request from a command line, labelled `label` (`strongbox cli on HOST`).
    #[tracing::instrument(skip_all)]
    pub async fn request_cli_approval(&self, label: &str) -> ServiceResult<CliRequest> {
        let label = label.trim();
        domain::names::refuse_format_characters("token label", label)?;
        let size = label.chars().count();
        if size > MAX_LABEL_CHARS {
            let max = MAX_LABEL_CHARS;
            return Err(ValidationError::LabelTooLong { size, max }.into());
        }
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let poll_secret = URL_SAFE_NO_PAD.encode(bytes);
        let approval = CliApproval {
            poll_hash: poll_hash(&poll_secret),
            user_code: new_code(),
            label: label.to_owned(),
            created_at: self.clock.now(),
            decision: CliDecision::Pending,
        };
        let mut tx = self.store.write().await?;
        let waiting = tx.insert_cli_approval(&approval, self.cli_since()).await?;
        if waiting > MAX_WAITING {
            // Dropping the transaction forgets this request.
            return Err(ServiceError::Busy);
        }
        tx.commit().await?;
        Ok(CliRequest {
            user_code: approval.user_code,
            poll_secret,
        })
    }

    /// The waiting request with `code`, for the approval page. Any signed-in person.
    pub async fn cli_approval(&self, caller: &Caller, code: &str) -> ServiceResult<CliApproval> {
        person(caller)?;
        let mut tx = self.store.read().await?;
        tx.cli_approval_by_code(&normalize_code(code), self.cli_since())
            .await?
            .filter(|a| a.decision == CliDecision::Pending)
            .ok_or(ServiceError::NotFound(Missing::CliApproval))
    }

    /// Approves (or denies) the waiting request with `code` as the caller. Audited.
    #[tracing::instrument(skip_all)]
    pub async fn decide_cli_approval(
        &self,
        caller: &Caller,
        code: &str,
        approve: bool,
    ) -> ServiceResult<()> {
        let user = person(caller)?;
        let code = normalize_code(code);
        let mut tx = self.store.write().await?;
        let Some(request) = tx.cli_approval_by_code(&code, self.cli_since()).await? else {
            return Err(ServiceError::NotFound(Missing::CliApproval));
        };
        let decision = if approve {
            CliDecision::Approved(user)
        } else {
            CliDecision::Denied
        };
        if !tx
            .decide_cli_approval(&code, self.cli_since(), decision)
            .await?
        {
            return Err(ServiceError::NotFound(Missing::CliApproval));
        }
        let verb = if approve { "approved" } else { "denied" };
        let detail = format!("command-line sign-in {code} ({}) {verb}", request.label);
        self.succeeded(
            &mut *tx,
            caller,
            AuditAction::CliApprove,
            Subject::default().detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the command line holding `poll_secret` may collect: nothing yet, or its token,
    /// once. Denied, unknown, expired or collected already are refused.
    #[tracing::instrument(skip_all)]
    pub async fn collect_cli_approval(&self, poll_secret: &str) -> ServiceResult<CliCollected> {
        let mut tx = self.store.write().await?;
        let request = tx
            .take_decided_cli_approval(&poll_hash(poll_secret), self.cli_since())
            .await?
            .ok_or(ServiceError::NotFound(Missing::CliApproval))?;
        let user = match request.decision {
            CliDecision::Pending => return Ok(CliCollected::Pending),
            CliDecision::Denied => {
                tx.commit().await?;
                return Err(ServiceError::Forbidden(Forbidden::CliDenied));
            }
            CliDecision::Approved(user) => user,
        };
        let user = tx.user(user).await?.ok_or(ServiceError::Unauthenticated)?;
        let caller = Caller::user(user.id, user.name.clone());
        let how = format!(
            ", approved in the dashboard with code {}",
            request.user_code
        );
        let (record, token) = self
            .issue_personal_token(&mut *tx, &caller, user.id, &request.label, &how)
            .await?;
        tx.commit().await?;
        Ok(CliCollected::Approved {
            user,
            record,
            token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_two_groups_of_four_unambiguous_letters_and_read_back_however_typed() {
        let code = new_code();
        assert_eq!(code.len(), 9);
        assert!(
            code.chars()
                .all(|c| c == '-' || CODE_LETTERS.contains(&(c as u8)))
        );
        assert_eq!(normalize_code(&code.to_lowercase().replace('-', " ")), code);
        assert_eq!(normalize_code("bcdfghjk"), "BCDF-GHJK");
    }
}
