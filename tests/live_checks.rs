//! Live checks with the real SDK against a real emulator: moto_server (from
//! the test virtualenv) on a free loopback port, seeded over IAM, with auth
//! enforcement on. Each test names the cause id it expects, and no seeded
//! secret may appear in stdout, stderr, the JSON or the log file.

mod support;

use std::io::Read;
use std::net::TcpListener;
use std::sync::OnceLock;
use support::{Moto, SELF_READ, SeededUser, check_by_id, check_json, home, primary};

struct World {
    moto: Moto,
    /// Two keys; key 1 deleted.
    alice: SeededUser,
    /// No policy at all.
    bob: SeededUser,
    /// Two live keys (a rotation under way).
    carol: SeededUser,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let moto = Moto::start();
        let alice = moto.user("alice", Some(SELF_READ), 2, &[1]);
        let bob = moto.user("bob", None, 1, &[]);
        let carol = moto.user("carol", Some(SELF_READ), 2, &[]);
        moto.enforce_auth();
        World { moto, alice, bob, carol }
    })
}

fn creds(id: &str, secret: &str) -> String {
    format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n")
}

const REGION: &str = "[default]\nregion = us-east-1\n";

/// Runs a check and asserts the primary cause, and that no seeded secret leaked.
fn expect(credentials: &str, config: &str, env: &[(&str, &str)], args: &[&str], cause: &str) -> serde_json::Value {
    let w = world();
    let dir = home(Some(credentials), Some(config));
    let (report, out) = check_json(dir.path(), &w.moto.endpoint(), env, args);
    assert_eq!(primary(&report), cause, "report: {}", serde_json::to_string_pretty(&report).unwrap_or_default());
    support::contract::wizard_agrees(dir.path(), &w.moto.endpoint(), env, args, &report);
    let expected_exit = if cause.is_empty() { 0 } else { 1 };
    assert_eq!(out.status.code(), Some(expected_exit), "exit status");
    let mut log = String::new();
    if let Ok(mut f) = std::fs::File::open(dir.path().join("logs/credwiz.log")) {
        let _ = f.read_to_string(&mut log);
    }
    let printed = format!("{}{}{log}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for user in [&w.alice, &w.bob, &w.carol] {
        for (_, secret) in &user.keys {
            assert!(!printed.contains(secret.as_str()), "a secret leaked into the output or log");
        }
    }
    report
}

#[test]
fn healthy_keys_pass_every_step() {
    let (id, secret) = &world().alice.keys[0];
    let report = expect(&creds(id, secret), REGION, &[], &[], "");
    assert_eq!(report["identity"]["arn"], world().alice.arn.as_str());
    assert_eq!(report["source"]["kind"], "shared-credentials-file");
    assert_eq!(report["source"]["location"], "~/.aws/credentials:2");
    assert!(report["source"]["access_key_id"].as_str().is_some_and(|k| k.starts_with("****************")));
    assert_eq!(report["region"]["value"], "us-east-1");
    let steps: Vec<&str> =
        report["steps"].as_array().map(|s| s.iter().filter_map(|s| s["step"].as_str()).collect()).unwrap_or_default();
    assert_eq!(steps, ["credentials", "expiry", "mfa", "account-region", "iam-scp"]);
    // One fresh key: its last use is not asked for (one IAM request less).
    assert_eq!(key_status(&report)["evidence"], serde_json::Value::Null, "{}", key_status(&report));
}

/// The `key-status` check of a report.
fn key_status(report: &serde_json::Value) -> serde_json::Value {
    check_by_id(report, "key-status")
}

#[test]
fn a_key_with_a_sibling_shows_where_it_was_last_used() {
    let (id, secret) = &world().carol.keys[1];
    let report = expect(&creds(id, secret), REGION, &[], &[], "");
    let evidence = key_status(&report)["evidence"].to_string();
    assert!(evidence.contains("last used"), "{}", key_status(&report));
}

