//! The typed client, set up from the saved config and the environment. A refusal reads as the
//! server worded it; the code and field it carries are there to branch on.

use std::path::PathBuf;

use strongbox_client::Client;

use super::{ClientConfig, ClientError, ClientResult};

impl From<strongbox_client::ClientError> for ClientError {
    fn from(e: strongbox_client::ClientError) -> Self {
        ClientError::new(e.to_string())
    }
}

/// A client for the configured server with the saved token.
pub fn signed_in(config: &ClientConfig) -> ClientResult<Client> {
    Ok(Client::new(
        &config.server()?,
        Some(config.token()?),
        config.ca_file().as_deref(),
    )?)
}

/// A client for `server` carrying `token`, or none (to sign in).
pub fn with_token(
    server: &str,
    token: Option<String>,
    ca_file: Option<PathBuf>,
) -> ClientResult<Client> {
    Ok(Client::new(server, token, ca_file.as_deref())?)
}
