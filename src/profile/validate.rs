//! Input validation at the edges, before anything is written to a profile
//! file: profile and section names, keys and values, whether typed (`set`,
//! the wizard's fields, `--write-session`) or received from the network (a
//! session from GetSessionToken). Pure, no IO.
//!
//! The rule: a write must make the AWS SDKs read exactly what was asked.
//! Refused: line breaks, `[`/`]` and control characters in names (they inject
//! sections such as `[profile evil]` with a `credential_process`); names the
//! SDKs ignore; leading or trailing whitespace the SDK would trim (` default`
//! slipping past a comparison with `default`); values the SDK would cut at a
//! ` #` or ` ;` comment; invisible and bidi characters; absurd lengths; a
//! secret where a key name belongs (arguments swapped). Messages never hold a
//! secret, and quote other input only through the terminal sanitizer.

use crate::base::sanitize;
use crate::redact::looks_secret;
use std::fmt;

/// Longest profile or section name accepted.
pub const MAX_NAME_CHARS: usize = 256;
/// Longest key accepted.
pub const MAX_KEY_CHARS: usize = 128;
/// Longest value accepted (a session token is 1-3 KB; a `credential_process` line a few hundred bytes).
pub const MAX_VALUE_CHARS: usize = 64 * 1024;
/// Longest session token accepted from the network.
const MAX_TOKEN_CHARS: usize = 16 * 1024;

/// What was refused and why. `Display` is safe to print: no secret, no raw control character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    message: String,
}

impl Invalid {
    fn new(message: String) -> Self {
        Invalid { message }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}

/// Outside text as it may appear in a message: sanitized and cut, or not at all when secret-shaped.
fn quoted(text: &str) -> String {
    if looks_secret(text) || might_be_secret(text) {
        "(a value that looks like a secret; not shown)".to_string()
    } else {
        format!("`{}`", sanitize::shown(text, 80))
    }
}

/// Whether a value could be a secret even if not exactly shaped like one
/// (one character short, a truncated token): 16 or more base64 characters
/// mixing upper case, lower case and digits. Such input is never quoted.
fn might_be_secret(text: &str) -> bool {
    text.len() >= 16
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b))
        && text.bytes().any(|b| b.is_ascii_uppercase())
        && text.bytes().any(|b| b.is_ascii_lowercase())
        && text.bytes().any(|b| b.is_ascii_digit())
}

/// Whether the SDKs accept a character in a profile name or key (`validate_identifier`).
fn is_identifier_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || "_-/.%@:+".contains(ch)
}

/// The first reason a name or key breaks the file or is not what the SDK would read.
fn structural_problem(text: &str) -> Option<&'static str> {
    if text.contains(['\n', '\r']) {
        return Some("it holds a line break, which would add lines (even sections) to the file");
    }
    if text.contains(['[', ']']) {
        return Some("it holds `[` or `]`, which would change the section header");
    }
    if text.chars().any(|c| c.is_control()) {
        return Some("it holds a control character");
    }
    if text.chars().any(sanitize::is_invisible) {
        return Some("it holds an invisible or text-direction character");
    }
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        return Some("it starts or ends with a space, which the AWS SDKs trim: it would not name what it seems to");
    }
    None
}

