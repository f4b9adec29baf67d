//! Fuzz target: any answer a server can give (status, headers, body; whole
//! or streamed) to an STS call goes through the SDK's own deserializer,
//! credwiz's bounds (`diagnose::limits`) and decoding (`live::failure`),
//! then the real report (`diagnose::conclude`, `commands::check::human`) and
//! every sink (`commands::sink`). Never a panic; the readable report holds
//! no raw control or invisible character (only credwiz's own colours); the
//! JSON is valid and holds none either; a registered secret the server
//! echoes never comes out.
//!
//! Input layout: byte 0 = flags (bit 0: stream the body; bit 1: sign with a
//! key id holding a control character), bytes 1-2 = status (100..=599),
//! then `name: value` header lines up to an empty line, then the body.
#![no_main]

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use credwiz::commands::{check::human, sink};
use credwiz::diagnose::run::check::{LiveCheck, LiveValue, Outcome, Who};
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::aws::limits::Bounds;
use credwiz::aws::live::{Client, DateCapture, SigningKeys};
use credwiz::diagnose::{Facts, Options, Outcomes, conclude};
use credwiz::base::environment::Environment;
use credwiz::profile::ProfileFiles;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use std::time::Duration;

/// A secret credwiz knows; the dictionary gives it to the fuzzer so servers echo it.
const CANARY: &str = "fuzz-canary-secret/0001+=";
/// The canary as it may come back: plain, JSON-escaped, percent-encoded. None may come out.
const ECHOES: [&str; 3] = [CANARY, "fuzz-canary-secret\\/0001+=", "fuzz-canary-secret%2F0001%2B%3D"];

/// Whether a sink holds the canary in any of its forms (a near-copy the server made up is no secret).
fn leaks(text: &str) -> bool {
    ECHOES.iter().any(|echo| text.contains(echo))
}

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    credwiz::redact::register(CANARY);
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
});

/// The facts of a profile with static keys, once.
static FACTS: LazyLock<Facts> = LazyLock::new(|| {
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], None);
    let files = ProfileFiles::from_texts(
        &env,
        Some("[default]\nregion = us-east-1\n"),
        Some(
            "[default]\naws_access_key_id = AKIAZZZZZZZZZZZZ0001\naws_secret_access_key = abcdEFGH1234abcdEFGH1234abcdEFGH1234abcd\n",
        ),
    );
    Facts::new(Gathered { env, files, side: SideFiles::default() }, None, Options::default(), chrono::Utc::now())
});

/// One canned answer.
#[derive(Debug, Clone)]
struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    stream: bool,
}

impl HttpConnector for Canned {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let body = if self.stream {
            let full = http_body_util::Full::new(bytes::Bytes::from(self.body.clone()));
            SdkBody::from_body_1_x(full)
        } else {
            SdkBody::from(self.body.clone())
        };
        let status = self.status.try_into().expect("status in range");
        let mut response = HttpResponse::new(status, body);
        for (name, value) in &self.headers {
            let _ = response.headers_mut().try_append(name.clone(), value.clone());
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Canned {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

fn parse(data: &[u8]) -> Option<(u8, Canned)> {
    let (&flags, rest) = data.split_first()?;
    let (status, rest) = rest.split_at_checked(2)?;
    let status = 100 + u16::from_be_bytes([status[0], status[1]]) % 500;
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let (head, body) = rest.split_at(split);
    let headers = String::from_utf8_lossy(head)
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect();
    let body = body.get(2..).unwrap_or_default().to_vec();
    Some((flags, Canned { status, headers, body, stream: flags & 1 == 1 }))
}

async fn call(canned: Canned, key_id: &str) -> Outcome {
    let keys = SigningKeys {
        access_key_id: key_id.into(),
        secret: "abcdEFGH1234abcdEFGH1234abcdEFGH1234abcd".to_string().into(),
        token: None,
    };
    let date = DateCapture::default();
    let credentials =
        aws_credential_types::Credentials::new(key_id, "abcdEFGH1234abcdEFGH1234abcdEFGH1234abcd", None, None, "fuzz");
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(credentials)
        .http_client(SharedHttpClient::new(canned))
        .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
        .disable_clock_skew_correction(true)
        .interceptor(date.clone())
        .interceptor(Bounds::for_keys(&keys))
        .build();
    let api = aws_sdk_sts::Client::from_conf(config);
    let client = Client::new(api.clone(), date);
    let call = client
        .call(api.get_caller_identity().send(), |o| {
            LiveValue::Identity(credwiz::diagnose::run::check::Identity {
                account: o.account().unwrap_or_default().to_string(),
                arn: o.arn().unwrap_or_default().to_string(),
                user_id: o.user_id().unwrap_or_default().to_string(),
            })
        })
        .await;
    Outcome { check: LiveCheck::CallerIdentity { who: Who::Active, region: None }, call }
}

/// Every raw control or invisible character, once credwiz's own colours are taken out.
fn assert_terminal_safe(text: &str) {
    let mut text = text.to_string();
    for own in credwiz::base::sanitize::OWN_COLORS {
        text = text.replace(&format!("\u{1b}[{own}m"), "");
    }
    let bad = text.chars().find(|&c| (c.is_control() && c != '\n' && c != '\t') || credwiz::base::sanitize::is_invisible(c));
    assert!(bad.is_none(), "raw {bad:?} in {text:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((flags, canned)) = parse(data) else { return };
    let key_id = if flags & 2 == 2 { "AKIA\u{1}ZZZZZZZZZZZ0001" } else { "AKIAZZZZZZZZZZZZ0001" };
    let outcome = RUNTIME.block_on(call(canned, key_id));
    let mut outcomes = Outcomes::new();
    outcomes.push(outcome);
    let report = conclude(&FACTS, &outcomes, Duration::ZERO);
    for color in [false, true] {
        let text = sink::report_text(&human(&report, color), color);
        assert_terminal_safe(&text);
        assert!(!leaks(&text), "{text}");
    }
    let json = sink::json_text(&report).expect("the report serializes");
    let back: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert!(back.is_object());
    assert!(!json.chars().any(|c| c.is_control() && c != '\n'), "{json}");
    assert!(!leaks(&json), "{json}");
    let err = sink::err_text(&format!("{:?}", report.causes.first().map(|c| &c.summary)));
    assert_terminal_safe(&err);
});
