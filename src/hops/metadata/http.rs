//! A small HTTP/1.1 client for the two metadata endpoints (plain HTTP on a
//! link-local or loopback address): one request per connection, each stage
//! with its own timeout so the evidence can say which one failed (nothing
//! listens, no route, connected but no answer), the answer bounded in size,
//! optionally through an HTTP proxy (to see what the AWS CLI sees). Parsing
//! with `httparse`. IO: one TCP connection per request.

use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    pub host: String,
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl Target {
    /// Parses an `http://` or `https://` URL.
    pub fn parse(url: &str) -> Result<Target, String> {
        let uri: http::Uri = url.trim().parse().map_err(|e| format!("not a URL ({e})"))?;
        let https = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            Some(other) => return Err(format!("the scheme is {other}, not http or https")),
            None => return Err("no scheme (http:// or https://)".into()),
        };
        let host = uri.host().ok_or("no host")?.trim_start_matches('[').trim_end_matches(']').to_string();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let path = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        Ok(Target { https, host, port, path: if path.is_empty() { "/".into() } else { path } })
    }

    /// `host:port` as written in a `Host` header or a message.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The same host with another path.
    pub fn with_path(&self, path: &str) -> Target {
        Target { path: path.to_string(), ..self.clone() }
    }

    /// The absolute URL (for a proxy's request line and for messages).
    pub fn url(&self) -> String {
        format!("{}://{}{}", if self.https { "https" } else { "http" }, self.authority(), self.path)
    }
}

/// Per-stage limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub connect: Duration,
    /// From the request sent to the whole answer read.
    pub answer: Duration,
    pub max_body: usize,
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The name did not resolve.
    Resolve(String),
    /// Connection refused: nothing listens there.
    Refused,
    /// The connection was not accepted in time (no route, a firewall).
    ConnectTimeout,
    Connect(String),
    /// Connected, but no complete answer in time.
    NoAnswer,
    /// Closed before a complete answer.
    Closed,
    /// Not an HTTP answer, or larger than the limit.
    Malformed(String),
    /// credwiz speaks plain HTTP only to these endpoints.
    Https,
}

impl Failure {
    /// A sentence for people.
    pub fn describe(&self, target: &Target, limits: &Limits) -> String {
        let at = target.authority();
        match self {
            Failure::Resolve(why) => format!("{} does not resolve: {why}", target.host),
            Failure::Refused => format!("nothing listens at {at} (connection refused)"),
            Failure::ConnectTimeout => {
                format!("no connection to {at} within {} ms (no route or a firewall)", limits.connect.as_millis())
            }
            Failure::Connect(why) => format!("no connection to {at}: {why}"),
            Failure::NoAnswer => format!("connected to {at}, but no answer within {} ms", limits.answer.as_millis()),
            Failure::Closed => format!("{at} closed the connection without an answer"),
            Failure::Malformed(why) => format!("{at} did not answer in HTTP: {why}"),
            Failure::Https => "https endpoints are not probed by credwiz".into(),
        }
    }
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

async fn connect(host: &str, port: u16, limits: &Limits) -> Result<TcpStream, Failure> {
    let addrs: Vec<SocketAddr> = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => match tokio::time::timeout(limits.connect, tokio::net::lookup_host((host, port))).await {
            Ok(Ok(found)) => found.collect(),
            Ok(Err(e)) => return Err(Failure::Resolve(e.to_string())),
            Err(_) => return Err(Failure::Resolve("no answer from the resolver".into())),
        },
    };
    let addr = addrs.first().ok_or(Failure::Resolve("no address".into()))?;
    match tokio::time::timeout(limits.connect, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(Failure::Refused),
        Ok(Err(e)) => Err(Failure::Connect(e.to_string())),
        Err(_) => Err(Failure::ConnectTimeout),
    }
}

/// Decodes a chunked body (bounded by the input).
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").ok_or("a chunk is cut")?;
        let size_text = std::str::from_utf8(&data[..line_end]).map_err(|_| "bad chunk size")?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| "bad chunk size")?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err("a chunk is cut".into());
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or_default();
    }
}

