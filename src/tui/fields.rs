//! The wizard's editable fields: which step shows each, how it reads from and
//! writes to the profile files (or the run options), and how it is masked.

use crate::diagnose::Step;

/// Every editable field, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Profile,
    AccessKeyId,
    Secret,
    SessionToken,
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
    pub const ALL: [Field; 11] = [
        Field::Profile,
        Field::AccessKeyId,
        Field::Secret,
        Field::SessionToken,
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
            Field::Profile | Field::AccessKeyId | Field::Secret | Field::SessionToken => Step::Credentials,
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

    /// The fields of one step, in order.
    pub fn of_step(step: Step) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| f.step() == step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_belong_to_steps_and_cycle() {
        assert_eq!(Field::of_step(Step::Credentials).count(), 4);
        assert_eq!(Field::PastedError.cycle(true), Field::Profile);
        assert_eq!(Field::Profile.cycle(false), Field::PastedError);
        assert_eq!(
            Field::of_step(Step::IamScp).collect::<Vec<_>>(),
            [Field::Action, Field::Resource, Field::PastedError]
        );
    }
}
