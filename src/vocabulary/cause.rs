//! The stable vocabulary of the diagnosis: the five steps, check statuses, and
//! the one table of cause ids (SPEC sections 3, 3b, 3c...) with each cause's step,
//! one-line fix and guide. Hops and the network probe report these causes too.

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

    /// The next step (or the previous one), wrapping around.
    pub fn cycle(self, forward: bool) -> Step {
        let n = Step::ALL.len();
        let i = Step::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Step::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }]
    }

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
    ($($variant:ident => $id:literal, $step:ident, $fix:literal;)*) => {
        /// Every cause id of SPEC section 3, in table order (the order breaks ties),
        /// with its step and its one-line fix.
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

            /// The one-line fix shown beside a failure.
            pub fn short_fix(self) -> &'static str {
                match self { $(Cause::$variant => $fix,)* }
            }

            /// The fix guide, embedded in the binary.
            pub fn guide(self) -> &'static str {
                match self { $(Cause::$variant => include_str!(concat!("../../assets/guides/", $id, ".md")),)* }
            }
        }
    };
}

causes! {
    DnsFailure => "dns-failure", Credentials, "fix the setting that built the host name (region, FIPS, dual-stack), or the resolver";
    ProxyFailed => "proxy-failed", Credentials, "fix HTTPS_PROXY / NO_PROXY (the proxy's answer is shown)";
    TlsUntrusted => "tls-untrusted", Credentials, "point AWS_CA_BUNDLE (or ca_bundle) at your organisation's CA certificate (PEM); never disable verification";
    EndpointOverride => "endpoint-override", Credentials, "remove the endpoint override, or start what it points at";
    EndpointUnreachable => "endpoint-unreachable", Credentials, "check the network, HTTPS_PROXY, AWS_CA_BUNDLE and the endpoint settings";
    HomeMismatch => "home-mismatch", Credentials, "run without sudo, or keep your home (`sudo --preserve-env=HOME`), or set AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE";
    NoCredentials => "no-credentials", Credentials, "add an access key to the profile, or set up SSO with `aws configure sso`";
    ProfileNotFound => "profile-not-found", Credentials, "pick a profile that exists (closest name first)";
    ProfileMisnamedSection => "profile-misnamed-section", Credentials, "rename the section header";
    SourceProfileMissing => "source-profile-missing", Credentials, "point source_profile at an existing profile (closest first)";
    SourceProfileLoop => "source-profile-loop", Credentials, "break the source_profile loop at the hop shown";
    RoleConfigInvalid => "role-config-invalid", Credentials, "correct the role setting shown";
    SsoConfigIncomplete => "sso-config-incomplete", Credentials, "add or correct the SSO setting shown";
    SsoSessionUnsupported => "sso-session-unsupported", Credentials, "add the session's sso_start_url and sso_region to the profile for older tools";
    ToolsDisagree => "tools-disagree", Credentials, "remove the source that should not be there";
    ProcessFailed => "process-failed", Credentials, "fix the credential_process command (the failing part is shown)";
    ProcessOutputInvalid => "process-output-invalid", Credentials, "fix the program's output (the first bad byte or field is shown)";
    WebIdentityTokenInvalid => "web-identity-token-invalid", Credentials, "refresh the web identity token source";
    ContainerCredentialsUnavailable => "container-credentials-unavailable", Credentials, "check the container credentials setting or the task/pod role";
    ImdsUnavailable => "imds-unavailable", Credentials, "check the instance's role and metadata settings";
    OidcTokenUnavailable => "oidc-token-unavailable", Credentials, "grant the job an OpenID Connect token (permissions: id-token: write, or GitLab id_tokens:)";
    OidcProviderMissing => "oidc-provider-missing", Credentials, "create the IAM OpenID Connect provider for the token's issuer";
    OidcAudienceMismatch => "oidc-audience-mismatch", Credentials, "request the audience the provider accepts, or add the token's audience to the provider";
    OidcThumbprintMismatch => "oidc-thumbprint-mismatch", Credentials, "update the provider's certificate thumbprint list";
    WebIdentityTokenUnreadable => "web-identity-token-unreadable", Credentials, "run as a user that can read the token file (fsGroup / runAsUser in the pod spec)";
    MissingCredentialField => "missing-credential-field", Credentials, "add or rename the missing field";
    CredentialWhitespace => "credential-whitespace", Credentials, "trim the value in place";
    CredentialMalformed => "credential-malformed", Credentials, "re-enter the key from the IAM console, or create a new one";
    KeySecretSwapped => "key-secret-swapped", Credentials, "swap the key id and the secret";
    ExampleCredentials => "example-credentials", Credentials, "enter your own access key";
    EnvOverridesProfile => "env-overrides-profile", Credentials, "unset the AWS_* key variables in your shell";
    UnknownAccessKey => "unknown-access-key", Credentials, "check the key in the IAM console; create a new one if it was deleted";
    KeyNotYetActive => "key-not-yet-active", Credentials, "wait a few seconds: new keys take time to reach every region";
    SecretMismatch => "secret-mismatch", Credentials, "re-enter the secret; if it is lost, create a new access key";
    SessionTokenMissing => "session-token-missing", Credentials, "add the session token, or get a new session";
    SessionTokenUnexpected => "session-token-unexpected", Credentials, "remove the stale session token";
    CredentialsExpired => "credentials-expired", Expiry, "get a new session (MFA step) or log in again";
    SsoSessionExpired => "sso-session-expired", Expiry, "run aws sso login";
    LoginSessionExpired => "login-session-expired", Expiry, "run aws login";
    ClockSkew => "clock-skew", Expiry, "sync this computer's clock with NTP";
    KeyInactive => "key-inactive", Expiry, "reactivate the key in IAM, or rotate it";
    KeyOld => "key-old", Expiry, "rotate the access key";
    RoleDurationTooLong => "role-duration-too-long", Expiry, "lower duration_seconds to the limit shown";
    MfaRequired => "mfa-required", Mfa, "enter an MFA code to get an MFA session";
    MfaCodeInvalid => "mfa-code-invalid", Mfa, "type a fresh code; check the device's clock";
    MfaSerialInvalid => "mfa-serial-invalid", Mfa, "set mfa_serial to the device IAM lists";
    MfaSessionCredentials => "mfa-session-credentials", Mfa, "use the long-term profile as the source";
    IamNeedsMfaSession => "iam-needs-mfa-session", Mfa, "get a session with an MFA code (MFA step)";
    WrongAccount => "wrong-account", AccountRegion, "switch to the profile of the expected account";
    SsoNoAccess => "sso-no-access", AccountRegion, "pick an account and role the portal assigns you";
    RegionMissing => "region-missing", AccountRegion, "set a region for the profile";
    RegionInvalid => "region-invalid", AccountRegion, "pick a real region code (closest first)";
    RegionNotEnabled => "region-not-enabled", AccountRegion, "enable the region for the account, or use another";
    PartitionMismatch => "partition-mismatch", AccountRegion, "set a region (or endpoint) of the key's partition";
    StsTokenV1OptinRegion => "sts-token-v1-optin-region", AccountRegion, "get sessions from a regional STS endpoint, or make the account issue v2 tokens";
    WebIdentityTrustMismatch => "web-identity-trust-mismatch", IamScp, "correct the trust condition to the value the token really has, or ask the role's owner";
    TagSessionDenied => "tag-session-denied", IamScp, "add sts:TagSession to the trust policy, or stop tagging (role-skip-session-tagging: true)";
    AssumeRoleDenied => "assume-role-denied", IamScp, "ask the role's owner to trust you (the request is shown), or fix external_id / mfa_serial";
    NoIdentityAllow => "no-identity-allow", IamScp, "attach a policy that allows the action (least privilege)";
    ExplicitDenyIdentity => "explicit-deny-identity", IamScp, "find and change the Deny statement";
    ExplicitDenyScp => "explicit-deny-scp", IamScp, "ask the organisation's administrators";
    PermissionsBoundary => "permissions-boundary", IamScp, "widen the permissions boundary";
    DeniedOtherPolicy => "denied-other-policy", IamScp, "change the policy the message names";
}

impl Cause {
    /// Looks a cause up by its id.
    pub fn from_id(id: &str) -> Option<Cause> {
        Cause::ALL.iter().copied().find(|c| c.id() == id)
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
