//! Bounds on every request credwiz sends to diagnose and every answer it
//! reads, set as one SDK interceptor ([`Bounds`]) on each client's
//! configuration (like the `Date` capture in `live`). No IO of its own.
//!
//! - An answer is read up to [`MAX_RESPONSE_BYTES`]: a larger declared
//!   `Content-Length` is refused before a byte of the body is read, and the
//!   body is wrapped in `http_body_util::Limited`, so a chunked body stops at
//!   the limit. A 1 GB error body costs one megabyte and milliseconds. STS and
//!   IAM answers are a few kilobytes.
//! - A request is refused before signing when the key id or session token holds
//!   a character an HTTP header cannot carry ([`header_safe`]: ASCII controls,
//!   DEL): the SDK's signer panics on them (`InvalidHeaderValue`). The secret
//!   is never sent, so it is not checked.
//!
//! `live::failure` recognises both refusals ([`TooLarge`], [`Unsendable`]) in
//! an SDK error's chain and reports them for what they are, and takes from
//! here how it judges an answer: an AWS-shaped error code or not
//! ([`aws_shaped_code`]), what answered when it was not AWS ([`answered`]:
//! status, type, redirect, HTML title), and how text from an answer is kept
//! ([`kept`]: scrubbed, cut, one line).

use crate::aws::keys::SigningKeys;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use secrecy::ExposeSecret;

/// The most credwiz reads of one answer (STS and IAM answers are a few kilobytes).
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// The answer was larger than [`MAX_RESPONSE_BYTES`]; it was not read past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct TooLarge {
    /// The `Content-Length` the endpoint declared, when it declared one.
    pub declared: Option<u64>,
}

impl TooLarge {
    fn describe(&self) -> String {
        let limit = MAX_RESPONSE_BYTES / 1024;
        match self.declared {
            Some(declared) => {
                format!(
                    "its answer declared {declared} bytes, more than the {limit} KiB credwiz reads; nothing was read"
                )
            }
            None => format!("its answer went past the {limit} KiB credwiz reads; credwiz stopped reading there"),
        }
    }
}

/// The request was not sent: a value that goes into an HTTP header holds characters no header can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {0} holds characters that cannot be sent in a request (control characters); credwiz did not send it")]
pub struct Unsendable(pub &'static str);

/// Whether a value can go into an HTTP header without making the SDK's
/// signer panic (`HeaderValue::from_str`): no ASCII control character but
/// tab, no DEL. Other bytes (non-ASCII) are sent as they are, AWS refuses
/// them, and the `credential-whitespace` lint names the character.
pub fn header_safe(value: &str) -> bool {
    value.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// Why these keys cannot sign a request, if they cannot (the values themselves are never named).
pub fn unsendable(keys: &SigningKeys) -> Option<Unsendable> {
    if !header_safe(keys.access_key_id.as_str()) {
        return Some(Unsendable("access key id"));
    }
    if keys.token.as_ref().is_some_and(|t| !header_safe(t.expose_secret())) {
        return Some(Unsendable("session token"));
    }
    None
}

/// The interceptor that bounds one client's requests and answers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    refuse: Option<Unsendable>,
}

impl Bounds {
    /// Bounds for a client that signs with `keys` (its requests are refused when the keys cannot be sent).
    pub fn for_keys(keys: &SigningKeys) -> Self {
        Bounds { refuse: unsendable(keys) }
    }
}

/// The `Content-Length` an answer declares, when it is a number.
fn declared_length(headers: &aws_smithy_runtime_api::http::Headers) -> Option<u64> {
    headers.get("content-length").and_then(|v| v.trim().parse::<u64>().ok())
}

/// Turns the body's own limit error into [`TooLarge`], so the chain names it.
fn limit_error(error: BoxError) -> BoxError {
    if error.is::<LengthLimitError>() { Box::new(TooLarge { declared: None }) } else { error }
}

impl Intercept for Bounds {
    fn name(&self) -> &'static str {
        "credwiz-bounds"
    }

    fn read_before_signing(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        match self.refuse {
            Some(why) => Err(Box::new(why)),
            None => Ok(()),
        }
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        if let Some(declared) = declared_length(response.headers())
            && declared > MAX_RESPONSE_BYTES as u64
        {
            return Err(Box::new(TooLarge { declared: Some(declared) }));
        }
        let body = std::mem::replace(response.body_mut(), SdkBody::taken());
        let bounded = match body.bytes() {
            // Already in memory (a test client): nothing more can arrive.
            Some(bytes) if bytes.len() <= MAX_RESPONSE_BYTES => body,
            Some(_) => return Err(Box::new(TooLarge { declared: None })),
            None => SdkBody::from_body_1_x(Limited::new(body, MAX_RESPONSE_BYTES).map_err(limit_error)),
        };
        *response.body_mut() = bounded;
        Ok(())
    }
}

/// Longest error code kept from an answer (AWS codes are short identifiers).
pub const MAX_CODE_CHARS: usize = 128;
/// Longest message or request id kept from an answer.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Text from an answer as credwiz keeps it: known secrets masked first (so a
/// cut cannot leave part of one), cut to `max` characters, and made one line
/// (a server's line breaks and escapes shown visibly: it cannot forge report lines).
pub fn kept(text: &str, max: usize) -> String {
    crate::base::sanitize::line(&crate::base::sanitize::cap(&crate::redact::scrub(text), max)).into_owned()
}

/// Whether an error code is shaped like AWS's (`InvalidClientTokenId`, `AccessDenied`, `Sender.X`).
pub fn aws_shaped_code(code: &str) -> bool {
    (1..=MAX_CODE_CHARS).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
        && code.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
}

