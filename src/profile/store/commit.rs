//! The commit of a profile file write, designed so that a concurrent writer
//! that does not take credwiz's lock (an appender, an editor) loses nothing.
//! IO.
//!
//! 1. The new contents go to a temp file beside the target, written and
//!    fsynced before the lock is taken ([`Staged`]); it is registered with
//!    [`crate::base::signals`] so a termination signal removes it.
//! 2. Under the lock, in a [`crate::base::signals::Critical`] section: the target is
//!    opened and compared with what the edit was made from; then the temp
//!    file and the target are swapped atomically (`renameat2(RENAME_EXCHANGE)`);
//!    then the replaced inode, still open, is checked again: still the same
//!    inode, still the same bytes. Anything written between the first check
//!    and the swap is seen here, and the swap is undone (a second exchange),
//!    so the caller re-reads and re-applies its edit or refuses. Exception:
//!    a pure append that the caller's edit commutes with (re-applying the
//!    edit would give the new contents followed by the same bytes) is
//!    accepted and moved after the new contents by the salvage; without it a
//!    writer appending every few milliseconds would starve every `set`.
//! 3. A writer that opened the old file before the swap and writes after the
//!    check (or that opened the new file during an undone swap) writes to an
//!    inode that has left the path. After a short grace those inodes are read
//!    past their known length and the extra bytes are appended to the target
//!    ([`salvage`]): a late append still lands in the file.
//!
//! On file systems without `RENAME_EXCHANGE`, a plain rename follows the
//! first check; a change in between is then kept by the salvage (appends) or
//! in the backup (anything else).

use super::MAX_FILE_BYTES;
use crate::base::signals;
use rustix::fs::{CWD, RenameFlags, renameat_with};
use rustix::io::Errno;
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer that opened the old file may still write to it and have its bytes kept.
pub(super) const GRACE: Duration = Duration::from_millis(50);

/// The new contents, written and synced beside the target; removed on drop unless committed.
pub(super) struct Staged {
    file: File,
    path: PathBuf,
    len: u64,
    armed: bool,
}

impl Staged {
    /// Creates `.<file>.credwiz-XXXXXX` (0600) beside the target, writes `bytes`, fsyncs.
    pub(super) fn create(real: &Path, dir: &Path, bytes: &[u8], mode: u32) -> io::Result<Self> {
        let name = real.file_name().map_or_else(|| "aws".into(), |n| n.to_string_lossy().into_owned());
        let staged = {
            let mut critical = signals::critical();
            let temp = tempfile::Builder::new().prefix(&format!(".{name}.credwiz-")).tempfile_in(dir)?;
            let (file, path) = temp.keep().map_err(|e| e.error)?;
            if let Err(stopping) = critical.track(&path) {
                let _ = fs::remove_file(&path);
                return Err(io::Error::other(stopping));
            }
            Staged { file, path, len: u64::try_from(bytes.len()).unwrap_or(u64::MAX), armed: true }
        };
        let mut file = &staged.file;
        file.write_all(bytes)?;
        staged.file.set_permissions(Permissions::from_mode(mode))?;
        staged.file.sync_all()?;
        Ok(staged)
    }

    /// Gives the temp file the mode the target has now.
    pub(super) fn set_mode(&self, mode: u32) -> io::Result<()> {
        if self.file.metadata()?.mode() & 0o7777 != mode {
            self.file.set_permissions(Permissions::from_mode(mode))?;
        }
        Ok(())
    }

    /// The owner of the temp file: the user credwiz writes as.
    pub(super) fn owner(&self) -> io::Result<u32> {
        Ok(self.file.metadata()?.uid())
    }

    /// Stops tracking and removing the temp path (it was renamed away).
    fn disarm(&mut self, critical: &mut signals::Critical) {
        self.armed = false;
        critical.untrack(&self.path);
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
            signals::untrack(&self.path);
        }
    }
}

/// An inode that left the target's path, with the length known to be in the target.
pub(super) struct Detached {
    file: File,
    len: u64,
}

/// The file a commit replaced.
pub(super) struct Replaced {
    pub(super) file: File,
    /// Where it sits now (the temp file's name), or `None` when it was unlinked (plain rename).
    pub(super) path: Option<PathBuf>,
}

/// What a commit did.
pub(super) enum Outcome {
    /// The new file is in place.
    Done { replaced: Option<Replaced> },
    /// The target changed on disk: it holds what it held before the attempt.
    Changed,
}

