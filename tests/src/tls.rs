//! Throwaway TLS for the tests: a certificate authority made on the spot (rcgen), server
//! certificates it signs for loopback, and an HTTPS server that only redirects elsewhere.

use anyhow::Context;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A certificate authority that exists only for one test.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
}

/// A server certificate and key as PEM files.
pub struct ServerCertificate {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TestCa {
    /// A new CA named `name`.
    pub fn new(name: &str) -> anyhow::Result<Self> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key)?;
        Ok(Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        })
    }

    /// The CA's certificate, PEM (what a client is told to trust).
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// Writes the CA's certificate to `path`.
    pub fn write_pem(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, &self.pem).with_context(|| format!("writing {}", path.display()))
    }

    /// A certificate for `localhost` and 127.0.0.1 signed by this CA, written as
    /// `DIR/NAME.pem` and `DIR/NAME.key`.
    pub fn issue_for_loopback(&self, dir: &Path, name: &str) -> anyhow::Result<ServerCertificate> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])?;
        params
            .distinguished_name
            .push(DnType::CommonName, "barta test server");
        let cert = params.signed_by(&key, &self.issuer)?;
        let files = ServerCertificate {
            cert: dir.join(format!("{name}.pem")),
            key: dir.join(format!("{name}.key")),
        };
        std::fs::write(&files.cert, cert.pem())?;
        std::fs::write(&files.key, key.serialize_pem())?;
        Ok(files)
    }
}

/// An HTTPS server on loopback that answers every request with a redirect to `to`, and
/// counts the connections it accepted.
pub struct Redirector {
    pub url: String,
    pub served: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Redirector {
    /// Starts it with `certificate`.
    pub async fn start(certificate: &ServerCertificate, to: String) -> anyhow::Result<Self> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let chain = vec![CertificateDer::from_pem_file(&certificate.cert)?];
        let key = PrivateKeyDer::from_pem_file(&certificate.key)?;
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("https://127.0.0.1:{}", listener.local_addr()?.port());
        let served = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&served);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let to = to.clone();
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    counter.fetch_add(1, Ordering::SeqCst);
                    let mut head = [0u8; 4096];
                    let _ = tls.read(&mut head).await;
                    let answer = format!(
                        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    let _ = tls.write_all(answer.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        Ok(Self { url, served, task })
    }
}

impl Drop for Redirector {
    fn drop(&mut self) {
        self.task.abort();
    }
}
