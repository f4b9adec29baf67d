//! Reading and safely writing the profile files (SPEC section 5). IO.
//!
//! Reads go through [`crate::base::bounded::read_regular`]: only regular files
//! (after resolving symlinks), at most [`MAX_FILE_BYTES`], never blocking on a
//! FIFO. A write resolves symlinks, refuses anything but a regular file and
//! files of other users, stages the new contents in a synced temp file beside
//! the target, then takes the lock file only for the short commit
//! (`commit.rs`: check, atomic exchange, check again, undo on change), keeps
//! the replaced file as a backup (`backup.rs`: only when the write happened;
//! the newest few per file) and fsyncs the directory.
//!
//! When the file changed on disk since it was read, [`LoadedFile::save`]
//! refuses (a draft edited on screen must not silently win), while
//! [`LoadedFile::save_with`] re-reads and re-applies its edit, as `aws
//! configure set` semantics allow.

mod backup;
mod commit;
mod lock;

pub use backup::KEEP_BACKUPS;

use super::document::{Document, DocumentError};
use crate::base::bounded::{self, ReadError, describe};
use crate::base::sanitize::shown_path as shown;
use commit::{Outcome, Staged};
use lock::Lock;
use std::fs::{self, File};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Profile files larger than this are not read: real ones are a few KB (a
/// thousand profiles is about 200 KB), and parsing this much stays well
/// inside a second.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// How long a write waits for another credwiz's lock before giving up.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

/// Why a profile file could not be read or written. Every message names the
/// file (sanitized for the terminal) and never holds its contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {}: {source}", shown(.path))]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", shown(.path))]
    Content { path: PathBuf, source: DocumentError },
    #[error("{} is larger than {MAX_FILE_BYTES} bytes, more than credwiz reads; is it really an AWS profile file?", shown(.path))]
    TooLarge { path: PathBuf },
    #[error("{} is {kind}, not a regular file; credwiz neither reads nor replaces it", shown(.path))]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("cannot write {}: {source}", shown(.path))]
    Write { path: PathBuf, source: std::io::Error },
    #[error(
        "{} changed on disk since credwiz read it; nothing was written (re-read it and apply the change again)",
        shown(.path)
    )]
    ChangedOnDisk { path: PathBuf },
    #[error("{} belongs to another user (uid {owner}); credwiz will not replace it", shown(.path))]
    NotOwner { path: PathBuf, owner: u32 },
    #[error("{} is locked by another credwiz (lock file {}); try again in a moment", shown(.path), shown(.lock))]
    Locked { path: PathBuf, lock: PathBuf },
    #[error("the lock file {} is {kind}, not a regular file; remove it and try again", shown(.lock))]
    LockNotRegular { lock: PathBuf, kind: &'static str },
    #[error(
        "refusing to write {}: the edit would put a line break inside line {line} (a value or name with a line break); nothing was written",
        shown(.path)
    )]
    Injected { path: PathBuf, line: usize },
}

/// A file as read: where it is, what it held, and its parsed document.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The path as configured (may be a symlink).
    pub path: PathBuf,
    /// The bytes as read; `None` when the file did not exist.
    original: Option<Vec<u8>>,
    pub document: Document,
    lock_wait: Duration,
}

/// What a successful save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file actually written (symlinks resolved).
    pub written: PathBuf,
    /// The replaced file, kept as a backup, when there was one.
    pub backup: Option<PathBuf>,
}

/// An edit to re-apply on the file as it is on disk.
type Reapply<'a> = &'a mut dyn FnMut(&Document) -> Document;

