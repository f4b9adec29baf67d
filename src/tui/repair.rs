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
}
