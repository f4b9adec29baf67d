//! The AssumeRole hop: a healthy two-hop role chain against moto (with auth
//! enforcement, so each hop must sign with the credentials of the one
//! before), and a fake STS on 127.0.0.1 for the refusals moto does not judge:
//! the trust (with what is ruled out), ExternalId, duration limits, session
//! names, MFA codes (one code, one call), expired and unknown source keys.

mod hops_fakes;
mod support;

use credwiz::hops::resolve::{RoleSpec, resolve};
use credwiz::hops::run::{RunOptions, run_chain};
use credwiz::hops::{Cause, Clients, Context, HopCredentials, Outcome, Scrubber, SdkClients, Status, assume_role};
use credwiz::profile::{Document, SdkView};
use hops_fakes::{Fake, sts_credentials, sts_error};
use secrecy::SecretString;
use std::time::Duration;

fn input_keys() -> HopCredentials {
    HopCredentials {
        access_key_id: "AKIAEXAMPLEBASE00001".into(),
        secret_access_key: SecretString::from("base-secret-0123456789abcdefghijABCDEFGHIJ".to_string()),
        session_token: None,
        expiration: None,
        account_id: None,
        assumed_role_arn: None,
        role_session: false,
    }
}

fn spec(role: &str) -> RoleSpec {
    RoleSpec {
        role_arn: format!("arn:aws:iam::123456789012:role/{role}"),
        external_id: None,
        mfa_serial: None,
        role_session_name: None,
        duration_seconds: None,
    }
}

