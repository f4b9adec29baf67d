//! The acceptance lab (`../shared/tools/aws-lab`, beside the repository): a
//! whole AWS world per scenario, moto behind a proxy that adds what moto
//! lacks (partitions, session token versions, opt-in regions). The worlds of
//! these tests are in `tests/lab_worlds/`. Panics with the fix when the lab or
//! the virtualenv is missing: a test that needs them never passes silently.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The lab tool: `CREDWIZ_LAB`, else `../shared/tools/aws-lab` beside the repository.
pub fn tool() -> PathBuf {
    let path = std::env::var_os("CREDWIZ_LAB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/aws-lab"));
    assert!(
        path.is_file(),
        "the acceptance lab is missing ({}): these tests need the shared tools beside the repository (or CREDWIZ_LAB naming aws-lab)",
        path.display()
    );
    path
}

/// A world of `tests/lab_worlds/`.
pub fn world(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lab_worlds").join(name)
}

/// Runs `cmd` in the world of `scenario` (`aws-lab run`), the venv's tools first on PATH.
pub fn run(scenario: &Path, cmd: &[&str]) -> Output {
    let venv = super::venv();
    let path = format!("{}:{}", venv.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    Command::new(venv.join("bin/python"))
        .arg(tool())
        .arg("run")
        .arg(scenario)
        .arg("--")
        .args(cmd)
        .env("PATH", path)
        .output()
        .expect("run aws-lab")
}

/// `credwiz check --json ARGS` in the world: the report and the run.
pub fn check(scenario: &Path, args: &[&str]) -> (serde_json::Value, Output) {
    let mut cmd = vec![env!("CARGO_BIN_EXE_credwiz"), "check", "--json"];
    cmd.extend_from_slice(args);
    let out = run(scenario, &cmd);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON report ({e}): {}\n{}",
            scenario.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out)
}

/// A world kept up across several commands (`aws-lab up`), torn down when dropped.
pub struct World {
    /// The variables `up` exports (HOME, AWS_ENDPOINT_URL, the scenario's [env]...).
    pub env: Vec<(String, String)>,
    state: String,
}

impl World {
    /// Starts the world of `scenario`.
    pub fn up(scenario: &Path) -> World {
        let venv = super::venv();
        let out = Command::new(venv.join("bin/python"))
            .arg(tool())
            .arg("up")
            .arg(scenario)
            .env("PATH", format!("{}:{}", venv.join("bin").display(), std::env::var("PATH").unwrap_or_default()))
            .output()
            .expect("run aws-lab up");
        assert!(out.status.success(), "aws-lab up {}: {}", scenario.display(), String::from_utf8_lossy(&out.stderr));
        let env: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("export ")?.split_once('='))
            .map(|(k, v)| (k.to_string(), v.trim_matches('\'').to_string()))
            .collect();
        let state = env.iter().find(|(k, _)| k == "AWS_LAB_STATE").map(|(_, v)| v.clone()).expect("state dir");
        World { env, state }
    }

    /// The world's HOME.
    pub fn home(&self) -> PathBuf {
        PathBuf::from(&self.state).join("home")
    }

    /// `program` in the world: only PATH (the venv's tools first) and the world's variables.
    pub fn command(&self, program: &str) -> Command {
        let venv = super::venv();
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", format!("{}:{}", venv.join("bin").display(), std::env::var("PATH").unwrap_or_default()))
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        cmd
    }

    /// `credwiz check --json ARGS` in the world: the report.
    pub fn check(&self, args: &[&str]) -> serde_json::Value {
        let out = self.command(env!("CARGO_BIN_EXE_credwiz")).args(["check", "--json"]).args(args).output();
        let out = out.expect("run credwiz");
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("no JSON report ({e}): {}", String::from_utf8_lossy(&out.stderr)))
    }

    /// `aws sts get-caller-identity ARGS` (the test venv's AWS CLI): the caller's ARN, or the error.
    pub fn cli_caller(&self, args: &[&str]) -> Result<String, String> {
        let aws = super::venv().join("bin/aws");
        let out = self
            .command(&aws.to_string_lossy())
            .args(["sts", "get-caller-identity", "--query", "Arn", "--output", "text"])
            .args(args)
            .output();
        let out = out.expect("run the AWS CLI");
        match out.status.success() {
            true => Ok(String::from_utf8_lossy(&out.stdout).trim().to_string()),
            false => Err(String::from_utf8_lossy(&out.stderr).trim().to_string()),
        }
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let venv = super::venv();
        let _ = Command::new(venv.join("bin/python")).arg(tool()).arg("down").arg(&self.state).output();
    }
}
