//! The causes a hop can end with: every id of SPEC section 3b, plus the ids of
//! section 3 that a hop can also produce (an MFA code refused by AssumeRole,
//! the previous hop's keys rejected, STS unreachable...). The ids are the
//! same strings as the engine's `Cause` ids, so `Cause::from_id(c.id())` maps
//! them. Pure.

use std::fmt;

macro_rules! hop_causes {
    ($($variant:ident => $id:literal, $step:literal;)*) => {
        /// A cause id a hop reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum HopCause { $($variant,)* }

        impl HopCause {
            /// Every hop cause, SPEC 3b first.
            pub const ALL: &'static [HopCause] = &[$(HopCause::$variant,)*];

            /// The stable id (`assume-role-denied`).
            pub fn id(self) -> &'static str {
                match self { $(HopCause::$variant => $id,)* }
            }

            /// The id of the SPEC step the cause belongs to.
            pub fn step_id(self) -> &'static str {
                match self { $(HopCause::$variant => $step,)* }
            }
        }
    };
}

hop_causes! {
    SourceProfileMissing => "source-profile-missing", "credentials";
    SourceProfileLoop => "source-profile-loop", "credentials";
    RoleConfigInvalid => "role-config-invalid", "credentials";
    AssumeRoleDenied => "assume-role-denied", "iam-scp";
    RoleDurationTooLong => "role-duration-too-long", "expiry";
    SsoConfigIncomplete => "sso-config-incomplete", "credentials";
    SsoNoAccess => "sso-no-access", "account-region";
    SsoSessionExpired => "sso-session-expired", "expiry";
    LoginSessionExpired => "login-session-expired", "expiry";
    ProcessFailed => "process-failed", "credentials";
    ProcessOutputInvalid => "process-output-invalid", "credentials";
    WebIdentityTokenInvalid => "web-identity-token-invalid", "credentials";
    ContainerCredentialsUnavailable => "container-credentials-unavailable", "credentials";
    ImdsUnavailable => "imds-unavailable", "credentials";
    IamNeedsMfaSession => "iam-needs-mfa-session", "mfa";
    // Section 3 ids that a hop can produce too.
    ProfileNotFound => "profile-not-found", "credentials";
    NoCredentials => "no-credentials", "credentials";
    MissingCredentialField => "missing-credential-field", "credentials";
    EndpointUnreachable => "endpoint-unreachable", "credentials";
    UnknownAccessKey => "unknown-access-key", "credentials";
    SecretMismatch => "secret-mismatch", "credentials";
    CredentialsExpired => "credentials-expired", "expiry";
    ClockSkew => "clock-skew", "expiry";
    MfaCodeInvalid => "mfa-code-invalid", "mfa";
    MfaSerialInvalid => "mfa-serial-invalid", "mfa";
    RegionNotEnabled => "region-not-enabled", "account-region";
}

impl HopCause {
    /// Looks a cause up by its id.
    pub fn from_id(id: &str) -> Option<HopCause> {
        HopCause::ALL.iter().copied().find(|c| c.id() == id)
    }
}

impl fmt::Display for HopCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl serde::Serialize for HopCause {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        for cause in HopCause::ALL {
            assert_eq!(HopCause::from_id(cause.id()), Some(*cause));
            assert!(["credentials", "expiry", "mfa", "account-region", "iam-scp"].contains(&cause.step_id()));
        }
    }

    #[test]
    fn section_three_ids_match_the_engine() {
        for cause in HopCause::ALL {
            if let Some(engine) = crate::diagnose::Cause::from_id(cause.id()) {
                assert_eq!(engine.step().id(), cause.step_id(), "{cause}");
            }
        }
    }
}
