//! Reading files that come from outside (profile files, caches, token files,
//! CA bundles) with a bounded cost: only regular files are read (a FIFO, a
//! device or a socket is refused before it is opened, and checked again on
//! the open handle), never more than a size limit, and never blocking on
//! open. IO lives here; callers get bytes or a reason they can show.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file (after following symlinks): nothing was read.
    #[error("it is {0}, not a regular file; credwiz does not read it")]
    NotRegular(&'static str),
    /// Larger than the limit for this kind of file.
    #[error("it is larger than {limit} bytes, more than credwiz reads for this file")]
    TooLarge { limit: u64 },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What a file type is, in words (for messages).
pub fn describe(file_type: fs::FileType) -> &'static str {
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "a regular file"
    }
}

/// Reads a regular file of at most `limit` bytes. `Ok(None)`: it does not exist.
pub fn read_regular(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(describe(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let file = match OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    read_open(file, limit).map(Some)
}

/// Reads an open handle after checking, on the handle itself, that it is a regular file.
fn read_open(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(describe(meta.file_type())));
    }
    let capacity = usize::try_from(meta.len().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit_only() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("f");
        fs::write(&file, b"hello").expect("write");
        assert_eq!(read_regular(&file, 5).ok().flatten().as_deref(), Some(&b"hello"[..]));
        assert!(matches!(read_regular(&file, 4), Err(ReadError::TooLarge { limit: 4 })));
        assert!(matches!(read_regular(&dir.path().join("absent"), 5), Ok(None)));
        assert!(matches!(read_regular(dir.path(), 5), Err(ReadError::NotRegular("a directory"))));
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("dir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success());
        assert!(matches!(read_regular(&fifo, 1024), Err(ReadError::NotRegular("a named pipe (FIFO)"))));
    }
}
