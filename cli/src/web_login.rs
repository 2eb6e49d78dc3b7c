//! `strongbox login URL --web`: the command line shows a short code and a URL (and opens it
//! when it can); the person approves it in the dashboard, signed in any way, after checking
//! the code; the command line then receives a personal token labelled with this machine's name.

use std::io::IsTerminal as _;
use std::time::{Duration, Instant};

use strongbox_client::Client;

use super::{ClientError, ClientResult};

/// This machine's name, for the token's label: what the person sees on `/account`.
pub fn host_name() -> String {
    let from_kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").ok();
    let from_command = || {
        std::process::Command::new("hostname")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
    };
    from_kernel
        .or_else(from_command)
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "an unnamed host".to_owned())
}

/// Opens `url` in the person's browser when there is one to open; never fails the sign-in.
fn open_browser(url: &str) {
    let interactive = std::io::stderr().is_terminal();
    let desktop = cfg!(target_os = "macos")
        || std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !interactive || !desktop || std::env::var_os("STRONGBOX_NO_BROWSER").is_some() {
        return;
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Waits for the approval; the token and the user it acts as.
pub async fn web_login(
    client: &Client,
    server: &str,
    label: &str,
) -> ClientResult<(String, String)> {
    let started = client.start_web_login(label).await?;
    let url = format!("{server}{}", started.approve_path);
    let minutes = started.expires_in_seconds / 60;
    eprintln!("To sign in, open {url}");
    eprintln!(
        "and approve the code {} there after checking it is the one shown here. It expires in {minutes} minutes.",
        started.code
    );
    open_browser(&url);
    let deadline = Instant::now() + Duration::from_secs(started.expires_in_seconds);
    let every = Duration::from_secs(started.interval_seconds.max(1));
    loop {
        tokio::time::sleep(every).await;
        let collected = client.collect_web_login(&started.poll_secret).await?;
        if let (Some(token), Some(user)) = (collected.token, collected.user) {
            return Ok((token, user.to_string()));
        }
        if Instant::now() > deadline {
            return Err(ClientError::new(format!(
                "nobody approved code {} within {minutes} minutes; run `strongbox login {server} --web` again",
                started.code
            )));
        }
    }
}
