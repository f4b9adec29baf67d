//! The store under hostile conditions, through the real binary: special files
//! (device nodes, FIFOs, sockets, directories, made in the test's own temp dir,
//! never system paths), concurrent appenders, parallel `set`s, failed writes,
//! bounded backups and SIGTERM in the middle of a save.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn credwiz_command(home: &Path, env: &[(&str, &Path)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_credwiz"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CREDWIZ_LOG_DIR", home.join("log"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, path) in env {
        cmd.env(name, path);
    }
    cmd
}

/// Waits for a child; a child still running after `limit` is killed and the test fails (a hang).
fn finish_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!("{what}: still running after {limit:?} (hung); stderr: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn set(home: &Path, env: &[(&str, &Path)], key: &str, value: &str) -> Output {
    let child = credwiz_command(home, env, &["set", key, value]).spawn().expect("spawn credwiz");
    finish_within(child, Duration::from_secs(30), &format!("credwiz set {key}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Files credwiz leaves beside a target: backups and temp files.
fn leftovers(dir: &Path, marker: &str) -> Vec<String> {
    let mut found: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.contains(marker))
        .collect();
    found.sort();
    found
}

fn temp_files(dir: &Path) -> Vec<String> {
    leftovers(dir, ".credwiz-").into_iter().filter(|n| !n.contains("credwiz-backup-")).collect()
}

fn mknod_char(path: &Path) {
    // Major 1, minor 3 is the null device: harmless even if a broken store wrote to it.
    let made = Command::new("mknod").arg(path).args(["c", "1", "3"]).status().expect("mknod");
    assert!(made.success(), "mknod failed (the tests run as root)");
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

#[test]
fn special_files_are_neither_read_nor_replaced() {
    let home = tempfile::tempdir().expect("dir");
    let d = home.path();
    let device = d.join("device");
    mknod_char(&device);
    let fifo = d.join("fifo");
    mkfifo(&fifo);
    let socket = d.join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind socket");
    let directory = d.join("directory");
    fs::create_dir(&directory).expect("mkdir");
    let link_to_device = d.join("link-to-device");
    symlink(&device, &link_to_device).expect("symlink");

    let cases: [(&Path, &str); 5] = [
        (&device, "character device"),
        (&fifo, "FIFO"),
        (&socket, "socket"),
        (&directory, "directory"),
        (&link_to_device, "character device"),
    ];
    for (target, kind) in cases {
        let before = fs::symlink_metadata(target).expect("meta").file_type();
        for (variable, key) in [("AWS_SHARED_CREDENTIALS_FILE", "aws_secret_access_key"), ("AWS_CONFIG_FILE", "region")]
        {
            let out = set(d, &[(variable, target)], key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET12");
            assert_eq!(out.status.code(), Some(2), "{variable}={} must be refused: {}", target.display(), stderr(&out));
            let err = stderr(&out);
            assert!(err.contains(kind) && err.contains("not a regular file"), "{variable}: unclear message: {err}");
            assert!(!err.contains("SECRET1"), "secret echoed: {err}");
            let after = fs::symlink_metadata(target).expect("still there").file_type();
            assert_eq!(format!("{before:?}"), format!("{after:?}"), "{} was replaced", target.display());
        }
    }
    assert!(fs::metadata(&device).expect("meta").file_type().is_char_device());
    assert!(fs::metadata(&fifo).expect("meta").file_type().is_fifo());
    assert!(temp_files(d).is_empty(), "temp files left: {:?}", temp_files(d));
}

#[test]
fn a_fifo_lock_file_is_refused_not_waited_on() {
    let home = tempfile::tempdir().expect("dir");
    let d = home.path();
    let config = d.join("config");
    fs::write(&config, "[default]\nregion = a\n").expect("write");
    mkfifo(&d.join(".config.lock"));
    let out = set(d, &[("AWS_CONFIG_FILE", &config)], "region", "b");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("lock"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&config).expect("read"), "[default]\nregion = a\n");
}

/// Removes the immutable attribute when the test ends, whatever happens.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Self> {
        let ok = Command::new("chattr").arg("+i").arg(path).status().map(|s| s.success()).unwrap_or(false);
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn a_failed_write_leaves_no_backup_and_no_temp_file() {
    let home = tempfile::tempdir().expect("dir");
    let d = home.path();
    let config = d.join("config");
    fs::write(&config, "[default]\nregion = a\n").expect("write");
    let Some(_guard) = Immutable::set(&config) else {
        eprintln!("chattr +i not supported on this file system; the immutable case is not exercised");
        return;
    };
    let out = set(d, &[("AWS_CONFIG_FILE", &config)], "region", "b");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&config).expect("read"), "[default]\nregion = a\n");
    assert!(leftovers(d, "credwiz-backup").is_empty(), "backup of a write that did not happen");
    assert!(temp_files(d).is_empty(), "temp files left: {:?}", temp_files(d));
}

#[test]
fn backups_are_bounded_per_file_and_others_are_kept() {
    let home = tempfile::tempdir().expect("dir");
    let d = home.path();
    let config = d.join("config");
    fs::write(&config, "[default]\nregion = r0\n").expect("write");
    // Not credwiz backups of this file: never touched.
    let foreign = ["other.credwiz-backup-20200101T000000.000Z", "config.credwiz-backup-mine", "config.bak"];
    for name in foreign {
        fs::write(d.join(name), "keep").expect("write");
    }
    for i in 1..=15 {
        let out = set(d, &[("AWS_CONFIG_FILE", &config)], "region", &format!("r{i}"));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let backups: Vec<String> = leftovers(d, "config.credwiz-backup-2");
    assert_eq!(backups.len(), 10, "keeps the newest 10: {backups:?}");
    let newest = backups.last().expect("a backup");
    assert_eq!(fs::read_to_string(d.join(newest)).expect("read"), "[default]\nregion = r14\n");
    let oldest = backups.first().expect("a backup");
    assert_eq!(fs::read_to_string(d.join(oldest)).expect("read"), "[default]\nregion = r5\n");
    for name in foreign {
        assert_eq!(fs::read_to_string(d.join(name)).expect("foreign file kept"), "keep");
    }
    for b in &backups {
        assert_eq!(fs::metadata(d.join(b)).expect("meta").mode() & 0o077, 0, "backup readable by others");
    }
    assert!(temp_files(d).is_empty(), "temp files left: {:?}", temp_files(d));
}

#[test]
fn set_in_a_loop_loses_no_concurrent_append() {
    let home = tempfile::tempdir().expect("dir");
    let d = home.path();
    let config = d.join("config");
    fs::write(&config, "[default]\nregion = r0\n").expect("write");
    let stop = Arc::new(AtomicBool::new(false));
    let appended = Arc::new(AtomicUsize::new(0));
    let appender = {
        let (stop, appended, config) = (Arc::clone(&stop), Arc::clone(&appended), config.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let n = appended.load(Ordering::Relaxed);
                let mut file = fs::OpenOptions::new().append(true).open(&config).expect("open for append");
                file.write_all(format!("# appended {n}\n").as_bytes()).expect("append");
                drop(file);
                appended.store(n + 1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let sets = 60;
    for i in 1..=sets {
        let out = set(d, &[("AWS_CONFIG_FILE", &config)], "region", &format!("r{i}"));
        assert!(out.status.success(), "set {i}: {}", stderr(&out));
    }
    stop.store(true, Ordering::Relaxed);
    appender.join().expect("appender");
    let total = appended.load(Ordering::Relaxed);
    let text = fs::read_to_string(&config).expect("read");
    let missing: Vec<usize> = (0..total).filter(|n| !text.contains(&format!("# appended {n}\n"))).collect();
    assert!(missing.is_empty(), "{} of {total} appended lines lost: {missing:?}", missing.len());
    let region_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("region")).collect();
    assert_eq!(region_lines, [format!("region = r{sets}")], "the last set wins, once");
    assert!(total > 20, "the appender ran ({total} lines)");
    assert!(temp_files(d).is_empty(), "temp files left: {:?}", temp_files(d));
}

#[test]
fn parallel_sets_are_neither_lost_nor_refused() {
    let home = tempfile::tempdir().expect("dir");
    let d = home.path();
    let config = d.join("config");
    fs::write(&config, "[default]\nregion = r0\n").expect("write");
    let count = 60;
    let children: Vec<Child> = (0..count)
        .map(|i| {
            credwiz_command(d, &[("AWS_CONFIG_FILE", &config)], &["set", &format!("profile.p{i}.region"), "eu-west-1"])
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut refused = Vec::new();
    for (i, child) in children.into_iter().enumerate() {
        let out = finish_within(child, Duration::from_secs(60), "parallel set");
        if !out.status.success() {
            refused.push((i, stderr(&out)));
        }
    }
    assert!(refused.is_empty(), "{} of {count} refused: {:?}", refused.len(), refused.first());
    let text = fs::read_to_string(&config).expect("read");
    for i in 0..count {
        assert!(text.contains(&format!("[profile p{i}]\nregion = eu-west-1\n")), "p{i} lost");
    }
    assert!(temp_files(d).is_empty(), "temp files left: {:?}", temp_files(d));
}

#[test]
fn sigterm_during_a_save_leaves_no_temp_file_and_an_intact_target() {
    let home = tempfile::tempdir().expect("dir");
    let d = home.path();
    let credentials = d.join("credentials");
    // A large file of long lines: parsing it is quick, writing and syncing it is
    // not, so most of a save is spent with the temp file on disk.
    let mut original = String::from("[p0]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET1\n");
    while original.len() < 12 * 1024 * 1024 {
        original.push_str(&format!("# {}\n", "x".repeat(64 * 1024)));
    }
    fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(&credentials)
        .and_then(|mut f| f.write_all(original.as_bytes()))
        .expect("write");
    let env = [("AWS_SHARED_CREDENTIALS_FILE", credentials.as_path())];
    let started = Instant::now();
    let out = set(d, &env, "aws_access_key_id", "AKIAIOSFODNN7EXAMPLF");
    assert!(out.status.success(), "{}", stderr(&out));
    let one_save = started.elapsed();
    let runs = 24;
    let mut interrupted = 0;
    let mut current = "AKIAIOSFODNN7EXAMPLF".to_string();
    for run in 0..runs {
        let value = format!("AKIA{run:016}");
        let before = fs::read_to_string(&credentials).expect("read");
        let child = credwiz_command(d, &env, &["set", "aws_access_key_id", &value]).spawn().expect("spawn credwiz set");
        std::thread::sleep(one_save.mul_f64(0.2 + 0.8 * f64::from(run) / f64::from(runs)));
        let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
        let out = finish_within(child, Duration::from_secs(30), "credwiz set after SIGTERM");
        if !out.status.success() {
            interrupted += 1;
        }
        assert!(temp_files(d).is_empty(), "run {run}: temp file left beside the target: {:?}", temp_files(d));
        let after = fs::read_to_string(&credentials).expect("read");
        let updated =
            before.replace(&format!("aws_access_key_id = {current}\n"), &format!("aws_access_key_id = {value}\n"));
        assert!(after == before || after == updated, "run {run}: the target is neither the old nor the new version");
        if after == updated {
            current = value;
        }
    }
    assert!(interrupted > 0, "no run was interrupted: the test did not test anything");
}
