//! `check --mfa-code C --write-session TARGET` against INI injection (issue 9,
//! item 2): a crafted target (`]`, line breaks, a leading space, the source
//! profile itself, a profile holding long-term keys) is refused with exit 2
//! before the one-time code is spent, and a session from the network whose
//! values would inject lines is refused; in every refusal both files stay
//! byte for byte what they were. A good session is written, and neither its
//! secret nor its token shows in any sink.

mod trust_support;

use std::path::Path;
use trust_support::{Answer, Fake, assert_no_canary, assert_terminal_safe, aws_error, caller_identity, home, run};

const CREDENTIALS: &str = "[dev]\naws_access_key_id = AKIAZZZZZZZZZZZZ0001\naws_secret_access_key = abcdEFGH1234abcdEFGH1234abcdEFGH1234abcd\n\n[prod]\naws_access_key_id = AKIAZZZZZZZZZZZZ0002\naws_secret_access_key = zyxwVUTS9876zyxwVUTS9876zyxwVUTS9876zyxw\n";
const CONFIG: &str = "[profile dev]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";

/// A fake STS/IAM: the caller is alice, GetSessionToken answers `session`, IAM reads are denied.
fn endpoint(session: fn() -> Answer) -> Fake {
    Fake::start(move |req| match req.action().as_str() {
        "GetCallerIdentity" => caller_identity("123456789012", "alice"),
        "GetSessionToken" => session(),
        action => aws_error(
            403,
            "AccessDenied",
            &format!("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:{action}"),
        ),
    })
}

fn files(home: &Path) -> (String, String) {
    let read = |name: &str| std::fs::read_to_string(home.join(".aws").join(name)).unwrap_or_default();
    (read("credentials"), read("config"))
}

fn good_session() -> Answer {
    trust_support::session_token("ASIAZZZZZZZZZZZZ0009", SESSION_SECRET, SESSION_TOKEN)
}

/// Canaries shaped as AWS's values (so they pass the checks) but not as secrets (so only registration hides them).
const SESSION_SECRET: &str = "canarySessionSecretFromTheNetwork0004";
const SESSION_TOKEN: &str = "canarySessionTokenFromTheNetwork0005";

#[test]
fn crafted_targets_are_refused_before_the_code_is_spent() {
    for target in [
        "x]\n[profile evil]\ncredential_process = sh -c \"touch pwned\"\n[y",
        " dev-mfa",
        "dev-mfa ",
        "dev",
        "evil]",
        "a\u{1b}]0;x\u{7}",
        "dev\u{202e}",
    ] {
        let fake = endpoint(good_session);
        let home = home(Some(CREDENTIALS), Some(CONFIG));
        let flag = format!("--write-session={target}");
        let ran =
            run(home.path(), Some(&fake.url()), &[], &["check", "--profile", "dev", "--mfa-code", "123456", &flag]);
        assert_eq!(ran.code, Some(2), "{target:?}: {}\n{}", ran.stdout, ran.stderr);
        assert!(ran.stderr.contains("--write-session"), "{target:?}: {}", ran.stderr);
        assert_terminal_safe("stderr", &ran.stderr);
        assert_eq!(files(home.path()), (CREDENTIALS.to_string(), CONFIG.to_string()), "{target:?}");
        assert!(!fake.actions().contains(&"GetSessionToken".to_string()), "{target:?}: the code was spent");
    }
}

#[test]
fn a_target_holding_long_term_keys_is_not_overwritten() {
    let fake = endpoint(good_session);
    let home = home(Some(CREDENTIALS), Some(CONFIG));
    let args = ["check", "--profile", "dev", "--mfa-code", "123456", "--write-session", "prod"];
    let ran = run(home.path(), Some(&fake.url()), &[], &args);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("long-term keys"), "{}", ran.stderr);
    assert_eq!(files(home.path()), (CREDENTIALS.to_string(), CONFIG.to_string()));
    assert_no_canary(&ran, &[SESSION_SECRET, SESSION_TOKEN]);
}

#[test]
fn a_session_from_the_network_that_would_inject_lines_is_refused() {
    let answers: [fn() -> Answer; 4] = [
        || {
            trust_support::session_token(
                "ASIAZZZZZZZZZZZZ0009",
                SESSION_SECRET,
                "IQoJ&#10;[profile evil]&#10;credential_process = sh -c id&#10;",
            )
        },
        || trust_support::session_token("ASIAZZZZZZZZZZZZ0009", "s&#10;[evil]&#10;x=y", SESSION_TOKEN),
        || trust_support::session_token("ASIA]&#10;[evil", SESSION_SECRET, SESSION_TOKEN),
        || trust_support::session_token("ASIAZZZZZZZZZZZZ0009", SESSION_SECRET, "token # cut here"),
    ];
    for (i, answer) in answers.into_iter().enumerate() {
        let fake = endpoint(answer);
        let home = home(Some(CREDENTIALS), Some(CONFIG));
        let args = ["check", "--profile", "dev", "--mfa-code", "123456", "--write-session"];
        let ran = run(home.path(), Some(&fake.url()), &[], &args);
        assert!(fake.actions().contains(&"GetSessionToken".to_string()), "case {i}: no session asked for");
        assert_eq!(ran.code, Some(2), "case {i}: {}\n{}", ran.stdout, ran.stderr);
        assert!(ran.stderr.contains("not shaped like AWS's"), "case {i}: {}", ran.stderr);
        assert_eq!(files(home.path()), (CREDENTIALS.to_string(), CONFIG.to_string()), "case {i}");
        assert_terminal_safe("stderr", &ran.stderr);
        assert_no_canary(&ran, &[SESSION_SECRET, SESSION_TOKEN]);
    }
}

#[test]
fn a_good_session_is_written_and_never_shown() {
    let fake = endpoint(good_session);
    let home = home(Some(CREDENTIALS), Some(CONFIG));
    for mode in ["--json", "--no-color"] {
        let args = ["check", mode, "--profile", "dev", "--mfa-code", "123456", "--write-session"];
        let ran = run(home.path(), Some(&fake.url()), &[("CREDWIZ_LOG", "trace")], &args);
        assert_ne!(ran.code, Some(2), "{}\n{}", ran.stdout, ran.stderr);
        assert!(ran.stderr.contains("wrote the MFA session to profile dev-mfa"), "{}", ran.stderr);
        assert_no_canary(&ran, &[SESSION_SECRET, SESSION_TOKEN]);
    }
    let (credentials, config) = files(home.path());
    assert!(credentials.starts_with(CREDENTIALS), "the existing profiles changed:\n{credentials}");
    assert!(
        credentials.ends_with(&format!(
            "[dev-mfa]\naws_access_key_id = ASIAZZZZZZZZZZZZ0009\naws_secret_access_key = {SESSION_SECRET}\naws_session_token = {SESSION_TOKEN}\naws_expiration = 2099-01-01T00:00:00Z\n"
        )),
        "{credentials}"
    );
    assert!(config.contains("[profile dev-mfa]\nregion = eu-west-1\n"), "{config}");
}
