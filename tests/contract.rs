//! The contract between the two front ends in worlds without an emulator:
//! `credwiz check --json` (the binary) and the wizard (driven without a
//! terminal through its own `update` and effects) reach the same step
//! statuses, primary cause and warnings. The moto worlds check the same
//! contract in `live_checks.rs`, the fakes in `assess_fakes.rs`.

mod support;

use credwiz::base::environment::Environment;
use credwiz::diagnose::{Options, gather};
use std::time::Duration;
use support::contract::{assert_agree, wizard_live};

/// A port where nothing listens: the live checks fail fast.
const NOBODY: &str = "http://127.0.0.1:9";

fn agree(credentials: Option<&str>, config: Option<&str>, env: &[(&str, &str)], cause: &str) {
    let home = support::home(credentials, config);
    let (check, _) = support::check_json(home.path(), NOBODY, env, &[]);
    assert_eq!(support::primary(&check), cause, "{check}");
    let mut pairs = vec![("AWS_ENDPOINT_URL", NOBODY), ("AWS_EC2_METADATA_DISABLED", "true")];
    pairs.extend_from_slice(env);
    let gathered = gather(Environment::from_pairs(pairs, Some(home.path().to_path_buf()))).expect("gather");
    let options = Options { timeout: Duration::from_secs(10), ..Options::default() };
    let app = wizard_live(gathered, None, options);
    assert_agree(&app.report, &check);
}

#[test]
fn an_sso_profile_never_logged_in_is_sso_session_expired_in_both() {
    let config = "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
    agree(None, Some(config), &[], "sso-session-expired");
}

#[test]
fn an_unreachable_endpoint_and_offline_lints_agree() {
    let keys = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n";
    agree(Some(keys), Some("[default]\nregion = us-east-1\n"), &[], "endpoint-override");
    agree(Some(keys), Some("[default]\nregion = us-east1\n"), &[], "endpoint-override");
    agree(None, Some("[default]\nregion = us-east-1\n"), &[("AWS_PROFILE", "nope")], "profile-not-found");
}
