//! Backups of profile files: `<file>.credwiz-backup-<UTC time>[-n]`, made only
//! once a write has happened (the replaced file itself is renamed to the
//! backup name), readable by the owner only, and bounded: the newest
//! [`KEEP_BACKUPS`] per file are kept, older credwiz backups of that file are
//! deleted; nothing else is ever touched. IO.

use rustix::fs::{CWD, RenameFlags, renameat_with};
use std::fs::{self, File};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Backups kept per file. Ten covers a wizard session's saves plus a few
/// scripted `set`s (enough to undo a day's changes) while a script that calls
/// `set` in a loop cannot fill the directory: these files are a few KB.
pub const KEEP_BACKUPS: usize = 10;
const MARKER: &str = ".credwiz-backup-";

fn backup_name(real: &Path, stamp: &str, attempt: u32) -> PathBuf {
    let mut name = real.as_os_str().to_owned();
    name.push(format!("{MARKER}{stamp}"));
    if attempt > 0 {
        name.push(format!("-{attempt}"));
    }
    PathBuf::from(name)
}

/// Moves the replaced file (now at `from`) to a fresh backup name, owner-only. Never replaces a file.
pub(super) fn keep_replaced(real: &Path, from: &Path, replaced: &File) -> std::io::Result<PathBuf> {
    let mode = replaced.metadata()?.mode() & 0o600;
    replaced.set_permissions(fs::Permissions::from_mode(mode))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string();
    for attempt in 0..100 {
        let backup = backup_name(real, &stamp, attempt);
        match renameat_with(CWD, from, CWD, &backup, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(backup),
            Err(rustix::io::Errno::EXIST) => continue,
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {
                // No NOREPLACE on this file system: check, then rename.
                if fs::symlink_metadata(&backup).is_ok() {
                    continue;
                }
                fs::rename(from, &backup)?;
                return Ok(backup);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(std::io::Error::other("could not find a free backup file name"))
}

/// Writes a copy of the replaced file (already unlinked: no atomic exchange on
/// this file system) to a fresh backup name, owner-only.
pub(super) fn copy_replaced(real: &Path, replaced: &File) -> std::io::Result<PathBuf> {
    use std::io::{Read, Seek, Write};
    let mut source = replaced.try_clone()?;
    source.rewind()?;
    let mut bytes = Vec::new();
    source.take(super::MAX_FILE_BYTES).read_to_end(&mut bytes)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string();
    for attempt in 0..100 {
        let backup = backup_name(real, &stamp, attempt);
        let mut file = match fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&backup) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        file.write_all(&bytes)?;
        file.sync_all()?;
        return Ok(backup);
    }
    Err(std::io::Error::other("could not find a free backup file name"))
}

/// The sort key of a credwiz backup of `file_name`: (time stamp, attempt). None: not one.
fn backup_key(file_name: &str, candidate: &str) -> Option<(String, u32)> {
    let rest = candidate.strip_prefix(file_name)?.strip_prefix(MARKER)?;
    let (stamp, attempt) = match rest.split_once('-') {
        Some((stamp, n)) => (stamp, n.parse::<u32>().ok()?),
        None => (rest, 0),
    };
    // 20250101T000000.000Z
    let b = stamp.as_bytes();
    let shaped = b.len() == 20
        && b[8] == b'T'
        && b[15] == b'.'
        && b[19] == b'Z'
        && b.iter().enumerate().all(|(i, c)| matches!(i, 8 | 15 | 19) || c.is_ascii_digit());
    shaped.then(|| (stamp.to_string(), attempt))
}

/// Deletes credwiz backups of `real` beyond the newest [`KEEP_BACKUPS`]; only
/// regular files of ours named exactly like credwiz backups of this file.
pub(super) fn prune(real: &Path) -> std::io::Result<usize> {
    let (Some(dir), Some(file_name)) = (real.parent(), real.file_name().and_then(|n| n.to_str())) else {
        return Ok(0);
    };
    let me = fs::metadata(real)?.uid();
    let mut found: Vec<((String, u32), PathBuf)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(key) = name.to_str().and_then(|n| backup_key(file_name, n)) else { continue };
        let meta = entry.metadata()?;
        if meta.file_type().is_file() && meta.uid() == me {
            found.push((key, entry.path()));
        }
    }
    found.sort();
    let excess = found.len().saturating_sub(KEEP_BACKUPS);
    let mut removed = 0;
    for (_, path) in found.into_iter().take(excess) {
        if fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_credwiz_backups_of_this_file_are_recognised() {
        assert_eq!(
            backup_key("config", "config.credwiz-backup-20250101T000000.000Z"),
            Some(("20250101T000000.000Z".into(), 0))
        );
        assert_eq!(
            backup_key("config", "config.credwiz-backup-20250101T000000.000Z-12"),
            Some(("20250101T000000.000Z".into(), 12))
        );
        for other in [
            "credentials.credwiz-backup-20250101T000000.000Z",
            "config.credwiz-backup-mine",
            "config.credwiz-backup-20250101T000000.000Z-x",
            "config.credwiz-backup-2025010XT000000.000Z",
            "config",
            "xconfig.credwiz-backup-20250101T000000.000Z",
        ] {
            assert_eq!(backup_key("config", other), None, "{other}");
        }
        // Attempts sort numerically after their stamp.
        let mut keys = [("a".to_string(), 10), ("a".to_string(), 2), ("b".to_string(), 0)];
        keys.sort();
        assert_eq!(keys[1], ("a".to_string(), 10));
    }
}
