//! The canary property of issue 9: a unique secret placed in a source
//! credwiz can see (the environment, the credentials file, another profile,
//! the SSO token cache) and sent back to it by the outside world in some
//! encoding (echoed by an endpoint in its error message or as its error code,
//! quoted in the credential scope, written to stderr by a failing
//! `credential_process`, echoed by the SSO portal) never appears in stdout
//! (readable or JSON), stderr or the log (at `CREDWIZ_LOG=trace`), nor does
//! any run of 16 of its characters when it comes back split by a space or
//! wrapped over two lines (issue 19). Proptest picks the source, the echo,
//! the encoding, the split, the output mode and the canary.

mod trust_support;

use proptest::prelude::*;
use std::os::unix::fs::PermissionsExt;
use trust_support::{Answer, Fake, Request, assert_no_canary, assert_terminal_safe, aws_error, home, run, xml_escape};

/// Where the canary lives.
#[derive(Debug, Clone, Copy)]
enum Source {
    EnvSecret,
    EnvToken,
    FileSecret,
    FileToken,
    OtherProfileSecret,
    SsoCache,
}

/// How the outside world sends it back.
#[derive(Debug, Clone, Copy)]
enum Echo {
    /// STS quotes it (or the request headers holding it) in `<Message>`.
    Message,
    /// STS answers it as the `<Code>`.
    Code,
    /// IncompleteSignature quoting a credential scope that holds it.
    Scope,
    /// A `credential_process` writes it to stderr and fails.
    ProcessStderr,
    /// The SSO portal quotes it in its error.
    Portal,
}

/// How it is encoded when it comes back.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Plain,
    PercentUpper,
    PercentLower,
    JsonEscaped,
    XmlEntities,
}

/// How the echo is cut, if it is: by a space or a line break, `at` bytes from its start or (`from_end`) its end.
#[derive(Debug, Clone, Copy)]
enum Split {
    Whole,
    Space { at: usize, from_end: bool },
    Wrapped { at: usize, from_end: bool },
}

/// The echo cut as `split` says. The cut falls in the canary's tags, which every encoding leaves as they are.
fn cut(echoed: &str, split: Split) -> String {
    let (gap, at, from_end) = match split {
        Split::Whole => return echoed.to_string(),
        Split::Space { at, from_end } => (" ", at, from_end),
        Split::Wrapped { at, from_end } => ("\n", at, from_end),
    };
    let at = if from_end { echoed.len() - at } else { at };
    format!("{}{gap}{}", &echoed[..at], &echoed[at..])
}

/// The runs of 16 characters of `value` found in a sink.
fn assert_no_piece(ran: &trust_support::Ran, value: &str, case: &str) {
    for (sink, text) in ran.sinks() {
        for at in 0..(value.len() + 1).saturating_sub(16) {
            let piece = &value[at..at + 16];
            assert!(!text.contains(piece), "{case}: {sink} holds {piece:?} of a secret:\n{text}");
        }
    }
}

fn encode(canary: &str, encoding: Encoding) -> String {
    let percent = |upper: bool| {
        canary
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else if upper {
                    format!("%{b:02X}")
                } else {
                    format!("%{b:02x}")
                }
            })
            .collect::<String>()
    };
    match encoding {
        Encoding::Plain => canary.to_string(),
        Encoding::PercentUpper => percent(true),
        Encoding::PercentLower => percent(false),
        Encoding::JsonEscaped => serde_json::to_string(canary).expect("json").trim_matches('"').replace('/', "\\/"),
        Encoding::XmlEntities => canary.replace('+', "&#43;").replace('/', "&#x2F;").replace('=', "&#61;"),
    }
}

/// One scenario: the files, the environment and the endpoint's behaviour.
struct Scenario {
    home: tempfile::TempDir,
    env: Vec<(String, String)>,
    profile: &'static str,
}

const KEY_ID: &str = "AKIAZZZZZZZZZZZZ0001";
const OTHER_SECRET: &str = "abcdEFGH1234abcdEFGH1234abcdEFGH1234abcd";

/// The SSO cache file name for session `s` (sha1 of the session name).
fn sso_cache_name() -> String {
    format!("{}.json", sha1_smol::Sha1::from("s").digest())
}