/// Checks a profile name (or the name of an `sso-session` / `services` section).
pub fn profile_name(name: &str) -> Result<(), Invalid> {
    let refuse = |reason: &str| Err(Invalid::new(format!("the profile name {} is not valid: {reason}", quoted(name))));
    if name.is_empty() {
        return Err(Invalid::new("the profile name is empty".to_string()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return refuse(&format!("it is longer than {MAX_NAME_CHARS} characters"));
    }
    if let Some(reason) = structural_problem(name) {
        return refuse(reason);
    }
    if !name.chars().all(is_identifier_char) {
        return refuse(
            "the AWS SDKs ignore profiles whose names hold characters other than letters, digits and _-/.%@:+",
        );
    }
    Ok(())
}

/// Checks a section header's prefix and name as a writer would produce them.
pub fn section(prefix: Option<&str>, name: &str) -> Result<(), Invalid> {
    match prefix {
        None | Some("profile" | "sso-session" | "services") => profile_name(name),
        Some(other) => Err(Invalid::new(format!("{} is not a section kind credwiz writes", quoted(other)))),
    }
}

/// Whether a key name is one the AWS tools know (used to spot swapped arguments).
fn is_known_key(text: &str) -> bool {
    const KNOWN: &[&str] = &[
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "region",
        "output",
        "role_arn",
        "source_profile",
        "mfa_serial",
        "credential_process",
        "sso_session",
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
    ];
    KNOWN.contains(&text.trim().to_ascii_lowercase().as_str())
}

/// Checks a key about to be set to `value` (the value is only used to spot swapped arguments).
pub fn key(key: &str, value: &str) -> Result<(), Invalid> {
    if looks_secret(key) {
        let hint = if is_known_key(value) {
            "the key looks like a secret and the value like a key name: were the arguments swapped?"
        } else {
            "the key looks like a secret value; was it given in place of the key?"
        };
        return Err(Invalid::new(format!(
            "{hint} (not shown; nothing was written). Usage: credwiz set KEY VALUE, e.g. credwiz set aws_secret_access_key SECRET"
        )));
    }
    let refuse = |reason: &str| Err(Invalid::new(format!("{} is not a key credwiz can set: {reason}", quoted(key))));
    if key.is_empty() {
        return Err(Invalid::new("the key is empty: it is not a key credwiz can set".to_string()));
    }
    if is_known_key(value) && !is_known_key(key) {
        return refuse("the value is a key name: were the arguments swapped? Usage: credwiz set KEY VALUE");
    }
    if key.chars().count() > MAX_KEY_CHARS {
        return refuse(&format!("it is longer than {MAX_KEY_CHARS} characters"));
    }
    if let Some(reason) = structural_problem(key) {
        return refuse(reason);
    }
    if key.starts_with('-') {
        return refuse("it starts with `-` (an option written after `--`?)");
    }
    if key.contains('.') {
        return refuse("nested keys like s3.max_concurrent_requests are not supported");
    }
    if !key.chars().all(is_identifier_char) {
        return refuse("keys hold only letters, digits and _-/%@:+");
    }
    if !key.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return refuse("a key starts with a letter, a digit or `_`");
    }
    Ok(())
}

/// Checks a value to be written as `key = value`. The message never holds the value.
pub fn value(value: &str) -> Result<(), Invalid> {
    let refuse =
        |reason: String| Err(Invalid::new(format!("the value cannot be written: {reason}; nothing was written")));
    let count = value.chars().count();
    if count > MAX_VALUE_CHARS {
        return refuse(format!("it is too long ({count} characters; credwiz writes at most {MAX_VALUE_CHARS})"));
    }
    if value.contains(['\n', '\r']) {
        return refuse("it holds a line break, which would add lines (even sections) to the file".into());
    }
    if let Some(at) = comment_start(value) {
        return refuse(format!(
            "the AWS SDKs read `#` or `;` after a space as the start of a comment, so they would read only the first {at} characters"
        ));
    }
    if value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace) {
        return refuse("it starts or ends with a space or tab, which the AWS SDKs trim".into());
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return refuse(format!("it holds a control character ({})", sanitize::line(&c.to_string())));
    }
    if let Some(c) = value.chars().find(|&c| sanitize::is_invisible(c)) {
        return refuse(format!(
            "it holds an invisible or text-direction character ({})",
            sanitize::line(&c.to_string())
        ));
    }
    Ok(())
}

/// Where the SDK would start a comment in a value written after `key = `: a `#`
/// or `;` at the start, or after whitespace. Returns the characters it would keep.
fn comment_start(value: &str) -> Option<usize> {
    let mut previous_is_space = true; // the space after `=`
    for (index, ch) in value.chars().enumerate() {
        if (ch == '#' || ch == ';') && previous_is_space {
            return Some(index);
        }
        previous_is_space = ch.is_whitespace();
    }
    None
}

