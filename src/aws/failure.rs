//! Why a call produced no answer from AWS: the one failure type of the SDK
//! call layer, read by every check and hop.

use crate::aws::decode::AwsError;

/// Why a call produced no answer from AWS.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// AWS answered with an error.
    Aws(AwsError),
    /// Nothing usable came back: DNS, refused, timeout, TLS, proxy.
    Unreachable(String),
    /// The keys were not sent: a value holds characters no HTTP header can carry.
    Unsendable(String),
    /// Anything else (a request that could not be built, an unreadable answer).
    Other(String),
}

impl Failure {
    /// The failure as one line of text.
    pub fn text(&self) -> String {
        match self {
            Failure::Aws(e) => e.describe(),
            Failure::Unreachable(why) | Failure::Other(why) | Failure::Unsendable(why) => why.clone(),
        }
    }
}
