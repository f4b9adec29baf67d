//! The stable vocabulary of the diagnosis: the five steps, every cause id of
//! SPEC section 3 (with its step and fix guide), and check statuses.

use serde::Serialize;
use std::fmt;

/// The five troubleshooting steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Credentials,
    Expiry,
    Mfa,
    AccountRegion,
    IamScp,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 5] = [Step::Credentials, Step::Expiry, Step::Mfa, Step::AccountRegion, Step::IamScp];

    /// The stable id (`account-region`).
    pub fn id(self) -> &'static str {
        match self {
            Step::Credentials => "credentials",
            Step::Expiry => "expiry",
            Step::Mfa => "mfa",
            Step::AccountRegion => "account-region",
            Step::IamScp => "iam-scp",
        }
    }

    /// The title people read.
    pub fn title(self) -> &'static str {
        match self {
            Step::Credentials => "Credentials",
            Step::Expiry => "Expiry & clock",
            Step::Mfa => "MFA",
            Step::AccountRegion => "Account & region",
            Step::IamScp => "IAM & SCP",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The outcome of one check or step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Skip,
    Warn,
    Fail,
}

impl Status {
    /// A one-character symbol for terminals.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Warn => "!",
            Status::Fail => "✗",
            Status::Skip => "-",
        }
    }

    /// The lowercase word.
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

macro_rules! causes {
    ($($variant:ident => $id:literal, $step:ident;)*) => {
        /// Every cause id of SPEC section 3, in table order (the order breaks ties).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Cause { $($variant,)* }

        impl Cause {
            /// Every cause, in table order.
            pub const ALL: &'static [Cause] = &[$(Cause::$variant,)*];

            /// The stable id used in JSON, tests and `assets/guides/<id>.md`.
            pub fn id(self) -> &'static str {
                match self { $(Cause::$variant => $id,)* }
            }

            /// The step the cause belongs to.
            pub fn step(self) -> Step {
                match self { $(Cause::$variant => Step::$step,)* }
            }

            /// The fix guide, embedded in the binary.
            pub fn guide(self) -> &'static str {
                match self { $(Cause::$variant => include_str!(concat!("../../assets/guides/", $id, ".md")),)* }
            }
        }
    };
}

causes! {
    EndpointUnreachable => "endpoint-unreachable", Credentials;
    NoCredentials => "no-credentials", Credentials;
    ProfileNotFound => "profile-not-found", Credentials;
    ProfileMisnamedSection => "profile-misnamed-section", Credentials;
    MissingCredentialField => "missing-credential-field", Credentials;
    CredentialWhitespace => "credential-whitespace", Credentials;
    CredentialMalformed => "credential-malformed", Credentials;
    KeySecretSwapped => "key-secret-swapped", Credentials;
    ExampleCredentials => "example-credentials", Credentials;
    EnvOverridesProfile => "env-overrides-profile", Credentials;
    UnknownAccessKey => "unknown-access-key", Credentials;
    SecretMismatch => "secret-mismatch", Credentials;
    SessionTokenMissing => "session-token-missing", Credentials;
    SessionTokenUnexpected => "session-token-unexpected", Credentials;
    CredentialsExpired => "credentials-expired", Expiry;
    SsoSessionExpired => "sso-session-expired", Expiry;
    ClockSkew => "clock-skew", Expiry;
    KeyInactive => "key-inactive", Expiry;
    KeyOld => "key-old", Expiry;
    MfaRequired => "mfa-required", Mfa;
    MfaCodeInvalid => "mfa-code-invalid", Mfa;
    MfaSerialInvalid => "mfa-serial-invalid", Mfa;
    MfaSessionCredentials => "mfa-session-credentials", Mfa;
    WrongAccount => "wrong-account", AccountRegion;
    RegionMissing => "region-missing", AccountRegion;
    RegionInvalid => "region-invalid", AccountRegion;
    RegionNotEnabled => "region-not-enabled", AccountRegion;
    NoIdentityAllow => "no-identity-allow", IamScp;
    ExplicitDenyIdentity => "explicit-deny-identity", IamScp;
    ExplicitDenyScp => "explicit-deny-scp", IamScp;
    PermissionsBoundary => "permissions-boundary", IamScp;
    DeniedOtherPolicy => "denied-other-policy", IamScp;
}

impl Cause {
    /// Looks a cause up by its id.
    pub fn from_id(id: &str) -> Option<Cause> {
        Cause::ALL.iter().copied().find(|c| c.id() == id)
    }

    /// The one-line fix shown beside a failure.
    pub fn short_fix(self) -> &'static str {
        match self {
            Cause::EndpointUnreachable => "check the network, HTTPS_PROXY, AWS_CA_BUNDLE and the endpoint settings",
            Cause::NoCredentials => "add an access key to the profile, or log in with SSO",
            Cause::ProfileNotFound => "pick a profile that exists (closest name first)",
            Cause::ProfileMisnamedSection => "rename the section header",
            Cause::MissingCredentialField => "add or rename the missing field",
            Cause::CredentialWhitespace => "trim the value in place",
            Cause::CredentialMalformed => "re-enter the key from the IAM console, or create a new one",
            Cause::KeySecretSwapped => "swap the key id and the secret",
            Cause::ExampleCredentials => "enter your own access key",
            Cause::EnvOverridesProfile => "unset the AWS_* key variables in your shell",
            Cause::UnknownAccessKey => "check the key in the IAM console; create a new one if it was deleted",
            Cause::SecretMismatch => "re-enter the secret; if it is lost, create a new access key",
            Cause::SessionTokenMissing => "add the session token, or get a new session",
            Cause::SessionTokenUnexpected => "remove the stale session token",
            Cause::CredentialsExpired => "get a new session (MFA step) or log in again",
            Cause::SsoSessionExpired => "run aws sso login",
            Cause::ClockSkew => "sync this computer's clock with NTP",
            Cause::KeyInactive => "reactivate the key in IAM, or rotate it",
            Cause::KeyOld => "rotate the access key",
            Cause::MfaRequired => "enter an MFA code to get an MFA session",
            Cause::MfaCodeInvalid => "type a fresh code; check the device's clock",
            Cause::MfaSerialInvalid => "set mfa_serial to the device IAM lists",
            Cause::MfaSessionCredentials => "use the long-term profile as the source",
            Cause::WrongAccount => "switch to the profile of the expected account",
            Cause::RegionMissing => "set a region for the profile",
            Cause::RegionInvalid => "pick a real region code (closest first)",
            Cause::RegionNotEnabled => "enable the region for the account, or use another",
            Cause::NoIdentityAllow => "attach a policy that allows the action (least privilege)",
            Cause::ExplicitDenyIdentity => "find and change the Deny statement",
            Cause::ExplicitDenyScp => "ask the organisation's administrators",
            Cause::PermissionsBoundary => "widen the permissions boundary",
            Cause::DeniedOtherPolicy => "change the policy the message names",
        }
    }

    /// The guide's title (its first line, without the `#`).
    pub fn title(self) -> &'static str {
        self.guide().lines().next().unwrap_or_default().trim_start_matches('#').trim()
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Cause {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_has_a_guide_with_a_title_and_steps() {
        for cause in Cause::ALL {
            let guide = cause.guide();
            assert!(guide.starts_with("# "), "{cause}: guide must start with a title");
            assert!(guide.contains("\n1. "), "{cause}: guide must have numbered steps");
            assert_eq!(Cause::from_id(cause.id()), Some(*cause));
        }
    }
}
