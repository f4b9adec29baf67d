//! Safe writes on real files (SPEC section 5) and `credwiz set` as a user runs it.

use credwiz::profile::{Document, LoadedFile, SectionName, StoreError};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn dev() -> SectionName {
    SectionName::from_header("dev")
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains(".credwiz-backup-"))
        .collect();
    found.sort();
    found
}

/// Runs the real binary with only the given environment.
fn credwiz(home: &Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_credwiz"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .output()
        .expect("run credwiz")
}

#[test]
fn save_keeps_mode_writes_backup_and_only_changes_the_edit() {
    let d = dir();
    let path = d.path().join("credentials");
    let original = "# mine\r\n[dev]\r\naws_access_key_id = AKIAOLD\r\n\r\n[ops] ; x\r\nregion=1";
    fs::write(&path, original).expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    let mut file = LoadedFile::load(&path).expect("load");
    let mut doc = file.document.clone();
    doc.set(&dev(), "aws_access_key_id", "AKIANEW");
    let saved = file.save(&doc).expect("save");
    let text = fs::read_to_string(&path).expect("read");
    assert_eq!(text, original.replace("AKIAOLD", "AKIANEW"));
    assert_eq!(fs::metadata(&path).expect("meta").mode() & 0o777, 0o640);
    let backup = saved.backup.expect("a backup");
    assert_eq!(fs::read_to_string(&backup).expect("backup"), original);
    assert_eq!(fs::metadata(&backup).expect("meta").mode() & 0o077, 0, "backup readable by others");
    assert_eq!(backups(d.path()), vec![backup]);
    // A second save from the same state works (the loaded state follows the write).
    doc.set(&dev(), "region", "eu-west-1");
    file.save(&doc).expect("second save");
}

#[test]
fn new_files_are_private_and_parent_dirs_created_0700() {
    let d = dir();
    let path = d.path().join(".aws").join("credentials");
    let mut file = LoadedFile::load(&path).expect("load missing");
    assert!(!file.exists());
    let mut doc = Document::default();
    doc.set(&dev(), "aws_access_key_id", "AKIA");
    let saved = file.save(&doc).expect("save");
    assert!(saved.backup.is_none());
    assert_eq!(fs::metadata(&path).expect("meta").mode() & 0o777, 0o600);
    assert_eq!(fs::metadata(path.parent().expect("parent")).expect("meta").mode() & 0o777, 0o700);
    assert_eq!(fs::read_to_string(&path).expect("read"), "[dev]\naws_access_key_id = AKIA\n");
}

#[test]
fn symlink_is_kept_and_its_target_written() {
    let d = dir();
    let real = d.path().join("dotfiles-credentials");
    fs::write(&real, "[dev]\nregion = a\n").expect("write");
    let link = d.path().join("credentials");
    symlink("dotfiles-credentials", &link).expect("symlink");
    let mut file = LoadedFile::load(&link).expect("load");
    let mut doc = file.document.clone();
    doc.set(&dev(), "region", "b");
    let saved = file.save(&doc).expect("save");
    assert!(fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
    assert_eq!(saved.written, real);
    assert_eq!(fs::read_to_string(&real).expect("read"), "[dev]\nregion = b\n");
}

#[test]
fn change_on_disk_is_refused_and_nothing_written() {
    let d = dir();
    let path = d.path().join("config");
    fs::write(&path, "[default]\nregion = a\n").expect("write");
    let mut file = LoadedFile::load(&path).expect("load");
    fs::write(&path, "[default]\nregion = someone-else\n").expect("concurrent write");
    let mut doc = file.document.clone();
    doc.set(&SectionName::from_header("default"), "region", "mine");
    let err = file.save(&doc).expect_err("must refuse");
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    assert!(err.to_string().contains("changed on disk"));
    assert_eq!(fs::read_to_string(&path).expect("read"), "[default]\nregion = someone-else\n");
    assert!(backups(d.path()).is_empty());
}

#[test]
fn lock_contention_is_reported_not_waited_forever() {
    let d = dir();
    let path = d.path().join("config");
    fs::write(&path, "[default]\n").expect("write");
    let holder = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(d.path().join(".config.lock"))
        .expect("lock file");
    holder.lock().expect("hold the lock");
    let mut file = LoadedFile::load(&path).expect("load");
    file.set_lock_wait(std::time::Duration::from_millis(300));
    let mut doc = file.document.clone();
    doc.set(&SectionName::from_header("default"), "region", "x");
    let err = file.save(&doc).expect_err("locked");
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    holder.unlock().expect("unlock");
    file.save(&doc).expect("saves once the lock is free");
    assert!(!d.path().join(".config.lock").exists(), "the lock file is removed once the save is done");
}

#[test]
fn saves_leave_no_lock_file_behind_even_when_they_race() {
    let d = dir();
    let path = d.path().join("credentials");
    fs::write(&path, "[dev]\nregion = a\n").expect("write");
    let writers: Vec<_> = (0..4)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                for round in 0..5 {
                    let mut file = LoadedFile::load(&path).expect("load");
                    file.set_lock_wait(std::time::Duration::from_secs(10));
                    let mut doc = file.document.clone();
                    doc.set(&dev(), &format!("k{i}"), &format!("{round}"));
                    // A save that lost the race to a change on disk is refused, never torn.
                    let _ = file.save(&doc);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let names: Vec<String> = fs::read_dir(d.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".lock")), "{names:?}");
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.starts_with("[dev]\n"), "{text}");
}