impl LoadedFile {
    /// Reads and parses a file; a missing file is an empty document. The
    /// values of secret keys are registered with [`crate::redact`].
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        let original = read_existing(path)?;
        let document = match &original {
            Some(bytes) => Document::parse_bytes(bytes)
                .map_err(|source| StoreError::Content { path: path.to_path_buf(), source })?,
            None => Document::default(),
        };
        crate::profile::register_document(&document);
        Ok(LoadedFile { path: path.to_path_buf(), original, document, lock_wait: DEFAULT_LOCK_WAIT })
    }

    /// A file as if read from `path` with these contents (`None`: absent). No IO.
    pub fn from_text(path: &Path, text: Option<&str>) -> Self {
        LoadedFile {
            path: path.to_path_buf(),
            original: text.map(|t| t.as_bytes().to_vec()),
            document: text.map(Document::parse).unwrap_or_default(),
            lock_wait: DEFAULT_LOCK_WAIT,
        }
    }

    /// How long a save waits for another credwiz's lock ([`DEFAULT_LOCK_WAIT`] unless set).
    pub fn set_lock_wait(&mut self, wait: Duration) {
        self.lock_wait = wait;
    }

    /// Whether the file existed when read.
    pub fn exists(&self) -> bool {
        self.original.is_some()
    }

    /// Whether `document` differs from what was read.
    pub fn is_changed(&self, document: &Document) -> bool {
        let original = self.original.as_deref().unwrap_or_default();
        document.render().as_bytes() != original
    }

    /// Writes `document` in place of the file, safely; refuses when the file
    /// changed on disk since it was read. On success the loaded state becomes
    /// the new contents, so a second save works too.
    pub fn save(&mut self, document: &Document) -> Result<Saved, StoreError> {
        self.write(document.clone(), None)
    }

    /// Applies `edit` to the document and writes the result; when the file
    /// changed on disk meanwhile, applies `edit` again to what is there now
    /// (`aws configure set` semantics: the edit names a key, not a state).
    pub fn save_with(&mut self, mut edit: impl FnMut(&Document) -> Document) -> Result<Saved, StoreError> {
        let first = edit(&self.document);
        self.write(first, Some(&mut edit))
    }

    fn write(&mut self, mut document: Document, mut reapply: Option<Reapply<'_>>) -> Result<Saved, StoreError> {
        let injected = |document: &Document| match document.injected_line() {
            Some(line) => Err(StoreError::Injected { path: self.path.clone(), line }),
            None => Ok(()),
        };
        injected(&document)?;
        let real = resolve(&self.path)?;
        let write_err = |source| StoreError::Write { path: real.clone(), source };
        let mode = match fs::symlink_metadata(&real) {
            Ok(meta) if !meta.file_type().is_file() => {
                return Err(StoreError::NotRegular { path: real.clone(), kind: describe(meta.file_type()) });
            }
            Ok(meta) => meta.mode() & 0o7777,
            Err(_) => 0o600,
        };
        let dir = real.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        if !dir.exists() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir).map_err(write_err)?;
        }
        let deadline = Instant::now() + self.lock_wait;
        let mut base = self.original.clone();
        let mut bytes = document.render().into_bytes();
        let mut detached = Vec::new();
        // Staged before the lock: the slow part (write, fsync) is outside it.
        let mut staged = Some(Staged::create(&real, &dir, &bytes, mode).map_err(write_err)?);
        let result = loop {
            // No `?` in this loop: the salvage below must run whatever happens.
            let lock = match Lock::acquire(&real, &dir, deadline) {
                Ok(lock) => lock,
                Err(e) => break Err(e),
            };
            let current = match read_existing(&real) {
                Ok(current) => current,
                Err(e) => break Err(e),
            };
            let appended_only = match (&current, &base, reapply.as_mut()) {
                (Some(now), Some(before), Some(edit)) => commutes(now, before, &bytes, &real, &mut **edit),
                _ => false,
            };
            if current != base && !appended_only {
                let Some(edit) = reapply.as_mut() else {
                    break Err(StoreError::ChangedOnDisk { path: self.path.clone() });
                };
                document = match parse(&real, current.as_deref()) {
                    Ok(on_disk) => edit(&on_disk),
                    Err(e) => break Err(e),
                };
                if let Err(e) = injected(&document) {
                    break Err(e);
                }
                base = current;
                bytes = document.render().into_bytes();
                staged = None;
                if base.as_deref() == Some(bytes.as_slice()) {
                    break Ok(None);
                }
            }
            if staged.is_none() {
                match Staged::create(&real, &dir, &bytes, mode) {
                    Ok(stage) => staged = Some(stage),
                    Err(e) => break Err(write_err(e)),
                }
            }
            let Some(stage) = staged.as_mut() else { continue };
            if let Ok(meta) = fs::metadata(&real) {
                match stage.owner() {
                    Ok(me) if me != meta.uid() => {
                        break Err(StoreError::NotOwner { path: real.clone(), owner: meta.uid() });
                    }
                    Ok(_) => {}
                    Err(e) => break Err(write_err(e)),
                }
                if let Err(e) = stage.set_mode(meta.mode() & 0o7777) {
                    break Err(write_err(e));
                }
            }
            let mut accept = |on_disk: &[u8]| match (reapply.as_mut(), base.as_deref()) {
                (Some(edit), Some(before)) => commutes(on_disk, before, &bytes, &real, &mut **edit),
                _ => false,
            };
            match commit::commit(&real, stage, base.as_deref(), &mut accept, &mut detached) {
                Ok(Outcome::Done { replaced }) => {
                    drop(lock);
                    break Ok(Some(replaced.and_then(|r| keep_backup(&real, r))));
                }
                Ok(Outcome::Changed) => {
                    staged = None;
                    if reapply.is_none() {
                        break Err(StoreError::ChangedOnDisk { path: self.path.clone() });
                    }
                    if Instant::now() >= deadline {
                        break Err(StoreError::ChangedOnDisk { path: self.path.clone() });
                    }
                }
                Err(source) => break Err(StoreError::Write { path: real.clone(), source }),
            }
        };
        drop(staged);
        if !detached.is_empty() {
            std::thread::sleep(commit::GRACE);
            if let Err(e) = commit::salvage(&real, &detached) {
                tracing::warn!("late writes to {} could not be moved into it: {e}", shown(&real));
            }
        }
        let outcome = result?;
        let backup = match outcome {
            None => None,
            Some(backup) => {
                // The rename is done: a failed directory sync is worth a warning, not a failure.
                if let Err(e) = File::open(&dir).and_then(|d| d.sync_all()) {
                    tracing::warn!("could not sync the directory of {}: {e}", shown(&real));
                }
                if let Err(e) = backup::prune(&real) {
                    tracing::warn!("old backups of {} could not be pruned: {e}", shown(&real));
                }
                backup
            }
        };
        self.original = Some(bytes);
        self.document = document;
        Ok(Saved { written: real, backup })
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

fn parse(path: &Path, bytes: Option<&[u8]>) -> Result<Document, StoreError> {
    match bytes {
        Some(bytes) => {
            Document::parse_bytes(bytes).map_err(|source| StoreError::Content { path: path.to_path_buf(), source })
        }
        None => Ok(Document::default()),
    }
}

/// Reads a file if it exists: regular files only, at most [`MAX_FILE_BYTES`].
fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    bounded::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::NotRegular(kind) => StoreError::NotRegular { path: path.to_path_buf(), kind },
        ReadError::TooLarge { .. } => StoreError::TooLarge { path: path.to_path_buf() },
        ReadError::Io(source) => StoreError::Read { path: path.to_path_buf(), source },
    })
}

/// The real file behind a path: symlinks resolved, even a dangling one.
fn resolve(path: &Path) -> Result<PathBuf, StoreError> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::read_link(&current) {
            Ok(target) => {
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            Err(_) => return Ok(current),
        }
    }
    Err(StoreError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other("too many levels of symbolic links"),
    })
}
