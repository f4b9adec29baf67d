//! Differential tests against the real AWS CLI (the pinned `awscli` in the
//! test virtualenv). Over a corpus of tricky files, `credwiz set` and
//! `aws configure set` must give files that botocore parses to the same
//! profiles, and credwiz must keep every untouched line byte for byte, even
//! where the AWS CLI does not (CRLF files, byte-order marks). In the lab's
//! worlds of SPEC 3e (another partition, version-1 session tokens, tools that
//! disagree, the `sso_session` fix), the CLI must fail and work where
//! credwiz says it does, and use the source credwiz says it uses.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (name, config text, credentials text)
const CORPUS: &[(&str, &str, &str)] = &[
    ("plain", "[default]\nregion = us-east-1\n", "[default]\naws_access_key_id = AKIAOLD\n"),
    (
        "comments-and-spacing",
        "# top\n[default] ; trailing\nregion=us-east-1\n\n;; other\n[profile dev]\n  \noutput   =   json # c\n",
        "# creds\n[dev]\naws_access_key_id=AKIAOLD   \n",
    ),
    (
        "crlf",
        "[default]\r\nregion = us-east-1\r\n\r\n[profile dev]\r\noutput = json\r\n",
        "[dev]\r\naws_access_key_id = AKIAOLD\r\n",
    ),
    ("no-final-newline", "[default]\nregion = us-east-1", "[dev]\naws_access_key_id = AKIAOLD"),
    (
        "sub-properties",
        "[default]\ns3 =\n  max_concurrent_requests = 10\n  max_queue_size = 100\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n",
        "",
    ),
    (
        "duplicate-sections",
        "[profile dev]\nregion = a\n[default]\nregion = b\n[profile dev]\noutput = text\n",
        "[dev]\naws_access_key_id = AKIA1\n[dev]\naws_secret_access_key = S1\n",
    ),
    (
        "sso-and-services",
        "[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:5000\n[profile dev]\nsso_session = corp\n",
        "",
    ),
    ("bom", "\u{feff}[default]\nregion = us-east-1\n", "\u{feff}[dev]\naws_access_key_id = AKIAOLD\n"),
];

/// (profile, key, value)
const EDITS: &[(&str, &str, &str)] = &[
    ("default", "region", "eu-central-1"),
    ("dev", "region", "ap-southeast-2"),
    ("dev", "aws_access_key_id", "AKIANEWKEY0000000000"),
    ("newbie", "output", "yaml"),
    ("newbie", "aws_session_token", "tok/en+=="),
];

/// Parses files with botocore's own parser, in one Python run; `None` where
/// botocore cannot read a file.
fn botocore_parse(python: &Path, paths: &[PathBuf]) -> Vec<Option<serde_json::Value>> {
    let script = "import json,sys\nfrom botocore.configloader import raw_config_parse\nfor p in sys.argv[1:]:\n    try: print(json.dumps(raw_config_parse(p)))\n    except Exception: print('null')";
    let out = Command::new(python).arg("-c").arg(script).args(paths).output().expect("run botocore");
    assert!(out.status.success(), "botocore: {}", String::from_utf8_lossy(&out.stderr));
    let parsed: Vec<Option<serde_json::Value>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).ok().filter(|v| !v.is_null()))
        .collect();
    assert_eq!(parsed.len(), paths.len());
    parsed
}

/// Lines of `before` that are also expected unchanged in `after`: all but the ones the edit names.
fn untouched_lines_kept(before: &str, after: &str, key: &str) -> bool {
    let after_lines: Vec<&str> = after.split_inclusive('\n').collect();
    before
        .split_inclusive('\n')
        .filter(|l| !l.trim_start().to_ascii_lowercase().starts_with(key) && l.ends_with('\n'))
        .all(|l| after_lines.contains(&l))
}

struct Run {
    config: String,
    credentials: String,
    ok: bool,
}

fn run_in(
    dir: &Path,
    config: &str,
    credentials: &str,
    program: &Path,
    args: &[&str],
    extra_env: &[(&str, &str)],
) -> Run {
    let (cfg, crd) = (dir.join("config"), dir.join("credentials"));
    fs::write(&cfg, config).expect("write config");
    if !credentials.is_empty() {
        fs::write(&crd, credentials).expect("write credentials");
    }
    let out = Command::new(program)
        .args(args)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_CONFIG_FILE", &cfg)
        .env("AWS_SHARED_CREDENTIALS_FILE", &crd)
        .envs(extra_env.iter().copied())
        .output()
        .expect("run");
    Run {
        config: fs::read_to_string(&cfg).unwrap_or_default(),
        credentials: fs::read_to_string(&crd).unwrap_or_default(),
        ok: out.status.success(),
    }
}