#[test]
fn unreadable_non_utf8_and_huge_files_fail_clearly() {
    let d = dir();
    let bad = d.path().join("config");
    fs::write(&bad, b"[default]\nregion = caf\xe9\n").expect("write");
    let err = LoadedFile::load(&bad).expect_err("not utf-8");
    assert!(err.to_string().contains("line 2") && err.to_string().contains("UTF-8"), "{err}");

    let dir_path = d.path().join("adir");
    fs::create_dir(&dir_path).expect("mkdir");
    let err = LoadedFile::load(&dir_path).expect_err("a directory");
    assert!(err.to_string().contains("adir"), "{err}");

    // A path through a regular file, and a symlink loop: neither can be read.
    let through_file = bad.join("credentials");
    let err = LoadedFile::load(&through_file).expect_err("not a directory");
    assert!(err.to_string().contains("cannot read") && err.to_string().contains("config/credentials"), "{err}");
    let looped = d.path().join("loop");
    symlink("loop", &looped).expect("symlink");
    let err = LoadedFile::load(&looped).expect_err("symlink loop");
    assert!(err.to_string().contains("cannot read"), "{err}");
}

#[test]
fn a_ten_megabyte_file_round_trips_and_edits() {
    let d = dir();
    let path = d.path().join("credentials");
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!("[p{i}]\naws_access_key_id = AKIA{i:016}\n# note {i}\n\n"));
        i += 1;
    }
    fs::write(&path, &text).expect("write");
    let mut file = LoadedFile::load(&path).expect("load");
    assert_eq!(file.document.render(), text);
    let mut doc = file.document.clone();
    doc.set(&SectionName::from_header("p7"), "region", "eu-west-1");
    file.save(&doc).expect("save");
    let after = fs::read_to_string(&path).expect("read");
    assert_eq!(after.len(), text.len() + "region = eu-west-1\n".len());
}

