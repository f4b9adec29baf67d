//! Offline lints of key material: missing or misspelled fields, stray
//! characters, malformed or swapped values, documentation example keys, and
//! key/token mismatches. Pure functions of the keys; findings name the line.
//! Secrets are inspected here but never put into a message.

use crate::diagnose::input::sources::{Keys, Located, Source, SourceKind};
use crate::profile::{FileKind, SectionName};
use crate::vocabulary::cause::{Cause, Step};
use crate::vocabulary::finding::{Finding, Repair};
use crate::vocabulary::keyid::AccessKeyId;
use secrecy::{ExposeSecret, SecretString};

/// Access key id prefixes: long-term and temporary access keys.
use crate::base::shapes::{ACCESS_KEY_PREFIXES, looks_like_key_id, looks_like_secret};
/// Other IAM unique-id prefixes people paste by mistake.
const OTHER_ID_PREFIXES: [(&str, &str); 6] = [
    ("AIDA", "an IAM user id"),
    ("AROA", "an IAM role id"),
    ("AGPA", "an IAM group id"),
    ("ANPA", "a managed policy id"),
    ("AIPA", "an instance profile id"),
    ("APKA", "a CloudFront key pair id"),
];

/// Whether a character does not belong in a key id, secret or token.
fn is_stray(c: char) -> bool {
    c.is_whitespace() || c.is_control() || !c.is_ascii() || matches!(c, '"' | '\'' | '`')
}

/// Describes the stray characters in a value, without showing the value.
fn describe_stray(value: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut add = |p: String| {
        if !parts.contains(&p) {
            parts.push(p);
        }
    };
    if value.len() >= 2
        && (value.starts_with('"') && value.ends_with('"') || value.starts_with('\'') && value.ends_with('\''))
    {
        add("surrounding quotes".into());
    }
    for (i, c) in value.char_indices() {
        if !is_stray(c) {
            continue;
        }
        let edge =
            i < value.len() - value.trim_start_matches(is_stray).len() || i >= value.trim_end_matches(is_stray).len();
        let place = if edge { "" } else { " inside the value" };
        add(match c {
            '\r' => format!("a carriage return (Windows line ending){place}"),
            '\t' => format!("a tab{place}"),
            ' ' => format!("{}{place}", if edge { "a leading or trailing space" } else { "a space" }),
            '"' | '\'' | '`' if edge => continue,
            '"' | '\'' | '`' => format!("a quote character{place}"),
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
                format!("an invisible zero-width character (U+{:04X}){place}", c as u32)
            }
            '\u{00A0}' => format!("a non-breaking space{place}"),
            c => format!("the non-ASCII character U+{:04X}{place}", c as u32),
        });
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The value with every stray character removed.
pub fn cleaned(value: &str) -> String {
    value.chars().filter(|c| !is_stray(*c)).collect()
}

/// SHA-256 of a secret with stray characters removed: equal secrets, equal
/// prints, and nothing of the secret to show.
pub fn secret_print(secret: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(cleaned(secret).as_bytes()).into()
}

/// Whether the keys are AWS documentation examples.
pub fn is_example(key_id: &str, secret: &str) -> bool {
    key_id.ends_with("EXAMPLE") || secret.ends_with("EXAMPLEKEY")
}

fn name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Env => "the environment",
        SourceKind::ConfigFile => "the config file",
        _ => "the credentials file",
    }
}

/// Context for lints of one source: which profile section, and whether it wins.
pub struct LintTarget<'a> {
    pub source: &'a Source,
    pub profile: &'a str,
    /// Failures for the source in use; warnings for a shadowed one.
    pub in_use: bool,
}

impl LintTarget<'_> {
    fn section(&self, file: FileKind) -> SectionName {
        SectionName::profile(file, self.profile)
    }

    fn finding(&self, id: &'static str, cause: Cause, summary: String, fix: &str) -> Finding {
        let f =
            if self.in_use { Finding::fail(id, cause, summary, fix) } else { Finding::warn(id, cause, summary, fix) };
        f.in_step(Step::Credentials)
    }

    fn set_repair(&self, field: &Located<impl Sized>, value: String) -> Option<Repair> {
        let origin = field.origin?;
        Some(Repair::SetValue {
            file: origin.file,
            section: self.section(origin.file),
            key: field.key.clone(),
            value: SecretString::from(value),
        })
    }
}

