//! The last link: one plain, unsigned request to the endpoint (STS's
//! GetCallerIdentity with no credentials at all), and what the answer says:
//! AWS (an `x-amzn-RequestId` and AWS's XML error shape) or an emulator
//! (account 000000000000 or moto's 123456789012, a moto / Werkzeug /
//! LocalStack server banner, an error shape that is not AWS's). Also the
//! always-on notice of an endpoint override. Pure, except `request` which
//! builds bytes for the caller to send.

use super::proxy::ProxyHop;
use super::target::{OverrideSource, Target};
use super::text::{clean, clean_bytes};
use crate::base::http1::{Form, Head, Request};
use http::HeaderValue;
use serde::Serialize;

/// The most body bytes read from an answer.
pub(crate) const BODY_LIMIT: usize = 64 * 1024;

const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

/// The request bytes: origin-form, or absolute-form with the proxy's Basic
/// credentials when it goes to a forward proxy (as the SDK sends `http://` requests).
pub(crate) fn request(target: &Target, forward_proxy: Option<&ProxyHop>) -> Vec<u8> {
    let form = if forward_proxy.is_some() { Form::Absolute } else { Form::Origin };
    let mut request = Request::new(&http::Method::POST, &target.endpoint().with_path("/"), form)
        .header("User-Agent", &HeaderValue::from_static("credwiz-netpath"))
        .header("Accept", &HeaderValue::from_static("*/*"))
        .header("Content-Type", &HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"))
        .header("Content-Length", &HeaderValue::from(BODY.len()))
        .header("Connection", &HeaderValue::from_static("close"));
    if let Some(auth) = forward_proxy.and_then(|hop| hop.auth.as_ref()) {
        request = request.header("Proxy-Authorization", auth);
    }
    request.finish(BODY.as_bytes())
}

/// Signs that answers come from an emulator rather than AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EmulatorSigns {
    /// One line per sign: `Server: Werkzeug/3.0.1 Python/3.12.3`, `account 000000000000`...
    pub signs: Vec<String>,
}

/// Accounts emulators answer with: LocalStack's and moto's defaults.
const EMULATOR_ACCOUNTS: [(&str, &str); 2] = [("000000000000", "LocalStack's"), ("123456789012", "moto's default")];
const EMULATOR_BANNERS: [&str; 5] = ["werkzeug", "moto", "localstack", "hypercorn", "python/"];

impl EmulatorSigns {
    /// Whether any sign was seen.
    pub fn any(&self) -> bool {
        !self.signs.is_empty()
    }

    /// From an account id a live check returned (healthy runs have no probe, but have this).
    pub fn from_account(account: &str) -> EmulatorSigns {
        let signs = EMULATOR_ACCOUNTS
            .iter()
            .filter(|(id, _)| *id == account)
            .map(|(id, whose)| format!("account {id} ({whose} account)"))
            .collect();
        EmulatorSigns { signs }
    }

    /// From an answer's head and body.
    pub(crate) fn from_answer(head: &Head, body: &[u8]) -> EmulatorSigns {
        let mut signs = Vec::new();
        if let Some(server) = head.get("server") {
            let text = String::from_utf8_lossy(server).to_ascii_lowercase();
            if EMULATOR_BANNERS.iter().any(|b| text.contains(b)) {
                signs.push(format!("Server: {}", clean_bytes(server, 80)));
            }
        }
        if head.headers.iter().any(|(name, _)| name.to_ascii_lowercase().starts_with("x-localstack")) {
            signs.push("x-localstack headers".to_string());
        }
        let text = String::from_utf8_lossy(body);
        for (id, whose) in EMULATOR_ACCOUNTS {
            if text.contains(&format!("<Account>{id}</Account>")) || text.contains(&format!(":{id}:")) {
                signs.push(format!("account {id} ({whose} account)"));
            }
        }
        if !looks_like_aws(head, body) {
            signs.push("the answer does not have AWS's shape (no x-amzn-RequestId, no AWS XML)".to_string());
        }
        EmulatorSigns { signs }
    }
}

/// AWS answers every query-protocol request with a request id header and an XML document.
fn looks_like_aws(head: &Head, body: &[u8]) -> bool {
    let request_id = head.get("x-amzn-requestid").is_some() || head.get("x-amz-request-id").is_some();
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
    let xml = text.trim_start().starts_with("<?xml")
        || text.contains("<ErrorResponse")
        || text.contains("<GetCallerIdentityResponse")
        || text.contains("<Response><Errors>");
    request_id && xml
}

