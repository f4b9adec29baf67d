//! The form: what the user types that does not live in the profile files
//! (the profile to check and the run options, kept typed), and the field
//! being edited with its text input. Values are parsed once, when a field is
//! kept; the text on screen is rendered from the typed values. No IO.

use crate::diagnose::Options;
use crate::diagnose::input::options::{AccountId, ActionName, MfaCode, ResourceArn};
use crate::tui::fields::Field;
use tui_input::Input;

/// The field being edited and its text input.
#[derive(Debug, Clone)]
pub struct Editing {
    pub field: Field,
    pub input: Input,
    /// The old value is selected: the first key typed replaces it, the first
    /// delete clears it, a move keeps it.
    pub selected: bool,
    /// The value when the edit began.
    pub before: String,
    /// A secret shown in clear while typed (Ctrl-R): for this edit only.
    pub reveal: bool,
}

impl Editing {
    /// An edit of `field` from `value`, the whole value selected.
    pub fn new(field: Field, value: String) -> Self {
        Editing { field, input: Input::new(value.clone()), selected: !value.is_empty(), before: value, reveal: false }
    }
}

/// The non-file fields and the edit in progress.
#[derive(Debug, Clone)]
pub struct Form {
    /// The profile the checks look at.
    pub profile: String,
    /// A session renewal under way: the checks run on its base profile.
    pub renewing: Option<super::renew::Renewal>,
    /// The run options, as typed values.
    pub options: Options,
    pub editing: Option<Editing>,
    /// The profile the user chose to work with (`w`, or a session written
    /// and switched to): the exit summary exports it. Browsing does not choose.
    pub chosen: Option<String>,
    /// The cause of the newest one-key fix (Enter), so that `F` can still fix the other profiles with it.
    pub fixed: Option<crate::diagnose::Cause>,
}

impl Form {
    /// The text of a field that is not in the files (`None` for file fields).
    pub fn text(&self, field: Field) -> Option<String> {
        let options = &self.options;
        Some(match field {
            Field::Profile => self.profile.clone(),
            Field::MfaCode => options.mfa_code.as_ref().map(|c| c.digits().to_string()).unwrap_or_default(),
            Field::ExpectAccount => options.expect_account.as_ref().map(AccountId::to_string).unwrap_or_default(),
            Field::Action => options.actions.iter().map(ActionName::as_str).collect::<Vec<_>>().join(", "),
            Field::Resource => options.resources.iter().map(ResourceArn::as_str).collect::<Vec<_>>().join(", "),
            Field::PastedError => options.error.clone().unwrap_or_default(),
            _ => return None,
        })
    }

    /// Keeps a new value of a non-file field, parsed; says why when it is not valid.
    pub fn commit(&mut self, field: Field, value: &str) -> Result<(), String> {
        let value = value.trim();
        let options = &mut self.options;
        match field {
            Field::Profile if !value.is_empty() => self.profile = value.to_string(),
            Field::Profile => return Err("a profile needs a name".into()),
            Field::MfaCode => options.mfa_code = optional(value, MfaCode::parse)?,
            Field::ExpectAccount => options.expect_account = optional(value, AccountId::parse)?,
            Field::Action => options.actions = ActionName::parse_list(value)?,
            Field::Resource => {
                let resources = ResourceArn::parse_list(value)?;
                Options { resources: resources.clone(), ..options.clone() }.check_resources()?;
                options.resources = resources;
            }
            Field::PastedError => options.error = Some(value.to_string()).filter(|v| !v.is_empty()),
            _ => {}
        }
        Ok(())
    }

    /// The text being typed into `field`, if it is the one being edited.
    pub fn typing(&self, field: Field) -> Option<&str> {
        self.editing.as_ref().filter(|e| e.field == field).map(|e| e.input.value())
    }
}

/// An empty value clears the option; anything else must parse.
fn optional<T>(value: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if value.is_empty() { Ok(None) } else { parse(value).map(Some) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_typed_and_shown_back() {
        let mut form = Form {
            profile: "default".into(),
            renewing: None,
            options: Options::default(),
            editing: None,
            chosen: None,
            fixed: None,
        };
        assert!(form.commit(Field::Action, "s3:ListBucket  iam:GetUser").is_ok());
        assert_eq!(form.text(Field::Action).as_deref(), Some("s3:ListBucket, iam:GetUser"));
        assert!(form.commit(Field::ExpectAccount, "abc").is_err());
        assert!(form.commit(Field::MfaCode, "").is_ok() && form.options.mfa_code.is_none());
        assert_eq!(form.text(Field::Region), None);
        assert!(form.commit(Field::Resource, "arn:aws:s3:::b/k").is_ok());
        assert_eq!(form.text(Field::Resource).as_deref(), Some("arn:aws:s3:::b/k"));
        assert!(
            form.commit(Field::Resource, "arn:aws:s3:::a arn:aws:s3:::b arn:aws:s3:::c").is_err(),
            "3 for 2 actions"
        );
        assert!(form.commit(Field::Resource, "s3://bucket").is_err());
        assert_eq!(form.options.resources.len(), 1, "a refused value keeps the old one");
    }
}
