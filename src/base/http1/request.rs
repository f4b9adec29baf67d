//! Request writing: the request line in the form the hop needs (origin form
//! to a server, absolute form to a forward proxy, authority form for CONNECT),
//! `Host`, headers, a body. Values come typed (`http::HeaderValue` refuses line
//! breaks), so a request cannot be split by what it carries. Pure.

use super::url::Url;
use http::HeaderValue;

/// The request target's form (RFC 9112, section 3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `GET /path HTTP/1.1`, to the server itself.
    Origin,
    /// `GET http://host:port/path HTTP/1.1`, to a forward proxy.
    Absolute,
    /// `CONNECT host:port HTTP/1.1`, to open a tunnel.
    Authority,
}

/// A request being written.
#[derive(Debug)]
pub struct Request {
    bytes: Vec<u8>,
}

impl Request {
    /// The request line and `Host` (the URL's authority).
    pub fn new(method: &http::Method, url: &Url, form: Form) -> Request {
        let target = match form {
            Form::Origin => url.path().to_string(),
            Form::Absolute => url.url(),
            Form::Authority => url.authority(),
        };
        let bytes = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\n", url.authority()).into_bytes();
        Request { bytes }
    }

    /// Adds a header whose name is written in the code (sent as spelled: some
    /// servers and tests read `Proxy-Authorization` with its capitals).
    pub fn header(self, name: &'static str, value: &HeaderValue) -> Request {
        self.push(name, value)
    }

    /// Adds a header from text; fails on a name that is not a token or a value
    /// with a line break or another control character.
    pub fn text_header(self, name: &str, value: &str) -> Result<Request, super::Error> {
        let refused = || super::Error::HeaderValue(name.to_string());
        http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| refused())?;
        let value = HeaderValue::from_str(value).map_err(|_| refused())?;
        Ok(self.push(name, &value))
    }

    fn push(mut self, name: &str, value: &HeaderValue) -> Request {
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.extend_from_slice(b": ");
        self.bytes.extend_from_slice(value.as_bytes());
        self.bytes.extend_from_slice(b"\r\n");
        self
    }

    /// The end of the head, then the body: the bytes to write.
    pub fn finish(mut self, body: &[u8]) -> Vec<u8> {
        self.bytes.extend_from_slice(b"\r\n");
        self.bytes.extend_from_slice(body);
        self.bytes
    }
}