#[test]
fn credwiz_set_agrees_with_aws_configure_set_and_keeps_every_other_byte() {
    let venv = support::venv();
    let aws = venv.join("bin/aws");
    let python = venv.join("bin/python");
    let credwiz = Path::new(env!("CARGO_BIN_EXE_credwiz"));
    let mut cli_rewrote = Vec::new();
    let mut comparisons = Vec::new();
    let mut dirs = Vec::new();
    for (name, config, credentials) in CORPUS {
        for (profile, key, value) in EDITS {
            let (a, b) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
            let cli = run_in(
                a.path(),
                config,
                credentials,
                &aws,
                &["configure", "set", key, value, "--profile", profile],
                &[],
            );
            let ours = run_in(b.path(), config, credentials, credwiz, &["set", key, value, "--profile", profile], &[]);
            let case = format!("{name}: set {key} in {profile}");
            assert!(ours.ok, "{case}: credwiz refused");
            let is_credential = key.starts_with("aws_");
            let (before, after) =
                if is_credential { (*credentials, &ours.credentials) } else { (*config, &ours.config) };
            assert!(untouched_lines_kept(before, after, key), "{case}: credwiz changed an untouched line:\n{after}");
            assert!(after.contains(&format!("{key} = {value}")) || after.contains(&format!("{key}={value}")), "{case}");
            let other = if is_credential { (&ours.config, *config) } else { (&ours.credentials, *credentials) };
            assert_eq!(other.0, other.1, "{case}: the other file changed");
            if !cli.ok {
                cli_rewrote.push(format!("{case}: aws configure set failed"));
                continue;
            }
            let cli_after = if is_credential { &cli.credentials } else { &cli.config };
            if !untouched_lines_kept(before, cli_after, key) {
                cli_rewrote.push(format!("{case}: aws configure set rewrote untouched lines"));
            }
            for file in ["config", "credentials"] {
                comparisons.push((format!("{case}: {file}"), a.path().join(file), b.path().join(file)));
            }
            dirs.push((a, b));
        }
    }
    let paths: Vec<PathBuf> = comparisons.iter().flat_map(|(_, a, b)| [a.clone(), b.clone()]).collect();
    let parsed = botocore_parse(&python, &paths);
    for ((case, _, _), pair) in comparisons.iter().zip(parsed.chunks(2)) {
        match (&pair[0], &pair[1]) {
            (Some(theirs), Some(mine)) => assert_eq!(mine, theirs, "{case} parses differently"),
            (None, None) => {}
            (theirs, mine) => {
                panic!("{case}: botocore read one result only: cli {theirs:?} credwiz {mine:?}")
            }
        }
    }
    // The pinned AWS CLI rewrites CRLF files and cannot read a BOM: credwiz does better.
    assert!(cli_rewrote.iter().any(|c| c.starts_with("crlf")), "{cli_rewrote:?}");
    assert!(cli_rewrote.iter().any(|c| c.starts_with("bom")), "{cli_rewrote:?}");
    eprintln!("where the AWS CLI lost bytes or failed and credwiz did not:\n  {}", cli_rewrote.join("\n  "));
}