/// Reads one answer until it is complete, closed, or the limit.
async fn read_answer<S: tokio::io::AsyncRead + Unpin>(stream: &mut S, limits: &Limits) -> Result<Response, Failure> {
    const MAX_HEAD: usize = 16 * 1024;
    let cap = MAX_HEAD + limits.max_body;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|e| Failure::Connect(e.to_string()))?;
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 48];
        let mut response = httparse::Response::new(&mut headers);
        let parsed = response.parse(&buf).map_err(|e| Failure::Malformed(e.to_string()))?;
        if let httparse::Status::Complete(head) = parsed {
            let status = response.code.unwrap_or(0);
            let headers: Vec<(String, String)> = response
                .headers
                .iter()
                .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned()))
                .collect();
            let find = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
            let body = &buf[head..];
            let chunked = find("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
            let length = find("content-length").and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|l| l > limits.max_body) {
                return Err(Failure::Malformed(format!("the answer is larger than {} bytes", limits.max_body)));
            }
            let complete = match (chunked, length) {
                (true, _) => body.windows(5).any(|w| w == b"0\r\n\r\n"),
                (false, Some(l)) => body.len() >= l,
                (false, None) => n == 0,
            };
            if complete {
                let body = if chunked {
                    dechunk(body).map_err(Failure::Malformed)?
                } else {
                    body[..length.unwrap_or(body.len()).min(body.len())].to_vec()
                };
                return Ok(Response { status, headers, body });
            }
            if n == 0 {
                return Err(Failure::Closed);
            }
        } else if n == 0 {
            return Err(if buf.is_empty() { Failure::Closed } else { Failure::Malformed("the answer is cut".into()) });
        }
        if buf.len() > cap {
            return Err(Failure::Malformed(format!("the answer is larger than {} bytes", limits.max_body)));
        }
    }
}

/// The request's text (`Connection: close`); a header value with a line break is refused.
fn request_text(
    method: &str,
    request_target: &str,
    target: &Target,
    headers: &[(&str, &str)],
) -> Result<String, Failure> {
    let mut request = format!("{method} {request_target} HTTP/1.1\r\nHost: {}\r\n", target.authority());
    for (name, value) in headers {
        if value.contains(['\r', '\n']) {
            return Err(Failure::Malformed(format!("the {name} header value has a line break")));
        }
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if method == "PUT" || method == "POST" {
        request.push_str("Content-Length: 0\r\n");
    }
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("accept")) {
        request.push_str("Accept: */*\r\n");
    }
    request.push_str("User-Agent: credwiz\r\nConnection: close\r\n\r\n");
    Ok(request)
}

/// One GET over TLS (for an https endpoint outside AWS's metadata addresses,
/// such as a CI job's token endpoint), verified with `trust` as the SDK
/// verifies its endpoints. No proxy.
pub(crate) async fn get_tls(
    target: &Target,
    headers: &[(&str, &str)],
    trust: &crate::netpath::Trust,
    limits: Limits,
) -> Result<Response, Failure> {
    let stream = connect(&target.host, target.port, &limits).await?;
    let request = request_text("GET", &target.path, target, headers)?;
    let exchange = async {
        let shake = crate::netpath::handshake(stream, &target.host, trust).await.map_err(Failure::Connect)?;
        let mut tls = shake.result.map_err(|e| Failure::Connect(format!("TLS: {e}")))?;
        tls.write_all(request.as_bytes()).await.map_err(|e| Failure::Connect(e.to_string()))?;
        read_answer(&mut tls, &limits).await
    };
    tokio::time::timeout(limits.answer, exchange).await.unwrap_or(Err(Failure::NoAnswer))
}

/// Sends one request (`Connection: close`) and reads the answer. With `proxy`,
/// the request goes to the proxy in absolute form, as an HTTP proxy expects.
pub async fn send(
    method: &str,
    target: &Target,
    headers: &[(&str, &str)],
    proxy: Option<&Target>,
    limits: Limits,
) -> Result<Response, Failure> {
    if target.https {
        return Err(Failure::Https);
    }
    let hop = proxy.unwrap_or(target);
    let mut stream = connect(&hop.host, hop.port, &limits).await?;
    let request_target = if proxy.is_some() { target.url() } else { target.path.clone() };
    let request = request_text(method, &request_target, target, headers)?;
    let exchange = async {
        stream.write_all(request.as_bytes()).await.map_err(|e| Failure::Connect(e.to_string()))?;
        read_answer(&mut stream, &limits).await
    };
    tokio::time::timeout(limits.answer, exchange).await.unwrap_or(Err(Failure::NoAnswer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_chunks() {
        let t = Target::parse("http://[fd00:ec2::23]:8080/v2/creds?x=1").expect("url");
        assert_eq!((t.host.as_str(), t.port, t.path.as_str()), ("fd00:ec2::23", 8080, "/v2/creds?x=1"));
        assert_eq!(t.authority(), "[fd00:ec2::23]:8080");
        assert!(Target::parse("169.254.170.2/creds").is_err());
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), Ok(b"abcde".to_vec()));
    }
}
