//! Why a sign-in through the provider stopped: the closed reason the page tells
//! (`ProviderFailure`), and the detail the log keeps.

use domain::sign_in::ProviderFailure;
use openidconnect::core::CoreErrorResponseType;
use openidconnect::{ClaimsVerificationError, RequestTokenError, StandardErrorResponse};

use crate::webhooks::reasons as error_chain;

/// Why a sign-in stopped: the closed reason the page tells, and the detail the log keeps.
#[derive(Debug)]
pub struct Refusal {
    pub failure: ProviderFailure,
    pub detail: String,
}

pub fn refuse(failure: ProviderFailure, detail: impl std::fmt::Display) -> Refusal {
    Refusal {
        failure,
        detail: detail.to_string(),
    }
}

pub fn token_refusal<RE: std::error::Error + 'static>(
    e: RequestTokenError<RE, StandardErrorResponse<CoreErrorResponseType>>,
) -> Refusal {
    match &e {
        RequestTokenError::ServerResponse(answer) => {
            let failure = match answer.error() {
                CoreErrorResponseType::InvalidClient
                | CoreErrorResponseType::UnauthorizedClient => ProviderFailure::ClientRefused,
                CoreErrorResponseType::InvalidGrant => ProviderFailure::Expired,
                _ => ProviderFailure::TokenRefused,
            };
            refuse(failure, format!("token endpoint: {answer}"))
        }
        _ => refuse(ProviderFailure::Unreachable, error_chain(&e)),
    }
}

pub fn claims_refusal(e: ClaimsVerificationError) -> Refusal {
    let failure = match &e {
        ClaimsVerificationError::Expired(_) => ProviderFailure::ClockSkew,
        _ => ProviderFailure::TokenRefused,
    };
    refuse(failure, format!("ID token: {}", error_chain(&e)))
}
