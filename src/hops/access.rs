//! Why a file that exists cannot be read by this process: its mode and
//! owner beside the process's user and groups (or, when a directory on the
//! way cannot be entered, that directory's). The kernel decides access (a
//! permission error from open, never a guess from the mode bits); this only
//! describes the two sides. IO: `stat` of the path and its parents.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Whether an IO error is the kernel refusing access.
pub fn is_denied(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::PermissionDenied
}

/// The process's identity: `uid 1000 (euid 1000), gid 1000, groups 1000, 27`.
pub fn process_identity() -> String {
    use nix::unistd::{getegid, geteuid, getgid, getgroups, getuid};
    let groups = getgroups()
        .map(|g| g.iter().map(|g| g.as_raw().to_string()).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|_| "unknown".into());
    let groups = if groups.is_empty() { "none".to_string() } else { groups };
    format!(
        "uid {} (euid {}), gid {} (egid {}), supplementary groups {groups}",
        getuid().as_raw(),
        geteuid().as_raw(),
        getgid().as_raw(),
        getegid().as_raw()
    )
}

/// `mode 0600, owner uid 0 gid 0` of a path.
fn mode_line(meta: &std::fs::Metadata) -> String {
    format!("mode {:04o}, owner uid {} gid {}", meta.mode() & 0o7777, meta.uid(), meta.gid())
}

/// The file's mode and owner, or those of the first directory on the way
/// that this process may not enter, then the process's identity. `shown`:
/// how messages name the file.
pub fn describe_denied(path: &Path, shown: &str) -> String {
    let who = process_identity();
    match std::fs::metadata(path) {
        Ok(meta) => {
            format!("{shown} exists but this process may not read it: {}; this process runs as {who}", mode_line(&meta))
        }
        Err(_) => {
            let blocking = path.ancestors().skip(1).find_map(|dir| {
                let meta = std::fs::metadata(dir).ok()?;
                let enter = std::fs::read_dir(dir).is_err() || std::fs::metadata(dir.join(".")).is_err();
                enter.then(|| {
                    format!(
                        "the directory {} ({})",
                        crate::hops::text::escape(&dir.display().to_string(), 200),
                        mode_line(&meta)
                    )
                })
            });
            format!(
                "{shown} cannot be reached: {} does not let this process through; this process runs as {who}",
                blocking.unwrap_or_else(|| "a directory on its path".into())
            )
        }
    }
}
