//! Every sink of `check` and `set` (readable report, JSON, stderr, the log)
//! against hostile input (issue 9, items 4 and 5): secrets echoed by an
//! endpoint (request headers, the credential scope of IncompleteSignature, a
//! token as the error code) never show, and ESC, BEL, OSC (title,
//! hyperlink), CSI, C1 and bidi characters from profile names, regions,
//! paths, `--action`, `--error`, endpoint text, `set` errors and usage errors
//! never reach stdout or stderr raw: with `--no-color`, without it, on a real
//! terminal (a pty, where colour is on), and in `--json` (U+009B as `\u009b`).

mod trust_support;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use trust_support::{Fake, Ran, assert_no_canary, assert_terminal_safe, aws_error, home, run, run_os, xml_escape};

/// Everything that drives a terminal: OSC title, clear screen, OSC 8 hyperlink, CSI via C1, bidi override, BEL.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]8;;http://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\\u{9b}31m\u{202e}\u{85}\u{7}";

/// Canaries that are not shaped like secrets: only the registry can catch them.
const SECRET: &str = "canary-secret-from-env-0001/+=";
const TOKEN: &str = "canary-session-token-from-env-0002";

const KEYS: [(&str, &str); 4] = [
    ("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", SECRET),
    ("AWS_SESSION_TOKEN", TOKEN),
    ("AWS_REGION", "us-east-1"),
];

/// The ways `check` prints: readable with and without `--no-color`, and JSON.
const MODES: [&[&str]; 3] =
    [&["check", "--timeout", "5"], &["check", "--no-color", "--timeout", "5"], &["check", "--json", "--timeout", "5"]];

/// Asserts a run's stdout and stderr are safe for a terminal, and its JSON (if any) valid and escaped.
fn assert_safe(ran: &Ran, json: bool) {
    assert_ne!(ran.code, Some(101), "credwiz panicked: {}", ran.stderr);
    assert_terminal_safe("stdout", &ran.stdout);
    assert_terminal_safe("stderr", &ran.stderr);
    if json {
        let value: serde_json::Value = serde_json::from_str(&ran.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", ran.stdout, ran.stderr));
        assert!(value.is_object());
    }
}

/// Runs `check` in every mode (and on a pty, where colour is on) and checks every sink.
fn check_everywhere(home: &std::path::Path, endpoint: Option<&str>, env: &[(&str, &str)], extra: &[&str]) -> Vec<Ran> {
    let mut runs = Vec::new();
    for mode in MODES {
        let args: Vec<&str> = mode.iter().chain(extra).copied().collect();
        let ran = run(home, endpoint, env, &args);
        assert_safe(&ran, args.contains(&"--json"));
        runs.push(ran);
    }
    runs.push(on_a_terminal(home, endpoint, env, extra));
    runs
}

/// `check` with stdout on a pseudo-terminal (`script`), so the report is coloured:
/// only credwiz's own colour sequences may reach it.
fn on_a_terminal(home: &std::path::Path, endpoint: Option<&str>, env: &[(&str, &str)], extra: &[&str]) -> Ran {
    let mut command = vec![env!("CARGO_BIN_EXE_credwiz").to_string(), "check".into(), "--timeout".into(), "5".into()];
    command.extend(extra.iter().map(|a| a.to_string()));
    let quoted: Vec<String> = command.iter().map(|a| format!("'{}'", a.replace('\'', "'\\''"))).collect();
    let typescript = home.join("typescript");
    let script = [
        OsString::from("-q"),
        OsString::from("-e"),
        OsString::from("-c"),
        OsString::from(quoted.join(" ")),
        typescript.clone().into_os_string(),
    ];
    let mut ran = trust_support::run_program("script", home, endpoint, env, &script);
    let _ = std::fs::remove_file(&typescript);
    assert!(
        ran.stdout.contains("\u{1b}["),
        "no colour on a terminal: is `script` giving credwiz a pty?\n{}",
        ran.stdout
    );
    // The pty turns \n into \r\n; credwiz's own colours are allowed.
    ran.stdout = ran.stdout.replace("\r\n", "\n");
    for own in credwiz::base::sanitize::OWN_COLORS {
        ran.stdout = ran.stdout.replace(&format!("\u{1b}[{own}m"), "");
    }
    assert_safe(&ran, false);
    ran
}

#[test]
fn an_endpoint_echoing_the_request_headers_shows_neither_secret_nor_escape() {
    let fake = Fake::start(|req| {
        let message = format!("{HOSTILE} bad request: {}", xml_escape(&req.head));
        aws_error(403, "InvalidClientTokenId", &message)
    });
    let home = home(None, None);
    let runs = check_everywhere(home.path(), Some(&fake.url()), &KEYS, &[]);
    for ran in &runs {
        assert_no_canary(ran, &[SECRET, TOKEN]);
        assert!(ran.stdout.contains("bad request"), "the echo is not in the report at all:\n{}", ran.stdout);
        assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    }
    // The server's text arrives shown visibly (escaped where it was received), never raw.
    let json = &runs[2].stdout;
    assert!(json.contains("\\\\e]0;pwned\\\\x07") && json.contains("\\\\u{9b}"), "{json}");
    assert!(runs[0].stdout.contains("\\e]0;pwned\\x07"), "{}", runs[0].stdout);
    assert!(!runs[0].log.is_empty(), "no log written");
}

#[test]
fn the_credential_scope_of_incomplete_signature_does_not_show_a_swapped_secret() {
    // The secret sits in the key id field (arguments swapped): AWS quotes the
    // scope, so the secret comes back in the message.
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET12";
    let credentials =
        format!("[default]\naws_access_key_id = {secret}\naws_secret_access_key = AKIAIOSFODNN7EXAMPLE\n");
    let fake = Fake::start(|req| {
        aws_error(
            400,
            "IncompleteSignature",
            &format!(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. got '{}'",
                req.credential_scope()
            ),
        )
    });
    let home = home(Some(&credentials), Some("[default]\nregion = us-east-1\n"));
    for ran in check_everywhere(home.path(), Some(&fake.url()), &[], &[]) {
        assert_no_canary(&ran, &[secret]);
    }
    assert!(fake.requests.lock().expect("requests").iter().any(|r| r.credential_scope().starts_with(secret)));
}

#[test]
fn a_token_as_the_error_code_never_shows() {
    let fake = Fake::start(|_| aws_error(403, TOKEN, "The security token included in the request is invalid."));
    let home = home(None, None);
    for ran in check_everywhere(home.path(), Some(&fake.url()), &KEYS, &[]) {
        assert_no_canary(&ran, &[SECRET, TOKEN]);
    }
}

#[test]
fn hostile_profile_names_regions_paths_and_pasted_errors_reach_no_terminal_raw() {
    let fake = Fake::start(|_| {
        aws_error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
    });
    let home = home(None, None);
    // A config file in a directory whose name drives a terminal, with a hostile region and profile.
    let dir = trust_support::hostile_dir(home.path(), &format!("d{}", HOSTILE.replace('/', "_")));
    let config = dir.join("config");
    std::fs::write(&config, format!("[profile dev{}]\nregion = eu{HOSTILE}\n", "")).expect("config");
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    )
    .expect("credentials");
    let config_path = config.to_string_lossy().into_owned();
    let env = [("AWS_CONFIG_FILE", config_path.as_str())];
    let pasted = format!(
        "An error occurred (AccessDenied) when calling the ListBuckets operation: User: {HOSTILE} is not authorized to perform: s3:ListBuckets{HOSTILE}"
    );
    let runs = check_everywhere(home.path(), Some(&fake.url()), &env, &["--profile", "dev", "--error", &pasted]);
    assert!(runs[0].stdout.contains("\\e]0;pwned"), "the hostile text is not in the report:\n{}", runs[0].stdout);
    assert!(runs[2].stdout.contains("\\u009b"), "{}", runs[2].stdout);
    // A hostile profile name, from the flag and from AWS_PROFILE.
    let name = format!("dev{HOSTILE}");
    check_everywhere(home.path(), Some(&fake.url()), &env, &["--profile", &name]);
    let from_env = [("AWS_CONFIG_FILE", config_path.as_str()), ("AWS_PROFILE", name.as_str())];
    check_everywhere(home.path(), Some(&fake.url()), &from_env, &[]);
}

