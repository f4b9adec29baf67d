//! Support for the trust tests: a hostile fake endpoint on 127.0.0.1 (answers
//! decided by a closure: AWS-shaped XML, echoes of the request, HTML, huge
//! streamed bodies), runs of the credwiz binary in a temp HOME with a clean
//! environment and a deadline, and the checks every sink must pass: no
//! canary, nothing raw that drives a terminal.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "../fake_http/mod.rs"]
mod fake_http;
#[path = "../support/mod.rs"]
mod support;

pub use support::home;

pub use fake_http::Request;
use fake_http::read_request;

/// What the fake answers.
pub enum Answer {
    /// A complete answer with a `Content-Length`.
    Http { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// `total` bytes of `filler` after `prefix`, chunked (no length) or with
    /// the length declared; stops when the client goes away.
    Stream { status: u16, prefix: Vec<u8>, filler: u8, total: u64, chunked: bool },
}

impl Answer {
    pub fn xml(status: u16, body: impl Into<String>) -> Answer {
        Answer::Http {
            status,
            headers: vec![("Content-Type".into(), "text/xml".into())],
            body: body.into().into_bytes(),
        }
    }

    pub fn with_type(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer::Http { status, headers: vec![("Content-Type".into(), content_type.into())], body: body.into() }
    }
}

/// An STS/IAM query-protocol error (the text goes in as it is: XML-escape it first if it must stay text).
pub fn aws_error(status: u16, code: &str, message: &str) -> Answer {
    Answer::xml(
        status,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
        ),
    )
}

