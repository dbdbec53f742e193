//! HTTPS served by vigie itself: a real server (`vigie_server::run`) on a free port with a
//! self-signed certificate made here (rcgen), reached by ureq trusting that certificate only.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vigie_app::config::Config;
use vigie_server::{Notice, ServerConfig};

use crate::common::PASSWORD;

/// A certificate for 127.0.0.1 and its key, as PEM files in `dir`; the certificate's DER.
fn certificate(dir: &Path) -> (PathBuf, PathBuf, Vec<u8>) {
    let made =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key, made.cert.der().to_vec())
}

/// The server's configuration: TLS with `cert` and `key`, a free port, a fresh store.
fn config(dir: &Path, cert: PathBuf, key: PathBuf) -> ServerConfig {
    let mut settings = Config::default().server(Some("127.0.0.1:0")).unwrap();
    settings.tls = Some((cert, key));
    ServerConfig {
        settings,
        store: vigie_store::Location::path(dir.join("vigie.db")),
        paths: Vec::new(),
        data_dir: None,
        config_file: None,
        admin_password: Some(PASSWORD.into()),
    }
}

/// Runs the server in the background; its address once it listens, or its error.
async fn start(config: ServerConfig) -> Result<SocketAddr, String> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let notify: vigie_server::Notify = Arc::new(move |n| {
        if let Notice::Listening(addr) = n {
            let _ = tx.send(addr);
        }
    });
    let server = tokio::spawn(vigie_server::run(config, notify));
    tokio::select! {
        Some(addr) = rx.recv() => Ok(addr),
        done = server => Err(format!("{:#}", done.unwrap().unwrap_err())),
    }
}

/// An agent trusting `der` only, following no redirect, with statuses as answers.
fn agent(der: &[u8]) -> ureq::Agent {
    let root = ureq::tls::Certificate::from_der(der).to_owned();
    ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&[root]))
                .build(),
        )
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn set_cookie_line(r: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("a {name} cookie"))
        .to_owned()
}

/// Logs in over HTTPS as a browser would; every step checked.
fn log_in(agent: &ureq::Agent, base: &str) {
    let ready = (0..100).any(|_| {
        let ok = agent
            .get(format!("{base}/readyz"))
            .call()
            .is_ok_and(|r| r.status() == 200);
        if !ok {
            std::thread::sleep(Duration::from_millis(50));
        }
        ok
    });
    assert!(ready, "the store opens");
    let form = agent.get(format!("{base}/login")).call().unwrap();
    assert_eq!(form.status(), 200);
    assert_eq!(
        form.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let csrf_line = set_cookie_line(&form, "vigie_login_csrf");
    assert!(csrf_line.contains("; Secure"), "{csrf_line}");
    let csrf_cookie = csrf_line.split(';').next().unwrap();
    let csrf = csrf_cookie.split_once('=').unwrap().1;
    let done = agent
        .post(format!("{base}/login"))
        .header("cookie", csrf_cookie)
        .send_form([("name", "admin"), ("password", PASSWORD), ("csrf", csrf)])
        .unwrap();
    assert_eq!(done.status(), 303);
    let session_line = set_cookie_line(&done, "vigie_session");
    assert!(session_line.contains("; Secure"), "{session_line}");
    assert!(session_line.contains("HttpOnly"), "{session_line}");
    let session = session_line.split(';').next().unwrap();
    let home = agent
        .get(format!("{base}/"))
        .header("cookie", session)
        .call()
        .unwrap();
    assert_eq!(home.status(), 200, "the session works over HTTPS");
    assert!(home.headers().contains_key("strict-transport-security"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_serves_secure_cookies_and_hsts_and_refuses_plain_http() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, der) = certificate(dir.path());
    let addr = start(config(dir.path(), cert, key)).await.unwrap();
    let base = format!("https://{addr}");
    let plain = format!("http://{addr}/healthz");
    let agent = agent(&der);
    tokio::task::spawn_blocking(move || {
        log_in(&agent, &base);
        // Plain HTTP on the TLS port is no answer; the server goes on.
        assert!(agent.get(&plain).call().is_err(), "plain HTTP is refused");
        let again = agent.get(format!("{base}/healthz")).call().unwrap();
        assert_eq!(again.status(), 200, "a failed handshake stops nothing");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h2_is_offered_by_alpn_and_spoken() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, der) = certificate(dir.path());
    let addr = start(config(dir.path(), cert, key)).await.unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(der.into()).unwrap();
    let mut client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    client.alpn_protocols = vec![b"h2".to_vec()];
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(Arc::new(client))
        .connect(name, tcp)
        .await
        .unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    // The HTTP/2 preface and an empty SETTINGS frame: the server answers with its SETTINGS.
    tls.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .unwrap();
    let mut frame = [0u8; 9];
    tokio::time::timeout(Duration::from_secs(10), tls.read_exact(&mut frame))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(frame[3], 0x4, "a SETTINGS frame: {frame:?}");
}

#[tokio::test]
async fn a_bad_key_or_a_missing_certificate_stops_the_start_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, _) = certificate(dir.path());
    let bad = dir.path().join("bad-key.pem");
    std::fs::write(&bad, "-----BEGIN PRIVATE KEY-----\nnot a key\n").unwrap();
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let (_, other_key, _) = certificate(&other);
    let missing = dir.path().join("missing.pem");
    let huge = dir.path().join("huge.pem");
    std::fs::write(&huge, vec![b'A'; 2 * 1024 * 1024]).unwrap();
    for (cert, key, setting, file) in [
        (&cert, &bad, "server.tls-key", &bad),
        (&cert, &cert, "server.tls-key", &cert),
        (&cert, &other_key, "server.tls-key", &other_key),
        (&missing, &key, "server.tls-cert", &missing),
        (&key, &key, "server.tls-cert", &key),
        (&huge, &key, "server.tls-cert", &huge),
    ] {
        let e = start(config(dir.path(), cert.clone(), key.clone()))
            .await
            .expect_err("no start");
        assert!(e.starts_with(setting), "{setting}: {e}");
        assert!(e.contains(&file.display().to_string()), "{file:?}: {e}");
    }
}
