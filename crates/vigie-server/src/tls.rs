//! HTTPS, when `server.tls-cert` and `server.tls-key` are set: rustls (TLS 1.2 and 1.3, the
//! `ring` provider that ureq already brings), ALPN `h2` then `http/1.1`, served by
//! `axum::serve` through [`TlsListener`], so graceful shutdown, `ConnectInfo<SocketAddr>` and
//! the router are the plain HTTP server's.
//!
//! The certificate and key are read and checked before anything listens ([`acceptor`]): an
//! error names the setting and the file. Each handshake runs in a task of its own, bounded in
//! time, so a slow or broken client holds up nobody; its failure is logged at debug level.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// The largest certificate chain or key file read (a chain is a few kilobytes).
pub(crate) const MAX_PEM_SIZE: u64 = 1024 * 1024;
/// How long a client may take over its handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes in flight at once; accepting waits beyond.
const MAX_HANDSHAKES: usize = 1024;

/// The TLS configuration of `cert` (`server.tls-cert`: the chain, leaf first, PEM) and `key`
/// (`server.tls-key`: PKCS#8, RSA or SEC1, PEM). Errors name the setting and the file.
pub(crate) fn acceptor(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    let chain = read_pem(cert, "server.tls-cert")?;
    let chain = CertificateDer::pem_slice_iter(&chain)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            anyhow!(
                "server.tls-cert: {}: not PEM certificates: {e}",
                cert.display()
            )
        })?;
    if chain.is_empty() {
        bail!(
            "server.tls-cert: {}: no certificate (PEM, \"BEGIN CERTIFICATE\")",
            cert.display()
        );
    }
    let key_pem = read_pem(key, "server.tls-key")?;
    let private = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        anyhow!(
            "server.tls-key: {}: no private key (PEM: PKCS#8, RSA or SEC1): {e}",
            key.display()
        )
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .context("TLS 1.2 and 1.3")?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| {
            anyhow!(
                "server.tls-key: {} cannot serve the certificate of server.tls-cert {}: {e}",
                key.display(),
                cert.display()
            )
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The bytes of `path`, at most [`MAX_PEM_SIZE`].
fn read_pem(path: &Path, setting: &str) -> anyhow::Result<Vec<u8>> {
    vigie_fs::read_bounded(path, MAX_PEM_SIZE).map_err(|e| match e {
        vigie_fs::ReadError::TooLarge { .. } => anyhow::anyhow!(
            "{setting}: {} is larger than {MAX_PEM_SIZE} bytes: not a PEM file",
            path.display()
        ),
        e => anyhow::anyhow!("{setting}: cannot read {}: {e}", path.display()),
    })
}

/// A TCP listener whose connections come out of their TLS handshake.
pub(crate) struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    handshakes: JoinSet<Option<(TlsStream<TcpStream>, SocketAddr)>>,
}

impl TlsListener {
    pub(crate) fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> TlsListener {
        TlsListener {
            tcp,
            acceptor,
            handshakes: JoinSet::new(),
        }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    // Cancel-safe, as `axum::serve` needs: a connection accepted is in `handshakes` until
    // its handshake ends, and the set is the listener's.
    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            tokio::select! {
                accepted = self.tcp.accept(), if self.handshakes.len() < MAX_HANDSHAKES => {
                    match accepted {
                        Ok((tcp, peer)) => {
                            self.handshakes.spawn(handshake(self.acceptor.clone(), tcp, peer));
                        }
                        Err(e) => accept_error(e).await,
                    }
                }
                Some(done) = self.handshakes.join_next() => {
                    if let Ok(Some(connection)) = done {
                        return connection;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// One client's handshake: its failure ends that connection only.
async fn handshake(
    acceptor: TlsAcceptor,
    tcp: TcpStream,
    peer: SocketAddr,
) -> Option<(TlsStream<TcpStream>, SocketAddr)> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => Some((tls, peer)),
        Ok(Err(e)) => {
            tracing::debug!(%peer, error = %e, "TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::debug!(%peer, "TLS handshake timed out");
            None
        }
    }
}

/// As `axum::serve` does for its own listener: a connection reset before it was accepted is
/// nothing; anything else (out of file descriptors) is logged, and accepting pauses a second.
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
