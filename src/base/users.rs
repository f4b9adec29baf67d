//! Other users' home directories, from the system's user database (the
//! password database: `getpwnam_r`, so `/etc/passwd` or whatever NSS names),
//! behind a trait: the diagnosis of a `sudo` run is tested with a directory
//! of its own, and the real one only in a mount namespace of its own.

use std::path::PathBuf;

/// Looks users up by name.
pub trait UserDirectory {
    /// The home directory of the user called `name`, when the database knows one.
    fn home_of(&self, name: &str) -> Option<PathBuf>;
}

/// The system's user database.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemUsers;

impl UserDirectory for SystemUsers {
    fn home_of(&self, name: &str) -> Option<PathBuf> {
        nix::unistd::User::from_name(name).ok().flatten().map(|user| user.dir).filter(|dir| dir.is_absolute())
    }
}