/// SPEC 3e against the AWS CLI, in the lab's worlds (tests/lab_worlds): where
/// credwiz says the keys belong to another partition, or the session token is
/// version 1, the CLI fails in the user's region and works in the region
/// credwiz's fix names.
#[test]
fn the_aws_cli_fails_in_the_users_region_and_works_in_the_one_credwiz_names() {
    // (world, the user's region, the region credwiz names); the user's region is
    // passed to the CLI as --region (the pinned CLI v1 does not read AWS_REGION).
    let cases = [
        ("partition-cn-keys-eu-west-1.toml", "eu-west-1", "cn-north-1"),
        ("partition-aws-keys-gov-region.toml", "us-gov-east-1", "us-east-1"),
        ("partition-gov-keys-env.toml", "eu-central-1", "us-gov-west-1"),
        ("partition-cn-session-us-east-1.toml", "us-east-1", "cn-north-1"),
        ("sts-v1-token-af-south-1.toml", "af-south-1", "us-east-1"),
    ];
    std::thread::scope(|scope| {
        for (name, users, region) in cases {
            scope.spawn(move || {
                let world = support::lab::World::up(&support::lab::world(name));
                let report = world.check(&[]);
                let verdict = report["causes"][0].to_string();
                assert!(verdict.contains(region), "{name}: credwiz names {region}: {report:#}");
                let here = world.cli_caller(&["--region", users]);
                assert!(here.as_ref().is_err_and(|e| e.contains("InvalidClientTokenId")), "{name}: the CLI: {here:?}");
                let there = world.cli_caller(&["--region", region]);
                assert!(there.is_ok(), "{name}: the CLI in {region}: {there:?}");
            });
        }
    });
}

/// Where credwiz warns that the tools disagree, the AWS CLI's caller is the
/// identity of the source credwiz says the CLI picks (credwiz's own identity
/// is the Rust SDK's pick).
#[test]
fn the_aws_cli_uses_the_source_credwiz_says_it_picks() {
    let world = support::lab::World::up(&support::lab::world("tools-disagree-process.toml"));
    let report = world.check(&[]);
    let warning =
        report["warnings"].as_array().and_then(|w| w.iter().find(|w| w["cause"] == "tools-disagree").cloned());
    let said = warning.map(|w| w["summary"].to_string()).unwrap_or_default();
    assert!(said.contains("the AWS CLI v2 and boto3, the Go SDK v2, the JavaScript SDK v3: the static keys"), "{said}");
    assert_eq!(world.cli_caller(&[]).as_deref().map(|a| a.ends_with(":user/alice")), Ok(true), "the static keys' user");
    assert!(
        report["identity"]["arn"].as_str().is_some_and(|a| a.ends_with(":user/bob")),
        "credwiz: the process's user"
    );
    let world = support::lab::World::up(&support::lab::world("tools-disagree-sso.toml"));
    let said = world.check(&[])["warnings"].to_string();
    assert!(said.contains("the AWS CLI v2 and boto3, the Rust SDK (aws-config), the Java SDK v2: SSO"), "{said}");
    let caller = world.cli_caller(&[]);
    assert!(caller.as_deref().is_ok_and(|a| a.contains(":assumed-role/AWSReservedSSO_ReadOnly_")), "{caller:?}");
}

/// The one-key fix of `sso-session-unsupported`, applied to the world's files:
/// the AWS CLI still reads the profile (the values equal the session's), and
/// so does credwiz, which now warns that the Rust SDK refuses it.
#[test]
fn after_the_sso_session_fix_the_aws_cli_and_credwiz_still_read_the_profile() {
    use credwiz::base::environment::Environment;
    use credwiz::diagnose::{Facts, Options, Outcomes, Repair};
    let world = support::lab::World::up(&support::lab::world("sso-session-legacy-tools.toml"));
    let env = Environment::from_pairs(world.env.clone(), Some(world.home()));
    let facts =
        Facts::new(credwiz::diagnose::gather(env).expect("gather"), None, Options::default(), chrono::Utc::now());
    let findings = credwiz::diagnose::judge::all(&facts, &Outcomes::new());
    let fix = findings.iter().find(|f| f.cause.is_some_and(|c| c.id() == "sso-session-unsupported"));
    let Some(Repair::SetValues { section, values, .. }) = fix.and_then(|f| f.repair.clone()) else {
        panic!("no one-key fix: {findings:#?}")
    };
    let path = world.home().join(".aws/config");
    let mut config = credwiz::profile::Document::parse(&fs::read_to_string(&path).expect("config"));
    for (key, value) in &values {
        config.set(&section, key, value);
    }
    fs::write(&path, config.render()).expect("write the fixed config");
    let caller = world.cli_caller(&[]);
    assert!(caller.as_deref().is_ok_and(|a| a.contains(":assumed-role/AWSReservedSSO_Admin_")), "{caller:?}");
    let report = world.check(&[]);
    assert_eq!(support::primary(&report), "", "{report:#}");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("tools-disagree") && !warnings.contains("sso-session-unsupported"), "{warnings}");
}
