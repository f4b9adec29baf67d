//! Reading and safely writing the profile files (SPEC section 5). IO.
//!
//! Reads go through [`crate::base::bounded::read_regular`]: only regular files
//! (after resolving symlinks), at most [`MAX_FILE_BYTES`], never blocking on a
//! FIFO. A write (`write.rs`) resolves symlinks, refuses anything but a
//! regular file and files of other users, stages the new contents in a synced
//! temp file beside the target, then takes the lock file only for the short commit
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
mod write;

pub use backup::KEEP_BACKUPS;

use super::document::{Document, DocumentError};
use crate::base::bounded::{self, ReadError};
use crate::base::sanitize::shown_path as shown;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
