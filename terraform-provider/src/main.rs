//! `terraform-provider-strongbox`: Strongbox's secrets as Terraform resources. Terraform starts
//! it and speaks plugin protocol 6 to it; it speaks `/api/v1` through `strongbox-client`.

mod access;
mod application;
mod content;
mod diagnose;
mod provider;
mod resource_kit;
mod secret;
mod secret_data;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match tf_provider::serve("strongbox", provider::Strongbox::default()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-strongbox: {e}");
            ExitCode::FAILURE
        }
    }
}
