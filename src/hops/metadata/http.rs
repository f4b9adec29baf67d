//! The metadata endpoints' use of the base HTTP/1.1 client: plain HTTP to a
//! link-local or loopback address, one request per connection, each stage
//! with its own time limit, the answer bounded (`base::http1::send`). What
//! this module owns is the words: a client failure said as a sentence that
//! names the endpoint and the stage that failed (nothing listens, no route,
//! connected but no answer). Pure.

pub use crate::base::http1::{Error as Failure, Limits, Response, Url as Target, send};

/// A failure as a sentence for people.
pub fn describe(failure: &Failure, target: &Target, limits: &Limits) -> String {
    let at = target.authority();
    let not_http = |why: &str| format!("{at} did not answer in HTTP: {why}");
    match failure {
        Failure::Resolve(why) => format!("{} does not resolve: {why}", target.bare_host()),
        Failure::Refused => format!("nothing listens at {at} (connection refused)"),
        Failure::ConnectTimeout => {
            format!("no connection to {at} within {} ms (no route or a firewall)", limits.connect.as_millis())
        }
        Failure::Connect(why) => format!("no connection to {at}: {why}"),
        Failure::Io(e) => format!("no connection to {at}: {e}"),
        Failure::NoAnswer => format!("connected to {at}, but no answer within {} ms", limits.answer.as_millis()),
        Failure::Closed { got: 0 } | Failure::BodyCut { .. } => format!("{at} closed the connection without an answer"),
        Failure::Closed { .. } => not_http("the answer is cut"),
        Failure::NotHttp { why, .. } => not_http(why),
        Failure::HeadTooLong => {
            not_http(&format!("the answer's head is larger than {} bytes", crate::base::http1::HEAD_LIMIT))
        }
        Failure::BodyTooLarge { limit } => not_http(&format!("the answer is larger than {limit} bytes")),
        Failure::BadChunk(why) => not_http(why),
        Failure::HeaderValue(name) => format!("the {name} header value has a line break or a control character"),
        Failure::Method(method) => format!("{method} is not an HTTP method"),
        Failure::NotPlainHttp => "https endpoints are not probed by credwiz".into(),
    }
}
