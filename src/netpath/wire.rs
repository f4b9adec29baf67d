//! Just enough HTTP/1.1 to probe a path: send a request that is already
//! bytes, read the answer's head with a size limit (hyper-util's CONNECT
//! reader gives up past 8 KiB; so does this one), then at most a bounded
//! body. IO on the stream it is given; the caller bounds the time.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The most header bytes read before giving up, as hyper-util's tunnel does.
pub(crate) const HEAD_LIMIT: usize = 8192;
const MAX_HEADERS: usize = 100;

/// A response head: status, reason and headers (values as raw bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
}

impl Head {
    /// Every value of a header, by name (case-insensitive).
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }

    /// The first value of a header.
    pub(crate) fn get(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }
}

/// What came back instead of a usable head.
#[derive(Debug)]
pub(crate) enum HeadError {
    /// The peer closed the connection before a whole head arrived (`got` bytes).
    Closed {
        got: usize,
    },
    /// More than `HEAD_LIMIT` bytes without the end of the headers.
    TooLong,
    /// Not HTTP: the first bytes are shown by the caller.
    NotHttp(Vec<u8>),
    Io(std::io::Error),
}

/// Writes `request` and reads the response head; returns it with the body bytes that came along.
pub(crate) async fn exchange<S>(stream: &mut S, request: &[u8]) -> Result<(Head, Vec<u8>), HeadError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    stream.write_all(request).await.map_err(HeadError::Io)?;
    stream.flush().await.map_err(HeadError::Io)?;
    let mut buf = vec![0u8; HEAD_LIMIT];
    let mut filled = 0;
    loop {
        let n = stream.read(&mut buf[filled..]).await.map_err(HeadError::Io)?;
        if n == 0 {
            return Err(HeadError::Closed { got: filled });
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
            Ok(httparse::Status::Partial) if filled == buf.len() => return Err(HeadError::TooLong),
            Ok(httparse::Status::Partial) => {}
            Err(_) => return Err(HeadError::NotHttp(buf[..filled.min(64)].to_vec())),
        }
    }
}

/// Reads more body after `already`: up to `length` (the Content-Length) or EOF,
/// never more than `limit` bytes, never past `until`; keeps what it has at the end.
pub(crate) async fn read_body<S>(
    stream: &mut S,
    mut body: Vec<u8>,
    length: Option<usize>,
    limit: usize,
    until: tokio::time::Instant,
) -> Vec<u8>
where
    S: AsyncRead + Unpin,
{
    let want = length.unwrap_or(limit).min(limit);
    body.truncate(want);
    let mut chunk = [0u8; 4096];
    while body.len() < want {
        match tokio::time::timeout_at(until, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => body.extend_from_slice(&chunk[..n.min(want - body.len())]),
            _ => break,
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn answer(bytes: impl Into<Vec<u8>>) -> Result<(Head, Vec<u8>), HeadError> {
        let bytes = bytes.into();
        let (mut client, mut server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            let mut sink = [0u8; 64];
            let _ = server.read(&mut sink).await;
            let _ = server.write_all(&bytes).await;
        });
        exchange(&mut client, b"CONNECT h:443 HTTP/1.1\r\n\r\n").await
    }

    #[tokio::test]
    async fn reads_heads_and_refuses_what_is_not_http() {
        let (head, rest) =
            answer(&b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\n\r\nxy"[..])
                .await
                .expect("head");
        assert_eq!((head.status, head.get("proxy-authenticate")), (407, Some(&b"NTLM"[..])));
        assert_eq!(rest, b"xy");
        assert!(matches!(answer(&b"SSH-2.0-OpenSSH\r\n"[..]).await, Err(HeadError::NotHttp(_))));
        assert!(matches!(answer(&b"HTTP/1.1 200"[..]).await, Err(HeadError::Closed { got: 12 })));
        let long = format!("HTTP/1.1 200 OK\r\nX: {}\r\n", "a".repeat(9000));
        assert!(matches!(answer(long).await, Err(HeadError::TooLong)));
    }
}
