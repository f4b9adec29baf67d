//! Applies a finding's one-key repair to the draft documents (never to disk:
//! saving is a separate, confirmed step).

use crate::diagnose::Repair;
use crate::profile::ProfileFiles;
use secrecy::ExposeSecret;

/// Applies the repair to the draft.
pub fn apply(draft: &mut ProfileFiles, repair: &Repair) {
    match repair {
        Repair::SetValue { file, section, key, value } => {
            draft.file_mut(*file).document.set(section, key, value.expose_secret());
        }
        Repair::Swap { file, section, first, second } => {
            let view = crate::profile::SdkView::build(Some(&draft.file(*file).document), None);
            let name = section.name.clone();
            let (a, b) = match view.profiles.get(&name) {
                Some(p) => {
                    (p.get(first).unwrap_or_default().to_string(), p.get(second).unwrap_or_default().to_string())
                }
                None => return,
            };
            let document = &mut draft.file_mut(*file).document;
            document.set(section, first, &b);
            document.set(section, second, &a);
        }
        Repair::RenameKey { file, section, from, to } => {
            draft.file_mut(*file).document.rename_key(section, from, to);
        }
        Repair::RemoveKey { file, section, key } => {
            draft.file_mut(*file).document.remove(section, key);
        }
        Repair::RenameSection { file, from, to } => {
            draft.file_mut(*file).document.rename_section(from, to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environment::Environment;
    use crate::profile::{FileKind, SectionName};

    #[test]
    fn swap_and_rename_section() {
        let env = Environment::default();
        let mut files = ProfileFiles::from_texts(
            &env,
            None,
            Some("[profile dev]\naws_access_key_id = S\naws_secret_access_key = K\n"),
        );
        let section = SectionName::from_header("profile dev");
        apply(
            &mut files,
            &Repair::Swap {
                file: FileKind::Credentials,
                section: section.clone(),
                first: "aws_access_key_id".into(),
                second: "aws_secret_access_key".into(),
            },
        );
        apply(
            &mut files,
            &Repair::RenameSection { file: FileKind::Credentials, from: section, to: SectionName::from_header("dev") },
        );
        assert_eq!(files.credentials.document.render(), "[dev]\naws_access_key_id = K\naws_secret_access_key = S\n");
    }
}
