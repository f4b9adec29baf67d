//! The `credential_process` hop, run by credwiz itself the way aws-config
//! runs it on unix (`sh -c COMMAND`, stdin closed, the environment the SDK
//! would see), but in its own process group with a timeout: the whole group
//! is killed on timeout and when done, so nothing it started outlives the
//! check; a child that leaves the group (`setsid`) is adopted by credwiz and
//! ended with the run ([`crate::reaper`]). Stdout and stderr are read apart, each within a byte limit (past
//! it, reading stops and the group is killed). Stderr reaches the outcome
//! only through the caller's scrubber. IO: spawns the process.

pub mod output;

use super::resolve::ProcessSpec;
use super::{Cause, Context, Outcome, Stage, Status, Tool, ToolDifference};
use crate::base::environment::Environment;
use crate::vocabulary::SourceKind;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt};

/// Byte limits of the two streams.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_stdout: usize,
    pub max_stderr: usize,
}

impl Limits {
    /// Limits for a credential process: 64 KiB of stdout (a credentials
    /// document is under 4 KiB), 16 KiB of stderr.
    pub fn new(timeout: Duration) -> Self {
        Limits { timeout, max_stdout: 64 * 1024, max_stderr: 16 * 1024 }
    }
}

/// How the process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// Still running at the timeout: killed with its group.
    TimedOut,
    /// A stream passed its limit: reading stopped and the group was killed.
    TooMuchOutput {
        stream: &'static str,
    },
    /// `sh` could not be started.
    SpawnFailed(String),
}

/// One bounded stream.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub bytes: Vec<u8>,
    /// More than the limit was written (only the first `limit` bytes are kept).
    pub overflowed: bool,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Run {
    pub exit: Exit,
    pub stdout: Captured,
    pub stderr: Captured,
    pub elapsed: Duration,
}

/// Kills the process group when dropped (on every path, cancellation included).
struct GroupGuard(Option<Pid>);

impl GroupGuard {
    fn kill(&self) {
        if let Some(pgid) = self.0 {
            // ESRCH (already gone) is the usual answer once it exited with all its children.
            let _ = killpg(pgid, Signal::SIGKILL);
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Reads a stream into `sink` until EOF or one byte past `limit`.
async fn read_bounded(mut stream: impl AsyncRead + Unpin, limit: usize, sink: Arc<Mutex<Captured>>) {
    let mut chunk = vec![0u8; 8192];
    loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let Ok(mut captured) = sink.lock() else { return };
                let room = limit.saturating_sub(captured.bytes.len());
                captured.bytes.extend_from_slice(&chunk[..n.min(room)]);
                if n > room {
                    captured.overflowed = true;
                    return;
                }
            }
        }
    }
}

fn take(sink: &Arc<Mutex<Captured>>) -> Captured {
    sink.lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default()
}

/// Runs `sh -c COMMAND` with the environment's variables, bounded in time and output.
pub async fn execute(command: &str, env: &Environment, limits: Limits) -> Run {
    let started = Instant::now();
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .env_clear()
        .envs(env.vars())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Run {
                exit: Exit::SpawnFailed(e.to_string()),
                stdout: Captured::default(),
                stderr: Captured::default(),
                elapsed: started.elapsed(),
            };
        }
    };
    let guard = GroupGuard(child.id().and_then(|id| i32::try_from(id).ok()).map(Pid::from_raw));
    let (out_sink, err_sink) = (Arc::new(Mutex::new(Captured::default())), Arc::new(Mutex::new(Captured::default())));
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        readers.push(tokio::spawn(read_bounded(stdout, limits.max_stdout, out_sink.clone())));
    }
    if let Some(stderr) = child.stderr.take() {
        readers.push(tokio::spawn(read_bounded(stderr, limits.max_stderr, err_sink.clone())));
    }
    let overflow = |sink: &Arc<Mutex<Captured>>| sink.lock().map(|c| c.overflowed).unwrap_or(false);
    let deadline = tokio::time::Instant::now() + limits.timeout;
    let mut exit = None;
    while exit.is_none() {
        tokio::select! {
            status = child.wait() => {
                exit = Some(match status {
                    Ok(status) => {
                        use std::os::unix::process::ExitStatusExt;
                        status.code().map(Exit::Code).or(status.signal().map(Exit::Signal)).unwrap_or(Exit::Code(-1))
                    }
                    Err(e) => Exit::SpawnFailed(e.to_string()),
                });
            }
            () = tokio::time::sleep_until(deadline) => exit = Some(Exit::TimedOut),
            () = tokio::time::sleep(Duration::from_millis(20)) => {
                if overflow(&out_sink) {
                    exit = Some(Exit::TooMuchOutput { stream: "stdout" });
                } else if overflow(&err_sink) {
                    exit = Some(Exit::TooMuchOutput { stream: "stderr" });
                }
            }
        }
    }
    // Done or not, nothing it started may outlive the check.
    guard.kill();
    let _ = tokio::time::timeout(Duration::from_millis(500), child.wait()).await;
    // The pipes close once the group is gone; a daemon that left the group keeps
    // them open, so the readers get a short grace, then what they read is used.
    let grace = tokio::time::Instant::now() + Duration::from_millis(250);
    for reader in readers {
        if tokio::time::timeout_at(grace, reader).await.is_err() {
            break;
        }
    }
    let mut exit = exit.unwrap_or(Exit::TimedOut);
    if overflow(&out_sink) && !matches!(exit, Exit::TimedOut) {
        exit = Exit::TooMuchOutput { stream: "stdout" };
    }
    Run { exit, stdout: take(&out_sink), stderr: take(&err_sink), elapsed: started.elapsed() }
}

