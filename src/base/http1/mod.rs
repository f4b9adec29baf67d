//! One small HTTP/1.1 client, for the metadata endpoints and the network probe:
//! a URL target (`url`), request writing (`request`), the answer's head read
//! with `httparse` under one size limit (`response`), bodies framed by
//! Content-Length, chunked or read to the close, all bounded (`body`), and a
//! `send` over plain TCP with connect and answer time limits (`client`).
//! Everything but `send` is generic over a tokio stream, so the probe uses it
//! over its own TCP, TLS and proxy-tunnel streams. Failures are this module's
//! own `Error`; callers put them in their words. IO: on the stream it is given,
//! and one TCP connection per `send`.

mod body;
mod client;
mod request;
mod response;
mod url;

#[cfg(test)]
mod tests;

pub use body::{BodyLimit, Overflow, read_body, read_body_into};
pub use client::{Limits, send};
pub use request::{Form, Request};
pub use response::{Head, Response, read_head, write_request};
pub use url::{Scheme, Url, UrlError};

/// The most bytes of an answer's head (status line and headers) read before
/// giving up: hyper-util's CONNECT reader gives up past 8 KiB, and so does this.
pub const HEAD_LIMIT: usize = 8192;

/// Why no usable answer came.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The name did not resolve.
    #[error("the name does not resolve: {0}")]
    Resolve(String),
    /// Connection refused: nothing listens there.
    #[error("the connection was refused")]
    Refused,
    /// The connection was not accepted within the connect time.
    #[error("no connection within the time limit")]
    ConnectTimeout,
    /// The connection failed otherwise.
    #[error("no connection: {0}")]
    Connect(String),
    /// Connected, but no whole answer within the answer time.
    #[error("no whole answer within the time limit")]
    NoAnswer,
    /// The peer closed the connection before a whole head arrived (`got` bytes).
    #[error("the connection closed after {got} bytes of an answer's head")]
    Closed { got: usize },
    /// More than `HEAD_LIMIT` bytes without the end of the head.
    #[error("an answer's head over {HEAD_LIMIT} bytes")]
    HeadTooLong,
    /// Not an HTTP answer: why `httparse` refused it, and the first bytes (at most 64).
    #[error("not an HTTP answer: {why}")]
    NotHttp { why: String, start: Vec<u8> },
    /// The body is larger than the caller's limit.
    #[error("a body over {limit} bytes")]
    BodyTooLarge { limit: usize },
    /// The peer closed the connection before the whole body (`got` bytes of it).
    #[error("the connection closed after {got} bytes of the body")]
    BodyCut { got: usize },
    /// A chunked body that does not follow the rules.
    #[error("{0}")]
    BadChunk(&'static str),
    /// A request header value with a line break or another control character.
    #[error("the {0} header value has a line break or a control character")]
    HeaderValue(String),
    /// A method that is not a token.
    #[error("{0} is not an HTTP method")]
    Method(String),
    /// `send` speaks plain HTTP only.
    #[error("an https:// URL: send speaks plain HTTP only")]
    NotPlainHttp,
    /// Reading or writing the stream failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
