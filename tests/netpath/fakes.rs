//! Local stand-ins for what sits on a network path, all on 127.0.0.1: a
//! throwaway CA and its certificates, a TLS server that answers like STS, an
//! emulator, HTTP CONNECT proxies (one that wants authentication, one that
//! never answers, one that inspects TLS), a server that takes connections and
//! never answers, and a closed port. Each runs as a task of the test's runtime.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A throwaway certificate authority.
pub struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    pub fn new(common_name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, common_name);
        params.distinguished_name.push(DnType::OrganizationName, "credwiz tests");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("CA key");
        Ca { issuer: CertifiedIssuer::self_signed(params, key).expect("CA certificate") }
    }

    /// The CA certificate in PEM, as a CA bundle holds it.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A server configuration presenting a leaf for `names`, signed by this CA, then the CA.
    pub fn server(&self, names: &[&str]) -> Arc<rustls::ServerConfig> {
        let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).expect("leaf");
        params.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        let key = KeyPair::generate().expect("leaf key");
        let leaf = params.signed_by(&key, &self.issuer).expect("leaf certificate");
        let chain = vec![leaf.der().clone(), self.issuer.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let config =
            rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
                .with_safe_default_protocol_versions()
                .expect("versions")
                .with_no_client_auth()
                .with_single_cert(chain, key)
                .expect("server config");
        Arc::new(config)
    }
}

/// What STS says to a request without credentials.
pub const AWS_ANSWER: &str = "HTTP/1.1 403 Forbidden\r\nx-amzn-RequestId: 8f1c0d2e-test\r\nContent-Type: text/xml\r\nContent-Length: 212\r\nConnection: close\r\n\r\n<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message></Error></ErrorResponse>";

/// What moto says to an unsigned GetCallerIdentity.
pub const EMULATOR_ANSWER: &str = "HTTP/1.1 200 OK\r\nServer: Werkzeug/3.0.1 Python/3.12.3\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:user/moto</Arn><UserId>AKIAIOSFODNN7EXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";

/// Reads a request head (at most 16 KiB) and returns it as text.
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> String {
    let mut seen = Vec::new();
    let mut chunk = [0u8; 1024];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 16 * 1024 {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// Reads a request, answers `answer`, closes.
async fn answer_once<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, answer: &str) {
    let _ = read_head(&mut stream).await;
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    (listener, port)
}

/// Accepts connections forever and hands each to `serve`.
async fn serve_each<F, Fut>(serve: F) -> u16
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (listener, port) = listener().await;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream));
        }
    });
    port
}

/// A TLS server that answers like STS.
pub async fn tls_server(config: Arc<rustls::ServerConfig>) -> u16 {
    serve_each(move |stream| {
        let acceptor = tokio_rustls::TlsAcceptor::from(config.clone());
        async move {
            if let Ok(tls) = acceptor.accept(stream).await {
                answer_once(tls, AWS_ANSWER).await;
            }
        }
    })
    .await
}

/// A plain HTTP server that answers every request with `answer`.
pub async fn http_server(answer: &'static str) -> u16 {
    serve_each(move |stream| answer_once(stream, answer)).await
}

/// Takes connections and never answers (holds them open until the test ends).
pub async fn silent_server() -> u16 {
    let (listener, port) = listener().await;
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    port
}

/// A port where nothing listens.
pub async fn closed_port() -> u16 {
    let (listener, port) = listener().await;
    drop(listener);
    port
}

/// An HTTP proxy that answers every request with `answer` and records the request heads it got.
pub async fn answering_proxy(answer: &'static str) -> (u16, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let port = serve_each(move |mut stream| {
        let log = log.clone();
        async move {
            let head = read_head(&mut stream).await;
            log.lock().expect("log").push(head);
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await;
    (port, seen)
}

/// A proxy that opens every CONNECT tunnel and answers inside it with TLS of its own (`config`), like an inspecting gateway.
pub async fn inspecting_proxy(config: Arc<rustls::ServerConfig>) -> u16 {
    serve_each(move |mut stream| {
        let acceptor = tokio_rustls::TlsAcceptor::from(config.clone());
        async move {
            let head = read_head(&mut stream).await;
            if !head.starts_with("CONNECT ") {
                return;
            }
            if stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_err() {
                return;
            }
            if let Ok(tls) = acceptor.accept(stream).await {
                answer_once(tls, AWS_ANSWER).await;
            }
        }
    })
    .await
}
