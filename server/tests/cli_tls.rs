//! The CLI behind an internal TLS proxy: a certificate from a private CA is refused until the
//! CA is given with `login --ca-file` (kept for later commands) or `STRONGBOX_CA_FILE`.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use support::{BIN, data_with_alice_and_prod, serve};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// A private CA's certificate in PEM, and a TLS acceptor for `localhost` signed by it.
fn private_ca() -> (String, TlsAcceptor) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = KeyPair::generate().expect("ca key");
    let ca_cert = ca.self_signed(&ca_key).expect("ca cert");
    let issuer = Issuer::new(ca, ca_key);
    let leaf = CertificateParams::new(vec!["localhost".to_owned()]).expect("leaf params");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).expect("leaf cert");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![leaf_cert.der().clone()], key)
        .expect("tls config");
    (ca_cert.pem(), TlsAcceptor::from(Arc::new(config)))
}

/// Terminates TLS on a port of its own, which it returns, and forwards the bytes to the server
/// on `upstream`, on a runtime of its own for the life of the test.
fn tls_proxy(acceptor: TlsAcceptor, upstream: u16) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind proxy");
    let port = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that rejects the certificate ends the handshake; nothing to do.
                    let Ok(mut tls) = acceptor.accept(client).await else {
                        return;
                    };
                    let Ok(mut server) =
                        tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await
                    else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                });
            }
        });
    });
    port
}

fn cli(config: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("XDG_CONFIG_HOME", config)
        .env("RUST_LOG", "warn")
        .env_remove("STRONGBOX_SERVER")
        .env_remove("STRONGBOX_TOKEN")
        .env_remove("STRONGBOX_MODEL")
        .env_remove("STRONGBOX_CA_FILE")
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run");
    use std::io::Write as _;
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"password-123\n").expect("stdin");
    drop(stdin);
    child.wait_with_output().expect("output")
}

/// Stops the server however the test ends.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_private_ca_is_trusted_only_when_given() {
    let data = data_with_alice_and_prod();
    let server = serve(data.path());
    let (ca_pem, acceptor) = private_ca();
    let proxy = tls_proxy(acceptor, server.port);
    let url = format!("https://localhost:{proxy}");
    let dir = tempfile::tempdir().expect("dir");
    let ca_file = dir.path().join("internal-ca.pem");
    std::fs::write(&ca_file, &ca_pem).expect("write ca");
    let ca = ca_file.to_str().expect("utf-8 path");
    let config = tempfile::tempdir().expect("dir");

    let refused = cli(config.path(), &["login", &url, "-u", "alice"], &[]);
    assert!(!refused.status.success(), "{}", text(&refused.stdout));
    let error = text(&refused.stderr);
    assert!(
        error.starts_with(&format!("ERROR cannot reach {url}")),
        "an unknown issuer is refused: {error}"
    );

    let login = cli(
        config.path(),
        &["login", &url, "-u", "alice", "--ca-file", ca],
        &[],
    );
    assert!(login.status.success(), "{}", text(&login.stderr));
    let models = cli(config.path(), &["models"], &[]);
    assert!(models.status.success(), "{}", text(&models.stderr));
    assert_eq!(
        text(&models.stdout),
        "Model  Access\nprod   admin\n",
        "the CA given at login is kept for later commands"
    );

    // The environment overrides the saved file, and a wrong one is named.
    let missing = dir.path().join("missing.pem");
    let missing = missing.to_str().expect("utf-8 path");
    let wrong = cli(
        config.path(),
        &["models"],
        &[("STRONGBOX_CA_FILE", missing)],
    );
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).starts_with(&format!("ERROR CA file {missing}: ")),
        "{}",
        text(&wrong.stderr)
    );
    let from_env = cli(
        tempfile::tempdir().expect("dir").path(),
        &["models"],
        &[
            ("STRONGBOX_SERVER", url.as_str()),
            ("STRONGBOX_TOKEN", "sbp_not-a-token"),
            ("STRONGBOX_CA_FILE", ca),
        ],
    );
    assert!(
        text(&from_env.stderr) == "ERROR a valid bearer token is required\n",
        "with the CA from the environment the request reaches the server, which refuses the \
         token: {}",
        text(&from_env.stderr)
    );
}
