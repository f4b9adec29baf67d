//! The TLS handshake as the SDK's connector does it: rustls with the aws-lc-rs
//! provider, the same cipher suites and protocol versions, and the same roots
//! (the platform's native store through rustls-native-certs, which honours
//! SSL_CERT_FILE / SSL_CERT_DIR, plus the CA bundle's certificates). The
//! verifier is the standard WebPKI one; it is wrapped only to keep a copy of
//! the chain the server presented and of the verdict, so a failure can show
//! the chain. Nothing is ever trusted that the SDK would not trust.
//! IO: the handshake on the stream it is given; the native store is read once.

use super::stage::Slice;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::io::{AsyncRead, AsyncWrite};

/// Presented certificates kept for the report; a longer chain is cut.
const MAX_CHAIN: usize = 10;

/// The platform's roots, loaded once per process as the SDK does (its own copy is private).
static SYSTEM_ROOTS: LazyLock<Vec<CertificateDer<'static>>> =
    LazyLock::new(|| rustls_native_certs::load_native_certs().certs);

/// The roots and crypto the handshake uses, with counts for the evidence.
#[derive(Debug, Clone)]
pub(crate) struct Trust {
    pub(crate) roots: Arc<RootCertStore>,
    pub(crate) provider: Arc<CryptoProvider>,
    pub(crate) system_roots: Option<usize>,
    pub(crate) bundle_roots: usize,
}

impl Trust {
    /// The trust the SDK would have: the system roots when `system` is on, plus
    /// `bundle`'s anchors. `None` when the system's store did not load within `slice`.
    pub(crate) async fn load(system: bool, bundle: &[CertificateDer<'static>], slice: Slice) -> Option<Trust> {
        let mut roots = RootCertStore::empty();
        let system_roots = if system {
            let certs = slice.run(tokio::task::spawn_blocking(|| SYSTEM_ROOTS.clone())).await?.unwrap_or_default();
            let (valid, _invalid) = roots.add_parsable_certificates(certs);
            Some(valid)
        } else {
            None
        };
        let (bundle_roots, _) = roots.add_parsable_certificates(bundle.iter().cloned());
        Some(Trust { roots: Arc::new(roots), provider: Arc::new(sdk_provider()), system_roots, bundle_roots })
    }

    /// "the system's 140 roots and 1 from AWS_CA_BUNDLE".
    pub(crate) fn describe(&self, bundle_source: Option<&str>) -> String {
        let system = match self.system_roots {
            Some(n) if std::env::var_os("SSL_CERT_FILE").is_some() || std::env::var_os("SSL_CERT_DIR").is_some() => {
                format!("{n} roots from SSL_CERT_FILE / SSL_CERT_DIR")
            }
            Some(n) => format!("the system's {n} roots"),
            None => "no system roots".to_string(),
        };
        match bundle_source {
            Some(source) => format!("{system} and {} from {source}", self.bundle_roots),
            None => system,
        }
    }
}

/// aws-lc-rs restricted to the suites smithy-rs allows (its `restrict_ciphers`).
fn sdk_provider() -> CryptoProvider {
    use rustls::CipherSuite as S;
    let allowed = [
        S::TLS13_AES_256_GCM_SHA384,
        S::TLS13_AES_128_GCM_SHA256,
        S::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        S::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        S::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        S::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];
    let base = rustls::crypto::aws_lc_rs::default_provider();
    let cipher_suites =
        allowed.iter().filter_map(|suite| base.cipher_suites.iter().find(|s| s.suite() == *suite).copied()).collect();
    CryptoProvider { cipher_suites, ..base }
}

/// Why a CA bundle cannot be used; the SDK's connector panics on the first two.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("it has a malformed PEM certificate block")]
    MalformedPem,
    #[error("certificate {0} in it is not a usable CA certificate")]
    NotAnAnchor(usize),
    #[error("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")]
    Empty,
}

/// The certificates of a PEM bundle, checked the way the SDK loads them.
pub fn bundle_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, BundleError> {
    let certs =
        CertificateDer::pem_slice_iter(pem).collect::<Result<Vec<_>, _>>().map_err(|_| BundleError::MalformedPem)?;
    if certs.is_empty() {
        return Err(BundleError::Empty);
    }
    let mut store = RootCertStore::empty();
    for (index, cert) in certs.iter().enumerate() {
        store.add(cert.clone()).map_err(|_| BundleError::NotAnAnchor(index + 1))?;
    }
    Ok(certs)
}

/// What the verifier saw: the chain as presented and its verdict.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub(crate) chain: Vec<CertificateDer<'static>>,
    pub(crate) verdict: Option<rustls::Error>,
}

/// The standard verifier, keeping a copy of what it was shown.
#[derive(Debug)]
struct Recording {
    /// `None` when there is no root at all (rustls refuses to build a verifier then).
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
    seen: Arc<Mutex<Seen>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = match &self.inner {
            Some(inner) => inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now),
            None => Err(rustls::CertificateError::UnknownIssuer.into()),
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.chain = std::iter::once(end_entity)
                .chain(intermediates)
                .take(MAX_CHAIN)
                .map(|c| c.clone().into_owned())
                .collect();
            seen.verdict = verdict.as_ref().err().cloned();
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A handshake's outcome and what the verifier saw.
pub(crate) struct Handshake<S> {
    pub(crate) result: std::io::Result<tokio_rustls::client::TlsStream<S>>,
    pub(crate) seen: Seen,
}

/// Runs the handshake for `host` on `stream` (the caller bounds the time).
/// ALPN offers only HTTP/1.1 so the plain request that may follow can use it;
/// the SDK also offers h2, which changes nothing in how the chain is verified.
pub(crate) async fn handshake<S>(stream: S, host: &str, trust: &Trust) -> Result<Handshake<S>, String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let name = ServerName::try_from(host.to_string()).map_err(|_| format!("{host} is not a valid TLS server name"))?;
    let inner = if trust.roots.is_empty() {
        None
    } else {
        WebPkiServerVerifier::builder_with_provider(trust.roots.clone(), trust.provider.clone()).build().ok()
    };
    let seen = Arc::new(Mutex::new(Seen::default()));
    let verifier = Recording { inner, provider: trust.provider.clone(), seen: seen.clone() };
    let mut config = rustls::ClientConfig::builder_with_provider(trust.provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let result = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, stream).await;
    let seen = seen.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
    Ok(Handshake { result, seen })
}

/// The rustls error inside an IO error from a handshake, if that is what it is.
pub(crate) fn rustls_error(error: &std::io::Error) -> Option<&rustls::Error> {
    error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>())
}
