//! Local fakes for the hop tests, on 127.0.0.1 only: a tiny threaded HTTP
//! server whose answers a closure decides (an answer, a hang, a closed
//! connection), with a log of the requests; AWS-shaped STS answers; an
//! `SdkConfig` pointed at a fake; and a free port where nothing listens.
#![allow(dead_code)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[path = "../fake_http/mod.rs"]
mod fake_http;

pub use fake_http::Request;
use fake_http::read_request;

/// What the fake does with a request.
pub enum Reply {
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Keep the connection open and never answer.
    Hang,
    /// Close the connection without a word.
    Close,
}

impl Reply {
    pub fn status(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Http { status, headers: vec![("Content-Type".into(), content_type.into())], body: body.into() }
    }

    pub fn json(status: u16, body: &str) -> Reply {
        Reply::status(status, "application/json", body)
    }

    /// A restJson error with its type header.
    pub fn json_error(status: u16, error_type: &str, message: &str) -> Reply {
        Reply::Http {
            status,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-amzn-ErrorType".into(), error_type.into()),
            ],
            body: format!(r#"{{"message": "{message}"}}"#).into_bytes(),
        }
    }

    pub fn xml(status: u16, body: String) -> Reply {
        Reply::status(status, "text/xml", body)
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A fake HTTP server on 127.0.0.1, stopped on drop.
pub struct Fake {
    pub port: u16,
    pub log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl Fake {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (log2, stop2) = (log.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (handler, log, stop) = (handler.clone(), log2.clone(), stop2.clone());
                        std::thread::spawn(move || serve(stream, &*handler, &log, &stop));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Fake { port, log, stop }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>, stop: &AtomicBool) {
    let Some(request) = read_request(&mut stream) else { return };
    let reply = handler(&request);
    log.lock().expect("log").push(request);
    match reply {
        Reply::Http { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("date")) {
                head.push_str("Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n");
            }
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Hang => {
            for _ in 0..600 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Reply::Close => {}
    }
}

/// A loopback port where nothing listens.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// An STS query-protocol error.
pub fn sts_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::xml(
        status,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
        ),
    )
}

/// A successful AssumeRole / AssumeRoleWithWebIdentity answer for `role_arn`,
/// with the key id `key_id` (so the next hop's signature shows where it came from).
pub fn sts_credentials(action: &str, role_arn: &str, session: &str, key_id: &str) -> Reply {
    let role_name = role_arn.rsplit('/').next().unwrap_or("role");
    let account = role_arn.split(':').nth(4).unwrap_or("123456789012");
    Reply::xml(
        200,
        format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result><Credentials><AccessKeyId>{key_id}</AccessKeyId><SecretAccessKey>secret-of-{key_id}-0123456789abcdefABCDEF</SecretAccessKey><SessionToken>token-of-{key_id}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:{session}</AssumedRoleId><Arn>arn:aws:sts::{account}:assumed-role/{role_name}/{session}</Arn></AssumedRoleUser></{action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></{action}Response>"
        ),
    )
}

/// An `SdkConfig` whose clients all go to `endpoint`, fail fast and never retry.
pub fn sdk_config(endpoint: &str) -> aws_types::SdkConfig {
    use aws_config::BehaviorVersion;
    use aws_config::retry::RetryConfig;
    use aws_config::timeout::TimeoutConfig;
    aws_types::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(aws_types::region::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .operation_attempt_timeout(Duration::from_secs(3))
                .build(),
        )
        .build()
}

/// An environment with a HOME and the given variables (nothing from the process).
pub fn env(home: &std::path::Path, pairs: &[(&str, &str)]) -> credwiz::base::environment::Environment {
    let mut all: Vec<(String, String)> = vec![
        ("HOME".into(), home.display().to_string()),
        ("PATH".into(), std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into())),
    ];
    all.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    credwiz::base::environment::Environment::from_pairs(all, Some(home.to_path_buf()))
}
