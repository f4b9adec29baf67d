//! The lock file `.<file>.lock` beside a profile file, held by every credwiz
//! that writes it. IO: opens (never follows a symlink, never blocks on a
//! FIFO, refuses anything but a regular file) and polls an advisory lock.
//! The holder removes the file before it lets go, so no `.lock` is left in
//! `~/.aws`; a waiter that then gets the lock of the removed file sees that
//! the path no longer names it and starts again on the new one.

use super::StoreError;
use crate::base::bounded::describe;
use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An exclusive lock, released (and its file removed) on drop.
pub(super) struct Lock {
    file: File,
    path: PathBuf,
}

/// Whether `path` still names the open `file` (not removed or replaced since it was opened).
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(held), Ok(named)) => held.ino() == named.ino() && held.dev() == named.dev(),
        _ => false,
    }
}

/// The lock file's path for a target.
pub(super) fn lock_path(real: &Path, dir: &Path) -> PathBuf {
    let name = real.file_name().map_or_else(|| "aws".into(), |n| n.to_string_lossy().into_owned());
    dir.join(format!(".{name}.lock"))
}

impl Lock {
    /// Waits for the lock until `deadline`, polling; a lock file that is not a regular file is refused.
    pub(super) fn acquire(real: &Path, dir: &Path, deadline: Instant) -> Result<Self, StoreError> {
        loop {
            if let Some(lock) = Self::acquire_once(real, dir, deadline)? {
                return Ok(lock);
            }
            if Instant::now() >= deadline {
                return Err(StoreError::Locked { path: real.to_path_buf(), lock: lock_path(real, dir) });
            }
        }
    }

    /// Opens the lock file and waits for its lock; `None` when the holder
    /// before removed the file meanwhile (then the lock is on a file no one else uses).
    fn acquire_once(real: &Path, dir: &Path, deadline: Instant) -> Result<Option<Self>, StoreError> {
        let lock_path = lock_path(real, dir);
        let not_regular = |kind: &'static str| StoreError::LockNotRegular { lock: lock_path.clone(), kind };
        let file = match OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(&lock_path)
        {
            Ok(file) => file,
            // ELOOP: a symlink; ENXIO: a FIFO with no reader (opening it for writing would block).
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(not_regular("a symbolic link")),
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => return Err(not_regular("a named pipe (FIFO)")),
            Err(source) => return Err(StoreError::Write { path: lock_path.clone(), source }),
        };
        let meta = file.metadata().map_err(|source| StoreError::Write { path: lock_path.clone(), source })?;
        if !meta.file_type().is_file() {
            return Err(not_regular(describe(meta.file_type())));
        }
        // A little jitter per process so that many waiters do not poll in step.
        let mut pause = Duration::from_micros(500 + u64::from(std::process::id() % 7) * 150);
        loop {
            match file.try_lock() {
                Ok(()) if still_named(&file, &lock_path) => return Ok(Some(Lock { file, path: lock_path })),
                Ok(()) => {
                    let _ = file.unlock();
                    return Ok(None);
                }
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(8));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked { path: real.to_path_buf(), lock: lock_path });
                }
                Err(fs::TryLockError::Error(source)) => return Err(StoreError::Write { path: lock_path, source }),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so no other writer can be holding the file that goes.
        if still_named(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}
