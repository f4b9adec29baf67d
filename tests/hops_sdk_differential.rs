//! The resolver against the SDK itself: aws-config's real
//! `ProfileFileCredentialsProvider` runs each profile against a fake STS on
//! 127.0.0.1 that records every AssumeRole (which key signed it, RoleArn,
//! ExternalId, RoleSessionName) and answers with a key id naming the role;
//! the chain credwiz resolves offline must be that same sequence, and must
//! fail where the SDK fails.

mod hops_fakes;

use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use credwiz::base::environment::Environment;
use credwiz::hops::resolve::{HopSource, resolve};
use credwiz::profile::{Document, SdkView};
use hops_fakes::{Fake, sts_credentials, sts_error};

/// The key id the fake hands out for a role.
fn key_for(role_arn: &str) -> String {
    format!("ASIA{}", role_arn.rsplit('/').next().unwrap_or("X").to_ascii_uppercase())
}

fn fake_sts() -> Fake {
    Fake::start(|req| match req.form("Action").as_deref() {
        Some(action @ ("AssumeRole" | "AssumeRoleWithWebIdentity")) => {
            let arn = req.form("RoleArn").unwrap_or_default();
            let session = req.form("RoleSessionName").unwrap_or_default();
            sts_credentials(action, &arn, &session, &key_for(&arn))
        }
        _ => sts_error(400, "InvalidAction", "not faked"),
    })
}

/// What the SDK did: the base key, then one line per role assumed; or "error".
async fn sdk_outline(dir: &std::path::Path, config: &str, credentials: &str, profile: &str, sts: &Fake) -> Vec<String> {
    // Every profile points STS at the fake (the SDK reads `endpoint_url` of the selected profile).
    let config = config.replace("\n[", &format!("\nendpoint_url = {}\n[", sts.url()))
        + &format!("endpoint_url = {}\n", sts.url());
    let (config_path, creds_path) = (dir.join("config"), dir.join("credentials"));
    std::fs::write(&config_path, config).expect("config");
    std::fs::write(&creds_path, credentials).expect("credentials");
    let files = EnvConfigFiles::builder()
        .with_file(EnvConfigFileKind::Config, &config_path)
        .with_file(EnvConfigFileKind::Credentials, &creds_path)
        .build();
    let conf = aws_config::provider_config::ProviderConfig::without_region()
        .with_region(Some(aws_types::region::Region::new("us-east-1")));
    #[allow(deprecated)]
    let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
        .profile_files(files)
        .profile_name(profile)
        .configure(&conf)
        .build();
    let before = sts.requests().len();
    let result = provider.provide_credentials().await;
    let calls: Vec<_> = sts.requests().into_iter().skip(before).collect();
    match result {
        Err(_) => vec!["error".into()],
        Ok(creds) => {
            let mut out = vec![format!(
                "base {}",
                calls.first().and_then(|c| c.signing_key()).unwrap_or_else(|| {
                    if !calls.is_empty() { "web-identity".into() } else { creds.access_key_id().to_string() }
                })
            )];
            for c in &calls {
                let session = c.form("RoleSessionName").unwrap_or_default();
                let session = if session.starts_with("assume-role-from-profile-") { "-".into() } else { session };
                out.push(format!(
                    "{} by {} {} ext={} session={}",
                    c.form("Action").unwrap_or_default(),
                    c.signing_key().unwrap_or_else(|| "-".into()),
                    c.form("RoleArn").unwrap_or_default(),
                    c.form("ExternalId").unwrap_or_else(|| "-".into()),
                    session
                ));
            }
            out
        }
    }
}

/// What credwiz resolved, in the same terms.
fn credwiz_outline(config: &str, credentials: &str, profile: &str) -> Vec<String> {
    let view = SdkView::build(Some(&Document::parse(config)), Some(&Document::parse(credentials)));
    let chain = resolve(&Environment::default(), &view, profile);
    if chain.problems.iter().any(|p| p.stops_sdk) || chain.hops.is_empty() {
        return vec!["error".into()];
    }
    let mut out = Vec::new();
    // The key the next call is signed with: the one the hop before produced.
    let mut signer = String::new();
    for hop in &chain.hops {
        match &hop.source {
            HopSource::StaticKeys(k) => {
                out.push(format!("base {}", k.access_key_id));
                signer = k.access_key_id.clone();
            }
            HopSource::WebIdentity(w) => {
                out.push("base web-identity".into());
                out.push(format!(
                    "AssumeRoleWithWebIdentity by - {} ext=- session={}",
                    w.role_arn,
                    w.session_name.clone().unwrap_or_default()
                ));
                signer = key_for(&w.role_arn);
            }
            HopSource::AssumeRole(r) => out.push(format!(
                "AssumeRole by {} {} ext={} session={}",
                std::mem::replace(&mut signer, key_for(&r.role_arn)),
                r.role_arn,
                r.external_id.as_deref().unwrap_or("-"),
                r.role_session_name.as_deref().unwrap_or("-")
            )),
            other => out.push(format!("{other:?}")),
        }
    }
    out
}

#[tokio::test]
async fn credwiz_resolves_the_chains_the_sdk_runs() {
    let sts = fake_sts();
    let dir = tempfile::tempdir().expect("dir");
    let token = dir.path().join("token.jwt");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln").expect("token");
    let keys = |id: &str| format!("aws_access_key_id = {id}\naws_secret_access_key = secret-{id}\n");
    let cases: Vec<(&str, String, String, &str)> = vec![
        (
            "one role from static keys",
            "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n".into(),
            format!("[base]\n{}", keys("AKIABASE")),
            "ops",
        ),
        (
            "two roles, external id and session name",
            "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\nrole_session_name = me\n[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = ops\nexternal_id = c0ffee-42\n".into(),
            format!("[base]\n{}", keys("AKIABASE")),
            "deploy",
        ),
        (
            "keys of a source profile win over its role",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = c\n".into(),
            format!("[a]\n{}[b]\n{}[c]\n{}", keys("AKIAA"), keys("AKIAB"), keys("AKIAC")),
            "a",
        ),
        (
            "a profile naming itself with its own keys",
            "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/self\nsource_profile = self\n".into(),
            format!("[self]\n{}", keys("AKIASELF")),
            "self",
        ),
        (
            "web identity as the source of a role",
            format!(
                "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\nweb_identity_token_file = {}\nrole_session_name = job\n[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = ci\n",
                token.display()
            ),
            String::new(),
            "deploy",
        ),
        (
            "a loop",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n".into(),
            String::new(),
            "a",
        ),
        (
            "a dangling source_profile",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = nope\n".into(),
            String::new(),
            "a",
        ),
        (
            "both source_profile and credential_source",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\ncredential_source = Environment\n".into(),
            format!("[b]\n{}", keys("AKIAB")),
            "a",
        ),
        (
            "a half key pair in the source profile",
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n".into(),
            "[b]\naws_access_key_id = AKIAB\n".into(),
            "a",
        ),
        (
            "an SSO session that does not exist",
            "[profile s]\nsso_session = nope\nsso_account_id = 123456789012\nsso_role_name = Dev\n".into(),
            String::new(),
            "s",
        ),
    ];
    for (docs, config, credentials, profile) in cases {
        let want = sdk_outline(dir.path(), &config, &credentials, profile, &sts).await;
        let got = credwiz_outline(&config, &credentials, profile);
        assert_eq!(got, want, "{docs}");
    }
}