fn scenario(source: Source, echo: Echo, canary: &str, echoed: &str, endpoint: &str) -> Scenario {
    let home = home(None, None);
    let aws = home.path().join(".aws");
    let mut env: Vec<(String, String)> = vec![("AWS_REGION".into(), "us-east-1".into())];
    let mut credentials = String::new();
    let mut config = String::new();
    let mut profile = "default";
    match source {
        Source::EnvSecret => {
            env.push(("AWS_ACCESS_KEY_ID".into(), KEY_ID.into()));
            env.push(("AWS_SECRET_ACCESS_KEY".into(), canary.into()));
        }
        Source::EnvToken => {
            env.push(("AWS_ACCESS_KEY_ID".into(), "ASIAZZZZZZZZZZZZ0001".into()));
            env.push(("AWS_SECRET_ACCESS_KEY".into(), OTHER_SECRET.into()));
            env.push(("AWS_SESSION_TOKEN".into(), canary.into()));
        }
        Source::FileSecret => {
            credentials = format!("[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {canary}\n");
        }
        Source::FileToken => {
            credentials = format!(
                "[default]\naws_access_key_id = ASIAZZZZZZZZZZZZ0001\naws_secret_access_key = {OTHER_SECRET}\naws_session_token = {canary}\n"
            );
        }
        Source::OtherProfileSecret => {
            credentials = format!(
                "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {OTHER_SECRET}\n\n[other]\naws_access_key_id = AKIAZZZZZZZZZZZZ0002\naws_secret_access_key = {canary}\n"
            );
        }
        Source::SsoCache => {
            let cache = aws.join("sso/cache");
            std::fs::create_dir_all(&cache).expect("cache dir");
            let token = serde_json::json!({
                "accessToken": canary,
                "expiresAt": "2099-01-01T00:00:00Z",
                "region": "us-east-1",
                "startUrl": "https://d-000000.awsapps.com/start",
            });
            std::fs::write(cache.join(sso_cache_name()), token.to_string()).expect("cache file");
            if !matches!(echo, Echo::Portal) {
                credentials =
                    format!("[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {OTHER_SECRET}\n");
            }
        }
    }
    match echo {
        Echo::ProcessStderr => {
            let script = home.path().join("process.sh");
            std::fs::write(&script, format!("#!/bin/sh\necho 'failed with {echoed}' >&2\nexit 1\n")).expect("script");
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).expect("chmod");
            config.push_str(&format!("[profile proc]\ncredential_process = {}\n", script.display()));
            profile = "proc";
            // The process profile must win: no environment keys.
            env.retain(|(k, _)| !k.starts_with("AWS_ACCESS") && !k.starts_with("AWS_SECRET"));
        }
        Echo::Portal => {
            config.push_str(
                "[profile sso]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n\n[sso-session s]\nsso_start_url = https://d-000000.awsapps.com/start\nsso_region = us-east-1\n",
            );
            profile = "sso";
            env.retain(|(k, _)| !k.starts_with("AWS_ACCESS") && !k.starts_with("AWS_SECRET"));
        }
        Echo::Message | Echo::Code | Echo::Scope => {}
    }
    std::fs::write(aws.join("credentials"), credentials).expect("credentials");
    std::fs::write(aws.join("config"), config).expect("config");
    env.push(("AWS_ENDPOINT_URL".into(), endpoint.into()));
    Scenario { home, env, profile }
}

/// The endpoint for an echo: it sends back the encoded canary, and the request it got.
/// In XML, `echoed` goes in as it is when it is entity-encoded (the parser decodes it), escaped otherwise.
fn endpoint(echo: Echo, encoding: Encoding, echoed: String) -> Fake {
    let in_xml = if matches!(encoding, Encoding::XmlEntities) { echoed.clone() } else { xml_escape(&echoed) };
    Fake::start(move |req: &Request| match echo {
        Echo::Message | Echo::ProcessStderr => aws_error(
            403,
            "InvalidClientTokenId",
            &format!("The security token is invalid: {in_xml}; request was: {}", xml_escape(&req.head)),
        ),
        Echo::Code => aws_error(403, &in_xml, "invalid"),
        Echo::Scope => aws_error(
            400,
            "IncompleteSignature",
            &format!("Credential should be well formed. got '{in_xml}/20250101/us-east-1/sts/aws4_request'"),
        ),
        Echo::Portal => Answer::Http {
            status: 401,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-amzn-ErrorType".into(), "UnauthorizedException".into()),
            ],
            body: serde_json::json!({
                "message": format!("Session token {echoed} not found or invalid; bearer {}",
                    req.header("x-amz-sso_bearer_token").unwrap_or_default())
            })
            .to_string()
            .into_bytes(),
        },
    })
}

/// Which echoes can carry the canary of a source back (a process or a portal needs its own profile).
fn fits(source: Source, echo: Echo) -> bool {
    match echo {
        Echo::Portal => matches!(source, Source::SsoCache),
        Echo::ProcessStderr => matches!(source, Source::OtherProfileSecret | Source::SsoCache | Source::FileSecret),
        _ => true,
    }
}

