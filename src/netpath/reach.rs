//! Reaching a host: the name lookup (the system resolver, as the SDK's
//! connector uses it) and the TCP connection to the first address that takes
//! it, each within its slice of the budget, with a record of every address
//! tried. IO: DNS and TCP.

use super::stage::{Budget, STAGE_CAP, Slice};
use super::text::clean;
use std::net::{IpAddr, SocketAddr};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// Addresses tried per connection; the rest are counted only.
const MAX_ADDRESSES: usize = 4;

/// Any stream a probe reads and writes (TCP, TLS to a proxy, a tunnel).
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
pub(crate) type BoxIo = Box<dyn Io>;

/// Why a lookup gave no address.
#[derive(Debug)]
pub(crate) enum LookupError {
    TimedOut(Slice),
    Failed(String),
    Empty,
}

impl LookupError {
    pub(crate) fn describe(&self, host: &str) -> String {
        let host = clean(host, 120);
        match self {
            LookupError::TimedOut(slice) => format!("the resolver gave no answer for {host} {}", slice.describe()),
            LookupError::Failed(reason) => format!("{host} does not resolve: {reason}"),
            LookupError::Empty => format!("{host} resolves to no address"),
        }
    }
}

/// Looks up `host` (an address is taken as is).
pub(crate) async fn lookup(host: &str, port: u16, budget: &Budget) -> Result<Vec<SocketAddr>, LookupError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let slice = budget.slice(STAGE_CAP);
    match slice.run(tokio::net::lookup_host((host.to_string(), port))).await {
        None => Err(LookupError::TimedOut(slice)),
        Some(Err(e)) => Err(LookupError::Failed(clean(&e.to_string(), 200))),
        Some(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() { Err(LookupError::Empty) } else { Ok(addrs) }
        }
    }
}

/// `1.2.3.4, 5.6.7.8 and 3 more`.
pub(crate) fn list(addrs: &[SocketAddr]) -> String {
    let shown: Vec<String> = addrs.iter().take(MAX_ADDRESSES).map(|a| a.ip().to_string()).collect();
    let more = addrs.len().saturating_sub(MAX_ADDRESSES);
    if more > 0 { format!("{} and {more} more", shown.join(", ")) } else { shown.join(", ") }
}

/// Why no connection was made.
#[derive(Debug, Default)]
pub(crate) struct ConnectFailure {
    /// Every address tried refused the connection: nothing listens there.
    pub(crate) all_refused: bool,
    /// One line per address tried.
    pub(crate) tried: Vec<String>,
}

/// Connects to the first address that answers, each within its slice.
pub(crate) async fn connect(addrs: &[SocketAddr], budget: &Budget) -> Result<(TcpStream, SocketAddr), ConnectFailure> {
    let mut failure = ConnectFailure { all_refused: true, tried: Vec::new() };
    for addr in addrs.iter().take(MAX_ADDRESSES) {
        let slice = budget.slice(STAGE_CAP);
        if slice.limit.is_zero() {
            failure.all_refused = false;
            failure.tried.push(format!("{addr}: not tried, the time budget is spent"));
            break;
        }
        match slice.run(TcpStream::connect(addr)).await {
            Some(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                return Ok((stream, *addr));
            }
            Some(Err(e)) => {
                if e.kind() != std::io::ErrorKind::ConnectionRefused {
                    failure.all_refused = false;
                }
                failure.tried.push(format!("{addr}: {}", clean(&e.to_string(), 120)));
            }
            None => {
                failure.all_refused = false;
                failure.tried.push(format!("{addr}: no answer {}", slice.describe()));
            }
        }
    }
    Err(failure)
}
