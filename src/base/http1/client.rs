//! `send`: one request over plain TCP (`Connection: close`), each stage
//! within its own time limit so the caller can say which one failed (the name
//! did not resolve, nothing listens, no route, connected but no answer), the
//! answer bounded; optionally through an HTTP forward proxy, in absolute form.
//! IO: one TCP connection per request.

use super::Error;
use super::body::{BodyLimit, Overflow, read_body};
use super::request::{Form, Request};
use super::response::{Response, read_head, write_request};
use super::url::Url;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::net::TcpStream;

/// The caller's limits for one `send`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// For the name lookup, and again for the TCP connection.
    pub connect: Duration,
    /// From the request written to the whole answer read.
    pub answer: Duration,
    /// The most body bytes (a larger answer is `Error::BodyTooLarge`).
    pub max_body: usize,
}

async fn connect(url: &Url, limits: &Limits) -> Result<TcpStream, Error> {
    let (host, port) = (url.bare_host(), url.port());
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => match tokio::time::timeout(limits.connect, tokio::net::lookup_host((host, port))).await {
            Ok(Ok(found)) => found.collect(),
            Ok(Err(e)) => return Err(Error::Resolve(e.to_string())),
            Err(_) => return Err(Error::Resolve("no answer from the resolver".into())),
        },
    };
    let addr = addrs.first().ok_or(Error::Resolve("no address".into()))?;
    match tokio::time::timeout(limits.connect, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(Error::Refused),
        Ok(Err(e)) => Err(Error::Connect(e.to_string())),
        Err(_) => Err(Error::ConnectTimeout),
    }
}

/// The request's bytes: the caller's headers, then `Content-Length: 0` for a
/// PUT or POST, `User-Agent`, `Accept` and `Connection: close`.
fn request(method: &str, url: &Url, headers: &[(&str, &str)], proxied: bool) -> Result<Vec<u8>, Error> {
    let method = http::Method::from_bytes(method.as_bytes()).map_err(|_| Error::Method(method.to_string()))?;
    let form = if proxied { Form::Absolute } else { Form::Origin };
    let mut request = Request::new(&method, url, form);
    for (name, value) in headers {
        request = request.text_header(name, value)?;
    }
    if method == http::Method::PUT || method == http::Method::POST {
        request = request.header("Content-Length", &http::HeaderValue::from_static("0"));
    }
    let request = request
        .header("User-Agent", &http::HeaderValue::from_static("credwiz"))
        .header("Accept", &http::HeaderValue::from_static("*/*"))
        .header("Connection", &http::HeaderValue::from_static("close"));
    Ok(request.finish(b""))
}

/// Sends one request to a plain `http://` URL and reads the whole answer.
/// With `proxy`, the request goes to that proxy in absolute form, as an HTTP
/// forward proxy expects.
pub async fn send(
    method: &str,
    url: &Url,
    headers: &[(&str, &str)],
    proxy: Option<&Url>,
    limits: Limits,
) -> Result<Response, Error> {
    if url.is_https() {
        return Err(Error::NotPlainHttp);
    }
    // The bytes carry the caller's tokens: wiped when dropped.
    let bytes = secrecy::zeroize::Zeroizing::new(request(method, url, headers, proxy.is_some())?);
    let mut stream = connect(proxy.unwrap_or(url), &limits).await?;
    let exchange = async {
        write_request(&mut stream, &bytes).await?;
        let (head, already) = read_head(&mut stream).await?;
        let limit = BodyLimit { max: limits.max_body, overflow: Overflow::Fail };
        let body = read_body(&mut stream, &head, already, limit).await?;
        Ok(Response { head, body })
    };
    tokio::time::timeout(limits.answer, exchange).await.unwrap_or(Err(Error::NoAnswer))
}
