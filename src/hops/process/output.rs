//! The documented `credential_process` output, checked the way aws-config
//! reads it (keys case-insensitive, `Version` the number 1, `AccessKeyId` and
//! `SecretAccessKey` required, `SessionToken` and `Expiration` optional,
//! `Expiration` RFC 3339) and not expired; every error names the first bad
//! byte or the field. Pure.

use crate::hops::HopCredentials;
use crate::hops::json::{self, JsonProblem};
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::Value;

/// Why the output is not usable. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    Json(JsonProblem),
    /// A field is missing or of the wrong type or value.
    Field {
        field: &'static str,
        problem: String,
    },
    /// `Expiration` is in the past.
    Expired {
        expiration: String,
    },
}

impl OutputError {
    /// A sentence for people.
    pub fn describe(&self) -> String {
        match self {
            OutputError::Json(problem) => format!("the output is not usable: {}", problem.describe()),
            OutputError::Field { field, problem } => format!("field {field}: {problem}"),
            OutputError::Expired { expiration } => {
                format!("field Expiration: {expiration} is in the past: the program handed out expired credentials")
            }
        }
    }
}

fn field(field: &'static str, problem: impl Into<String>) -> OutputError {
    OutputError::Field { field, problem: problem.into() }
}

/// A required non-empty string field (the SDK skips a field of another type).
fn required(map: &serde_json::Map<String, Value>, name: &'static str) -> Result<String, OutputError> {
    match json::get_str(map, name) {
        Ok(Some(value)) if !value.trim().is_empty() => Ok(value.to_string()),
        Ok(Some(_)) => Err(field(name, "is empty")),
        Ok(None) => Err(field(name, "is missing")),
        Err(kind) => Err(field(name, format!("is {kind}; it must be a string (the SDK reads it as missing)"))),
    }
}

/// Checks the output and returns the credentials in it.
pub fn parse(stdout: &[u8], now: DateTime<Utc>, profile_account: Option<&str>) -> Result<HopCredentials, OutputError> {
    let map = json::parse_object(stdout).map_err(OutputError::Json)?;
    match json::get_ci(&map, "Version") {
        None => return Err(field("Version", "is missing; it must be the number 1")),
        Some(Value::Number(n)) if n.as_i64() == Some(1) => {}
        Some(Value::Number(n)) => {
            return Err(field("Version", format!("is {n}; only version 1 is defined")));
        }
        Some(Value::String(s)) if s.trim() == "1" => {
            return Err(field("Version", "is the string \"1\"; it must be the number 1 (the SDK reads it as missing)"));
        }
        Some(other) => return Err(field("Version", format!("is {}; it must be the number 1", json::kind(other)))),
    }
    let access_key_id = required(&map, "AccessKeyId")?;
    let secret = required(&map, "SecretAccessKey")?;
    let token = match json::get_str(&map, "SessionToken") {
        Ok(token) => token.filter(|t| !t.is_empty()).map(|t| SecretString::from(t.to_string())),
        Err(kind) => return Err(field("SessionToken", format!("is {kind}; it must be a string"))),
    };
    let expiration = match json::get_str(&map, "Expiration") {
        Ok(None) => None,
        Ok(Some(text)) => {
            let at = DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
                field(
                    "Expiration",
                    format!("{} is not an RFC 3339 time such as 2026-11-22T12:00:00Z", crate::hops::text::quote(text)),
                )
            })?;
            let at = at.with_timezone(&Utc);
            if at <= now {
                return Err(OutputError::Expired { expiration: at.to_rfc3339() });
            }
            Some(at)
        }
        Err(kind) => return Err(field("Expiration", format!("is {kind}; it must be an RFC 3339 string"))),
    };
    let account_id = json::get_str(&map, "AccountId").ok().flatten().map(str::to_string);
    Ok(HopCredentials {
        // A process may hand out role credentials, but its output does not say.
        role_session: false,
        access_key_id,
        secret_access_key: SecretString::from(secret),
        session_token: token,
        expiration,
        account_id: account_id.or_else(|| profile_account.map(str::to_string)),
        assumed_role_arn: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").map(|d| d.with_timezone(&Utc)).expect("time")
    }

    #[test]
    fn valid_output_gives_credentials() {
        let out = br#"{"Version": 1, "AccessKeyId": "ASIAX", "SecretAccessKey": "s", "SessionToken": "t",
            "Expiration": "2026-01-01T01:00:00+00:00"}"#;
        let creds = parse(out, now(), None).expect("valid");
        assert_eq!(creds.access_key_id, "ASIAX");
        assert!(creds.expiration.is_some());
    }

    #[test]
    fn each_problem_names_its_field() {
        let missing = parse(br#"{"Version": 1, "AccessKeyId": "A"}"#, now(), None);
        assert_eq!(missing.err().map(|e| e.describe()), Some("field SecretAccessKey: is missing".into()));
        let version = parse(br#"{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "s"}"#, now(), None);
        assert!(version.err().is_some_and(|e| e.describe().contains("the number 1")));
        let expired = parse(
            br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "2025-01-01T00:00:00Z"}"#,
            now(),
            None,
        );
        assert!(matches!(expired, Err(OutputError::Expired { .. })));
        let bad_time = parse(
            br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "tomorrow"}"#,
            now(),
            None,
        );
        assert!(bad_time.err().is_some_and(|e| e.describe().contains("RFC 3339")));
    }
}