#[test]
fn deleted_key_is_unknown_access_key() {
    let (id, secret) = &world().alice.keys[1];
    let report = expect(&creds(id, secret), REGION, &[], &[], "unknown-access-key");
    let check = &report["steps"][0]["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "sts-caller-identity").cloned())
        .unwrap_or_default();
    assert_eq!(check["error_code"], "InvalidClientTokenId");
}

#[test]
fn wrong_secret_is_secret_mismatch() {
    let w = world();
    expect(&creds(&w.alice.keys[0].0, &w.bob.keys[0].1), REGION, &[], &[], "secret-mismatch");
}

#[test]
fn quoted_or_padded_values_are_credential_whitespace_not_a_mismatch() {
    let (id, secret) = &world().alice.keys[0];
    expect(&creds(id, &format!("\"{secret}\"")), REGION, &[], &[], "credential-whitespace");
    expect(&creds(&format!("{id}\u{200B}"), secret), REGION, &[], &[], "credential-whitespace");
}

#[test]
fn shape_problems_are_named_before_the_rejection() {
    let (id, secret) = &world().alice.keys[0];
    expect(&creds(&id.to_lowercase(), secret), REGION, &[], &[], "credential-malformed");
    expect(&creds(secret, id), REGION, &[], &[], "key-secret-swapped");
    expect(
        &creds("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        REGION,
        &[],
        &[],
        "example-credentials",
    );
    let asia = format!("ASIA{}", &id[4..]);
    expect(&creds(&asia, secret), REGION, &[], &[], "session-token-missing");
    let with_token = format!("{}aws_session_token = IQoJstaletoken\n", creds(id, secret));
    expect(&with_token, REGION, &[], &[], "session-token-unexpected");
}

#[test]
fn file_problems() {
    let (id, secret) = &world().alice.keys[0];
    let misnamed = format!("[profile dev]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
    expect(
        &misnamed,
        "[profile dev]\nregion = us-east-1\n",
        &[("AWS_PROFILE", "dev")],
        &[],
        "profile-misnamed-section",
    );
    expect(&creds(id, secret), REGION, &[("AWS_PROFILE", "stagign")], &[], "profile-not-found");
    // `[default]` beside `[profile default]` in the config file: the SDKs read
    // only the second, so the first is dead text; the profile itself works.
    let both = "[default]\nregion = eu-west-1\n[profile default]\nregion = us-east-1\n";
    let report = expect(&creds(id, secret), both, &[], &[], "");
    assert_eq!(report["region"]["value"], "us-east-1");
    let warned = report["warnings"].as_array().into_iter().flatten();
    let shadowed: Vec<_> = warned.filter(|w| w["cause"] == "profile-misnamed-section").collect();
    assert_eq!(shadowed.len(), 1, "{report:#}");
    assert!(shadowed[0]["fix"].as_str().is_some_and(|f| f.contains("merge its keys into [profile default]")));
    let misspelled = format!("[default]\naws_access_key_id = {id}\naws_secret_key = {secret}\n");
    expect(&misspelled, REGION, &[], &[], "missing-credential-field");
    expect("# nothing here\n", REGION, &[], &[], "no-credentials");
    expect(&creds(id, secret), REGION, &[("AWS_ACCESS_KEY_ID", id)], &[], "missing-credential-field");
}

#[test]
fn stale_env_keys_are_env_overrides_profile() {
    let w = world();
    let (good_id, good_secret) = &w.alice.keys[0];
    let (bad_id, bad_secret) = &w.alice.keys[1];
    let text = format!("[dev]\naws_access_key_id = {good_id}\naws_secret_access_key = {good_secret}\n");
    let env = [
        ("AWS_PROFILE", "dev"),
        ("AWS_ACCESS_KEY_ID", bad_id.as_str()),
        ("AWS_SECRET_ACCESS_KEY", bad_secret.as_str()),
    ];
    let report = expect(&text, "[profile dev]\nregion = eu-west-1\n", &env, &[], "env-overrides-profile");
    assert_eq!(report["source"]["kind"], "env");
    assert_eq!(report["source"]["shadowed"][0]["kind"], "shared-credentials-file");
    assert!(
        report["causes"][0]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY"))
    );
}

#[test]
fn account_and_region_causes() {
    let (id, secret) = &world().alice.keys[0];
    expect(&creds(id, secret), REGION, &[], &["--expect-account", "111122223333"], "wrong-account");
    expect(&creds(id, secret), "[default]\nregion = us-east1\n", &[], &[], "region-invalid");
    expect(&creds(id, secret), "[default]\noutput = json\n", &[], &[], "region-missing");
    expect(
        &creds(id, secret),
        "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:user/alice\n",
        &[],
        &[],
        "mfa-serial-invalid",
    );
}

#[test]
fn denied_action_without_policy_is_no_identity_allow() {
    let (id, secret) = &world().bob.keys[0];
    let report = expect(&creds(id, secret), REGION, &[], &["--action", "iam:ListUsers"], "no-identity-allow");
    assert_eq!(report["causes"][0]["step"], "iam-scp");
    // credwiz's own diagnostic reads were denied too: warnings, never failures.
    assert!(report["warnings"].as_array().is_some_and(|w| !w.is_empty()));
}

#[test]
fn expired_expiry_field_is_credentials_expired() {
    let (id, secret) = &world().alice.keys[0];
    let text = format!("{}aws_expiration = 2020-01-01T00:00:00Z\n", creds(id, secret));
    expect(&text, REGION, &[], &[], "credentials-expired");
}

#[test]
fn a_refused_override_is_endpoint_override_and_a_hang_endpoint_unreachable_within_the_timeout() {
    let (id, secret) = &world().alice.keys[0];
    let dir = home(Some(&creds(id, secret)), Some(REGION));
    let refused = format!("http://127.0.0.1:{}", support::free_port());
    let started = std::time::Instant::now();
    let (report, _) = check_json(dir.path(), &refused, &[], &["--timeout", "3"]);
    // Nothing listens where AWS_ENDPOINT_URL points: the leftover override is the cause.
    assert_eq!(primary(&report), "endpoint-override");
    assert!(report.to_string().contains("AWS_ENDPOINT_URL"), "names the setting: {report}");
    assert!(started.elapsed().as_secs_f64() < 3.0, "refused port took {:?}", started.elapsed());

    // A server that accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(4).flatten() {
            held.push(stream);
        }
        std::thread::sleep(std::time::Duration::from_secs(5));
    });
    let started = std::time::Instant::now();
    let (report, _) = check_json(dir.path(), &format!("http://127.0.0.1:{port}"), &[], &["--timeout", "3"]);
    assert_eq!(primary(&report), "endpoint-unreachable");
    let ran_ms = report["duration_ms"].as_u64().unwrap_or(u64::MAX);
    assert!(ran_ms <= 3_300, "the run took {ran_ms} ms with --timeout 3");
    assert!(started.elapsed().as_secs_f64() < 8.0, "a hanging endpoint took {:?} in all", started.elapsed());
    drop(holder);
}

