//! One write of a profile file, behind [`LoadedFile::save`] and
//! [`LoadedFile::save_with`]: refuse an edit that would inject a line, resolve
//! the target and stage the new contents, then attempt by attempt take the
//! lock, compare the file on disk with what the edit was based on
//! (re-applying the edit when it changed), match the old file's owner and
//! mode, and commit. Afterwards appends that reached a replaced inode are moved
//! into the file, the directory is synced and old backups are pruned. IO.

use super::commit::{self, Detached, Outcome, Staged};
use super::lock::Lock;
use super::{Document, LoadedFile, Reapply, Saved, StoreError, backup, parse, read_existing, resolve};
use crate::base::bounded::describe;
use crate::base::sanitize::shown_path as shown;
use std::fs::{self, File};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A finished commit: `None` when the file on disk already held the result
/// (nothing written), else the backup of the replaced file, when one was kept.
type Committed = Option<Option<PathBuf>>;

impl LoadedFile {
    /// Writes `document` in place of the file; with `reapply`, a file changed
    /// on disk gets the edit again instead of a refusal. On success the loaded
    /// state becomes the new contents.
    pub(super) fn write(&mut self, document: Document, reapply: Option<Reapply<'_>>) -> Result<Saved, StoreError> {
        refuse_injected(&self.path, &document)?;
        let real = resolve(&self.path)?;
        let (dir, mode) = prepare(&real)?;
        let deadline = Instant::now() + self.lock_wait;
        let bytes = document.render().into_bytes();
        // Staged before the lock: the slow part (write, fsync) is outside it.
        let staged = Staged::create(&real, &dir, &bytes, mode)
            .map_err(|source| StoreError::Write { path: real.clone(), source })?;
        let mut attempt = Attempt {
            path: self.path.clone(),
            real,
            dir,
            mode,
            deadline,
            base: self.original.clone(),
            document,
            bytes,
            staged: Some(staged),
            detached: Vec::new(),
            reapply,
        };
        let result = attempt.commit_until_done();
        attempt.settle();
        let backup = match result? {
            None => None,
            Some(backup) => {
                after_replace(&attempt.real, &attempt.dir);
                backup
            }
        };
        self.original = Some(attempt.bytes);
        self.document = attempt.document;
        Ok(Saved { written: attempt.real, backup })
    }
}

/// Refuses a document whose rendering would put a line break inside a line.
fn refuse_injected(path: &Path, document: &Document) -> Result<(), StoreError> {
    match document.injected_line() {
        Some(line) => Err(StoreError::Injected { path: path.to_path_buf(), line }),
        None => Ok(()),
    }
}

/// Refuses anything but a regular file at `real`; returns its directory
/// (created 0700 when missing) and the new file's mode (the old one's, else 0600).
fn prepare(real: &Path) -> Result<(PathBuf, u32), StoreError> {
    let mode = match fs::symlink_metadata(real) {
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(StoreError::NotRegular { path: real.to_path_buf(), kind: describe(meta.file_type()) });
        }
        Ok(meta) => meta.mode() & 0o7777,
        Err(_) => 0o600,
    };
    let dir = real.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|source| StoreError::Write { path: real.to_path_buf(), source })?;
    }
    Ok((dir, mode))
}

/// A write in progress: the target, what the new contents are based on, and what is staged.
struct Attempt<'r> {
    /// The path as configured, for "changed on disk".
    path: PathBuf,
    real: PathBuf,
    dir: PathBuf,
    mode: u32,
    deadline: Instant,
    /// The file as the edit last saw it (`None`: absent).
    base: Option<Vec<u8>>,
    document: Document,
    bytes: Vec<u8>,
    staged: Option<Staged>,
    /// Inodes that left the target's path during a commit.
    detached: Vec<Detached>,
    reapply: Option<Reapply<'r>>,
}