/// The last lines of stderr, scrubbed and escaped, for the evidence.
fn stderr_lines(stderr: &Captured, ctx: &Context<'_>) -> Vec<String> {
    let text = String::from_utf8_lossy(&stderr.bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let skip = lines.len().saturating_sub(8);
    let mut out: Vec<String> = lines[skip..].iter().map(|l| format!("stderr: {}", ctx.safe(l, 240))).collect();
    if skip > 0 {
        out.insert(0, format!("stderr: ({skip} earlier lines not shown)"));
    }
    out
}

/// Runs the hop: the process, then its output against the schema.
pub async fn run(spec: &ProcessSpec, ctx: &Context<'_>) -> Outcome {
    let mut out = Outcome::new(SourceKind::Process, format!("credential_process {}", spec.program()));
    let run = execute(&spec.command, ctx.env, Limits::new(ctx.timeout)).await;
    out.duration = run.elapsed;
    let ms = u64::try_from(run.elapsed.as_millis()).unwrap_or(u64::MAX);
    let mut stage = Stage { name: "run".into(), status: Status::Fail, duration_ms: ms, evidence: Vec::new() };
    let failed = match &run.exit {
        Exit::Code(0) => None,
        Exit::Code(127) => Some(format!(
            "exit status 127: the shell could not find the program {} (check the path and PATH)",
            spec.program()
        )),
        Exit::Code(126) => {
            Some(format!("exit status 126: {} is not executable (chmod +x, or a bad interpreter line)", spec.program()))
        }
        Exit::Code(code) => Some(format!("exit status {code}: the program reported a failure")),
        Exit::Signal(sig) => Some(format!("ended by signal {sig}")),
        Exit::TimedOut => {
            out.differences.push(ToolDifference {
                topic: "credential_process timeout".into(),
                fails_in: Some(Tool::AwsCli),
                note: "the AWS CLI waits for the process without a limit; the Rust SDK stops waiting at its identity-cache load timeout but leaves the process running".into(),
            });
            Some(format!(
                "still running after {} s: stopped it and every process it started (it may be waiting for input or a browser login)",
                ctx.timeout.as_secs_f32()
            ))
        }
        Exit::TooMuchOutput { stream } => Some(format!(
            "it wrote more than {} bytes to {stream}: stopped it (a credentials document is a few hundred bytes)",
            if *stream == "stdout" { Limits::new(ctx.timeout).max_stdout } else { Limits::new(ctx.timeout).max_stderr }
        )),
        Exit::SpawnFailed(why) => Some(format!("the shell could not be started: {}", ctx.safe(why, 200))),
    };
    if let Some(why) = failed {
        stage.evidence.push(why.clone());
        out.note(why);
        let lines = stderr_lines(&run.stderr, ctx);
        stage.evidence.extend(lines.iter().cloned());
        out.evidence.extend(lines);
        out.stages.push(stage);
        out.fail(Cause::ProcessFailed);
        return out;
    }
    stage.status = Status::Pass;
    stage.evidence.push(format!("exit status 0 in {ms} ms, {} bytes on stdout", run.stdout.bytes.len()));
    out.stages.push(stage);
    let parse_started = Instant::now();
    let parsed = output::parse(&run.stdout.bytes, ctx.now, spec.account_id.as_deref());
    let mut check = Stage {
        name: "output".into(),
        status: Status::Pass,
        duration_ms: u64::try_from(parse_started.elapsed().as_millis()).unwrap_or(0),
        evidence: Vec::new(),
    };
    match parsed {
        Ok(credentials) => {
            let until = credentials.expiration.map(|e| format!(", valid until {}", e.to_rfc3339())).unwrap_or_default();
            let line = format!(
                "valid Version 1 output: key {}{until}",
                crate::base::display::mask_key_id(&credentials.access_key_id)
            );
            check.evidence.push(line.clone());
            out.note(line);
            out.stages.push(check);
            out.pass(credentials);
        }
        Err(problem) => {
            let line = problem.describe();
            check.status = Status::Fail;
            check.evidence.push(line.clone());
            out.note(line);
            if !run.stderr.bytes.is_empty() {
                out.evidence.extend(stderr_lines(&run.stderr, ctx));
            }
            out.stages.push(check);
            out.fail(Cause::ProcessOutputInvalid);
        }
    }
    out
}
