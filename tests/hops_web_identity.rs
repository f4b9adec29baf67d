//! The web identity hop: a valid token assumed through moto (which, like
//! AWS, hands out credentials for a good token); expired, cut, missing,
//! empty and opaque tokens found locally before any call (the claims decoded
//! without verifying); STS's own refusals through a fake.

mod hops_fakes;
mod support;

use credwiz::hops::resolve::WebIdentitySpec;
use credwiz::hops::{Cause, Clients, Context, Outcome, Scrubber, SdkClients, Status, web_identity};
use hops_fakes::{Fake, sts_error};
use std::time::Duration;

fn b64(s: &str) -> String {
    aws_smithy_types::base64::encode(s).trim_end_matches('=').replace('+', "-").replace('/', "_")
}

fn jwt(exp: i64) -> String {
    format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","kid":"k1"}"#),
        b64(&format!(
            r#"{{"iss":"https://oidc.eks.us-east-1.amazonaws.com/id/ABC","aud":"sts.amazonaws.com","sub":"system:serviceaccount:default:app","exp":{exp},"iat":{}}}"#,
            exp - 3600
        )),
        b64("signature-bytes-that-nobody-checks")
    )
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn run_with(endpoint: &str, token: Option<&str>) -> (Outcome, String) {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("token");
    if let Some(token) = token {
        std::fs::write(&file, token).expect("token");
    }
    let env = hops_fakes::env(dir.path(), &[]);
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, Duration::from_secs(5), &scrubber);
    let clients = SdkClients::new(hops_fakes::sdk_config(endpoint), None);
    let spec = WebIdentitySpec {
        role_arn: "arn:aws:iam::123456789012:role/irsa-app".into(),
        token_file: file.display().to_string(),
        session_name: Some("irsa-app".into()),
        from_env: true,
        job_token: None,
    };
    let out = web_identity::run(&clients.sts(None, None), &spec, &ctx).await;
    let text = format!("{:?} {:?}", out.evidence, out.stages);
    (out, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_valid_token_is_assumed_through_moto() {
    let moto = tokio::task::spawn_blocking(support::Moto::start).await.expect("moto");
    let token = jwt(now() + 3600);
    let (out, text) = run_with(&moto.endpoint(), Some(&token)).await;
    assert_eq!(out.status, Status::Pass, "{text}");
    let creds = out.credentials.expect("credentials");
    assert!(creds.assumed_role_arn.is_some_and(|a| a.contains("assumed-role/irsa-app/irsa-app")));
    assert!(text.contains("iss (issuer) https://oidc.eks"), "claims shown: {text}");
    assert!(!text.contains(&token) && !text.contains(&token[..40]), "the token itself never shows");
    drop(moto);
}

#[tokio::test]
async fn web_identity_token_invalid_before_any_call() {
    let fake = Fake::start(|_| sts_error(500, "InternalFailure", "should not be called"));
    let expired = jwt(now() - 600);
    let whole = jwt(now() + 3600);
    let cut = &whole[..60];
    let parts: Vec<&str> = whole.split('.').collect();
    let cut_payload = format!("{}.{}.{}", parts[0], &parts[1][..10], parts[2]);
    let cases: [(Option<&str>, &str); 6] = [
        (None, "does not exist"),
        (Some("\n"), "is empty"),
        (Some(&expired), "expired at"),
        (Some(cut), "cut or joined"),
        (Some(&cut_payload), "payload does not decode to a JSON object"),
        (Some("aoaAAAAAGopaqueaccesstoken"), "not a JWT"),
    ];
    for (token, want) in cases {
        let (out, text) = run_with(&fake.url(), token).await;
        assert_eq!(out.cause, Some(Cause::WebIdentityTokenInvalid), "{want}: {text}");
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(fake.requests().is_empty(), "no call for a token known bad");
}

#[tokio::test]
async fn refusals_from_sts_are_classified() {
    let fake = Fake::start(|req| match req.form("RoleSessionName").as_deref() {
        _ if req.form("WebIdentityToken").is_some_and(|t| t.ends_with("X")) => sts_error(
            400,
            "ExpiredTokenException",
            "Token expired: current date/time 1 must be before the expiration date/time 0",
        ),
        _ => sts_error(
            400,
            "InvalidIdentityToken",
            "No OpenIDConnect provider found in your account for https://oidc.eks",
        ),
    });
    let (out, text) = run_with(&fake.url(), Some(&jwt(now() + 3600))).await;
    assert_eq!(out.cause, Some(Cause::OidcProviderMissing), "SPEC 3d: {text}");
    assert!(text.contains("No OpenIDConnect provider"), "{text}");
    assert!(
        out.advice.as_deref().is_some_and(|a| a.contains("create-open-id-connect-provider --url https://oidc.eks")),
        "the command that creates the provider for the token's issuer: {:?}",
        out.advice
    );
    let (out, text) = run_with(&fake.url(), Some(&format!("{}X", jwt(now() + 3600)))).await;
    assert_eq!(out.cause, Some(Cause::WebIdentityTokenInvalid), "{text}");
    assert!(text.contains("STS says the token expired"), "{text}");
    let denied =
        Fake::start(|_| sts_error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
    let (out, _) = run_with(&denied.url(), Some(&jwt(now() + 3600))).await;
    assert_eq!(out.cause, Some(Cause::WebIdentityTrustMismatch), "SPEC 3d");
    assert!(out.claims.as_ref().and_then(|c| c.sub.as_deref()) == Some("system:serviceaccount:default:app"));
    assert!(denied.requests().iter().all(|r| r.signing_key().is_none()), "sent unsigned, as the SDK sends it");
}