impl Attempt<'_> {
    fn write_error(&self, source: std::io::Error) -> StoreError {
        StoreError::Write { path: self.real.clone(), source }
    }

    fn changed_on_disk(&self) -> StoreError {
        StoreError::ChangedOnDisk { path: self.path.clone() }
    }

    /// Attempts until one commits or fails; the caller then runs [`Attempt::settle`] whatever happened.
    fn commit_until_done(&mut self) -> Result<Committed, StoreError> {
        loop {
            if let Some(done) = self.attempt().transpose() {
                return done;
            }
        }
    }

    /// One attempt under the lock; `Ok(None)`: the file changed during the commit, try again.
    fn attempt(&mut self) -> Result<Option<Committed>, StoreError> {
        let lock = Lock::acquire(&self.real, &self.dir, self.deadline)?;
        let current = read_existing(&self.real)?;
        if self.rebase(current)? {
            return Ok(Some(None));
        }
        if self.staged.is_none() {
            let stage =
                Staged::create(&self.real, &self.dir, &self.bytes, self.mode).map_err(|e| self.write_error(e))?;
            self.staged = Some(stage);
        }
        let Some(stage) = self.staged.as_mut() else { return Ok(None) };
        match_owner_and_mode(stage, &self.real)?;
        let (reapply, base, bytes, real) = (&mut self.reapply, &self.base, &self.bytes, &self.real);
        let mut accept = |on_disk: &[u8]| match (reapply.as_mut(), base.as_deref()) {
            (Some(edit), Some(before)) => commutes(on_disk, before, bytes, real, &mut **edit),
            _ => false,
        };
        match commit::commit(real, stage, base.as_deref(), &mut accept, &mut self.detached) {
            Ok(Outcome::Done { replaced }) => {
                drop(lock);
                Ok(Some(Some(replaced.and_then(|r| keep_backup(&self.real, r)))))
            }
            Ok(Outcome::Changed) => {
                self.staged = None;
                if self.reapply.is_none() || Instant::now() >= self.deadline {
                    return Err(self.changed_on_disk());
                }
                Ok(None)
            }
            Err(source) => Err(self.write_error(source)),
        }
    }

    /// When the file on disk is not the base (nor the base plus an append the
    /// edit commutes with), re-applies the edit to it, or refuses without one.
    /// `true`: the file already holds the result, nothing to write.
    fn rebase(&mut self, current: Option<Vec<u8>>) -> Result<bool, StoreError> {
        let appended_only = match (&current, &self.base, self.reapply.as_mut()) {
            (Some(now), Some(before), Some(edit)) => commutes(now, before, &self.bytes, &self.real, &mut **edit),
            _ => false,
        };
        if current == self.base || appended_only {
            return Ok(false);
        }
        let Some(edit) = self.reapply.as_mut() else {
            return Err(self.changed_on_disk());
        };
        self.document = edit(&parse(&self.real, current.as_deref())?);
        refuse_injected(&self.path, &self.document)?;
        self.base = current;
        self.bytes = self.document.render().into_bytes();
        self.staged = None;
        Ok(self.base.as_deref() == Some(self.bytes.as_slice()))
    }

    /// Drops what is still staged, then moves appends that reached a replaced
    /// inode during a commit into the file.
    fn settle(&mut self) {
        self.staged = None;
        if !self.detached.is_empty() {
            std::thread::sleep(commit::GRACE);
            if let Err(e) = commit::salvage(&self.real, &self.detached) {
                tracing::warn!("late writes to {} could not be moved into it: {e}", shown(&self.real));
            }
        }
    }
}

/// A file of another user is not replaced; the new file gets the old one's mode.
fn match_owner_and_mode(stage: &Staged, real: &Path) -> Result<(), StoreError> {
    let Ok(meta) = fs::metadata(real) else { return Ok(()) };
    let write_error = |source| StoreError::Write { path: real.to_path_buf(), source };
    match stage.owner() {
        Ok(me) if me != meta.uid() => return Err(StoreError::NotOwner { path: real.to_path_buf(), owner: meta.uid() }),
        Ok(_) => {}
        Err(e) => return Err(write_error(e)),
    }
    stage.set_mode(meta.mode() & 0o7777).map_err(write_error)
}

/// After the rename: syncs the directory (a failure is worth a warning, not a
/// failure) and prunes old backups.
fn after_replace(real: &Path, dir: &Path) {
    if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::warn!("could not sync the directory of {}: {e}", shown(real));
    }
    if let Err(e) = backup::prune(real) {
        tracing::warn!("old backups of {} could not be pruned: {e}", shown(real));
    }
}

/// Whether the file on disk is `base` plus an append that the edit commutes
/// with: applying the edit to it gives the new contents followed by the same
/// append. Then the append can simply follow the new contents (no re-staging,
/// no fsync while appends keep coming), with the same result as re-applying.
fn commutes(on_disk: &[u8], base: &[u8], new: &[u8], path: &Path, edit: Reapply<'_>) -> bool {
    let Some(extra) = on_disk.strip_prefix(base) else { return false };
    if extra.is_empty() {
        return true;
    }
    let Ok(document) = parse(path, Some(on_disk)) else { return false };
    let again = edit(&document).render();
    again.len() == new.len() + extra.len() && again.as_bytes().starts_with(new) && again.as_bytes().ends_with(extra)
}

/// Moves the replaced file to a backup name; on failure removes it (it holds
/// the old secrets beside the target) and writes on without a backup.
fn keep_backup(real: &Path, replaced: commit::Replaced) -> Option<PathBuf> {
    let kept = match &replaced.path {
        Some(at) => backup::keep_replaced(real, at, &replaced.file),
        None => backup::copy_replaced(real, &replaced.file),
    };
    if let Some(at) = &replaced.path {
        if kept.is_err() {
            let _ = fs::remove_file(at);
        }
        crate::base::signals::untrack(at);
    }
    match kept {
        Ok(backup) => Some(backup),
        Err(e) => {
            tracing::warn!("the previous version of {} could not be kept as a backup: {e}", shown(real));
            None
        }
    }
}