/// Opens the target for reading without following a symlink or blocking; `None`: it is gone.
fn open_target(real: &Path) -> io::Result<Option<File>> {
    match OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY).open(real) {
        Ok(file) if file.metadata()?.file_type().is_file() => Ok(Some(file)),
        Ok(_) => Err(io::Error::other("it is no longer a regular file")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether an open file holds `expected`, or `expected` plus an append that `accept` takes.
fn holds(file: &File, expected: &[u8], accept: &mut dyn FnMut(&[u8]) -> bool) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len < u64::try_from(expected.len()).unwrap_or(u64::MAX) || len > MAX_FILE_BYTES {
        return Ok(false);
    }
    let mut bytes = vec![0; usize::try_from(len).map_err(io::Error::other)?];
    file.read_exact_at(&mut bytes, 0)?;
    Ok(bytes == expected || (bytes.starts_with(expected) && accept(&bytes)))
}

fn same_inode(file: &File, path: &Path) -> io::Result<bool> {
    let (open, there) = (file.metadata()?, fs::symlink_metadata(path)?);
    Ok(open.dev() == there.dev() && open.ino() == there.ino())
}

/// Puts `staged` in place of `real` if `real` still holds `expected` (`None`:
/// does not exist), or `expected` followed by an append that `accept` takes
/// (the caller checked that its edit and the append commute; the appended
/// bytes are then moved after the new contents by [`salvage`]). Inodes that
/// left the path on the way are pushed to `detached`.
pub(super) fn commit(
    real: &Path,
    staged: &mut Staged,
    expected: Option<&[u8]>,
    accept: &mut dyn FnMut(&[u8]) -> bool,
    detached: &mut Vec<Detached>,
) -> io::Result<Outcome> {
    let mut critical = signals::critical();
    let Some(expected) = expected else {
        return match renameat_with(CWD, &staged.path, CWD, real, RenameFlags::NOREPLACE) {
            Ok(()) => {
                staged.disarm(&mut critical);
                Ok(Outcome::Done { replaced: None })
            }
            Err(Errno::EXIST) => Ok(Outcome::Changed),
            Err(Errno::INVAL | Errno::NOSYS) if fs::symlink_metadata(real).is_ok() => Ok(Outcome::Changed),
            Err(Errno::INVAL | Errno::NOSYS) => {
                fs::rename(&staged.path, real)?;
                staged.disarm(&mut critical);
                Ok(Outcome::Done { replaced: None })
            }
            Err(e) => Err(e.into()),
        };
    };
    let Some(old) = open_target(real)? else {
        return Ok(Outcome::Changed);
    };
    if !holds(&old, expected, accept)? {
        return Ok(Outcome::Changed);
    }
    match renameat_with(CWD, &staged.path, CWD, real, RenameFlags::EXCHANGE) {
        Ok(()) => {}
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => {
            // No atomic exchange here: rename over it; the old inode stays open for the salvage and the backup.
            fs::rename(&staged.path, real)?;
            staged.disarm(&mut critical);
            let len = u64::try_from(expected.len()).unwrap_or(u64::MAX);
            detached.push(Detached { file: old.try_clone()?, len });
            return Ok(Outcome::Done { replaced: Some(Replaced { file: old, path: None }) });
        }
        Err(e) => return Err(e.into()),
    }
    // The previous file now sits at the temp name: is it still what was checked?
    if same_inode(&old, &staged.path)? && holds(&old, expected, accept)? {
        // Still tracked: until it is renamed to a backup, a signal removes it.
        staged.armed = false;
        let len = u64::try_from(expected.len()).unwrap_or(u64::MAX);
        detached.push(Detached { file: old.try_clone()?, len });
        return Ok(Outcome::Done { replaced: Some(Replaced { file: old, path: Some(staged.path.clone()) }) });
    }
    // Changed between the check and the swap: swap back. Writes to the new
    // file in that window are kept by the salvage.
    if let Err(e) = renameat_with(CWD, &staged.path, CWD, real, RenameFlags::EXCHANGE) {
        // The changed file is at the temp name: never remove it; say where it is.
        staged.disarm(&mut critical);
        return Err(io::Error::other(format!(
            "the file changed while it was replaced and could not be put back ({e}); its changed version is in {}",
            staged.path.display()
        )));
    }
    detached.push(Detached { file: staged.file.try_clone()?, len: staged.len });
    Ok(Outcome::Changed)
}

/// Appends to the target whatever was written to detached inodes past their
/// known length (writers that opened the file before it was replaced).
/// Returns the number of bytes moved.
pub(super) fn salvage(real: &Path, detached: &[Detached]) -> io::Result<u64> {
    let mut moved = 0;
    for inode in detached {
        let end = inode.file.metadata()?.len().min(inode.len.saturating_add(MAX_FILE_BYTES));
        if end <= inode.len {
            continue;
        }
        let mut extra = vec![0; usize::try_from(end - inode.len).map_err(io::Error::other)?];
        inode.file.read_exact_at(&mut extra, inode.len)?;
        let mut target = OpenOptions::new()
            .append(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(real)?;
        if !target.metadata()?.file_type().is_file() {
            return Err(io::Error::other("it is no longer a regular file"));
        }
        target.write_all(&extra)?;
        target.sync_all()?;
        moved += end - inode.len;
    }
    Ok(moved)
}
