//! Handing the terminal to the AWS CLI's login commands (`aws sso login`,
//! `aws login`): the command line for this machine (no browser can open in an
//! SSH session or on Linux without a display: `aws sso login
//! --use-device-code`, `aws login --remote`), whether the installed CLI has
//! the command (`aws sso login` needs version 2; `aws login` 2.32.0 or later,
//! as AWS's sign-in guide says), and the pause after it ("press any key") so
//! its output is read before the wizard draws again. The decisions are pure;
//! `run_in_terminal`, `cli_version` and `wait_for_key` are the runtime's IO.

use super::msg::Msg;
use super::terminal::{leave_terminal, println_plain, resume_terminal};
use crate::base::environment::Environment;
use std::io::Read;
use std::time::{Duration, Instant};

/// Which login command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// `aws sso login` (IAM Identity Center).
    Sso,
    /// `aws login` (console credentials).
    Console,
}

impl Login {
    /// The first version of the AWS CLI that has the command.
    fn since(self) -> (u32, u32, u32) {
        match self {
            Login::Sso => (2, 0, 0),
            Login::Console => (2, 32, 0),
        }
    }

    /// The command's words after `aws`.
    fn words(self) -> &'static [&'static str] {
        match self {
            Login::Sso => &["sso", "login"],
            Login::Console => &["login"],
        }
    }

    /// Which login an argv runs, if it is one.
    pub fn of(argv: &[String]) -> Option<Login> {
        let words: Vec<&str> = argv.iter().skip(1).take(2).map(String::as_str).collect();
        match words.as_slice() {
            ["sso", "login", ..] => Some(Login::Sso),
            ["login", ..] => Some(Login::Console),
            _ => None,
        }
    }
}

/// Whether a browser can open here: not in an SSH session, and on Linux only with a display.
pub fn browser_can_open(env: &Environment) -> bool {
    let set = |name| env.get(name).is_some_and(|v| !v.is_empty());
    if set("SSH_CONNECTION") || set("SSH_TTY") {
        return false;
    }
    !cfg!(target_os = "linux") || set("DISPLAY") || set("WAYLAND_DISPLAY")
}

/// The login command for `profile` on this machine.
pub fn argv(login: Login, profile: &str, env: &Environment) -> Vec<String> {
    let mut argv: Vec<String> = std::iter::once("aws").chain(login.words().iter().copied()).map(String::from).collect();
    argv.extend(["--profile".to_string(), profile.to_string()]);
    if !browser_can_open(env) {
        argv.push(match login {
            Login::Sso => "--use-device-code".into(),
            Login::Console => "--remote".into(),
        });
    }
    argv
}

/// The version in `aws --version`'s answer ("aws-cli/2.15.30 Python/3.11.8 ...").
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let rest = &text[text.find("aws-cli/")? + "aws-cli/".len()..];
    let version = rest.split_whitespace().next()?;
    let mut parts = version.split('.').map(|p| p.trim_end_matches(|c: char| !c.is_ascii_digit()).parse::<u32>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().and_then(Result::ok).unwrap_or(0);
    let patch = parts.next().and_then(Result::ok).unwrap_or(0);
    Some((major, minor, patch))
}

/// Whether the CLI that answered `--version` with `text` has the command; why not, when it has not.
pub fn supports(login: Login, text: &str) -> Result<(), String> {
    let command = format!("aws {}", login.words().join(" "));
    let Some(version) = parse_version(text) else {
        let said = crate::base::sanitize::shown(text.trim(), 80);
        return Err(format!("`aws --version` did not name a version ({said}): run `{command}` yourself"));
    };
    let since = login.since();
    if version >= since {
        return Ok(());
    }
    let (major, minor, patch) = version;
    Err(format!(
        "the installed AWS CLI is {major}.{minor}.{patch}, which has no `{command}` (it needs {}.{}.{} or later): \
         update it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)",
        since.0, since.1, since.2
    ))
}

/// How long `aws --version` may take (version 1 starts Python).
const VERSION_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of its answer that is read.
const VERSION_LIMIT: u64 = 4096;

/// What `program --version` prints (stdout and stderr), within a time limit.
pub fn cli_version(program: &str, env: &Environment) -> Result<String, String> {
    let mut child = std::process::Command::new(program)
        .arg("--version")
        .env_clear()
        .envs(env.vars())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("`{program} --version` could not start: {e}"))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < VERSION_TIMEOUT => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`{program} --version` did not answer in {} s", VERSION_TIMEOUT.as_secs()));
            }
        }
    }
    let mut text = String::new();
    for pipe in [
        child.stdout.take().map(|p| Box::new(p) as Box<dyn Read>),
        child.stderr.take().map(|p| Box::new(p) as Box<dyn Read>),
    ]
    .into_iter()
    .flatten()
    {
        let _ = pipe.take(VERSION_LIMIT).read_to_string(&mut text);
    }
    Ok(text)
}

