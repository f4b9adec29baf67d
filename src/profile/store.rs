//! Reading and safely writing the profile files (SPEC section 5).
//!
//! A write resolves symlinks, holds a lock file, refuses when the file changed
//! on disk since it was read or belongs to someone else, writes a temp file
//! beside the real one with the same mode (0600 for a new file), fsyncs it,
//! keeps a timestamped backup, renames it into place and fsyncs the directory.

use super::document::{Document, DocumentError};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files larger than this are refused: no real profile file is near it.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// Why a profile file could not be read or written. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Content { path: PathBuf, source: DocumentError },
    #[error("{path} is {size} bytes, more than credwiz reads ({MAX_FILE_BYTES}); is it really an AWS profile file?")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} changed on disk since credwiz read it; nothing was written (re-read it and apply the change again)"
    )]
    ChangedOnDisk { path: PathBuf },
    #[error("{path} belongs to another user (uid {owner}); credwiz will not replace it")]
    NotOwner { path: PathBuf, owner: u32 },
    #[error("{path} is locked by another credwiz (lock file {lock}); try again in a moment")]
    Locked { path: PathBuf, lock: PathBuf },
}

/// A file as read: where it is, what it held, and its parsed document.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The path as configured (may be a symlink).
    pub path: PathBuf,
    /// The bytes as read; `None` when the file did not exist.
    original: Option<Vec<u8>>,
    pub document: Document,
}

/// What a successful save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file actually written (symlinks resolved).
    pub written: PathBuf,
    /// The copy of the previous contents, when there were any.
    pub backup: Option<PathBuf>,
}

impl LoadedFile {
    /// Reads and parses a file; a missing file is an empty document.
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        let original = read_existing(path)?;
        let document = match &original {
            Some(bytes) => Document::parse_bytes(bytes)
                .map_err(|source| StoreError::Content { path: path.to_path_buf(), source })?,
            None => Document::default(),
        };
        Ok(LoadedFile { path: path.to_path_buf(), original, document })
    }

    /// A file as if read from `path` with these contents (`None`: absent). No IO.
    pub fn from_text(path: &Path, text: Option<&str>) -> Self {
        LoadedFile {
            path: path.to_path_buf(),
            original: text.map(|t| t.as_bytes().to_vec()),
            document: text.map(Document::parse).unwrap_or_default(),
        }
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

    /// Writes `document` in place of the file, safely. On success the loaded
    /// state becomes the new contents, so a second save works too.
    pub fn save(&mut self, document: &Document) -> Result<Saved, StoreError> {
        let real = resolve(&self.path)?;
        let dir = real.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let write_err = |source| StoreError::Write { path: real.clone(), source };
        if !dir.exists() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir).map_err(write_err)?;
        }
        let _lock = Lock::acquire(&real, &dir)?;
        let current = read_existing(&real)?;
        if current != self.original {
            return Err(StoreError::ChangedOnDisk { path: self.path.clone() });
        }
        let file_name = real.file_name().map_or_else(|| "aws".into(), |n| n.to_string_lossy().into_owned());
        let mut temp =
            tempfile::Builder::new().prefix(&format!(".{file_name}.credwiz-")).tempfile_in(&dir).map_err(write_err)?;
        let mode = match fs::metadata(&real) {
            Ok(meta) => {
                let mine = temp.as_file().metadata().map_err(write_err)?.uid();
                if meta.uid() != mine {
                    return Err(StoreError::NotOwner { path: real.clone(), owner: meta.uid() });
                }
                meta.mode() & 0o7777
            }
            Err(_) => 0o600,
        };
        let bytes = document.render();
        temp.write_all(bytes.as_bytes()).map_err(write_err)?;
        temp.as_file().set_permissions(Permissions::from_mode(mode)).map_err(write_err)?;
        temp.as_file().sync_all().map_err(write_err)?;
        let backup = match &self.original {
            Some(previous) => Some(write_backup(&real, previous, mode).map_err(write_err)?),
            None => None,
        };
        temp.persist(&real).map_err(|e| write_err(e.error))?;
        File::open(&dir).and_then(|d| d.sync_all()).map_err(write_err)?;
        self.original = Some(bytes.into_bytes());
        self.document = document.clone();
        Ok(Saved { written: real, backup })
    }
}

/// Reads a file if it exists, refusing huge ones.
fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    let read_err = |source| StoreError::Read { path: path.to_path_buf(), source };
    match fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            return Err(StoreError::TooLarge { path: path.to_path_buf(), size: meta.len() });
        }
        Ok(meta) if meta.is_dir() => {
            return Err(read_err(std::io::Error::other("it is a directory")));
        }
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_err(e)),
    }
    fs::read(path).map(Some).map_err(read_err)
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

/// Copies the previous contents to `<file>.credwiz-backup-<UTC time>`, readable by the owner only.
fn write_backup(real: &Path, previous: &[u8], mode: u32) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    // Two saves in the same millisecond get `-1`, `-2`... rather than failing.
    for attempt in 0..100 {
        let mut name = real.as_os_str().to_owned();
        name.push(format!(".credwiz-backup-{stamp}"));
        if attempt > 0 {
            name.push(format!("-{attempt}"));
        }
        let backup = PathBuf::from(name);
        let mut file = match OpenOptions::new().write(true).create_new(true).mode(mode & 0o600).open(&backup) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        file.write_all(previous)?;
        file.sync_all()?;
        return Ok(backup);
    }
    Err(std::io::Error::other("could not find a free backup file name"))
}

/// An exclusive lock on `.<file>.lock` beside the file, released on drop.
struct Lock {
    file: File,
}

impl Lock {
    fn acquire(real: &Path, dir: &Path) -> Result<Self, StoreError> {
        let name = real.file_name().map_or_else(|| "aws".into(), |n| n.to_string_lossy().into_owned());
        let lock_path = dir.join(format!(".{name}.lock"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| StoreError::Write { path: lock_path.clone(), source })?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { file }),
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked { path: real.to_path_buf(), lock: lock_path });
                }
                Err(fs::TryLockError::Error(source)) => {
                    return Err(StoreError::Write { path: lock_path, source });
                }
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
