//! `credwiz scan` end to end against moto (and, for the inactive key, a small
//! fault proxy in front of it, since moto accepts Inactive keys and AWS does
//! not): the exit statuses of SPEC 7, the JSON of SPEC 7, and each
//! cross-profile finding by name: the same key with two secrets (the stale
//! copy named), a rejected key seen Inactive through an admin profile (the
//! owner found by walking the users when the direct read is denied, which is
//! a warning), misnamed and shadowed sections, and SSO profiles sharing one
//! expired session. `check` (and the wizard) report the finding that concerns
//! their profile, the inactive key seen through another profile included.

mod support;

use serde_json::Value;
use support::{Moto, SELF_READ};

/// A port where nothing listens: live checks fail fast.
const NOBODY: &str = "http://127.0.0.1:9";

/// A valid-looking secret that is nobody's.
const WRONG_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz";

fn scan(home: &std::path::Path, endpoint: &str, args: &[&str]) -> (Value, std::process::Output) {
    support::command_json("scan", home, endpoint, &[], args)
}

fn profile<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["profiles"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["profile"] == name))
        .unwrap_or_else(|| panic!("no {name}: {json:#}"))
}

fn findings<'a>(json: &'a Value, id: &str) -> Vec<&'a Value> {
    json["findings"].as_array().map(|all| all.iter().filter(|f| f["id"] == id).collect()).unwrap_or_default()
}

