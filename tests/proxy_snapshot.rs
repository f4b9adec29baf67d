//! The SDK's proxy and the network probe's proxy come from the same place: the
//! environment snapshot credwiz diagnoses, never the process environment. A
//! proxy set only in the snapshot must carry the SDK's request and the probe's,
//! and the diagnosis must name it (`proxy-failed`).

use credwiz::base::environment::Environment;
use credwiz::diagnose::{self, Cause, Facts, Options};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A "proxy" on loopback that accepts connections, reads a little and hangs up:
/// it counts who came.
fn closing_proxy() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let mut buf = [0u8; 1024];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            drop(stream);
        }
    });
    (port, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_only_in_the_snapshot_carries_the_sdk_and_the_probe() {
    assert!(std::env::var_os("HTTPS_PROXY").is_none() && std::env::var_os("https_proxy").is_none());
    let (port, seen) = closing_proxy();
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir_all(home.path().join(".aws")).expect("dir");
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n",
    )
    .expect("credentials");
    std::fs::write(home.path().join(".aws/config"), "[default]\nregion = eu-west-1\n").expect("config");
    let proxy = format!("http://127.0.0.1:{port}");
    let env = Environment::from_pairs(
        [
            ("HOME", home.path().to_str().expect("utf-8")),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            // An AWS-shaped host that never resolves here: only the proxy can be reached.
            ("AWS_ENDPOINT_URL", "https://sts.eu-west-1.amazonaws.com.invalid"),
            ("HTTPS_PROXY", proxy.as_str()),
        ],
        Some(home.path().to_path_buf()),
    );
    let gathered = diagnose::gather(env).expect("gather");
    let options = Options { timeout: Duration::from_secs(8), ..Options::default() };
    let facts = Facts::new(gathered, None, options, chrono::Utc::now());
    let diagnosis = diagnose::diagnose(&facts).await;
    let json = serde_json::to_string(&diagnosis.report).expect("json");
    assert!(
        seen.load(Ordering::SeqCst) >= 2,
        "the SDK's request and the probe both go through the snapshot's proxy ({} connections): {json}",
        seen.load(Ordering::SeqCst)
    );
    assert_eq!(diagnosis.report.causes.first().and_then(|c| c.cause), Some(Cause::ProxyFailed), "{json}");
    assert!(json.contains(&format!("127.0.0.1:{port}")), "the proxy is named: {json}");
}
