//! Termination signals (SIGTERM, SIGINT, SIGHUP, SIGQUIT) without leftovers.
//!
//! The store registers every temp file it creates beside a profile file here
//! (they hold the new contents, secrets included) and runs its short commit
//! (rename or exchange, backup) inside a [`Critical`] section. [`install`]
//! starts a thread that, on a termination signal, waits for any critical
//! section to end, removes the registered temp files, runs the hooks added
//! with [`on_termination`] (the wizard restores the terminal there), then
//! dies of the same signal (the conventional exit status). IO: removes files.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

/// The signals that end credwiz and after which nothing may be left behind.
pub const TERMINATION: [i32; 4] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT];

type Hook = Box<dyn Fn() + Send>;

#[derive(Default)]
struct State {
    terminating: bool,
    temp_files: Vec<PathBuf>,
    hooks: Vec<Hook>,
}

static STATE: Mutex<State> = Mutex::new(State { terminating: false, temp_files: Vec::new(), hooks: Vec::new() });
static INSTALLED: OnceLock<bool> = OnceLock::new();

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The process is ending: no new temp file may be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("credwiz is being stopped by a signal; nothing more is written")]
pub struct Terminating;

/// A section that a termination signal waits for (keep it short: microseconds).
pub struct Critical {
    guard: MutexGuard<'static, State>,
}

/// Enters a critical section.
pub fn critical() -> Critical {
    Critical { guard: state() }
}

impl Critical {
    /// Registers a temp file to remove if the process is stopped; refused once it is stopping.
    pub fn track(&mut self, path: &Path) -> Result<(), Terminating> {
        if self.guard.terminating {
            return Err(Terminating);
        }
        self.guard.temp_files.push(path.to_path_buf());
        Ok(())
    }

    /// Forgets a temp file (renamed into place, or removed).
    pub fn untrack(&mut self, path: &Path) {
        self.guard.temp_files.retain(|p| p != path);
    }
}

/// Forgets a temp file outside any critical section.
pub fn untrack(path: &Path) {
    critical().untrack(path);
}

/// Adds a hook run once on a termination signal, after temp files are removed.
pub fn on_termination(hook: impl Fn() + Send + 'static) {
    state().hooks.push(Box::new(hook));
}

/// Removes every registered temp file and runs the hooks; afterwards no temp
/// file can be created. Returns the files removed. Used by the signal thread;
/// callable by any other termination path (a panic hook, say).
pub fn clean_up() -> Vec<PathBuf> {
    let mut state = state();
    state.terminating = true;
    let files = std::mem::take(&mut state.temp_files);
    for file in &files {
        let _ = std::fs::remove_file(file);
    }
    for hook in &state.hooks {
        hook();
    }
    files
}

/// Takes the registered temp files if the state is free right now (poisoned counts as free).
fn try_take_temp_files(lock: &Mutex<State>) -> Option<Vec<PathBuf>> {
    let mut state = match lock.try_lock() {
        Ok(state) => state,
        Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return None,
    };
    Some(std::mem::take(&mut state.temp_files))
}

/// Removes every registered temp file without running the hooks, for a
/// panic hook: it never waits on a critical section the panicking thread may
/// hold itself (it gives up after 100 ms instead). Returns the files removed.
pub fn remove_temp_files_now() -> Vec<PathBuf> {
    for _ in 0..50 {
        if let Some(files) = try_take_temp_files(&STATE) {
            for file in &files {
                let _ = std::fs::remove_file(file);
            }
            return files;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    Vec::new()
}

/// Starts the signal thread (once per process). Errors only when the handlers cannot be registered.
pub fn install() -> std::io::Result<()> {
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new(TERMINATION)?;
    let _ = INSTALLED.set(true);
    std::thread::Builder::new().name("credwiz-signals".into()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            clean_up();
            // Die of the same signal, so the parent sees the conventional status.
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_up_removes_tracked_files_and_refuses_new_ones() {
        let dir = tempfile::tempdir().expect("dir");
        let temp = dir.path().join(".config.credwiz-x");
        std::fs::write(&temp, "secret").expect("write");
        critical().track(&temp).expect("track");
        let kept = dir.path().join("kept");
        std::fs::write(&kept, "x").expect("write");
        let removed = clean_up();
        assert!(removed.contains(&temp));
        assert!(!temp.exists() && kept.exists());
        assert_eq!(critical().track(&kept), Err(Terminating));
        // Leave the process-wide state usable by the other unit tests.
        state().terminating = false;
    }

    #[test]
    fn a_panic_hook_never_waits_on_a_held_state() {
        let lock = Mutex::new(State::default());
        lock.lock().expect("lock").temp_files.push(PathBuf::from("/nonexistent/.x.credwiz-1"));
        let held = lock.lock().expect("lock");
        // Held (as by a thread panicking inside the commit): no deadlock, nothing taken.
        assert_eq!(try_take_temp_files(&lock), None);
        drop(held);
        assert_eq!(try_take_temp_files(&lock), Some(vec![PathBuf::from("/nonexistent/.x.credwiz-1")]));
        assert_eq!(try_take_temp_files(&lock), Some(vec![]));
    }
}
