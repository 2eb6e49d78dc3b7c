//! `strongbox`: the server and its administration commands.

use clap::Parser;
use std::process::ExitCode;

use server::cli::Cli;

/// glibc's malloc kept the 19 MiB that each argon2 check allocates after it was freed: 300 bad
/// sign-ins left the server at 390 MiB (docs/adr/0008). mimalloc hands such blocks back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init(cli.log_format(), cli.default_log_level());
    match server::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            // The operator at the console sees the whole chain of causes.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let part = s.to_string();
                if !text.ends_with(&part) {
                    text.push_str(&format!(": {part}"));
                }
                source = s.source();
            }
            eprintln!("error: {text}");
            ExitCode::FAILURE
        }
    }
}