#[test]
fn set_follows_aws_configure_set_and_never_echoes_secrets() {
    let d = dir();
    let aws = d.path().join(".aws");
    fs::create_dir(&aws).expect("mkdir");
    fs::write(aws.join("config"), "[default]\nregion = us-east-1\n").expect("write");
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET1";
    let out = credwiz(d.path(), &[], &["set", "aws_secret_access_key", secret, "--profile", "dev"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!printed.contains(secret) && !printed.contains("SECRET1"), "secret echoed: {printed}");
    assert_eq!(
        fs::read_to_string(aws.join("credentials")).expect("creds"),
        format!("[dev]\naws_secret_access_key = {secret}\n")
    );
    // Other keys go to the config file, [profile dev]; AWS_PROFILE picks the profile.
    let out = credwiz(d.path(), &[("AWS_PROFILE", "dev")], &["set", "region", "eu-west-1"]);
    assert!(out.status.success());
    let out = credwiz(d.path(), &[], &["set", "default.output", "json"]);
    assert!(out.status.success());
    assert_eq!(
        fs::read_to_string(aws.join("config")).expect("config"),
        "[default]\nregion = us-east-1\noutput = json\n\n[profile dev]\nregion = eu-west-1\n"
    );
}

#[test]
fn set_honours_file_env_vars_and_refuses_with_exit_2() {
    let d = dir();
    let creds = d.path().join("elsewhere-creds");
    let creds_env = creds.to_string_lossy().into_owned();
    let out = credwiz(
        d.path(),
        &[("AWS_SHARED_CREDENTIALS_FILE", &creds_env)],
        &["set", "aws_access_key_id", "AKIAEXAMPLE0000000000"],
    );
    assert!(out.status.success());
    assert!(
        fs::read_to_string(&creds).expect("read").contains("[default]\naws_access_key_id = AKIAEXAMPLE0000000000\n")
    );

    fs::write(&creds, b"\x00\x01binary").expect("write");
    let out = credwiz(d.path(), &[("AWS_SHARED_CREDENTIALS_FILE", &creds_env)], &["set", "aws_access_key_id", "X"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("elsewhere-creds") && err.contains("binary"), "{err}");
    assert_eq!(fs::read(&creds).expect("read"), b"\x00\x01binary");

    let out = credwiz(d.path(), &[], &["set", "region", "a\nb"]);
    assert_eq!(out.status.code(), Some(2));
    let out = credwiz(d.path(), &[], &["set", "bad key", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_file_of_another_user_is_refused() {
    let d = dir();
    let path = d.path().join("credentials");
    fs::write(&path, "[default]\n").expect("write");
    // Only root can give a file away; everyone else cannot create the situation.
    if std::os::unix::fs::chown(&path, Some(54_321), None).is_err() {
        eprintln!("not root: cannot make a file of another user; the refusal is exercised in CI, which runs as root");
        return;
    }
    let mut file = LoadedFile::load(&path).expect("load");
    let mut doc = file.document.clone();
    doc.set(&dev(), "region", "x");
    let err = file.save(&doc).expect_err("must refuse");
    assert!(matches!(err, StoreError::NotOwner { owner: 54_321, .. }), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), "[default]\n");
}

#[test]
fn a_document_with_an_injected_line_is_never_written() {
    let d = dir();
    let path = d.path().join("credentials");
    fs::write(&path, "[dev]\naws_access_key_id = AKIAOLD\n").expect("write");
    let mut file = LoadedFile::load(&path).expect("load");
    // An unchecked edit with a value from the network holding a line break.
    let mut doc = file.document.clone();
    doc.set(&dev(), "aws_session_token", "x\n[profile evil]\ncredential_process = sh -c id");
    let err = file.save(&doc).expect_err("must refuse");
    assert!(matches!(err, StoreError::Injected { line: 3, .. }), "{err}");
    let mut doc = file.document.clone();
    doc.add_section(&SectionName::from_header("x]\n[profile evil"));
    assert!(matches!(file.save(&doc), Err(StoreError::Injected { .. })));
    assert_eq!(fs::read_to_string(&path).expect("read"), "[dev]\naws_access_key_id = AKIAOLD\n");
    assert!(backups(d.path()).is_empty());
}

#[test]
fn save_with_reapplies_its_edit_on_what_changed_on_disk() {
    let d = dir();
    let path = d.path().join("config");
    fs::write(&path, "[default]\nregion = a\n").expect("write");
    let mut file = LoadedFile::load(&path).expect("load");
    // Someone else edits the file in between (not an append: a rewrite).
    fs::write(&path, "# theirs\n[default]\noutput = json\nregion = a\n").expect("concurrent write");
    let section = SectionName::from_header("default");
    let saved = file
        .save_with(|doc| {
            let mut doc = doc.clone();
            doc.set(&section, "region", "mine");
            doc
        })
        .expect("re-applied, not refused");
    assert_eq!(fs::read_to_string(&path).expect("read"), "# theirs\n[default]\noutput = json\nregion = mine\n");
    let backup = saved.backup.expect("a backup");
    assert_eq!(fs::read_to_string(backup).expect("backup"), "# theirs\n[default]\noutput = json\nregion = a\n");
    // The programmatic save of a stale draft still refuses.
    let mut stale = LoadedFile::from_text(&path, Some("[default]\nregion = a\n"));
    let mut doc = stale.document.clone();
    doc.set(&section, "region", "draft");
    assert!(matches!(stale.save(&doc), Err(StoreError::ChangedOnDisk { .. })));
}
