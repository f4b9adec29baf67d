//! A response body, framed as the head says: `Transfer-Encoding: chunked`
//! (decoded), `Content-Length`, or read to the close; none for 1xx, 204 and
//! 304. Bounded by the caller's limit: past it the read fails, or keeps the
//! first bytes (`Overflow`). Decoded bytes go to the caller's buffer as they
//! come, so a caller that stops the read at its deadline keeps what arrived.
//! IO on the stream it is given; the caller bounds the time.

use super::{Error, HEAD_LIMIT, Head};
use tokio::io::{AsyncRead, AsyncReadExt};

/// The longest chunk-size line accepted (a size and chunk extensions).
const MAX_CHUNK_LINE: usize = 1024;

/// What to do with a body larger than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Fail with `Error::BodyTooLarge`.
    Fail,
    /// Keep the first `max` bytes and stop reading.
    Keep,
}

/// How much body to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimit {
    pub max: usize,
    pub overflow: Overflow,
}

enum Framing {
    None,
    Length(usize),
    Chunked,
    Close,
}

fn framing(head: &Head) -> Framing {
    if head.status < 200 || head.status == 204 || head.status == 304 {
        return Framing::None;
    }
    let chunked =
        head.all("transfer-encoding").any(|v| String::from_utf8_lossy(v).to_ascii_lowercase().contains("chunked"));
    if chunked {
        return Framing::Chunked;
    }
    match head.text("content-length").and_then(|v| v.trim().parse::<usize>().ok()) {
        Some(length) => Framing::Length(length),
        None => Framing::Close,
    }
}

/// Reads the body after the head: `already` holds the bytes that came with the head.
pub async fn read_body<S>(stream: &mut S, head: &Head, already: Vec<u8>, limit: BodyLimit) -> Result<Vec<u8>, Error>
where
    S: AsyncRead + Unpin,
{
    let mut out = Vec::new();
    read_body_into(stream, head, already, limit, &mut out).await?;
    Ok(out)
}

/// As `read_body`, into `out` as the bytes come (what arrived stays there on an error or a timeout).
pub async fn read_body_into<S>(
    stream: &mut S,
    head: &Head,
    already: Vec<u8>,
    limit: BodyLimit,
    out: &mut Vec<u8>,
) -> Result<(), Error>
where
    S: AsyncRead + Unpin,
{
    match framing(head) {
        Framing::None => Ok(()),
        Framing::Length(length) => read_length(stream, already, length, limit, out).await,
        Framing::Close => read_to_close(stream, already, limit, out).await,
        Framing::Chunked => read_chunked(stream, already, limit, out).await,
    }
}

/// Whether `out` has gone past the limit: an error, or cut to the limit (`Ok(true)`: stop).
fn over(out: &mut Vec<u8>, limit: BodyLimit) -> Result<bool, Error> {
    if out.len() <= limit.max {
        return Ok(false);
    }
    match limit.overflow {
        Overflow::Fail => Err(Error::BodyTooLarge { limit: limit.max }),
        Overflow::Keep => {
            out.truncate(limit.max);
            Ok(true)
        }
    }
}

async fn read_length<S>(
    stream: &mut S,
    already: Vec<u8>,
    length: usize,
    limit: BodyLimit,
    out: &mut Vec<u8>,
) -> Result<(), Error>
where
    S: AsyncRead + Unpin,
{
    if length > limit.max && limit.overflow == Overflow::Fail {
        return Err(Error::BodyTooLarge { limit: limit.max });
    }
    let want = length.min(limit.max);
    out.extend_from_slice(&already[..already.len().min(want)]);
    let mut chunk = [0u8; 4096];
    while out.len() < want {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(Error::BodyCut { got: out.len() });
        }
        out.extend_from_slice(&chunk[..n.min(want - out.len())]);
    }
    Ok(())
}

async fn read_to_close<S>(stream: &mut S, already: Vec<u8>, limit: BodyLimit, out: &mut Vec<u8>) -> Result<(), Error>
where
    S: AsyncRead + Unpin,
{
    out.extend_from_slice(&already);
    let mut chunk = [0u8; 4096];
    loop {
        if over(out, limit)? {
            return Ok(());
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

async fn read_chunked<S>(stream: &mut S, already: Vec<u8>, limit: BodyLimit, out: &mut Vec<u8>) -> Result<(), Error>
where
    S: AsyncRead + Unpin,
{
    let mut pending = already;
    let mut decoder = Dechunk::new();
    let mut chunk = [0u8; 4096];
    loop {
        let used = decoder.feed(&pending, out)?;
        pending.drain(..used);
        if over(out, limit)? || decoder.done() {
            return Ok(());
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(Error::BodyCut { got: out.len() });
        }
        pending.extend_from_slice(&chunk[..n]);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for a chunk-size line.
    Size,
    /// This many data bytes of the chunk still to come.
    Data(usize),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines, up to the empty one.
    Trailer,
    Done,
}

/// A chunked-body decoder (RFC 9112, section 7.1), fed bytes as they come.
pub(super) struct Dechunk {
    state: State,
    /// Trailer bytes seen, bounded like a head.
    trailer: usize,
}

impl Dechunk {
    pub(super) fn new() -> Dechunk {
        Dechunk { state: State::Size, trailer: 0 }
    }

    /// Whether the last chunk and the trailer have come.
    pub(super) fn done(&self) -> bool {
        self.state == State::Done
    }

    /// Decodes what it can of `raw` into `out`; returns how many bytes of `raw` it used.
    pub(super) fn feed(&mut self, raw: &[u8], out: &mut Vec<u8>) -> Result<usize, Error> {
        let mut at = 0;
        loop {
            let rest = &raw[at..];
            match self.state {
                State::Done => return Ok(at),
                State::Data(left) => {
                    if rest.is_empty() {
                        return Ok(at);
                    }
                    let take = left.min(rest.len());
                    out.extend_from_slice(&rest[..take]);
                    at += take;
                    self.state = if take == left { State::DataEnd } else { State::Data(left - take) };
                }
                State::Size | State::DataEnd | State::Trailer => {
                    let Some(end) = rest.windows(2).position(|w| w == b"\r\n") else {
                        if rest.len() > MAX_CHUNK_LINE {
                            return Err(Error::BadChunk("a chunk line is too long"));
                        }
                        return Ok(at);
                    };
                    self.state = self.line(&rest[..end])?;
                    at += end + 2;
                }
            }
        }
    }

    /// The state after a whole line.
    fn line(&mut self, line: &[u8]) -> Result<State, Error> {
        match self.state {
            State::Size => match chunk_size(line)? {
                0 => Ok(State::Trailer),
                size => Ok(State::Data(size)),
            },
            State::DataEnd if line.is_empty() => Ok(State::Size),
            State::DataEnd => Err(Error::BadChunk("a chunk is longer than its size")),
            State::Trailer if line.is_empty() => Ok(State::Done),
            State::Trailer => {
                self.trailer += line.len() + 2;
                if self.trailer > HEAD_LIMIT {
                    return Err(Error::BadChunk("the trailer is too long"));
                }
                Ok(State::Trailer)
            }
            State::Data(_) | State::Done => Ok(self.state),
        }
    }
}

/// A chunk-size line: hex digits, then optional `;` extensions.
fn chunk_size(line: &[u8]) -> Result<usize, Error> {
    let bad = || Error::BadChunk("bad chunk size");
    let text = std::str::from_utf8(line).map_err(|_| bad())?;
    let digits = text.split(';').next().unwrap_or_default().trim_matches([' ', '\t']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    usize::from_str_radix(digits, 16).map_err(|_| bad())
}
