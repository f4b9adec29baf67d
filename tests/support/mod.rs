//! Test support shared by the integration tests: the pinned Python virtualenv
//! (moto, awscli) that `scripts/test` sets up, a moto world, credwiz runs,
//! and the contract between the wizard and `check`.
#![allow(dead_code)]

pub mod contract;
pub mod fault;
pub mod lab;
pub mod tmux;
pub mod wizard;

use std::path::PathBuf;

/// The test virtualenv: `CREDWIZ_VENV`, else `.venv` in the repository.
/// Panics with the fix when it is missing: a test that needs it never passes silently.
pub fn venv() -> PathBuf {
    let path = std::env::var_os("CREDWIZ_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv"));
    for tool in ["bin/python", "bin/aws", "bin/moto_server"] {
        assert!(
            path.join(tool).exists(),
            "the test virtualenv lacks {tool} ({}): run ./scripts/test, which creates it",
            path.display()
        );
    }
    path
}

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// A moto_server from the test virtualenv on a free loopback port, killed on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
}

/// An IAM user seeded in moto, with its access keys.
#[derive(Debug, Clone)]
pub struct SeededUser {
    pub name: String,
    pub arn: String,
    pub keys: Vec<(String, String)>,
}

impl Moto {
    /// Starts moto and waits until it listens.
    pub fn start() -> Moto {
        let venv = venv();
        let port = free_port();
        // A watchdog ends moto when the test process is gone, however it ended.
        let boot = "import os, sys, threading, time\nparent = os.getppid()\ndef watch():\n    while os.getppid() == parent:\n        time.sleep(0.5)\n    os._exit(0)\nthreading.Thread(target=watch, daemon=True).start()\nfrom moto.server import main\nmain(sys.argv[1:])\n";
        let child = Command::new(venv.join("bin/python"))
            .args(["-c", boot, "-H", "127.0.0.1", "-p", &port.to_string()])
            .env("TEST_SERVER_MODE", "true")
            .env("INITIAL_NO_AUTH_ACTION_COUNT", "1000000000")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not listen on {port} within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// An IAM client for seeding the world (moto's default credentials, before auth is enforced).
    pub fn iam(&self) -> aws_sdk_iam::Client {
        let config = aws_sdk_iam::Config::builder()
            .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
            .region(aws_sdk_iam::config::Region::new("us-east-1"))
            .endpoint_url(self.endpoint())
            .credentials_provider(aws_sdk_iam::config::Credentials::new(
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "seed",
            ))
            .build();
        aws_sdk_iam::Client::from_conf(config)
    }

    /// Creates a user with an inline policy (JSON) and `keys` access keys; the
    /// keys listed in `delete` are deleted again (their id/secret stay usable as input).
    pub fn user(&self, name: &str, policy: Option<&str>, keys: usize, delete: &[usize]) -> SeededUser {
        let iam = self.iam();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let user = iam.create_user().user_name(name).send().await.expect("create user");
            let arn = user.user().map(|u| u.arn().to_string()).unwrap_or_default();
            if let Some(doc) = policy {
                iam.put_user_policy()
                    .user_name(name)
                    .policy_name("p")
                    .policy_document(doc)
                    .send()
                    .await
                    .expect("policy");
            }
            let mut created = Vec::new();
            for i in 0..keys {
                let key = iam.create_access_key().user_name(name).send().await.expect("key");
                let key = key.access_key().expect("access key");
                created.push((key.access_key_id().to_string(), key.secret_access_key().to_string()));
                if delete.contains(&i) {
                    iam.delete_access_key()
                        .user_name(name)
                        .access_key_id(key.access_key_id())
                        .send()
                        .await
                        .expect("delete");
                }
            }
            SeededUser { name: name.to_string(), arn, keys: created }
        })
    }

    /// Switches auth enforcement on: unknown keys, wrong secrets and missing permissions now fail.
    pub fn enforce_auth(&self) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        use std::io::{Read, Write};
        let request = "POST /moto-api/reset-auth HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\n0";
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        assert!(response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"), "reset-auth: {response}");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A policy allowing what `aws-lab`'s self-read allows.
pub const SELF_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","sts:GetCallerIdentity","sts:GetSessionToken","sts:GetAccessKeyInfo"],"Resource":"*"}]}"#;

/// A fresh HOME with `~/.aws/credentials` and `~/.aws/config`.
pub fn home(credentials: Option<&str>, config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("home");
    let aws = dir.path().join(".aws");
    std::fs::create_dir_all(&aws).expect("mkdir");
    if let Some(text) = credentials {
        std::fs::write(aws.join("credentials"), text).expect("credentials");
    }
    if let Some(text) = config {
        std::fs::write(aws.join("config"), text).expect("config");
    }
    dir
}

/// Runs the credwiz binary with a clean environment: HOME, the endpoint, no IMDS, and `env`.
pub fn credwiz(home: &Path, endpoint: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credwiz"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CREDWIZ_LOG_DIR", home.join("logs"))
        .envs(env.iter().copied())
        .output()
        .expect("run credwiz")
}

/// Runs `credwiz check --json` and parses the report.
pub fn check_json(home: &Path, endpoint: &str, env: &[(&str, &str)], args: &[&str]) -> (serde_json::Value, Output) {
    command_json("check", home, endpoint, env, args)
}

/// Runs `credwiz <command> --json <args>` and parses stdout (panics, showing both streams, when it is not JSON).
pub fn command_json(
    command: &str,
    home: &Path,
    endpoint: &str,
    env: &[(&str, &str)],
    args: &[&str],
) -> (serde_json::Value, Output) {
    let mut all = vec![command, "--json"];
    all.extend_from_slice(args);
    let out = credwiz(home, endpoint, env, &all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out)
}

/// The check of a report with this id, in whatever step (`null` when none).
pub fn check_by_id(report: &serde_json::Value, id: &str) -> serde_json::Value {
    report["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["checks"].as_array().into_iter().flatten())
        .find(|c| c["id"] == id)
        .cloned()
        .unwrap_or_default()
}

/// The primary cause id of a report ("" when healthy).
pub fn primary(report: &serde_json::Value) -> String {
    report["causes"][0]["cause"].as_str().unwrap_or_default().to_string()
}