/// Checks a key and value together, and the profile they go to.
pub fn setting(profile: &str, key_name: &str, text: &str) -> Result<(), Invalid> {
    key(key_name, text)?;
    profile_name(profile)?;
    value(text)
}

/// Checks session credentials received from the network before they are
/// written (GetSessionToken, AssumeRole, SSO): shapes AWS uses, nothing else.
pub fn session(access_key_id: &str, secret: &str, token: Option<&str>) -> Result<(), Invalid> {
    let refuse = |what: &str| {
        Err(Invalid::new(format!(
            "the {what} received from the endpoint is not shaped like AWS's; nothing was written"
        )))
    };
    if !crate::base::shapes::key_id_shaped(access_key_id) {
        return refuse("access key id");
    }
    let base64 = |s: &str| s.bytes().all(crate::base::shapes::is_base64_char);
    if !(16..=128).contains(&secret.len()) || !base64(secret) {
        return refuse("secret access key");
    }
    if let Some(token) = token
        && (token.is_empty() || token.len() > MAX_TOKEN_CHARS || !base64(token))
    {
        return refuse("session token");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_sections_and_untrimmed_names_are_refused() {
        for name in [
            "x]\n[profile evil]\ncredential_process = sh -c \"id\"\n[y",
            " default",
            "default ",
            "",
            "a b",
            "dev\u{1b}[2J",
            "dev\u{202e}",
            "dev\u{200b}",
            "de[v",
            "dev\r",
        ] {
            assert!(profile_name(name).is_err(), "{name:?} accepted");
        }
        for name in ["default", "dev", "team/dev-1", "a.b@c:d+e%f_g"] {
            assert_eq!(profile_name(name), Ok(()), "{name}");
        }
        let message = profile_name("evil\u{1b}]0;x\u{7}").expect_err("refused").to_string();
        assert!(!message.contains('\u{1b}') && message.contains("\\e"), "{message}");
    }

    #[test]
    fn keys_like_options_nested_or_secret_are_refused() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert!(key("--region", "x").is_err());
        assert!(key("s3.max", "x").is_err());
        let swapped = key(secret, "aws_secret_access_key").expect_err("swapped").to_string();
        assert!(swapped.contains("swapped") && !swapped.contains("EXAMPLEKEY"), "{swapped}");
        assert!(key("myname", "region").is_err(), "value is a key name");
        assert_eq!(key("region", "eu-west-1"), Ok(()));
        assert_eq!(key("aws_secret_access_key", secret), Ok(()));
        assert_eq!(key("x_security_token_expires", "2025"), Ok(()));
    }

    #[test]
    fn values_the_sdk_would_cut_are_refused_with_the_reason() {
        let cut = value("eu-west-1 # c").expect_err("cut").to_string();
        assert!(cut.contains("comment") && cut.contains("first 10 characters"), "{cut}");
        assert!(value("#x").is_err() && value("a\t;b").is_err() && value("a\u{a0}#b").is_err());
        assert!(value(" a").is_err() && value("a\t").is_err());
        assert!(value("a\nb").is_err() && value("a\u{85}b").is_err() && value("a\u{2066}b").is_err());
        assert!(value(&"a".repeat(MAX_VALUE_CHARS + 1)).is_err());
        for ok in ["", "eu-west-1", "a#b", "x;y", "arn:aws:iam::1:role/a#b", "/bin/helper --x \"a b\""] {
            assert_eq!(value(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn network_sessions_must_look_like_aws_sessions() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(session("ASIAIOSFODNN7EXAMPLE", secret, Some("IQoJb3JpZ2luX2Vj+/=")), Ok(()));
        assert!(session("ASIA\n[evil]", secret, None).is_err());
        assert!(session("ASIAIOSFODNN7EXAMPLE", "x\ncredential_process=sh", None).is_err());
        assert!(session("ASIAIOSFODNN7EXAMPLE", secret, Some("&#10;[evil]&#10;credential_process=x")).is_err());
        assert!(session("ASIAIOSFODNN7EXAMPLE", secret, Some("")).is_err());
    }
}