/// Waits for one key press on the normal screen (the terminal in raw mode meanwhile).
pub fn wait_for_key() -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    let result = loop {
        match crossterm::event::read() {
            Ok(crossterm::event::Event::Key(key)) if key.kind != crossterm::event::KeyEventKind::Release => {
                break Ok(());
            }
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    crossterm::terminal::disable_raw_mode()?;
    result
}

/// Whether `program` can be found on the `PATH` of this environment.
fn on_path(env: &Environment, program: &str) -> bool {
    env.get("PATH").is_some_and(|path| std::env::split_paths(path).any(|dir| dir.join(program).is_file()))
}

/// Hands the terminal to `argv` and takes it back: the command runs with the
/// terminal in its normal mode, then the wizard redraws in full.
pub fn run_in_terminal(terminal: &mut ratatui::DefaultTerminal, argv: &[String], env: &Environment) -> Msg {
    let Some(program) = argv.first() else { return Msg::CommandDone(Err("no command".into())) };
    let shown = argv.join(" ");
    if !on_path(env, program) {
        return Msg::CommandDone(Err(format!("`{program}` is not installed (or not on PATH): run `{shown}` yourself")));
    }
    if let Some(login) = Login::of(argv)
        && let Err(why) = cli_version(program, env).and_then(|text| supports(login, &text))
    {
        return Msg::CommandDone(Err(why));
    }
    leave_terminal();
    println_plain(&format!("credwiz: running `{shown}`; its output stays on screen until you press a key.\n"));
    // A login command may leave a browser or an agent running: the user's, not credwiz's to end.
    let status = crate::base::reaper::released(|| {
        std::process::Command::new(program).args(&argv[1..]).env_clear().envs(env.vars()).status()
    });
    let ended = match &status {
        Ok(status) => format!("ended ({status})"),
        Err(e) => format!("could not start: {e}"),
    };
    println_plain(&format!("\ncredwiz: `{shown}` {ended}. Press any key to return to the wizard."));
    let _ = wait_for_key();
    let back = resume_terminal(terminal);
    match (status, back) {
        (_, Err(e)) => Msg::CommandDone(Err(format!("the terminal could not be taken back: {e}"))),
        (Ok(status), _) if status.success() => Msg::CommandDone(Ok(format!("`{shown}` finished"))),
        (Ok(status), _) => {
            Msg::CommandDone(Err(format!("`{shown}` ended with {status} (its output is above the wizard's screen)")))
        }
        (Err(e), _) => Msg::CommandDone(Err(format!("`{shown}` could not start: {e}"))),
    }
}

/// Hands the terminal to an editor until it exits (no pause: the editor's screen is its own).
pub fn run_editor(terminal: &mut ratatui::DefaultTerminal, argv: &[String], env: &Environment) -> Result<(), String> {
    let Some(program) = argv.first() else { return Err("no editor".into()) };
    leave_terminal();
    let status = crate::base::reaper::released(|| {
        std::process::Command::new(program).args(&argv[1..]).env_clear().envs(env.vars()).status()
    });
    resume_terminal(terminal).map_err(|e| format!("the terminal could not be taken back: {e}"))?;
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{}` ended with {status}; the files are as the editor left them", argv.join(" "))),
        Err(e) => Err(format!("`{program}` could not start ({e}): set EDITOR or VISUAL to your editor")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        Environment::from_pairs(pairs.to_vec(), Some("/home/u".into()))
    }

    #[test]
    fn versions_are_read_from_the_clis_answer() {
        assert_eq!(parse_version("aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64"), Some((2, 15, 30)));
        assert_eq!(parse_version("aws-cli/1.45.11 Python/3.11.7 Linux/6.18 botocore/1.43.11"), Some((1, 45, 11)));
        assert_eq!(parse_version("command not found"), None);
    }

    #[test]
    fn version_1_has_no_sso_login_and_aws_login_needs_2_32() {
        assert!(supports(Login::Sso, "aws-cli/1.45.11 Python/3.11.7").unwrap_err().contains("1.45.11"));
        assert!(supports(Login::Sso, "aws-cli/2.0.0 Python/3.7").is_ok());
        assert!(supports(Login::Console, "aws-cli/2.31.9 Python/3.12").unwrap_err().contains("2.32.0"));
        assert!(supports(Login::Console, "aws-cli/2.32.0 Python/3.12").is_ok());
    }

    #[test]
    fn no_browser_in_ssh_or_without_a_display_means_a_device_code() {
        let ssh = env(&[("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22"), ("DISPLAY", ":0")]);
        assert_eq!(argv(Login::Sso, "dev", &ssh), ["aws", "sso", "login", "--profile", "dev", "--use-device-code"]);
        assert_eq!(argv(Login::Console, "dev", &ssh), ["aws", "login", "--profile", "dev", "--remote"]);
        let desktop = env(&[("DISPLAY", ":0")]);
        assert_eq!(argv(Login::Sso, "dev", &desktop), ["aws", "sso", "login", "--profile", "dev"]);
        if cfg!(target_os = "linux") {
            assert!(argv(Login::Sso, "dev", &env(&[])).contains(&"--use-device-code".to_string()));
        }
        assert_eq!(Login::of(&argv(Login::Console, "dev", &desktop)), Some(Login::Console));
    }
}