/// The fake: the role's name picks the refusal.
fn fake() -> Fake {
    Fake::start(|req| {
        let arn = req.form("RoleArn").unwrap_or_default();
        let session = req.form("RoleSessionName").unwrap_or_default();
        let denied = format!(
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: {arn}"
        );
        match arn.rsplit('/').next().unwrap_or_default() {
            "untrusting" => sts_error(403, "AccessDenied", &denied),
            "scp" => {
                sts_error(403, "AccessDenied", &format!("{denied} with an explicit deny in a service control policy"))
            }
            "chained" => sts_error(
                400,
                "ValidationError",
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
            ),
            "short" => sts_error(
                400,
                "ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            ),
            "mfa" if req.form("TokenCode").as_deref() != Some("123456") => {
                sts_error(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
            }
            "expired" => sts_error(403, "ExpiredToken", "The security token included in the request is expired"),
            "unknown" => {
                sts_error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
            }
            _ if session.contains(' ') => sts_error(
                400,
                "ValidationError",
                &format!(
                    "1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
                ),
            ),
            name => sts_credentials("AssumeRole", &arn, &session, &format!("ASIA{}", name.to_ascii_uppercase())),
        }
    })
}

async fn assume(fake: &Fake, spec: &RoleSpec, call: assume_role::RoleCall<'_>) -> Outcome {
    let clients = SdkClients::new(hops_fakes::sdk_config(&fake.url()), None);
    let dir = tempfile::tempdir().expect("dir");
    let env = hops_fakes::env(dir.path(), &[]);
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, Duration::from_secs(5), &scrubber);
    let client = clients.sts(Some(&input_keys()), None);
    assume_role::run(&client, spec, call, &ctx).await
}

fn text(out: &Outcome) -> String {
    out.evidence.join("\n")
}

#[tokio::test]
async fn assume_role_denied_says_what_is_ruled_out() {
    let fake = fake();
    let out = assume(&fake, &spec("untrusting"), Default::default()).await;
    assert_eq!(out.cause, Some(Cause::AssumeRoleDenied));
    assert_eq!(out.error_code.as_deref(), Some("AccessDenied"));
    let t = text(&out);
    for want in [
        "role may not exist",
        "trust policy may not trust",
        "ExternalId: none was sent",
        "MFA: none was sent",
        "simulate-principal-policy",
    ] {
        assert!(t.contains(want), "missing {want:?} in:\n{t}");
    }
    // With an ExternalId and an accepted MFA code, those are said differently.
    let mut with = spec("untrusting");
    with.external_id = Some("c0ffee-42".into());
    with.mfa_serial = Some("arn:aws:iam::123456789012:mfa/alice".into());
    let out = assume(&fake, &with, assume_role::RoleCall { mfa_code: Some("123456"), ..Default::default() }).await;
    let t = text(&out);
    assert!(t.contains("ExternalId: one was sent") && t.contains("ruled out: MFA"), "{t}");
    let sent = fake.requests().last().cloned().expect("request");
    assert_eq!(
        (sent.form("ExternalId").as_deref(), sent.form("TokenCode").as_deref()),
        (Some("c0ffee-42"), Some("123456"))
    );
    // An explicit deny names the caller's side and rules the trust out.
    let out = assume(&fake, &spec("scp"), Default::default()).await;
    assert_eq!(out.cause, Some(Cause::AssumeRoleDenied));
    assert!(text(&out).contains("ruled out: the role's trust policy"), "{}", text(&out));
}

#[tokio::test]
async fn role_duration_too_long_with_the_limit_aws_stated() {
    let fake = fake();
    let mut chained = spec("chained");
    chained.duration_seconds = Some("7200".into());
    let out =
        assume(&fake, &chained, assume_role::RoleCall { profile: Some("deploy"), chained: true, ..Default::default() })
            .await;
    assert_eq!(out.cause, Some(Cause::RoleDurationTooLong));
    let fix = out.fix.as_ref().expect("fix");
    assert_eq!(
        (fix.profile.as_str(), fix.key.as_str(), fix.value.as_deref()),
        ("deploy", "duration_seconds", Some("3600"))
    );
    assert!(text(&out).contains("the Rust SDK's own provider ignores duration_seconds"), "{}", text(&out));
    assert_eq!(
        fake.requests().last().and_then(|r| r.form("DurationSeconds")).as_deref(),
        Some("7200"),
        "sent as the CLI sends it"
    );
    let mut short = spec("short");
    short.duration_seconds = Some("14400".into());
    let out = assume(&fake, &short, assume_role::RoleCall { profile: Some("p"), ..Default::default() }).await;
    assert_eq!(out.cause, Some(Cause::RoleDurationTooLong));
    assert!(text(&out).contains("MaxSessionDuration"), "{}", text(&out));
}

#[tokio::test]
async fn role_config_invalid_session_name_and_the_default_name() {
    let fake = fake();
    let mut named = spec("fine");
    named.role_session_name = Some("my session".into());
    let out = assume(&fake, &named, assume_role::RoleCall { profile: Some("p"), ..Default::default() }).await;
    assert_eq!(out.cause, Some(Cause::RoleConfigInvalid));
    assert_eq!(out.fix.as_ref().and_then(|f| f.value.as_deref()), Some("my-session"));
    let out = assume(&fake, &spec("fine"), Default::default()).await;
    assert_eq!(out.status, Status::Pass);
    let sent = fake.requests().last().and_then(|r| r.form("RoleSessionName")).unwrap_or_default();
    assert!(sent.starts_with("assume-role-from-profile-"), "the SDK's default naming: {sent}");
    assert_eq!(out.credentials.as_ref().map(|c| c.role_session), Some(true));
}

#[tokio::test]
async fn mfa_code_invalid_and_one_code_serves_one_call() {
    let fake = fake();
    let mut mfa = spec("mfa");
    mfa.mfa_serial = Some("arn:aws:iam::123456789012:mfa/alice".into());
    let out = assume(&fake, &mfa, assume_role::RoleCall { mfa_code: Some("000000"), ..Default::default() }).await;
    assert_eq!(out.cause, Some(Cause::MfaCodeInvalid));
    // Two hops with mfa_serial: only the first gets the code.
    let view = SdkView::build(
        Some(&Document::parse(
            "[profile one]\nrole_arn = arn:aws:iam::123456789012:role/one\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[profile two]\nrole_arn = arn:aws:iam::123456789012:role/two\nsource_profile = one\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n",
        )),
        Some(&Document::parse("[base]\naws_access_key_id = AKIAEXAMPLEBASE00001\naws_secret_access_key = s\n")),
    );
    let dir = tempfile::tempdir().expect("dir");
    let env = hops_fakes::env(dir.path(), &[]);
    let chain = resolve(&env, &view, "two");
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, Duration::from_secs(5), &scrubber);
    let clients = SdkClients::new(hops_fakes::sdk_config(&fake.url()), None);
    let before = fake.requests().len();
    let options = RunOptions { mfa_code: Some("123456".into()), ..Default::default() };
    let outcomes = run_chain(&chain, &clients, &options, &ctx).await;
    assert!(outcomes.iter().all(|o| o.status == Status::Pass), "{outcomes:?}");
    let codes: Vec<Option<String>> = fake.requests().into_iter().skip(before).map(|r| r.form("TokenCode")).collect();
    assert_eq!(codes, vec![Some("123456".to_string()), None]);
}

#[tokio::test]
async fn refusals_that_blame_the_hop_before_or_the_network() {
    let fake = fake();
    let out = assume(&fake, &spec("expired"), Default::default()).await;
    assert_eq!(out.cause, Some(Cause::CredentialsExpired));
    let out = assume(&fake, &spec("unknown"), Default::default()).await;
    assert_eq!(out.cause, Some(Cause::UnknownAccessKey));
    let closed = format!("http://127.0.0.1:{}", hops_fakes::closed_port());
    let clients = SdkClients::new(hops_fakes::sdk_config(&closed), None);
    let dir = tempfile::tempdir().expect("dir");
    let env = hops_fakes::env(dir.path(), &[]);
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, Duration::from_secs(5), &scrubber);
    let out = assume_role::run(&clients.sts(Some(&input_keys()), None), &spec("x"), Default::default(), &ctx).await;
    assert_eq!(out.cause, Some(Cause::EndpointUnreachable));
}

const ALLOW_ASSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:GetCallerIdentity"],"Resource":"*"}]}"#;