fn names(finding: &Value) -> Vec<&str> {
    finding["profiles"].as_array().map(|p| p.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn keys(id: &str, secret: &str) -> String {
    format!("aws_access_key_id = {id}\naws_secret_access_key = {secret}\n")
}

#[test]
fn exit_statuses_and_the_json_of_spec_7() {
    let moto = Moto::start();
    let alice = moto.user("alice", Some(SELF_READ), 2, &[1]);
    moto.enforce_auth();
    let ((good_id, good), (gone_id, gone)) = (&alice.keys[0], &alice.keys[1]);
    let config = "[profile good]\nregion = us-east-1\n[profile gone]\nregion = us-east-1\n";

    let healthy =
        support::home(Some(&format!("[good]\n{}", keys(good_id, good))), Some("[profile good]\nregion = us-east-1\n"));
    let (json, out) = scan(healthy.path(), &moto.endpoint(), &[]);
    assert_eq!(out.status.code(), Some(0), "{json:#}");
    assert_eq!(json["schema"], 1);
    assert!(json["duration_ms"].is_u64() && json["findings"].as_array().is_some_and(Vec::is_empty), "{json:#}");
    let good_report = profile(&json, "good");
    assert_eq!(good_report["identity"]["arn"], alice.arn.as_str());
    assert!(good_report["steps"].is_array() && good_report["causes"].as_array().is_some_and(Vec::is_empty));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("profiles checked"), "progress only on a terminal");

    let broken =
        support::home(Some(&format!("[good]\n{}[gone]\n{}", keys(good_id, good), keys(gone_id, gone))), Some(config));
    let (json, out) = scan(broken.path(), &moto.endpoint(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(profile(&json, "gone")["causes"][0]["cause"], "unknown-access-key");
    let text = support::credwiz(broken.path(), &moto.endpoint(), &[("NO_COLOR", "1")], &["scan"]);
    let table = String::from_utf8_lossy(&text.stdout);
    assert!(table.contains("PROFILE") && table.contains("EXPIRES"), "{table}");
    let gone_line = table.lines().find(|l| l.contains(" gone ")).unwrap_or_default();
    assert!(
        gone_line.starts_with('✗') && gone_line.contains("unknown-access-key:") && !table.contains('\u{1b}'),
        "{table}"
    );
    for secret in [good, gone] {
        assert!(!table.contains(secret.as_str()) && !String::from_utf8_lossy(&text.stderr).contains(secret.as_str()));
    }

    // Could not run: 2, with the reason.
    for (args, why) in [
        (vec!["scan", "--timeout", "0"], "--timeout"),
        (vec!["--mfa-code", "123456", "scan"], "--mfa-code"),
        (vec!["scan", "--concurrency", "0"], "concurrency"),
    ] {
        let out = support::credwiz(healthy.path(), NOBODY, &[], &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(why),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let empty = support::home(None, None);
    let out = support::credwiz(empty.path(), NOBODY, &[], &["scan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to scan"));
    let unreadable = support::home(None, Some(config));
    std::fs::create_dir(unreadable.path().join(".aws/credentials")).expect("a directory where the file should be");
    let out = support::credwiz(unreadable.path(), NOBODY, &[], &["scan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("credentials"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_same_key_with_different_secrets_names_the_stale_copy() {
    let moto = Moto::start();
    let alice = moto.user("alice", Some(SELF_READ), 1, &[]);
    moto.enforce_auth();
    let (id, secret) = &alice.keys[0];
    let credentials = format!("[laptop]\n{}[old-laptop]\n{}", keys(id, secret), keys(id, WRONG_SECRET));
    let home = support::home(Some(&credentials), Some("[default]\nregion = us-east-1\n"));
    let (json, out) = scan(home.path(), &moto.endpoint(), &["--concurrency", "2"]);
    assert_eq!(out.status.code(), Some(1));
    let dup = findings(&json, "duplicate-key");
    assert_eq!(dup.len(), 1, "{json:#}");
    assert_eq!(names(dup[0]), ["laptop", "old-laptop"]);
    assert_eq!((dup[0]["status"].as_str(), dup[0]["cause"].as_str()), (Some("fail"), Some("secret-mismatch")));
    assert!(
        dup[0]["fix"].as_str().is_some_and(|f| f.contains("copy the secret of `laptop` into `old-laptop`")),
        "{:#}",
        dup[0]
    );
    assert_eq!(profile(&json, "old-laptop")["causes"][0]["cause"], "secret-mismatch");
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(
        !all.contains(secret.as_str()) && !all.contains(WRONG_SECRET) && !all.contains(id.as_str()),
        "secrets and key ids stay masked"
    );

    // `check` on the stale profile names the other copy.
    let (report, _) = support::check_json(home.path(), &moto.endpoint(), &[], &["--profile", "old-laptop"]);
    let checks: Vec<&Value> = report["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["checks"].as_array().into_iter().flatten())
        .collect();
    let other = checks.iter().find(|c| c["id"] == "other-profiles").unwrap_or_else(|| panic!("{report:#}"));
    assert!(other["summary"].as_str().is_some_and(|s| s.contains("`laptop`") && s.contains("current")), "{other:#}");
}

/// A loopback proxy in front of moto that rejects one key the way AWS answers
/// an Inactive key; returns its endpoint.
fn rejecting_proxy(upstream: u16, rejected: &str) -> String {
    const INVALID: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>0e1f</RequestId></ErrorResponse>";
    let credential = format!("Credential={rejected}/");
    support::fault::proxy(
        upstream,
        std::sync::Arc::new(move |head: &str, _: &str| head.contains(&credential).then(|| (403, INVALID.to_string()))),
    )
}

#[test]
fn a_rejected_key_seen_inactive_through_an_admin_profile_is_key_inactive() {
    let (_moto, endpoint, home, bob_secret) = inactive_key_world("bob", "admin");
    let (json, out) = scan(home.path(), &endpoint, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(profile(&json, "bob")["causes"][0]["cause"], "key-inactive", "{:#}", profile(&json, "bob"));
    let inactive = findings(&json, "inactive-key");
    assert_eq!(inactive.len(), 1, "{json:#}");
    assert_eq!(names(inactive[0]), ["bob", "admin"]);
    assert!(inactive[0]["summary"].as_str().is_some_and(|s| s.contains("user `bob`")), "{:#}", inactive[0]);
    // The denied direct read is a warning of the lookup, not a failure.
    let lookup = findings(&json, "key-owner-lookup");
    assert!(
        lookup.iter().any(|f| f["status"] == "warn"
            && f["summary"].as_str().is_some_and(|s| s.contains("iam:GetAccessKeyLastUsed denied"))),
        "{json:#}"
    );
    assert!(profile(&json, "admin")["causes"].as_array().is_some_and(Vec::is_empty), "{:#}", profile(&json, "admin"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&bob_secret));
}

#[test]
fn misnamed_and_shadowed_sections_are_named_across_profiles() {
    let moto = Moto::start();
    let alice = moto.user("alice", Some(SELF_READ), 1, &[]);
    moto.enforce_auth();
    let (id, secret) = &alice.keys[0];
    let config = "[dev]\nregion = eu-west-1\n[default]\nregion = eu-west-2\n[profile default]\nregion = us-east-1\n";
    let credentials = format!("[default]\n{}[profile ops]\n{}", keys(id, secret), keys(id, secret));
    let home = support::home(Some(&credentials), Some(config));
    let (json, _) = scan(home.path(), &moto.endpoint(), &[]);
    let across = json["findings"].as_array().expect("findings");
    assert!(across.iter().all(|f| f["status"] == "warn" && f["cause"] == "profile-misnamed-section"), "{json:#}");
    let unusable: Vec<Vec<&str>> = findings(&json, "unusable-section").into_iter().map(names).collect();
    assert_eq!(unusable, [["dev"], ["ops"]]);
    let shadowed = findings(&json, "shadowed-section");
    assert_eq!(shadowed.len(), 1);
    assert!(shadowed[0]["summary"].as_str().is_some_and(|s| s.starts_with("~/.aws/config:3")), "{:#}", shadowed[0]);
    assert!(findings(&json, "unusable-section")[0]["fix"] == "rename the header to [profile dev]");
    // Each is said once, across profiles: a profile's own report names only
    // its own section (here default's shadowed twin), not every ignored one.
    let own: Vec<&str> = profile(&json, "default")["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["checks"].as_array().into_iter().flatten())
        .filter(|c| c["cause"] == "profile-misnamed-section")
        .filter_map(|c| c["summary"].as_str())
        .collect();
    assert_eq!(own.len(), 1, "{own:#?}");
    assert!(own[0].starts_with("[default] is ignored"), "{own:#?}");
}

#[test]
fn sso_profiles_sharing_an_expired_session_get_one_login() {
    let config = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = eu-west-1\n\
                  [profile prod]\nsso_session = corp\nsso_account_id = 210987654321\nsso_role_name = ReadOnly\nregion = eu-west-1\n\
                  [sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n";
    let home = support::home(None, Some(config));
    let env = credwiz::base::environment::Environment::from_pairs(
        Vec::<(String, String)>::new(),
        Some(home.path().to_path_buf()),
    );
    let cache = credwiz::hops::sso::cache::path(&env, "corp").expect("cache path");
    std::fs::create_dir_all(cache.parent().expect("dir")).expect("mkdir");
    std::fs::write(&cache, r#"{"startUrl":"https://d-1234567890.awsapps.com/start","region":"eu-west-1","accessToken":"aoaAAAAAGexpiredtokenexpiredtoken","expiresAt":"2025-01-01T00:00:00Z"}"#).expect("cache");
    let (json, out) = scan(home.path(), NOBODY, &[]);
    assert_eq!(out.status.code(), Some(1));
    let shared = findings(&json, "shared-sso-session-expired");
    assert_eq!(shared.len(), 1, "{json:#}");
    assert_eq!(names(shared[0]), ["dev", "prod"]);
    assert!(
        shared[0]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("aws sso login --sso-session corp") && f.contains("both profiles")),
        "{:#}",
        shared[0]
    );
    for name in ["dev", "prod"] {
        assert_eq!(profile(&json, name)["causes"][0]["cause"], "sso-session-expired");
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains("expiredtokenexpired"));
    // `check` on one of them says the login fixes the other too.
    let (report, _) = support::check_json(home.path(), NOBODY, &[], &["--profile", "dev"]);
    let expiry =
        report["steps"].as_array().and_then(|s| s.iter().find(|s| s["step"] == "expiry")).expect("expiry step");
    let other = expiry["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == "other-profiles"));
    assert!(
        other.is_some_and(|c| c["summary"]
            .as_str()
            .is_some_and(|s| s.contains("`prod`") && s.contains("aws sso login"))),
        "{expiry:#}"
    );
}

#[test]
fn rejected_environment_keys_are_named_on_the_profile_they_shadow() {
    let moto = Moto::start();
    let alice = moto.user("alice", Some(SELF_READ), 1, &[]);
    moto.enforce_auth();
    let (good_id, good) = &alice.keys[0];
    let home =
        support::home(Some(&format!("[dev]\n{}", keys(good_id, good))), Some("[profile dev]\nregion = us-east-1\n"));
    let env = [
        ("AWS_PROFILE", "dev"),
        ("AWS_ACCESS_KEY_ID", "AKIAZZZZZZZZZZZZZZZZ"),
        ("AWS_SECRET_ACCESS_KEY", WRONG_SECRET),
    ];
    let (json, out) = support::command_json("scan", home.path(), &moto.endpoint(), &env, &[]);
    assert_eq!(out.status.code(), Some(1), "{json:#}");
    let env_row = profile(&json, "(env)");
    assert_eq!(env_row["causes"][0]["cause"], "env-overrides-profile", "{json:#}");
    let dev = profile(&json, "dev");
    assert_eq!(dev["identity"]["arn"], alice.arn.as_str(), "dev's own keys work: {json:#}");
    let warned = dev["warnings"].as_array().is_some_and(|w| w.iter().any(|c| c["cause"] == "env-overrides-profile"));
    assert!(warned, "dev is shadowed by the environment's keys: {json:#}");

    // Without AWS_PROFILE the shadowed profile is `default`; `dev` is left alone.
    let (json, out) = support::command_json("scan", home.path(), &moto.endpoint(), &env[1..], &[]);
    let dev = profile(&json, "dev");
    assert!(
        dev["warnings"].as_array().is_none_or(|w| w.iter().all(|c| c["cause"] != "env-overrides-profile")),
        "{json:#}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(WRONG_SECRET));
}

#[test]
fn the_table_fits_the_terminal_width_names_cut_causes_under_the_row() {
    let long = "a-very-long-profile-name-for-the-organisation-account-and-role-admin-in-production";
    let secret = WRONG_SECRET;
    let credentials =
        format!("[{long}]\n{}[short]\n{}", keys("AKIAQWERTYUIOPASDFGH", secret), keys("AKIAQWERTYUIOPASDFGZ", secret));
    let config = format!("[profile {long}]\nregion = us-east-1\n[profile short]\nregion = us-east-1\n");
    let home = support::home(Some(&credentials), Some(&config));
    let run = |columns: Option<&str>| {
        let mut env = vec![("NO_COLOR", "1"), ("AWS_MAX_ATTEMPTS", "1")];
        if let Some(c) = columns {
            env.push(("COLUMNS", c));
        }
        let out = support::credwiz(home.path(), NOBODY, &env, &["scan", "--timeout", "3"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let width = |l: &str| l.chars().count();
    for columns in [80usize, 120] {
        let table = run(Some(&columns.to_string()));
        assert!(table.lines().all(|l| width(l) <= columns), "{columns} columns:\n{table}");
        let row = table.lines().find(|l| l.contains("a-very-long")).expect("the long profile's row");
        assert!(row.contains('…') && !row.contains(long), "{table}");
        let causes: Vec<&str> = table.lines().filter(|l| l.starts_with("    ") && l.contains(':')).collect();
        assert!(!causes.is_empty(), "the cause wraps under its row:\n{table}");
        let ids = ["endpoint-override", "endpoint-unreachable", "dns-failure", "proxy-failed", "unknown-access-key"];
        assert!(
            table.lines().any(|l| ids.iter().any(|id| l.contains(&format!("{id}:")))),
            "a cause id, whole:\n{table}"
        );
        assert!(!table.lines().any(|l| l.trim_end().ends_with('-')), "a line broken at a hyphen:\n{table}");
    }
    let piped = run(None);
    assert!(piped.contains(long), "without a width nothing is cut:\n{piped}");
}

/// Seeds `user` (self-read, its key set Inactive) and `admin` (who may list
/// users and their keys, not read a key's last use directly), auth enforced,
/// a proxy rejecting the inactive key as AWS does, and a HOME with both
/// profiles; returns moto, the proxy's endpoint, the home and `user`'s secret.
fn inactive_key_world(user: &str, admin: &str) -> (Moto, String, tempfile::TempDir, String) {
    let moto = Moto::start();
    let inactive = moto.user(user, Some(SELF_READ), 1, &[]);
    let lister = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:ListAccessKeys","sts:GetCallerIdentity"],"Resource":"*"}]}"#;
    let lister = moto.user(admin, Some(lister), 1, &[]);
    let (id, secret) = &inactive.keys[0];
    let iam = std::process::Command::new(support::venv().join("bin/aws"))
        .args(["iam", "update-access-key", "--user-name", user, "--status", "Inactive", "--access-key-id", id])
        .args(["--endpoint-url", &moto.endpoint(), "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .output()
        .expect("aws cli");
    assert!(iam.status.success(), "{}", String::from_utf8_lossy(&iam.stderr));
    moto.enforce_auth();
    let endpoint = rejecting_proxy(moto.port, id);
    let credentials =
        format!("[{admin}]\n{}[{user}]\n{}", keys(&lister.keys[0].0, &lister.keys[0].1), keys(id, secret));
    let config = format!("[profile {admin}]\nregion = us-east-1\n[profile {user}]\nregion = us-east-1\n");
    let home = support::home(Some(&credentials), Some(&config));
    let secret = secret.clone();
    (moto, endpoint, home, secret)
}

#[test]
fn check_names_the_inactive_key_another_profile_sees_as_scan_does() {
    let (_moto, endpoint, home, _) = inactive_key_world("dev", "ops-admin");
    let (json, out) = support::check_json(home.path(), &endpoint, &[], &["--profile", "dev"]);
    assert_eq!(out.status.code(), Some(1), "{json:#}");
    assert_eq!(support::primary(&json), "key-inactive", "{json:#}");
    let text = json.to_string();
    assert!(text.contains("seen through profile ops-admin"), "{json:#}");
    // The wizard runs the same engine path, lookup included.
    support::contract::wizard_agrees(home.path(), &endpoint, &[], &["--profile", "dev"], &json);
}