fn check_one(source: Source, echo: Echo, encoding: Encoding, split: Split, json: bool, tag: &str) {
    let canary = format!("canary{tag}+secret/value={tag}");
    // Only XML decodes entities: a process's stderr and the portal's JSON get the canary plain instead.
    let encoding = match (echo, encoding) {
        (Echo::Portal | Echo::ProcessStderr, Encoding::XmlEntities) => Encoding::Plain,
        _ => encoding,
    };
    if matches!((echo, encoding), (Echo::Portal, Encoding::XmlEntities)) {
        Encoding::Plain
    } else {
        encoding
    };
    let echoed = cut(&encode(&canary, encoding), split);
    let fake = endpoint(echo, encoding, echoed.clone());
    let setup = scenario(source, echo, &canary, &echoed, &fake.url());
    let mut args = vec!["check", "--timeout", "5", "--profile", setup.profile];
    if json {
        args.push("--json");
    }
    let mut env: Vec<(&str, &str)> = setup.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("CREDWIZ_LOG", "trace,aws_smithy_runtime=trace,aws_config=trace"));
    let ran = run(setup.home.path(), None, &env, &args);
    let case = format!("{source:?} {echo:?} {encoding:?} {split:?} json={json}");
    assert_ne!(ran.code, Some(101), "{case}: panicked: {}", ran.stderr);
    assert_ne!(ran.code, Some(2), "{case}: could not run: {}", ran.stderr);
    let asked = !fake.requests.lock().expect("requests").is_empty();
    assert!(asked || matches!(echo, Echo::ProcessStderr), "{case}: the endpoint was never asked: {}", ran.stdout);
    let encodings: Vec<String> =
        [Encoding::Plain, Encoding::PercentUpper, Encoding::PercentLower, Encoding::JsonEscaped, Encoding::XmlEntities]
            .into_iter()
            .map(|e| encode(&canary, e))
            .collect();
    let mut all: Vec<&str> = encodings.iter().map(String::as_str).collect();
    // Unique enough to mean a leak: the tag itself.
    let marker = format!("canary{tag}");
    all.push(&marker);
    if matches!(split, Split::Whole) {
        assert_no_canary(&ran, &all);
    }
    for value in &all {
        assert_no_piece(&ran, value, &case);
    }
    assert_terminal_safe(&format!("{case} stdout"), &ran.stdout);
    assert_terminal_safe(&format!("{case} stderr"), &ran.stderr);
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        Just(Source::EnvSecret),
        Just(Source::EnvToken),
        Just(Source::FileSecret),
        Just(Source::FileToken),
        Just(Source::OtherProfileSecret),
        Just(Source::SsoCache),
    ]
}

fn echo() -> impl Strategy<Value = Echo> {
    prop_oneof![Just(Echo::Message), Just(Echo::Code), Just(Echo::Scope), Just(Echo::ProcessStderr), Just(Echo::Portal)]
}

fn split() -> impl Strategy<Value = Split> {
    prop_oneof![
        Just(Split::Whole),
        (10usize..16, any::<bool>())
            .prop_map(|(at, from_end)| Split::Space { at: at - usize::from(from_end) * 6, from_end }),
        (10usize..16, any::<bool>())
            .prop_map(|(at, from_end)| Split::Wrapped { at: at - usize::from(from_end) * 6, from_end }),
    ]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Plain),
        Just(Encoding::PercentUpper),
        Just(Encoding::PercentLower),
        Just(Encoding::JsonEscaped),
        Just(Encoding::XmlEntities),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_canary_never_reaches_a_sink(
        (source, echo) in (source(), echo()).prop_filter("the echo must fit the source", |(s, e)| fits(*s, *e)),
        encoding in encoding(),
        split in split(),
        json in any::<bool>(),
        tag in "[a-z0-9]{10}",
    ) {
        check_one(source, echo, encoding, split, json, &tag);
    }
}

/// Every source with the echo that suits it best, once each, so a run of the
/// suite always covers all of them whatever proptest draws.
#[test]
fn every_source_and_echo_once() {
    let pairs = [
        (Source::EnvSecret, Echo::Scope),
        (Source::EnvToken, Echo::Message),
        (Source::FileSecret, Echo::ProcessStderr),
        (Source::FileToken, Echo::Code),
        (Source::OtherProfileSecret, Echo::ProcessStderr),
        (Source::SsoCache, Echo::Portal),
    ];
    for (i, (source, echo)) in pairs.into_iter().enumerate() {
        check_one(source, echo, Encoding::Plain, Split::Whole, i % 2 == 0, &format!("fixed{i:04}"));
    }
}

/// Every source with a split and a wrapped echo, once each (issue 19: the pieces got through).
#[test]
fn every_source_split_and_wrapped_once() {
    let pairs = [
        (Source::EnvSecret, Echo::Message),
        (Source::EnvToken, Echo::Message),
        (Source::FileSecret, Echo::ProcessStderr),
        (Source::FileToken, Echo::Scope),
        (Source::OtherProfileSecret, Echo::ProcessStderr),
        (Source::SsoCache, Echo::Portal),
    ];
    for (i, (source, echo)) in pairs.into_iter().enumerate() {
        let split = Split::Space { at: 13, from_end: false };
        check_one(source, echo, Encoding::Plain, split, i % 2 == 0, &format!("split{i:04}"));
        let wrapped = Split::Wrapped { at: 5, from_end: true };
        check_one(source, echo, Encoding::PercentUpper, wrapped, i % 2 == 1, &format!("wrap{i:05}"));
    }
}
