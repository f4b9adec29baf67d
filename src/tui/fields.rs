//! The wizard's editable fields: which step shows each, how it reads from and
//! writes to the profile files (or the run options), and how it is masked.

use crate::diagnose::Step;
use crate::profile::view::Section;

/// Every editable field, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Profile,
    AccessKeyId,
    Secret,
    SessionToken,
    RoleArn,
    SourceProfile,
    ExternalId,
    RoleSessionName,
    DurationSeconds,
    SsoSession,
    SsoStartUrl,
    SsoRegion,
    SsoAccountId,
    SsoRoleName,
    CredentialProcess,
    CaBundle,
    MfaSerial,
    MfaCode,
    Region,
    ExpectAccount,
    Action,
    Resource,
    PastedError,
}

impl Field {
    /// Every field, in Tab order (which is also step order).
    pub const ALL: [Field; 23] = [
        Field::Profile,
        Field::AccessKeyId,
        Field::Secret,
        Field::SessionToken,
        Field::RoleArn,
        Field::SourceProfile,
        Field::ExternalId,
        Field::RoleSessionName,
        Field::DurationSeconds,
        Field::SsoSession,
        Field::SsoStartUrl,
        Field::SsoRegion,
        Field::SsoAccountId,
        Field::SsoRoleName,
        Field::CredentialProcess,
        Field::CaBundle,
        Field::MfaSerial,
        Field::MfaCode,
        Field::Region,
        Field::ExpectAccount,
        Field::Action,
        Field::Resource,
        Field::PastedError,
    ];

    /// The label shown beside the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::Profile => "Profile",
            Field::AccessKeyId => "Access key id",
            Field::Secret => "Secret key",
            Field::SessionToken => "Session token",
            Field::RoleArn => "Role ARN",
            Field::SourceProfile => "Source profile",
            Field::ExternalId => "External id",
            Field::RoleSessionName => "Session name",
            Field::DurationSeconds => "Duration (s)",
            Field::SsoSession => "SSO session",
            Field::SsoStartUrl => "SSO start URL",
            Field::SsoRegion => "SSO region",
            Field::SsoAccountId => "SSO account",
            Field::SsoRoleName => "SSO role",
            Field::CredentialProcess => "Process",
            Field::CaBundle => "CA bundle (PEM)",
            Field::MfaSerial => "MFA serial",
            Field::MfaCode => "MFA code",
            Field::Region => "Region",
            Field::ExpectAccount => "Expected account",
            Field::Action => "Action to test",
            Field::Resource => "Resource (ARN)",
            Field::PastedError => "Pasted error",
        }
    }

    /// The step whose panel shows the field.
    pub fn step(self) -> Step {
        match self {
            Field::Profile
            | Field::AccessKeyId
            | Field::Secret
            | Field::SessionToken
            | Field::RoleArn
            | Field::SourceProfile
            | Field::ExternalId
            | Field::RoleSessionName
            | Field::DurationSeconds
            | Field::SsoSession
            | Field::SsoStartUrl
            | Field::SsoRegion
            | Field::SsoAccountId
            | Field::SsoRoleName
            | Field::CredentialProcess
            | Field::CaBundle => Step::Credentials,
            Field::MfaSerial | Field::MfaCode => Step::Mfa,
            Field::Region | Field::ExpectAccount => Step::AccountRegion,
            Field::Action | Field::Resource | Field::PastedError => Step::IamScp,
        }
    }

    /// The profile key the field edits, if it lives in the files.
    pub fn file_key(self) -> Option<&'static str> {
        match self {
            Field::AccessKeyId => Some("aws_access_key_id"),
            Field::Secret => Some("aws_secret_access_key"),
            Field::SessionToken => Some("aws_session_token"),
            Field::RoleArn => Some("role_arn"),
            Field::SourceProfile => Some("source_profile"),
            Field::ExternalId => Some("external_id"),
            Field::RoleSessionName => Some("role_session_name"),
            Field::DurationSeconds => Some("duration_seconds"),
            Field::SsoSession => Some("sso_session"),
            Field::SsoStartUrl => Some("sso_start_url"),
            Field::SsoRegion => Some("sso_region"),
            Field::SsoAccountId => Some("sso_account_id"),
            Field::SsoRoleName => Some("sso_role_name"),
            Field::CredentialProcess => Some("credential_process"),
            Field::CaBundle => Some("ca_bundle"),
            Field::MfaSerial => Some("mfa_serial"),
            Field::Region => Some("region"),
            _ => None,
        }
    }

    /// Whether the value is secret (masked unless revealed).
    pub fn is_secret(self) -> bool {
        matches!(self, Field::Secret | Field::SessionToken)
    }

    /// The next field in Tab order (or the previous one), wrapping around.
    pub fn cycle(self, forward: bool) -> Field {
        let n = Field::ALL.len();
        let i = Field::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Field::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }]
    }

    /// The fields of one step, in order (every one; the panel shows those [`Field::applies`] keeps).
    pub fn of_step(step: Step) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| f.step() == step)
    }

    /// Whether the field belongs on screen for this profile: the keys for a
    /// profile with keys or no source at all, the role's settings for a role,
    /// the SSO settings for SSO (start URL and region only in the legacy
    /// style: with `sso_session` they live in the session's section), the
    /// process for `credential_process`, the CA bundle once it is set or the
    /// endpoint's certificate is not trusted.
    pub fn applies(self, profile: Option<&Section>, untrusted_tls: bool) -> bool {
        let has = |key: &str| profile.is_some_and(|p| p.get(key).is_some());
        let role = has("role_arn");
        let sso = has("sso_session") || has("sso_start_url") || has("sso_account_id");
        let process = has("credential_process");
        match self {
            Field::AccessKeyId | Field::Secret | Field::SessionToken => {
                has("aws_access_key_id") || has("aws_secret_access_key") || !(role || sso || process)
            }
            Field::RoleArn
            | Field::SourceProfile
            | Field::ExternalId
            | Field::RoleSessionName
            | Field::DurationSeconds => role,
            Field::SsoSession | Field::SsoAccountId | Field::SsoRoleName => sso,
            Field::SsoStartUrl | Field::SsoRegion => sso && !has("sso_session"),
            Field::CredentialProcess => process,
            Field::CaBundle => has("ca_bundle") || untrusted_tls,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_belong_to_steps_and_cycle() {
        assert_eq!(Field::of_step(Step::Credentials).count(), 16);
        let role = crate::profile::SdkView::build(
            Some(&crate::profile::Document::parse("[profile r]\nrole_arn = x\nsource_profile = b\n")),
            None,
        );
        let shown: Vec<Field> =
            Field::of_step(Step::Credentials).filter(|f| f.applies(role.profiles.get("r"), false)).collect();
        assert_eq!(
            shown,
            [
                Field::Profile,
                Field::RoleArn,
                Field::SourceProfile,
                Field::ExternalId,
                Field::RoleSessionName,
                Field::DurationSeconds
            ]
        );
        assert!(Field::CaBundle.applies(None, true) && !Field::CaBundle.applies(None, false));
        assert_eq!(Field::PastedError.cycle(true), Field::Profile);
        assert_eq!(Field::Profile.cycle(false), Field::PastedError);
        assert_eq!(
            Field::of_step(Step::IamScp).collect::<Vec<_>>(),
            [Field::Action, Field::Resource, Field::PastedError]
        );
    }
}
