//! The log file: created 0600, the HTTP and signing crates held at INFO
//! whatever `CREDWIZ_LOG` asks, and every line scrubbed of secrets and
//! control sequences. Runs `credwiz check` against a fake endpoint on
//! 127.0.0.1 that echoes the request headers in its error message.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A server that answers every request with an STS-style error quoting the request headers.
fn echoing_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = Vec::new();
            let mut buf = [0u8; 8192];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&request).replace('&', "&amp;").replace('<', "&lt;");
            let body = format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>\u{1b}]0;pwned\u{7}bad request: {head}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
            );
            let response = format!(
                "HTTP/1.1 403 Forbidden\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}")
}

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET12";
/// A session token that is not token-shaped, so only the level ceiling (not shape masking) can keep it out.
const TOKEN: &str = "canary-session-token-value-not-base64-shaped";

fn run_check(home: &Path, log_level: &str) -> String {
    let log_dir = home.join("log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_credwiz"))
        .args(["check", "--json", "--timeout", "5"])
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CREDWIZ_LOG_DIR", &log_dir)
        .env("CREDWIZ_LOG", log_level)
        .env("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", TOKEN)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", echoing_endpoint())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run credwiz");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("credwiz check hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    fs::read_to_string(log_dir.join("credwiz.log")).expect("read log")
}

fn log_mode(home: &Path) -> u32 {
    fs::metadata(home.join("log").join("credwiz.log")).expect("a log file").mode()
}

#[test]
fn no_variable_lifts_the_http_and_signing_crates_above_info() {
    let home = tempfile::tempdir().expect("dir");
    for level in
        ["trace,aws_smithy_runtime::client=trace", "trace", "aws_smithy_runtime=trace,aws_sigv4=trace,hyper=trace"]
    {
        let log = run_check(home.path(), level);
        assert!(!log.contains(TOKEN), "CREDWIZ_LOG={level}: the session token is in the log");
        assert!(!log.contains(SECRET) && !log.contains("zzSECRET1"), "CREDWIZ_LOG={level}: the secret is in the log");
        for line in log.lines() {
            let lifted = ["TRACE", "DEBUG"].iter().any(|lvl| line.contains(lvl))
                && ["aws_smithy", "aws_sigv4", "hyper", "rustls", "aws_config", "aws_sdk_", "aws_runtime"]
                    .iter()
                    .any(|t| line.contains(&format!(" {t}")));
            assert!(!lifted, "CREDWIZ_LOG={level}: a held-down crate logged below INFO: {line}");
        }
        assert!(!log.contains('\u{1b}') && !log.contains('\u{7}'), "raw control characters in the log");
        let mode = log_mode(home.path());
        assert_eq!(mode & 0o077, 0, "log file readable by others: {mode:o}");
        fs::remove_file(home.path().join("log").join("credwiz.log")).expect("reset the log");
    }
}
