//! The diff a save shows before it writes: per file, the lines removed and
//! added, with secret values masked (last 4 characters only).

use crate::base::display::display_path;
use crate::base::display::mask_secret as mask;
use crate::base::environment::Environment;
use crate::profile::document::property_spans;
use crate::profile::{Document, FileKind, ProfileFiles};

/// A line for display, with a secret value masked (the rest of the line as it is).
fn shown(line: &str) -> String {
    let content = line.trim_end_matches(['\n', '\r']);
    if let Ok(spans) = property_spans(content)
        && crate::redact::is_secret_key(&content[spans.key.clone()])
    {
        let value = &content[spans.value.clone()];
        return format!("{}{}{}", &content[..spans.value.start], mask(value), &content[spans.value.end..]);
    }
    crate::base::sanitize::line(content).into_owned()
}

/// The changed lines of one file: unchanged head and tail are skipped.
fn file_diff(before: &Document, after: &Document) -> Vec<String> {
    let (old, new) = (before.render(), after.render());
    let old: Vec<&str> = old.split_inclusive('\n').collect();
    let new: Vec<&str> = new.split_inclusive('\n').collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..].iter().rev().zip(new[head..].iter().rev()).take_while(|(a, b)| a == b).count();
    let mut lines = vec![format!("@@ line {} @@", head + 1)];
    lines.extend(old[head..old.len() - tail].iter().map(|l| format!("- {}", shown(l))));
    lines.extend(new[head..new.len() - tail].iter().map(|l| format!("+ {}", shown(l))));
    lines
}

/// The whole diff between the loaded files and the draft; empty when nothing changed.
pub fn draft_diff(env: &Environment, files: &ProfileFiles, draft: &ProfileFiles) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, path) in [(FileKind::Credentials, env.credentials_path()), (FileKind::Config, env.config_path())] {
        let (before, after) = (&files.file(kind).document, &draft.file(kind).document);
        if before.render() != after.render() {
            out.push(format!("--- {}", display_path(env, &path)));
            out.extend(file_diff(before, after));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_masks_secrets_and_shows_only_changes() {
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some("/h".into()));
        let files = ProfileFiles::from_texts(
            &env,
            Some("[default]\nregion = us-east1\n"),
            Some("[default]\naws_secret_access_key = OLDSECRETVALUE1234\n"),
        );
        let mut draft = files.clone();
        draft.credentials.document = Document::parse("[default]\naws_secret_access_key = NEWSECRETVALUE9876\n");
        draft.config.document = Document::parse("[default]\nregion = us-east-1\n");
        let diff = draft_diff(&env, &files, &draft).join("\n");
        assert!(!diff.contains("OLDSECRET") && !diff.contains("NEWSECRET"), "{diff}");
        assert!(diff.contains("- aws_secret_access_key = ****************1234"));
        assert!(diff.contains("+ aws_secret_access_key = ****************9876"));
        assert!(diff.contains("- region = us-east1") && diff.contains("+ region = us-east-1"));
        assert!(diff.contains("--- ~/.aws/config"));
    }
}