#[test]
fn usage_errors_exit_2() {
    let w = world();
    let dir = home(Some("[default]\n"), Some(REGION));
    let out = support::credwiz(dir.path(), &w.moto.endpoint(), &[], &["check", "--action", "nocolon"]);
    assert_eq!(out.status.code(), Some(2));
    // Options before the subcommand count too; they are never dropped silently.
    let out = support::credwiz(dir.path(), &w.moto.endpoint(), &[], &["--action", "nocolon", "check"]);
    assert_eq!(out.status.code(), Some(2));
    // Values that are not what they claim are usage errors, not findings.
    for args in [["check", "--expect-account", "abc"], ["check", "--mfa-code", "abc"]] {
        let out = support::credwiz(dir.path(), &w.moto.endpoint(), &[], &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    std::fs::write(dir.path().join(".aws/config"), b"[default]\nregion = \xff\n").expect("write");
    let out = support::credwiz(dir.path(), &w.moto.endpoint(), &[], &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("config"), "names the file");
}

#[test]
fn an_mfa_session_is_written_to_its_own_profile() {
    let w = world();
    let (id, secret) = &w.alice.keys[0];
    // moto does not validate MFA codes or serials: any code gives a session.
    let config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    let dir = home(Some(&creds(id, secret)), Some(config));
    let out = support::credwiz(
        dir.path(),
        &w.moto.endpoint(),
        &[],
        &["check", "--json", "--mfa-code", "123456", "--write-session"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wrote the MFA session to profile default-mfa"), "{stderr}");
    let written = std::fs::read_to_string(dir.path().join(".aws/credentials")).expect("credentials");
    assert!(written.starts_with(&creds(id, secret)), "the long-term keys stay as they were:\n{written}");
    let section = written.split("[default-mfa]").nth(1).expect("a [default-mfa] section");
    assert!(
        section.contains("aws_access_key_id = ")
            && section.contains("aws_session_token = ")
            && section.contains("aws_expiration = "),
        "{section}"
    );
    assert!(!stderr.contains(secret.as_str()));
    let config = std::fs::read_to_string(dir.path().join(".aws/config")).expect("config");
    assert!(config.contains("[profile default-mfa]\nregion = us-east-1"), "{config}");
}