fn trust(principals: &[&str]) -> String {
    let list: Vec<String> = principals.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":"sts:AssumeRole"}}]}}"#,
        list.join(",")
    )
}

/// Creates a role trusting `principal`, allowed to assume roles itself.
async fn role(iam: &aws_sdk_iam::Client, name: &str, principals: &[&str]) -> String {
    let created =
        iam.create_role().role_name(name).assume_role_policy_document(trust(principals)).send().await.expect("role");
    iam.put_role_policy().role_name(name).policy_name("p").policy_document(ALLOW_ASSUME).send().await.expect("policy");
    created.role().map(|r| r.arn().to_string()).expect("arn")
}

/// A healthy chain against moto, auth enforced: base keys -> ops -> deploy;
/// credwiz ends with the same role identity as the SDK's own provider.
#[test]
fn a_healthy_role_chain_against_moto_matches_the_sdk() {
    let moto = support::Moto::start();
    let alice = moto.user("alice", Some(ALLOW_ASSUME), 1, &[]);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let seed = aws_sdk_iam::Config::builder()
            .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
            .region(aws_sdk_iam::config::Region::new("us-east-1"))
            .endpoint_url(moto.endpoint())
            .credentials_provider(aws_sdk_iam::config::Credentials::new("AKIAIOSFODNN7EXAMPLE", "seed", None, None, "seed"))
            .build();
        let iam = aws_sdk_iam::Client::from_conf(seed);
        let ops = role(&iam, "ops", &[&alice.arn]).await;
        // moto matches trust principals literally: name the session too.
        let ops_session = "arn:aws:sts::123456789012:assumed-role/ops/ops-session";
        let deploy = role(&iam, "deploy", &[&ops, ops_session]).await;
        moto.enforce_auth();
        let (key, secret) = alice.keys[0].clone();
        let config = format!(
            "[profile ops]\nrole_arn = {ops}\nsource_profile = base\nrole_session_name = ops-session\nendpoint_url = {e}\n[profile deploy]\nrole_arn = {deploy}\nsource_profile = ops\nrole_session_name = credwiz-test\nendpoint_url = {e}\n",
            e = moto.endpoint()
        );
        let credentials = format!("[base]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n");
        let dir = tempfile::tempdir().expect("dir");
        let env = hops_fakes::env(dir.path(), &[]);
        let view = SdkView::build(Some(&Document::parse(&config)), Some(&Document::parse(&credentials)));
        let chain = resolve(&env, &view, "deploy");
        assert!(chain.problems.is_empty(), "{:?}", chain.problems);
        let scrubber = Scrubber::new();
        let ctx = Context::new(&env, Duration::from_secs(10), &scrubber);
        let clients = SdkClients::new(hops_fakes::sdk_config(&moto.endpoint()), None);
        let outcomes = run_chain(&chain, &clients, &RunOptions::default(), &ctx).await;
        let kinds: Vec<_> = outcomes.iter().map(|o| (o.kind.id(), o.status)).collect();
        assert_eq!(kinds, vec![("shared-credentials-file", Status::Pass), ("assume-role", Status::Pass), ("assume-role", Status::Pass)], "{outcomes:?}");
        let last = outcomes.last().and_then(|o| o.credentials.clone()).expect("credentials");
        assert!(last.assumed_role_arn.as_deref().is_some_and(|a| a.contains(":assumed-role/deploy/credwiz-test")), "{last:?}");
        let identity = |creds: HopCredentials| {
            let client = clients.sts(Some(&creds), None);
            async move { client.api.get_caller_identity().send().await.map(|o| o.arn().unwrap_or_default().to_string()) }
        };
        let ours = identity(last).await.expect("credwiz's credentials work");
        // The SDK's own provider over the same files.
        std::fs::write(dir.path().join("config"), &config).expect("config");
        std::fs::write(dir.path().join("credentials"), &credentials).expect("credentials");
        let files = aws_runtime::env_config::file::EnvConfigFiles::builder()
            .with_file(aws_runtime::env_config::file::EnvConfigFileKind::Config, dir.path().join("config"))
            .with_file(aws_runtime::env_config::file::EnvConfigFileKind::Credentials, dir.path().join("credentials"))
            .build();
        #[allow(deprecated)]
        let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
            .profile_files(files)
            .profile_name("deploy")
            .configure(&aws_config::provider_config::ProviderConfig::without_region().with_region(Some(aws_types::region::Region::new("us-east-1"))))
            .build();
        use aws_credential_types::provider::ProvideCredentials;
        let sdk = provider.provide_credentials().await.expect("the SDK's chain works too");
        let sdk_creds = HopCredentials {
            access_key_id: sdk.access_key_id().to_string(),
            secret_access_key: SecretString::from(sdk.secret_access_key().to_string()),
            session_token: sdk.session_token().map(|t| SecretString::from(t.to_string())),
            expiration: None,
            account_id: None,
            assumed_role_arn: None,
            role_session: true,
        };
        let theirs = identity(sdk_creds).await.expect("the SDK's credentials work");
        assert_eq!(ours, theirs, "the same role session, as the SDK names it");
    });
}