/// Every offline finding about one source's keys. Stray characters stop the
/// shape checks; example keys or swapped halves stop the checks after them.
pub fn lint_keys(target: &LintTarget<'_>, keys: &Keys) -> Vec<Finding> {
    let mut out = field_names(target, keys);
    let stray = stray_characters(target, keys);
    if !stray.is_empty() {
        out.extend(stray);
        return out;
    }
    let (Some(id), Some(secret)) = (keys.access_key_id.as_ref(), keys.secret.as_ref()) else {
        return out;
    };
    if let Some(f) = example_or_swapped(target, id, secret) {
        out.push(f);
        return out;
    }
    out.extend(malformed(target, id, secret));
    out.extend(session_token(target, keys, id));
    out
}

/// A half of the key that is missing, or written under a name the SDKs do not read.
fn field_names(target: &LintTarget<'_>, keys: &Keys) -> Vec<Finding> {
    let mut out = Vec::new();
    for (field, right, label) in [
        (keys.access_key_id.as_ref().map(|f| (&f.key, &f.location, f.origin)), "aws_access_key_id", "access key id"),
        (keys.secret.as_ref().map(|f| (&f.key, &f.location, f.origin)), "aws_secret_access_key", "secret access key"),
    ] {
        match field {
            None => out.push(missing_field(target, right, label)),
            Some((key, location, origin)) if target.source.kind != SourceKind::Env && key != right => {
                let mut f = target
                    .finding(
                        "credential-fields",
                        Cause::MissingCredentialField,
                        format!("`{key}` is not a key the AWS SDKs read: the {label} must be named {right}"),
                        &format!("rename {key} to {right}"),
                    )
                    .at(location.clone());
                if let Some(origin) = origin {
                    f = f.with_repair(Repair::RenameKey {
                        file: origin.file,
                        section: target.section(origin.file),
                        from: key.clone(),
                        to: right.into(),
                    });
                }
                out.push(f);
            }
            Some(_) => {}
        }
    }
    out
}

/// A half of the key that is not there: the variable to export, or the key to add.
fn missing_field(target: &LintTarget<'_>, right: &str, label: &str) -> Finding {
    let (summary, fix) = if target.source.kind == SourceKind::Env {
        let var = if right == "aws_access_key_id" { "AWS_ACCESS_KEY_ID" } else { "AWS_SECRET_ACCESS_KEY" };
        (
            format!("{var} is not set, but the other half of the key is exported"),
            format!("export {var} too, or unset both to use the profile"),
        )
    } else {
        (
            format!("the {label} is missing from profile {} ({right})", target.profile),
            format!("add {right} to the profile"),
        )
    };
    target.finding("credential-fields", Cause::MissingCredentialField, summary, &fix).at(target.source.location.clone())
}

/// Stray characters in any of the three values, each with a repair that trims it.
fn stray_characters(target: &LintTarget<'_>, keys: &Keys) -> Vec<Finding> {
    let whose = name(target.source.kind);
    // (value, where it was read, origin, key, label).
    let values = [
        keys.access_key_id
            .as_ref()
            .map(|f| (f.value.as_str().to_string(), f.location.clone(), f.origin, f.key.clone(), "access key id")),
        keys.secret.as_ref().map(|f| {
            (f.value.expose_secret().to_string(), f.location.clone(), f.origin, f.key.clone(), "secret access key")
        }),
        keys.token.as_ref().map(|f| {
            (f.value.expose_secret().to_string(), f.location.clone(), f.origin, f.key.clone(), "session token")
        }),
    ];
    let mut out = Vec::new();
    for (value, location, origin, key, label) in values.into_iter().flatten() {
        let Some(what) = describe_stray(&value) else { continue };
        let field = Located { value: (), location: location.clone(), origin, key };
        let repair = target.set_repair(&field, cleaned(&value));
        let fix = if repair.is_some() {
            format!("trim the {label} in place")
        } else {
            format!("re-export {location} without them")
        };
        let mut f = target
            .finding(
                "credential-characters",
                Cause::CredentialWhitespace,
                format!("the {label} in {whose} has {what}"),
                &fix,
            )
            .at(location);
        f.repair = repair;
        out.push(f);
    }
    out
}

/// AWS's documentation example keys, or a key id and secret in each other's place.
fn example_or_swapped(
    target: &LintTarget<'_>,
    id: &Located<AccessKeyId>,
    secret: &Located<SecretString>,
) -> Option<Finding> {
    let secret_value = secret.value.expose_secret();
    if is_example(id.value.as_str(), secret_value) {
        return Some(
            target
                .finding(
                    "credential-format",
                    Cause::ExampleCredentials,
                    format!("{} holds AWS's documentation example keys, which never work", name(target.source.kind)),
                    "enter your own access key id and secret",
                )
                .at(id.location.clone()),
        );
    }
    if !(looks_like_secret(id.value.as_str()) && looks_like_key_id(secret_value)) {
        return None;
    }
    let mut f = target
        .finding(
            "credential-format",
            Cause::KeySecretSwapped,
            "the access key id looks like a secret and the secret like a key id: they are swapped".to_string(),
            "swap the two values in place",
        )
        .at(id.location.clone());
    if let (Some(a), Some(b)) = (id.origin, secret.origin)
        && a.file == b.file
    {
        f = f.with_repair(Repair::Swap {
            file: a.file,
            section: target.section(a.file),
            first: id.key.clone(),
            second: secret.key.clone(),
        });
    }
    Some(f)
}

