//! Nothing credwiz starts outlives the run. [`adopt`] makes credwiz a child
//! subreaper (`PR_SET_CHILD_SUBREAPER`), so a descendant that leaves its
//! process group and parent (`setsid`, a double fork: a daemon or agent a
//! `credential_process` or login command starts) is reparented to credwiz
//! instead of init. [`end_children`], at the end of the run and on a
//! termination signal, kills every child left, orphans included, and reaps
//! them; a killed child's own children come to credwiz next and are ended in
//! the next round. A command the user asked for and that is meant to leave
//! things behind (a login command opening a browser) runs outside it
//! ([`released`]). The children are listed from
//! `/proc/self/task/*/children` (bounded reads); where that is missing
//! nothing is listed and nothing is killed. IO: prctl, reads, kill, waitpid.

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use std::io::Read;
use std::time::{Duration, Instant};

/// Rounds of killing: each ends one more generation of escaped descendants.
const ROUNDS: usize = 8;
/// How long the reaping of one round may wait for killed children to die.
const REAP_WAIT: Duration = Duration::from_millis(500);
/// A `children` file is read up to this many bytes (a pid is at most 8 characters and a space).
const MAX_LIST: u64 = 1 << 20;

/// Makes the process a child subreaper for the rest of the run; whether it worked.
pub fn adopt() -> bool {
    nix::sys::prctl::set_child_subreaper(true).is_ok()
}

/// Runs `f` with the process no longer a subreaper (then as before): what
/// `f` starts and leaves behind is the user's, not credwiz's, and is not ended.
pub fn released<T>(f: impl FnOnce() -> T) -> T {
    let was = nix::sys::prctl::get_child_subreaper().unwrap_or(false);
    if was {
        let _ = nix::sys::prctl::set_child_subreaper(false);
    }
    let out = f();
    if was {
        let _ = nix::sys::prctl::set_child_subreaper(true);
    }
    out
}

/// The pids of the process's children (of every thread), as listed by the kernel.
fn children() -> Vec<Pid> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return Vec::new() };
    let mut pids = Vec::new();
    for task in tasks.flatten() {
        let Ok(file) = std::fs::File::open(task.path().join("children")) else { continue };
        let mut text = String::new();
        if file.take(MAX_LIST).read_to_string(&mut text).is_err() {
            continue;
        }
        pids.extend(text.split_ascii_whitespace().filter_map(|p| p.parse::<i32>().ok()).map(Pid::from_raw));
    }
    pids.sort_unstable();
    pids.dedup();
    pids
}

/// Reaps each pid (killed just before), waiting at most until `until`.
fn reap(mut pids: Vec<Pid>, until: Instant) {
    while !pids.is_empty() && Instant::now() < until {
        pids.retain(|&pid| matches!(waitpid(pid, Some(WaitPidFlag::WNOHANG)), Ok(WaitStatus::StillAlive)));
        if !pids.is_empty() {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Kills and reaps every child left (orphans adopted included), generation
/// by generation; returns how many were ended.
pub fn end_children() -> usize {
    let mut ended = 0;
    for _ in 0..ROUNDS {
        let pids = children();
        if pids.is_empty() {
            break;
        }
        for &pid in &pids {
            // ESRCH: it ended on its own meanwhile.
            let _ = kill(pid, Signal::SIGKILL);
        }
        ended += pids.len();
        reap(pids, Instant::now() + REAP_WAIT);
    }
    ended
}