/// What the answer stage reports about a response.
pub(crate) fn describe(head: &Head, body: &[u8]) -> (String, Vec<String>) {
    let mut evidence = Vec::new();
    let summary = format!("HTTP {} {}", head.status, clean(&head.reason, 60));
    for name in ["server", "x-amzn-requestid", "via"] {
        if let Some(value) = head.get(name) {
            evidence.push(format!("{name}: {}", clean_bytes(value, 120)));
        }
    }
    if let Some(code) = crate::base::xmltext::element(&String::from_utf8_lossy(body), "Code") {
        evidence.push(format!("error code: {}", clean(&code, 80)));
    }
    (summary, evidence)
}

/// The warning shown whenever an endpoint override is in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideNotice {
    /// Where it is set, in words.
    pub source: String,
    /// The URL requests go to (credentials hidden).
    pub url: String,
    /// How to remove it.
    pub remove: String,
    /// Signs that an emulator answers there (empty: none seen, or not asked).
    pub emulator: EmulatorSigns,
}

impl OverrideNotice {
    /// The notice for a target, when its URL comes from an override (no IO).
    pub fn for_target(target: &Target) -> Option<OverrideNotice> {
        target.override_source().map(|source| OverrideNotice::new(source, target.display_url()))
    }

    fn new(source: &OverrideSource, url: String) -> OverrideNotice {
        OverrideNotice {
            source: source.describe(),
            url,
            remove: source.how_to_remove(),
            emulator: EmulatorSigns::default(),
        }
    }

    /// Adds signs seen elsewhere (for example `EmulatorSigns::from_account` of a live answer).
    pub fn with_signs(mut self, signs: EmulatorSigns) -> OverrideNotice {
        for sign in signs.signs {
            if !self.emulator.signs.contains(&sign) {
                self.emulator.signs.push(sign);
            }
        }
        self
    }

    /// One sentence for a warning line.
    pub fn describe(&self) -> String {
        let mut text = format!("requests go to {} (set by {}), not to AWS", self.url, self.source);
        if self.emulator.any() {
            text.push_str(&format!(": an emulator answers there ({})", self.emulator.signs.join("; ")));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(status: u16, headers: &[(&str, &str)]) -> Head {
        Head {
            status,
            reason: "X".into(),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.as_bytes().to_vec())).collect(),
        }
    }

    #[test]
    fn tells_aws_from_emulators() {
        let aws = head(403, &[("x-amzn-RequestId", "abc"), ("Content-Type", "text/xml")]);
        let body = br#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Code>MissingAuthenticationToken</Code></Error></ErrorResponse>"#;
        assert!(!EmulatorSigns::from_answer(&aws, body).any());
        assert!(describe(&aws, body).1.contains(&"error code: MissingAuthenticationToken".to_string()));

        let moto = head(200, &[("Server", "Werkzeug/3.0.1 Python/3.12.3")]);
        let body = b"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>";
        let signs = EmulatorSigns::from_answer(&moto, body);
        assert!(signs.signs.iter().any(|s| s.starts_with("Server: Werkzeug")), "{signs:?}");
        assert!(signs.signs.iter().any(|s| s.contains("123456789012")), "{signs:?}");
        assert!(EmulatorSigns::from_account("000000000000").any());
        assert!(!EmulatorSigns::from_account("210987654321").any());
    }

    #[test]
    fn requests_carry_no_credentials_but_the_proxy_s() {
        use crate::netpath::target::EndpointOrigin;
        let target = Target::new("http://127.0.0.1:4566", EndpointOrigin::Override(OverrideSource::EnvAllServices))
            .expect("target");
        let plain = String::from_utf8(request(&target, None)).expect("utf8");
        assert!(plain.starts_with("POST / HTTP/1.1\r\nHost: 127.0.0.1:4566\r\n"), "{plain}");
        assert!(plain.ends_with("\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15"));
        let notice = OverrideNotice::for_target(&target).expect("notice");
        assert!(notice.describe().contains("AWS_ENDPOINT_URL in the environment"), "{}", notice.describe());
    }
}