/// A key id or secret of the wrong shape: length, letters, or another IAM id.
fn malformed(target: &LintTarget<'_>, id: &Located<AccessKeyId>, secret: &Located<SecretString>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(problem) = key_id_problem(id.value.as_str()) {
        out.push(
            target
                .finding(
                    "credential-format",
                    Cause::CredentialMalformed,
                    format!("the access key id {problem}"),
                    "re-enter the key id from the IAM console, or create a new key",
                )
                .at(id.location.clone()),
        );
    }
    let secret_value = secret.value.expose_secret();
    if !looks_like_secret(secret_value) {
        let n = secret_value.chars().count();
        let problem = if n != 40 {
            format!("is {n} characters long; a secret access key has 40")
        } else {
            "has characters a secret access key never has (only letters, digits, / + =)".into()
        };
        out.push(
            target
                .finding(
                    "credential-format",
                    Cause::CredentialMalformed,
                    format!("the secret access key {problem}"),
                    "re-enter the secret; if lost, create a new access key",
                )
                .at(secret.location.clone()),
        );
    }
    out
}

/// Temporary vs long-term keys and the session token: ASIA needs one, AKIA must not have one.
fn session_token(target: &LintTarget<'_>, keys: &Keys, id: &Located<AccessKeyId>) -> Option<Finding> {
    if id.value.is_temporary() && !keys.has_token() {
        return Some(
            target
                .finding(
                    "session-token",
                    Cause::SessionTokenMissing,
                    "the key id starts with ASIA (temporary credentials) but no session token is set".into(),
                    "add aws_session_token from the same session, or get a new session",
                )
                .at(id.location.clone()),
        );
    }
    if !(id.value.is_long_term() && keys.has_token()) {
        return None;
    }
    let token = keys.token.as_ref();
    let mut f = target
        .finding(
            "session-token",
            Cause::SessionTokenUnexpected,
            "a long-term AKIA key id is set together with a session token, which AWS rejects".into(),
            "remove the stale session token",
        )
        .at(token.map(|t| t.location.clone()).unwrap_or_default());
    if let Some(origin) = token.and_then(|t| t.origin) {
        let key = token.map(|t| t.key.clone()).unwrap_or_default();
        f = f.with_repair(Repair::RemoveKey { file: origin.file, section: target.section(origin.file), key });
    }
    Some(f)
}

/// What is wrong with an access key id's shape, if anything.
pub fn key_id_problem(id: &str) -> Option<String> {
    if id.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("has lower-case letters; access key ids are upper case".into());
    }
    if !id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        return Some("has characters other than A-Z and 0-9".into());
    }
    if let Some((_, what)) = OTHER_ID_PREFIXES.iter().find(|(p, _)| id.starts_with(p)) {
        return Some(format!("is {what}, not an access key id"));
    }
    if !ACCESS_KEY_PREFIXES.iter().any(|p| id.starts_with(p)) {
        return Some("does not start with AKIA (long-term key) or ASIA (temporary key)".into());
    }
    if !(16..=128).contains(&id.len()) {
        return Some(format!("is {} characters long; access key ids are 20", id.len()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_characters_are_described_without_the_value() {
        let d = describe_stray("\"abcSECRET\"").expect("quotes");
        assert_eq!(d, "surrounding quotes");
        assert!(describe_stray("AKIA\u{200B}X").expect("zw").contains("U+200B"));
        assert!(describe_stray("abc\r").expect("cr").contains("carriage return"));
        assert_eq!(describe_stray("AKIAABCDEFGHIJKLMNOP"), None);
        assert_eq!(cleaned("'ab c\u{a0}'"), "abc");
    }

    #[test]
    fn key_id_shapes() {
        assert_eq!(key_id_problem("AKIAABCDEFGHIJKLMNOP"), None);
        assert!(key_id_problem("akiaabcdefghijklmnop").is_some_and(|p| p.contains("lower-case")));
        assert!(key_id_problem("AIDAABCDEFGHIJKLMNOP").is_some_and(|p| p.contains("user id")));
        assert!(key_id_problem("AKIA12").is_some());
        assert!(looks_like_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }
}
