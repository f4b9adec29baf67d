//! What `o` opens: `$EDITOR` (else `$VISUAL`, else `vi`) at the file and line
//! a check points to (`~/.aws/credentials:3`), or where the profile's keys
//! come from. The command line is decided here, purely; the runtime hands
//! the terminal over and reads the files again when the editor returns.

use super::app::App;
use crate::base::environment::Environment;
use std::path::PathBuf;

/// A location as findings write it (`~/.aws/config:4`, `/etc/x`): the file and the line.
pub fn parse_location(env: &Environment, location: &str) -> Option<(PathBuf, Option<u32>)> {
    let location = location.split_whitespace().last().unwrap_or(location);
    let (path, line) = match location.rsplit_once(':') {
        Some((path, line)) if line.chars().all(|c| c.is_ascii_digit()) && !line.is_empty() => (path, line.parse().ok()),
        _ => (location, None),
    };
    let path = match path.strip_prefix("~/") {
        Some(rest) => env.home()?.join(rest),
        None if path.starts_with('/') => PathBuf::from(path),
        None => return None,
    };
    Some((path, line))
}

/// The editor's command line for `path` at `line`.
pub fn argv(env: &Environment, path: &std::path::Path, line: Option<u32>) -> Vec<String> {
    let editor = ["EDITOR", "VISUAL"]
        .iter()
        .find_map(|var| env.get(var).map(str::trim).filter(|v| !v.is_empty()))
        .unwrap_or("vi");
    let mut argv: Vec<String> = editor.split_whitespace().map(str::to_string).collect();
    if let Some(line) = line {
        argv.push(format!("+{line}"));
    }
    argv.push(path.display().to_string());
    argv
}

/// Where `o` goes now: the check under the cursor's location, else where the keys come from.
pub fn target(app: &App) -> Result<(PathBuf, Option<u32>), String> {
    let location = app
        .current_check()
        .and_then(|c| c.location.clone())
        .or_else(|| app.report.source.location.clone())
        .ok_or("nothing here points to a file")?;
    parse_location(&app.draft.env, &location).ok_or_else(|| format!("{location} is not a file credwiz can open"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_become_a_file_and_a_line_and_the_editor_is_chosen_like_git() {
        let env = Environment::from_pairs([("VISUAL", "nano")], Some("/home/u".into()));
        let (path, line) = parse_location(&env, "~/.aws/credentials:3").expect("location");
        assert_eq!((path.display().to_string(), line), ("/home/u/.aws/credentials".into(), Some(3)));
        assert_eq!(argv(&env, &path, line), ["nano", "+3", "/home/u/.aws/credentials"]);
        let env = Environment::from_pairs([("EDITOR", "code -w"), ("VISUAL", "nano")], Some("/home/u".into()));
        assert_eq!(argv(&env, &path, None), ["code", "-w", "/home/u/.aws/credentials"]);
        let env = Environment::from_pairs(Vec::<(&str, &str)>::new(), Some("/home/u".into()));
        assert_eq!(argv(&env, &path, Some(1))[0], "vi");
        assert_eq!(parse_location(&env, "in use: assume-role ~/.aws/config:4").map(|p| p.1), Some(Some(4)));
        assert!(parse_location(&env, "the environment").is_none());
    }
}