/// XML-escapes text for a message element.
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A successful GetCallerIdentity for an IAM user.
pub fn caller_identity(account: &str, user: &str) -> Answer {
    Answer::xml(
        200,
        format!(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/{user}</Arn><UserId>AIDAEXAMPLEUSERID0001</UserId><Account>{account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
        ),
    )
}

/// A successful GetSessionToken with the given values (put in as they are: the test decides the escaping).
pub fn session_token(key_id: &str, secret: &str, token: &str) -> Answer {
    Answer::xml(
        200,
        format!(
            "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetSessionTokenResult><Credentials><AccessKeyId>{key_id}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey><SessionToken>{token}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></GetSessionTokenResponse>"
        ),
    )
}

type Handler = dyn Fn(&Request) -> Answer + Send + Sync;

/// A fake endpoint on 127.0.0.1, stopped on drop. Counts the body bytes it
/// managed to send: in all (`sent`) and on its busiest connection (`most_on_one`).
pub struct Fake {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Request>>>,
    pub sent: Arc<AtomicU64>,
    pub most_on_one: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Fake {
    pub fn start(handler: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let sent = Arc::new(AtomicU64::new(0));
        let most_on_one = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (requests2, sent2, most2, stop2) = (requests.clone(), sent.clone(), most_on_one.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (handler, requests, sent, most) =
                            (handler.clone(), requests2.clone(), sent2.clone(), most2.clone());
                        std::thread::spawn(move || {
                            let here = AtomicU64::new(0);
                            serve(stream, &*handler, &requests, &here);
                            let here = here.load(Ordering::Relaxed);
                            sent.fetch_add(here, Ordering::Relaxed);
                            most.fetch_max(here, Ordering::Relaxed);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Fake { port, requests, sent, most_on_one, stop }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn actions(&self) -> Vec<String> {
        self.requests.lock().expect("requests").iter().map(Request::action).collect()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, requests: &Mutex<Vec<Request>>, sent: &AtomicU64) {
    let Some(request) = read_request(&mut stream) else { return };
    let answer = handler(&request);
    requests.lock().expect("requests").push(request);
    let _ = stream.set_write_timeout(Some(Duration::from_secs(20)));
    match answer {
        Answer::Http { status, headers, body } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\nDate: {}\r\n",
                body.len(),
                http_date()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            if stream.write_all(&body).is_ok() {
                sent.fetch_add(body.len() as u64, Ordering::Relaxed);
            }
        }
        Answer::Stream { status, prefix, filler, total, chunked } => {
            let framing = if chunked {
                "Transfer-Encoding: chunked\r\n".to_string()
            } else {
                format!("Content-Length: {}\r\n", prefix.len() as u64 + total)
            };
            let head =
                format!("HTTP/1.1 {status} X\r\nContent-Type: text/xml\r\n{framing}Date: {}\r\n\r\n", http_date());
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let block = vec![filler; 64 * 1024];
            let mut write = |data: &[u8]| -> bool {
                let ok = if chunked {
                    stream.write_all(format!("{:x}\r\n", data.len()).as_bytes()).is_ok()
                        && stream.write_all(data).is_ok()
                        && stream.write_all(b"\r\n").is_ok()
                } else {
                    stream.write_all(data).is_ok()
                };
                if ok {
                    sent.fetch_add(data.len() as u64, Ordering::Relaxed);
                }
                ok
            };
            if !write(&prefix) {
                return;
            }
            let mut left = total;
            while left > 0 {
                let n = usize::try_from(left.min(block.len() as u64)).unwrap_or(block.len());
                if !write(&block[..n]) {
                    return;
                }
                left -= n as u64;
            }
            if chunked {
                let _ = stream.write_all(b"0\r\n\r\n");
            }
        }
    }
}

/// Now, as an HTTP date (so no check sees clock skew).
fn http_date() -> String {
    chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// What one run of the binary left in every sink.
#[derive(Debug)]
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub log: String,
    pub elapsed: Duration,
}

impl Ran {
    /// Every sink, named, for assertions.
    pub fn sinks(&self) -> [(&'static str, &str); 3] {
        [("stdout", &self.stdout), ("stderr", &self.stderr), ("log", &self.log)]
    }
}

/// Runs credwiz with a clean environment (HOME, PATH, no IMDS, the log in
/// HOME/log, `AWS_ENDPOINT_URL` when given) plus `env`, killed after `deadline`.
pub fn run(home: &Path, endpoint: Option<&str>, env: &[(&str, &str)], args: &[&str]) -> Ran {
    run_os(home, endpoint, env, &args.iter().map(std::ffi::OsString::from).collect::<Vec<_>>())
}

/// [`run`] with arguments that need not be UTF-8.
pub fn run_os(home: &Path, endpoint: Option<&str>, env: &[(&str, &str)], args: &[std::ffi::OsString]) -> Ran {
    run_program(env!("CARGO_BIN_EXE_credwiz"), home, endpoint, env, args)
}

/// Runs `program` (credwiz, or a wrapper that runs it) in the clean environment of [`run`].
pub fn run_program(
    program: &str,
    home: &Path,
    endpoint: Option<&str>,
    env: &[(&str, &str)],
    args: &[std::ffi::OsString],
) -> Ran {
    let log_dir = home.join("log");
    let mut command = Command::new(program);
    command
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CREDWIZ_LOG_DIR", &log_dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(endpoint) = endpoint {
        command.env("AWS_ENDPOINT_URL", endpoint);
    }
    command.envs(env.iter().copied());
    let started = Instant::now();
    let mut child = command.spawn().expect("run credwiz");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("credwiz {args:?} ran for more than 90 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.join().expect("stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().expect("stderr")).into_owned();
    let log = std::fs::read_to_string(log_dir.join("credwiz.log")).unwrap_or_default();
    let _ = std::fs::remove_file(log_dir.join("credwiz.log"));
    Ran { code: status.code(), stdout, stderr, log, elapsed }
}

/// The first character that would drive or fool a terminal (line breaks and tabs allowed).
pub fn raw_control(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|&(_, c)| (c.is_control() && c != '\n' && c != '\t') || credwiz::base::sanitize::is_invisible(c))
}

/// Panics when a sink holds a raw control, escape or invisible character.
pub fn assert_terminal_safe(what: &str, text: &str) {
    if let Some((at, c)) = raw_control(text) {
        let start = text.floor_char_boundary(at.saturating_sub(80));
        let end = text.floor_char_boundary((at + 80).min(text.len()));
        panic!("{what}: raw {c:?} at byte {at}: {:?}", &text[start..end]);
    }
}

/// Panics when any sink of a run holds a canary (or a part of one at least 12 characters long).
pub fn assert_no_canary(ran: &Ran, canaries: &[&str]) {
    for (sink, text) in ran.sinks() {
        for canary in canaries {
            for part in fragments(canary) {
                assert!(!text.contains(part), "{sink} holds {part:?} of a secret:\n{text}");
            }
        }
    }
}

/// The canary and its 12-character windows (a cut secret is still a leak).
fn fragments(canary: &str) -> Vec<&str> {
    let mut parts = vec![canary];
    let bytes = canary.len();
    if canary.is_ascii() && bytes > 12 {
        parts.extend((0..=bytes - 12).step_by(4).map(|i| &canary[i..i + 12]));
    }
    parts
}

/// A directory path under `base` whose name holds `name` (control characters included).
pub fn hostile_dir(base: &Path, name: &str) -> PathBuf {
    let dir = base.join(name);
    std::fs::create_dir_all(&dir).expect("hostile dir");
    dir
}
