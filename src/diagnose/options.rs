//! What the user asked for beyond the profile, parsed once into typed values
//! at the edge (the command line, the wizard's fields): actions to test, a
//! pasted error, the expected account, an MFA code, the run's budget. Pure.

use std::fmt;
use std::time::Duration;

/// The options of one diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--action SERVICE:ACTION`, repeatable.
    pub actions: Vec<ActionName>,
    /// `--error TEXT`: the error the user saw (never empty).
    pub error: Option<String>,
    /// `--expect-account`.
    pub expect_account: Option<AccountId>,
    /// `--mfa-code`.
    pub mfa_code: Option<MfaCode>,
    /// The whole run's budget.
    pub timeout: Duration,
}

/// An IAM action, `service:Action`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionName(String);

impl ActionName {
    /// Parses `SERVICE:ACTION` (surrounding spaces ignored).
    pub fn parse(text: &str) -> Result<ActionName, String> {
        let text = text.trim();
        let valid = text.split_once(':').is_some_and(|(service, action)| {
            !service.is_empty()
                && !action.is_empty()
                && !action.contains(':')
                && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '*' | '?'))
        });
        if valid {
            Ok(ActionName(text.to_string()))
        } else {
            Err(format!("an action is SERVICE:ACTION (for example s3:ListBucket), not `{text}`"))
        }
    }

    /// Parses a list separated by commas or spaces.
    pub fn parse_list(text: &str) -> Result<Vec<ActionName>, String> {
        text.split([',', ' ']).filter(|a| !a.trim().is_empty()).map(ActionName::parse).collect()
    }

    /// The action as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this names the same action (actions are case-insensitive).
    pub fn is(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other.trim())
    }
}

impl fmt::Display for ActionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountId(String);

impl AccountId {
    /// Parses a 12-digit account id.
    pub fn parse(text: &str) -> Result<AccountId, String> {
        digits(text, 12).map(AccountId).ok_or_else(|| "an AWS account id is 12 digits".to_string())
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 6-digit one-time MFA code. Serves one call; never logged.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MfaCode(String);

impl MfaCode {
    /// Parses a 6-digit code.
    pub fn parse(text: &str) -> Result<MfaCode, String> {
        digits(text, 6).map(MfaCode).ok_or_else(|| "an MFA code is the 6 digits your device shows".to_string())
    }

    /// The digits, for the one call that sends them.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MfaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaCode(******)")
    }
}

/// The text, trimmed, when it is exactly `count` ASCII digits.
fn digits(text: &str, count: usize) -> Option<String> {
    let text = text.trim();
    (text.len() == count && text.chars().all(|c| c.is_ascii_digit())).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_once_at_the_edge() {
        assert_eq!(ActionName::parse_list("s3:ListBucket, iam:GetUser").map(|l| l.len()), Ok(2));
        assert!(ActionName::parse("s3").is_err());
        assert!(ActionName::parse("s3:a:b").is_err());
        assert!(ActionName::parse("s3:List\u{1b}]0;x").is_err());
        assert!(AccountId::parse("12345678901").is_err());
        assert!(AccountId::parse("abc").is_err());
        assert_eq!(AccountId::parse(" 123456789012 ").map(|a| a.to_string()), Ok("123456789012".into()));
        assert!(MfaCode::parse("12345a").is_err());
        assert_eq!(format!("{:?}", MfaCode::parse("123456")), "Ok(MfaCode(******))");
    }
}
