//! The answer's head: writing the request, then reading until `httparse` sees
//! a whole status line and headers, never more than `HEAD_LIMIT` bytes; the
//! body bytes that came along are handed back. IO on the stream it is given;
//! the caller bounds the time.

use super::{Error, HEAD_LIMIT};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The most headers an answer may carry.
const MAX_HEADERS: usize = 100;

/// A response head: status, reason and headers (values as raw bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Head {
    /// Every value of a header, by name (case-insensitive).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }

    /// The first value of a header.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }

    /// The first value of a header as text (`None` when absent or not UTF-8).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| std::str::from_utf8(v).ok())
    }
}

/// A whole answer: its head and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub head: Head,
    pub body: Vec<u8>,
}

impl Response {
    pub fn status(&self) -> u16 {
        self.head.status
    }
}

/// Writes a request's bytes and flushes them.
pub async fn write_request<S>(stream: &mut S, request: &[u8]) -> Result<(), Error>
where
    S: AsyncWrite + Unpin,
{
    stream.write_all(request).await?;
    stream.flush().await?;
    Ok(())
}

/// Reads a response head; returns it with the body bytes that came along.
pub async fn read_head<S>(stream: &mut S) -> Result<(Head, Vec<u8>), Error>
where
    S: AsyncRead + Unpin,
{
    let mut buf = vec![0u8; HEAD_LIMIT];
    let mut filled = 0;
    loop {
        let n = stream.read(&mut buf[filled..]).await?;
        if n == 0 {
            return Err(Error::Closed { got: filled });
        }
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&buf[..filled]) {
            Ok(httparse::Status::Complete(len)) => {
                let head = Head {
                    status: response.code.unwrap_or(0),
                    reason: response.reason.unwrap_or_default().to_string(),
                    headers: response.headers.iter().map(|h| (h.name.to_string(), h.value.to_vec())).collect(),
                };
                return Ok((head, buf[len..filled].to_vec()));
            }
            Ok(httparse::Status::Partial) if filled == buf.len() => return Err(Error::HeadTooLong),
            Ok(httparse::Status::Partial) => {}
            Err(e) => return Err(Error::NotHttp { why: e.to_string(), start: buf[..filled.min(64)].to_vec() }),
        }
    }
}
