//! What the test fakes on 127.0.0.1 share: one HTTP/1.1 request read off a
//! connection (head, then a body of `Content-Length` bytes) and the questions
//! tests ask of it (a header, a form field, the query, the signing key).
//! The fakes themselves (`hops_fakes`, `trust_support`) decide the answers.
#![allow(dead_code)]

use std::io::Read;
use std::net::TcpStream;
use std::time::Duration;

/// One request as a fake saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request line and headers, as sent.
    pub head: String,
    pub method: String,
    /// Path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The `Action=` of a query-protocol body (`GetCallerIdentity`, `GetSessionToken`...).
    pub fn action(&self) -> String {
        self.body.split('&').find_map(|pair| pair.strip_prefix("Action=")).unwrap_or_default().to_string()
    }

    /// A form field of a query-protocol body (`Action=AssumeRole&RoleArn=...`).
    pub fn form(&self, name: &str) -> Option<String> {
        self.body.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| percent_decode(v))
        })
    }

    /// A query parameter of the target.
    pub fn query(&self, name: &str) -> Option<String> {
        let (_, query) = self.target.split_once('?')?;
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| percent_decode(v))
        })
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The SigV4 credential scope (`KEYID/date/region/service/aws4_request`), as AWS quotes it.
    pub fn credential_scope(&self) -> String {
        let auth = self.header("authorization").unwrap_or_default();
        let scope = auth.split("Credential=").nth(1).unwrap_or_default();
        scope.split(',').next().unwrap_or_default().to_string()
    }

    /// The access key id that signed the request (SigV4 `Credential=`).
    pub fn signing_key(&self) -> Option<String> {
        let scope = self.credential_scope();
        let key = scope.split('/').next()?;
        (!key.is_empty()).then(|| key.to_string())
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads one request (waiting at most 5 s between reads); `None` when the client went away first.
pub fn read_request(stream: &mut TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    Some(Request { head, method, target, headers, body })
}
