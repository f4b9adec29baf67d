//! One GET over TLS to a CI job's token endpoint (GitHub's is
//! `https://pipelines.actions.githubusercontent.com/...`): the base HTTP/1.1
//! client's request and answer reading over a TLS stream, verified with the
//! roots the SDK would trust (the system's, plus `AWS_CA_BUNDLE`'s), as the
//! SDK verifies its endpoints. No proxy. IO: one connection.

use crate::base::http1::{self, BodyLimit, Form, Limits, Overflow, Request, Response, Url};

/// Sends `GET url` with `headers` over TLS and reads the whole answer.
pub(crate) async fn get(
    url: &Url,
    headers: &[(&str, &str)],
    trust: &crate::netpath::Trust,
    limits: Limits,
) -> Result<Response, String> {
    let mut request = Request::new(&http::Method::GET, url, Form::Origin);
    for (name, value) in headers {
        request = request.text_header(name, value).map_err(|e| e.to_string())?;
    }
    let request = request
        .header("User-Agent", &http::HeaderValue::from_static("credwiz"))
        .header("Connection", &http::HeaderValue::from_static("close"));
    // The bytes carry the job's request token: wiped when dropped.
    let bytes = secrecy::zeroize::Zeroizing::new(request.finish(b""));
    let address = (url.bare_host().to_string(), url.port());
    let stream = match tokio::time::timeout(limits.connect, tokio::net::TcpStream::connect(address)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Err(format!("no connection to {}: {e}", url.authority())),
        Err(_) => return Err(format!("no connection to {} within {} ms", url.authority(), limits.connect.as_millis())),
    };
    let exchange = async {
        let shake = crate::netpath::handshake(stream, url.bare_host(), trust).await?;
        let mut tls = shake.result.map_err(|e| format!("TLS with {}: {e}", url.authority()))?;
        http1::write_request(&mut tls, &bytes).await.map_err(|e| e.to_string())?;
        let (head, already) = http1::read_head(&mut tls).await.map_err(|e| e.to_string())?;
        let limit = BodyLimit { max: limits.max_body, overflow: Overflow::Fail };
        let body = http1::read_body(&mut tls, &head, already, limit).await.map_err(|e| e.to_string())?;
        Ok(Response { head, body })
    };
    tokio::time::timeout(limits.answer, exchange).await.unwrap_or_else(|_| {
        Err(format!("connected to {}, but no answer within {} ms", url.authority(), limits.answer.as_millis()))
    })
}