#[test]
fn hostile_options_and_arguments_are_refused_on_stderr_escaped() {
    let home = home(None, None);
    let action = format!("s3:List{HOSTILE}");
    for args in [
        vec!["check", "--action", action.as_str()],
        vec!["check", "--expect-account", HOSTILE],
        vec!["check", "--mfa-code", HOSTILE],
        vec!["check", "--timeout", HOSTILE],
        vec!["check", HOSTILE],
        vec!["set", "region", "eu-west-1", HOSTILE],
        vec![HOSTILE],
    ] {
        let ran = run(home.path(), None, &[], &args);
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.stderr);
        assert!(!ran.stderr.is_empty(), "{args:?}: no message");
        assert_safe(&ran, false);
    }
    // Not UTF-8 at all.
    let bytes = OsString::from_vec(b"s3:\xff\x1b]0;x\x07".to_vec());
    let ran = run_os(home.path(), None, &[], &[OsString::from("check"), OsString::from("--action"), bytes]);
    assert_ne!(ran.code, Some(0));
    assert_safe(&ran, false);
}

#[test]
fn set_errors_show_no_secret_and_no_escape() {
    let home = home(None, None);
    let secret = "canary-set-secret-value-0003";
    let dir = trust_support::hostile_dir(home.path(), &format!("c{}", HOSTILE.replace('/', "_")));
    // The "file" is a directory: the store refuses it and names the path.
    let path = dir.to_string_lossy().into_owned();
    for (env, args) in [
        (vec![("AWS_SHARED_CREDENTIALS_FILE", path.as_str())], vec!["set", "aws_secret_access_key", secret]),
        (vec![("AWS_CONFIG_FILE", path.as_str())], vec!["set", "region", "eu-west-1"]),
        (vec![], vec!["set", "--profile", &format!("p{HOSTILE}"), "aws_secret_access_key", secret]),
        (vec![], vec!["set", &format!("k{HOSTILE}"), secret]),
        (vec![], vec!["set", "aws_session_token", &format!("{secret}{HOSTILE}")]),
        (vec![], vec!["set", secret, "aws_secret_access_key"]),
    ] {
        let ran = run(home.path(), None, &env, &args);
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.stderr);
        assert_safe(&ran, false);
        assert_no_canary(&ran, &[secret]);
    }
}
