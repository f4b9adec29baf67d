//! Where `credwiz --version` takes its commit from (build/version.rs): the
//! crate's own git work tree; in a published crate (no .git), the
//! `.cargo_vcs_info.json` cargo packs; else the version alone, even when the
//! crate sits inside some other git repository.

#[path = "../build/version.rs"]
#[allow(dead_code)]
mod version;

use std::process::Command;

fn git(dir: &std::path::Path, args: &[&str]) {
    let ok = Command::new("git").arg("-C").arg(dir).args(args).output().expect("git").status.success();
    assert!(ok, "git {args:?}");
}

#[test]
fn a_published_crate_takes_the_commit_cargo_packed() {
    let dir = tempfile::tempdir().expect("dir");
    let sha = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(
        dir.path().join(".cargo_vcs_info.json"),
        format!("{{\n  \"git\": {{\n    \"sha1\": \"{sha}\"\n  }},\n  \"path_in_vcs\": \"\"\n}}"),
    )
    .expect("write");
    let commit = version::find(dir.path());
    assert_eq!(version::version_line("0.1.0", commit.as_ref()), "0.1.0 (0123456789ab)");
}

#[test]
fn without_a_commit_the_version_stands_alone() {
    let dir = tempfile::tempdir().expect("dir");
    assert_eq!(version::version_line("0.1.0", version::find(dir.path()).as_ref()), "0.1.0");
    std::fs::write(dir.path().join(".cargo_vcs_info.json"), "{\"git\": {\"sha1\": \"not hex\"}}").expect("write");
    assert_eq!(version::version_line("0.1.0", version::find(dir.path()).as_ref()), "0.1.0");
}

#[test]
fn a_crate_inside_another_repository_does_not_take_its_commit() {
    let outer = tempfile::tempdir().expect("dir");
    git(outer.path(), &["init", "-q"]);
    git(outer.path(), &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "home"]);
    let unpacked = outer.path().join("registry/credwiz-0.1.0");
    std::fs::create_dir_all(&unpacked).expect("mkdir");
    assert!(version::find(&unpacked).is_none(), "the home repository's commit is not credwiz's");
    let commit = version::find(outer.path()).expect("a work tree's own commit");
    assert_eq!(commit.id.len(), 12);
    assert!(commit.date.is_some() && commit.watch.iter().any(|p| p.ends_with("HEAD")));
}
