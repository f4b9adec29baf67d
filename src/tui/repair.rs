//! Applies a finding's one-key repair to the draft (never to disk: saving
//! is a separate, confirmed step). Pure.

use super::app::Draft;
use crate::diagnose::Repair;
use crate::profile::SdkView;
use secrecy::ExposeSecret;

/// Applies the repair to the draft.
pub fn apply(draft: &mut Draft, repair: &Repair) {
    let files = &mut draft.edited;
    match repair {
        Repair::SetValue { file, section, key, value } => {
            files.file_mut(*file).document.set(section, key, value.expose_secret());
        }
        Repair::SetValues { file, section, values } => {
            for (key, value) in values {
                files.file_mut(*file).document.set(section, key, value);
            }
        }
        Repair::Swap { file, section, first, second } => {
            let view = SdkView::build(Some(&files.file(*file).document), None);
            let (a, b) = match view.profiles.get(&section.name) {
                Some(p) => {
                    (p.get(first).unwrap_or_default().to_string(), p.get(second).unwrap_or_default().to_string())
                }
                None => return,
            };
            let document = &mut files.file_mut(*file).document;
            document.set(section, first, &b);
            document.set(section, second, &a);
        }
        Repair::RenameKey { file, section, from, to } => {
            files.file_mut(*file).document.rename_key(section, from, to);
        }
        Repair::RemoveKey { file, section, key } => {
            files.file_mut(*file).document.remove(section, key);
        }
        Repair::RenameSection { file, from, to } => {
            files.file_mut(*file).document.rename_section(from, to);
        }
        Repair::IgnoreEnvKeys => draft.ignore_env = true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::environment::Environment;
    use crate::diagnose::input::gather::{Gathered, SideFiles};
    use crate::profile::{FileKind, ProfileFiles, SectionName};

    #[test]
    fn swap_rename_section_and_ignore_env() {
        let env = Environment::default();
        let files = ProfileFiles::from_texts(
            &env,
            None,
            Some("[profile dev]\naws_access_key_id = S\naws_secret_access_key = K\n"),
        );
        let mut draft = Draft::new(Gathered { env, files, side: SideFiles::default() });
        let section = SectionName::from_header("profile dev");
        apply(
            &mut draft,
            &Repair::Swap {
                file: FileKind::Credentials,
                section: section.clone(),
                first: "aws_access_key_id".into(),
                second: "aws_secret_access_key".into(),
            },
        );
        apply(
            &mut draft,
            &Repair::RenameSection { file: FileKind::Credentials, from: section, to: SectionName::from_header("dev") },
        );
        assert_eq!(
            draft.edited.credentials.document.render(),
            "[dev]\naws_access_key_id = K\naws_secret_access_key = S\n"
        );
        assert!(!draft.ignore_env);
        apply(&mut draft, &Repair::IgnoreEnvKeys);
        assert!(draft.ignore_env && draft.is_dirty());
    }

    #[test]
    fn set_values_adds_every_key_to_the_draft_in_one_press() {
        let env = Environment::default();
        let config = "[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\n";
        let files = ProfileFiles::from_texts(&env, Some(config), None);
        let mut draft = Draft::new(Gathered { env, files, side: SideFiles::default() });
        let values = vec![
            ("sso_start_url".to_string(), "https://x/start".to_string()),
            ("sso_region".into(), "eu-west-1".into()),
        ];
        apply(
            &mut draft,
            &Repair::SetValues { file: FileKind::Config, section: SectionName::from_header("profile dev"), values },
        );
        assert_eq!(
            draft.edited.config.document.render(),
            "[profile dev]\nsso_session = corp\nsso_start_url = https://x/start\nsso_region = eu-west-1\n[sso-session corp]\nsso_region = eu-west-1\n"
        );
        assert!(draft.is_dirty(), "saved only after the diff is confirmed");
    }
}
