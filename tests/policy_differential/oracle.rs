//! The oracle process: `node oracle.mjs` in tests/iam_oracle, one JSON line
//! per simulation in, one per answer out, read with a time limit; and its
//! answer in credwiz's terms (`oracle_view`).

use credwiz::policy::{LayerKind, Verdict, catalogue};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// The Node process answering one JSON line per request.
pub struct Oracle {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    next_id: u64,
    answered: u64,
}

impl Oracle {
    fn oracle_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/iam_oracle")
    }

    /// The test virtualenv's Node (installed from a wheel by scripts/test).
    fn node() -> PathBuf {
        let venv = std::env::var_os("CREDWIZ_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv"));
        venv.join("bin/node")
    }

    /// Starts the oracle; panics, naming the fix, when Node or the oracle's
    /// packages are missing (scripts/test installs both).
    #[allow(clippy::print_stderr)] // a test diagnostic, not credwiz output
    pub fn start() -> Oracle {
        let node = Self::node();
        let version = Command::new(&node).arg("--version").output().ok().filter(|o| o.status.success());
        let Some(version) = version else {
            panic!(
                "{} does not run: the policy evaluator cannot be compared with iam-simulate; run ./scripts/test, which installs Node into the test virtualenv",
                node.display()
            )
        };
        let dir = Self::oracle_dir();
        assert!(
            dir.join("node_modules/@cloud-copilot/iam-simulate").is_dir(),
            "Node {} is installed but the oracle's packages are not: run `npm ci` in {} (scripts/test does)",
            String::from_utf8_lossy(&version.stdout).trim(),
            dir.display()
        );
        let mut child = Command::new(&node)
            .arg("oracle.mjs")
            .current_dir(&dir)
            .env("TZ", "UTC")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node oracle.mjs");
        let stdin = child.stdin.take().expect("oracle stdin");
        let stdout = child.stdout.take().expect("oracle stdout");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut oracle = Oracle { child, stdin, lines, next_id: 0, answered: 0 };
        let ready = oracle.read_line();
        assert!(ready.contains("\"ready\":true"), "oracle did not start: {ready}");
        eprintln!("policy_differential: oracle ready: {ready}");
        oracle
    }

    fn read_line(&mut self) -> String {
        self.lines.recv_timeout(Duration::from_secs(20)).expect("the oracle answers within 20 s")
    }

    /// Sends one simulation; answers come back in order through `receive`.
    pub fn send(&mut self, simulation: &Value) {
        self.next_id += 1;
        let request = json!({"id": self.next_id, "simulation": simulation});
        writeln!(self.stdin, "{request}").expect("write to oracle");
        self.stdin.flush().expect("flush oracle");
    }

    pub fn receive(&mut self) -> Value {
        let answer: Value = serde_json::from_str(&self.read_line()).expect("oracle answers JSON");
        self.answered += 1;
        assert_eq!(answer["id"], json!(self.answered), "oracle answers in order");
        answer
    }

    pub fn ask(&mut self, simulation: &Value) -> Value {
        self.send(simulation);
        self.receive()
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The oracle's answer in credwiz's terms: verdict, and the deciding layer
/// (explicit deny: layer/policy/statement; implicit deny: the lacking layer
/// and level), derived from its per-layer analysis with credwiz's rule.
pub fn oracle_view(answer: &Value, action: &str) -> Result<(Verdict, String), String> {
    if let Some(error) = answer.get("error") {
        return Err(format!("oracle refused the case: {error}"));
    }
    // The oracle may ignore only the service keys the catalogue says the action cannot carry.
    let applies = |key: &str| {
        let lower = key.to_ascii_lowercase();
        lower.starts_with("aws:")
            || catalogue::action(action).is_some_and(|known| {
                known.condition_keys().iter().any(|k| {
                    let k = k.to_ascii_lowercase();
                    match k.find('<').or_else(|| k.find("${")) {
                        Some(at) => lower.starts_with(&k[..at]),
                        None => k == lower,
                    }
                })
            })
    };
    let ignored = &answer["ignoredContextKeys"];
    if ignored.as_array().into_iter().flatten().filter_map(Value::as_str).any(applies) {
        return Err(format!("oracle ignored context keys {ignored}"));
    }
    let layers = &answer["layers"];
    let verdict = match answer["result"].as_str() {
        Some("Allowed") => Verdict::Allowed,
        Some("ExplicitlyDenied") => Verdict::ExplicitDeny,
        Some("ImplicitlyDenied") => Verdict::ImplicitDeny,
        other => return Err(format!("oracle result {other:?}")),
    };
    let label = |layer: LayerKind, statement: &Value, default_policy: &str| {
        let policy = statement["policy"].as_str().unwrap_or(default_policy);
        format!("{} {} {}", layer.id(), policy, statement["statement"].as_str().unwrap_or("?"))
    };
    let deciding = match verdict {
        Verdict::Allowed | Verdict::Undetermined => String::new(),
        Verdict::ExplicitDeny => {
            let mut found = None;
            for (layer, key) in [(LayerKind::Scp, "scp"), (LayerKind::Rcp, "rcp")] {
                for level in layers[key]["levels"].as_array().into_iter().flatten() {
                    if let Some(first) = level["deny"].as_array().and_then(|d| d.first()) {
                        found = found.or_else(|| Some(label(layer, first, "?")));
                    }
                }
            }
            for (layer, key) in [
                (LayerKind::Resource, "resource"),
                (LayerKind::Identity, "identity"),
                (LayerKind::Boundary, "boundary"),
                (LayerKind::Session, "session"),
            ] {
                if let Some(first) = layers[key]["deny"].as_array().and_then(|d| d.first()) {
                    found = found.or_else(|| Some(label(layer, first, "resource")));
                }
            }
            found.ok_or("explicit deny without a deny statement")?
        }
        Verdict::ImplicitDeny => {
            let scp_gap = layers["scp"]["levels"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|level| level["allow"].as_array().is_none_or(Vec::is_empty));
            if let Some(level) = scp_gap {
                format!("scp {}", level["id"].as_str().unwrap_or("?"))
            } else {
                let allowed = |key: &str| layers[key]["result"] == json!("Allowed");
                let restricts = |key: &str| layers[key].is_null() || allowed(key);
                let resource_allows = |kinds: &[&str]| {
                    layers["resource"]["allow"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|s| kinds.contains(&s["principalMatch"].as_str().unwrap_or("")))
                };
                let same = layers["sameAccount"] == json!(true);
                let id_allow = allowed("identity");
                let identity_path = id_allow && restricts("boundary") && restricts("session");
                let rp_direct = resource_allows(&["Match"]);
                let rp_under = resource_allows(&["SessionRoleMatch", "SessionUserMatch"]);
                let identity_side = if !id_allow && (!same || (!rp_direct && !rp_under)) {
                    "identity"
                } else if !restricts("boundary") {
                    "boundary"
                } else {
                    "session"
                };
                if !same && identity_path { "resource".to_string() } else { identity_side.to_string() }
            }
        }
    };
    Ok((verdict, deciding))
}