/// What answered, for evidence when it was not AWS: `the endpoint answered HTTP 404 with text/html titled "Not Found"`.
pub fn answered(raw: &HttpResponse, body: &str) -> String {
    let status = raw.status().as_u16();
    let mut text = format!("the endpoint answered HTTP {status}");
    if let Some(kind) = raw.headers().get("content-type").map(|c| c.split(';').next().unwrap_or(c).trim()) {
        text.push_str(&format!(" with {}", crate::base::sanitize::shown(&crate::redact::scrub(kind), 60)));
    }
    if let Some(location) = raw.headers().get("location").filter(|_| (300..400).contains(&status)) {
        text.push_str(&format!(
            ", a redirect to {}",
            crate::base::sanitize::shown(&crate::redact::scrub(location), 120)
        ));
    }
    if let Some(title) = html_title(body) {
        text.push_str(&format!(" titled \"{}\"", crate::base::sanitize::shown(&crate::redact::scrub(&title), 80)));
    }
    text
}

/// The `<title>` of an HTML page, looked for in its first 64 KiB only.
fn html_title(body: &str) -> Option<String> {
    let head = &body[..body.floor_char_boundary(64 * 1024)];
    let lower = head.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    let title = head[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// A request or answer that [`Bounds`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLarge(TooLarge),
    Unsendable(Unsendable),
}

/// The first [`TooLarge`] or [`Unsendable`] in an error's chain.
pub fn refusal_in(error: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(large) = e.downcast_ref::<TooLarge>() {
            return Some(Refusal::TooLarge(*large));
        }
        if let Some(unsendable) = e.downcast_ref::<Unsendable>() {
            return Some(Refusal::Unsendable(*unsendable));
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn keys(id: &str, token: Option<&str>) -> SigningKeys {
        SigningKeys {
            access_key_id: id.into(),
            secret: SecretString::from("s\u{1}cret is never sent".to_string()),
            token: token.map(|t| SecretString::from(t.to_string())),
        }
    }

    #[test]
    fn header_safe_refuses_what_makes_the_signer_panic() {
        assert!(header_safe("AKIAIOSFODNN7EXAMPLE") && header_safe("a b\tc") && header_safe(""));
        assert!(header_safe("AKIA\u{200b}X") && header_safe("AKIAé"), "non-ASCII is sent, and refused by AWS");
        for bad in ["AKIA\u{1}X", "AKIA\nX", "AKIA\rX", "AKIA\u{7f}", "AKIA\u{1b}[2J", "\0"] {
            assert!(!header_safe(bad), "{bad:?}");
        }
    }

    #[test]
    fn unsendable_keys_are_named_without_their_value() {
        assert_eq!(unsendable(&keys("AKIAIOSFODNN7EXAMPLE", Some("token"))), None);
        let id = unsendable(&keys("AKIA\u{7}SECRETISH", None)).expect("refused");
        assert_eq!(id, Unsendable("access key id"));
        assert!(!id.to_string().contains("SECRETISH"));
        assert_eq!(unsendable(&keys("ASIAX", Some("tok\nen"))), Some(Unsendable("session token")));
    }

    #[test]
    fn answers_are_judged_by_their_code_and_described_by_what_answered() {
        assert!(aws_shaped_code("InvalidClientTokenId") && aws_shaped_code("Sender.X:y-z"));
        for bad in ["", "canary-token+/=", "a b", "1Code", "<html>", &"A".repeat(MAX_CODE_CHARS + 1)] {
            assert!(!aws_shaped_code(bad), "{bad}");
        }
        let mut raw = HttpResponse::new(307.try_into().expect("status"), SdkBody::empty());
        raw.headers_mut().insert("content-type", "text/html; charset=utf-8");
        raw.headers_mut().insert("location", "https://login.example/\u{202e}x".to_string());
        let body = "<HTML><TITLE>\n Moved\u{1b}[2J  away </TITLE>";
        assert_eq!(
            answered(&raw, body),
            "the endpoint answered HTTP 307 with text/html, a redirect to https://login.example/\\u{202e}x titled \"Moved\\e[2J away\""
        );
        assert_eq!(kept("line\nbreak \u{9b}", 100), "line\\nbreak \\u{9b}");
        assert!(kept(&"x".repeat(10_000), 10).starts_with("xxxxxxxxxx… (9990 more"));
    }

    #[test]
    fn refusals_are_found_in_a_chain() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer")]
        struct Outer(#[source] BoxError);
        let chained = Outer(Box::new(TooLarge { declared: Some(5_000_000_000) }));
        assert_eq!(refusal_in(&chained), Some(Refusal::TooLarge(TooLarge { declared: Some(5_000_000_000) })));
        assert!(TooLarge { declared: Some(5_000_000_000) }.to_string().contains("5000000000 bytes"));
        let body = SdkBody::from(vec![b'x'; 10]);
        let limited = SdkBody::from_body_1_x(Limited::new(body, 4).map_err(limit_error));
        let error = futures::executor::block_on(limited.collect()).expect_err("over the limit");
        assert_eq!(refusal_in(&Outer(error)), Some(Refusal::TooLarge(TooLarge { declared: None })));
        let unsendable = Outer(Box::new(Unsendable("session token")));
        assert_eq!(refusal_in(&unsendable), Some(Refusal::Unsendable(Unsendable("session token"))));
        assert_eq!(refusal_in(&Outer("other".into())), None);
    }
}
