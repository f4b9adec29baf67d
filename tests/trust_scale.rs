//! `scan` at the scale of an organisation (issue 19, items 3 and 4), through
//! the real binary: thousands of profiles are all listed within `--timeout`
//! (those not reached marked as not checked), and a long `source_profile`
//! chain is reported bounded, so the output grows with the profiles, not
//! with the square of the chain's length.

mod trust_support;

use std::fmt::Write as _;
use std::time::Duration;
use trust_support::{Answer, Fake, aws_error, home, run};

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", &stdout[..stdout.len().min(2000)]))
}

/// The ids of a profile report's checks.
fn check_ids(report: &serde_json::Value) -> Vec<String> {
    report["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["checks"].as_array().into_iter().flatten())
        .filter_map(|c| c["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn thousands_of_profiles_are_all_listed_within_the_timeout() {
    let fake = Fake::start(|_| {
        aws_error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
    });
    let mut credentials = String::new();
    for i in 0..3000 {
        let _ = write!(
            credentials,
            "[p{i}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{i:010}\n\n"
        );
    }
    let home = home(Some(&credentials), None);
    let ran =
        run(home.path(), Some(&fake.url()), &[("AWS_REGION", "us-east-1")], &["scan", "--timeout", "4", "--json"]);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let report = json(&ran.stdout);
    let profiles = report["profiles"].as_array().expect("profiles");
    assert_eq!(profiles.len(), 3000, "every profile is listed");
    let unchecked = profiles.iter().filter(|p| check_ids(p).iter().any(|id| id == "not-checked")).count();
    let checked = profiles.iter().filter(|p| check_ids(p).iter().any(|id| id == "sts-caller-identity")).count();
    assert_eq!(checked + unchecked, 3000, "each profile is either checked or marked as not checked");
    assert!(checked > 0, "no profile was checked");
    eprintln!("3000 profiles: {checked} checked, {unchecked} not checked, in {:?}", ran.elapsed);
    // The contract of --timeout: the scan ends at most a second past it (its
    // own clock, which a loaded machine does not stretch with process start
    // and output); the whole run, far from the minutes of a quadratic scan.
    let scanned = report["duration_ms"].as_u64().expect("duration_ms");
    assert!(scanned <= 5_000, "the scan took {scanned} ms under --timeout 4");
    assert!(ran.elapsed < Duration::from_secs(15), "took {:?}", ran.elapsed);
}

/// A chain `c0` (keys) <- `c1` <- ... <- `c{n-1}`, each a role assumed from the one before.
fn chain(n: usize) -> (String, String) {
    let mut config = String::from("[profile c0]\nregion = us-east-1\n\n");
    for i in 1..n {
        let _ = write!(
            config,
            "[profile c{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = c{}\nregion = us-east-1\n\n",
            i - 1
        );
    }
    let credentials = "[c0]\naws_access_key_id = AKIAZZZZZZZZZZZZ0001\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    (config, credentials.to_string())
}

fn sts(action: &str) -> Answer {
    match action {
        "AssumeRole" => Answer::xml(
            200,
            "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAZZZZZZZZZZZZ0009</AccessKeyId><SecretAccessKey>q7Rw2Zt9Kd4Lm8Xc1Vb5Nh3Jg6Fs0Pa/EoUiYt+k</SecretAccessKey><SessionToken>FwoGZXIvYXdzEXAMPLEsessionTOKENvalue0123456789abcdefghijklmnopqrstuvwxyz</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAZZZZZZZZZZZZZZZZZ:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>",
        ),
        "GetCallerIdentity" => Answer::xml(
            200,
            "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><UserId>AROAZZZZZZZZZZZZZZZZZ:s</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
        ),
        _ => aws_error(403, "AccessDenied", "denied"),
    }
}

#[test]
fn a_long_source_profile_chain_is_reported_bounded() {
    let (config, credentials) = chain(30);
    let fake = Fake::start(|req| sts(&req.action()));
    let home = home(Some(&credentials), Some(&config));
    let ran = run(home.path(), Some(&fake.url()), &[], &["scan", "--timeout", "30", "--json"]);
    assert_ne!(ran.code, Some(2), "{}", ran.stderr);
    let report = json(&ran.stdout);
    let profiles = report["profiles"].as_array().expect("profiles");
    assert_eq!(profiles.len(), 30);
    let deepest = profiles.iter().find(|p| p["profile"] == "c29").expect("c29");
    assert!(check_ids(deepest).iter().any(|id| id == "credential-chain"), "the chain ran: {deepest}");
    let text = deepest.to_string();
    assert!(text.contains("more hops not shown"), "the middle of the chain is counted, not repeated: {text}");
    for profile in profiles {
        let size = profile.to_string().len();
        assert!(size < 8 * 1024, "{}: {size} bytes: its report repeats its chain", profile["profile"]);
    }
}
