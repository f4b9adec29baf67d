//! The commit credwiz is built from, for `credwiz --version`: from git when
//! the crate's own directory is the top of a git work tree, else from the
//! `.cargo_vcs_info.json` that `cargo package` writes into a published crate,
//! else nothing (the version alone). Shared by build.rs and its test.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The commit, short, and the files whose change means another commit.
pub struct Commit {
    pub id: String,
    pub date: Option<String>,
    pub watch: Vec<PathBuf>,
}

/// `VERSION (COMMIT DATE)`, `VERSION (COMMIT)` or `VERSION`.
pub fn version_line(version: &str, commit: Option<&Commit>) -> String {
    match commit {
        Some(Commit { id, date: Some(date), .. }) => format!("{version} ({id} {date})"),
        Some(Commit { id, .. }) => format!("{version} ({id})"),
        None => version.to_string(),
    }
}

/// The commit of the crate in `dir`, from git or the packaged VCS info.
pub fn find(dir: &Path) -> Option<Commit> {
    from_git(dir).or_else(|| from_vcs_info(dir))
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// Only a work tree whose top is `dir`: a crate unpacked inside some other
/// repository (a home directory kept in git) must not take its commit.
fn from_git(dir: &Path) -> Option<Commit> {
    let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    let id = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"]);
    let absolute = |p: String| if Path::new(&p).is_absolute() { PathBuf::from(p) } else { dir.join(p) };
    let git_dir = absolute(git(dir, &["rev-parse", "--git-dir"])?);
    let common = absolute(git(dir, &["rev-parse", "--git-common-dir"])?);
    let mut watch = vec![git_dir.join("HEAD"), common.join("packed-refs")];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(common.join(branch));
    }
    Some(Commit { id, date, watch })
}

/// `{"git": {"sha1": "..."}}` from the file `cargo package` adds.
fn from_vcs_info(dir: &Path) -> Option<Commit> {
    let path = dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    let rest = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let rest = &rest[rest.find('"')? + 1..];
    let sha = &rest[..rest.find('"')?];
    if sha.len() < 12 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(Commit { id: sha[..12].to_string(), date: None, watch: vec![path] })
}
