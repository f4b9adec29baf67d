//! The wizard on a GitHub Actions job refused by its role's trust: the
//! credentials panel's check shows the token's claims beside the trust
//! conditions, and `c` copies the corrected trust policy (shown, put on the
//! clipboard, written nowhere).

mod support;

use credwiz::diagnose::Options;
use credwiz::diagnose::input::options::{PolicyFile, PolicyLayer};
use credwiz::diagnose::run::check::{LiveCheck, LiveValue};
use credwiz::hops::{self, Cause, SourceKind};
use credwiz::tui::app::Modal;
use credwiz::tui::msg::Effect;
use crossterm::event::KeyCode;
use support::wizard::{app_env, key, outcome, started};

const ROLE: &str = "arn:aws:iam::123456789012:role/gha-deploy";
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}"#;

fn refused_hop() -> hops::Outcome {
    let mut hop =
        hops::Outcome::new(SourceKind::WebIdentity, format!("GitHub Actions OIDC: AssumeRoleWithWebIdentity {ROLE}"));
    hop.note("STS accepted the token but the role's trust policy refused it");
    hop.claims = Some(hops::jwt::Claims {
        iss: Some("https://token.actions.githubusercontent.com".into()),
        aud: vec!["sts.amazonaws.com".into()],
        sub: Some("repo:octo-org/octo-repo:environment:prod".into()),
        ..hops::jwt::Claims::default()
    });
    hop.fail(Cause::WebIdentityTrustMismatch);
    hop
}

#[test]
fn c_copies_the_corrected_trust_policy_beside_the_claims_and_conditions() {
    let trust = PolicyFile { layer: PolicyLayer::Trust, path: "trust.json".into(), text: TRUST.into() };
    let options = Options { policy_files: vec![trust], ..Options::default() };
    let env = [("GITHUB_ACTIONS", "true"), ("AWS_ROLE_ARN", ROLE)];
    let app = app_env("[default]\nregion = us-east-1\n", "", &env, options);
    let chain = outcome(LiveCheck::Chain, Ok(LiveValue::Chain(vec![refused_hop()])));
    let mut app = started(app, vec![chain]);
    let finding = app
        .report
        .steps
        .iter()
        .flat_map(|s| &s.checks)
        .find(|c| c.cause == Some(Cause::WebIdentityTrustMismatch))
        .expect("the hop's finding");
    let evidence = finding.evidence.join("\n");
    assert!(
        evidence.contains("[FAIL] StringLike token.actions.githubusercontent.com:sub = repo:octo-org/octo-repo:ref:refs/heads/main   | token: repo:octo-org/octo-repo:environment:prod"),
        "the condition beside the claim: {evidence}"
    );
    app.update(key(KeyCode::Char('1')));
    let effects = app.update(key(KeyCode::Char('c')));
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("nothing copied: {effects:?}") };
    let policy: serde_json::Value = serde_json::from_str(text).expect("the corrected policy is JSON");
    let subs = &policy["Statement"][0]["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"];
    assert_eq!(subs[1], "repo:octo-org/octo-repo:environment:prod", "{text}");
    assert_eq!(subs[0], "repo:octo-org/octo-repo:ref:refs/heads/main", "the old value is kept: {text}");
    assert!(matches!(&app.view.modal, Some(Modal::Copied { text: shown, .. }) if shown == text), "shown as well");
    assert!(!effects.iter().any(|e| matches!(e, Effect::Save { .. })), "nothing is written");
}
