//! Benchmark: the offline pass of `credwiz scan` over 1,000 profiles (goal:
//! under 20 ms): parse both files, build the SDK view, then every profile's
//! credential chain, the lints of its keys, its hops resolved offline (roles
//! and SSO), and the cross-profile findings that need no network (duplicate
//! keys, unusable sections, shared SSO sessions). `scripts/bench_scan.py`
//! runs it beside the live figures.

use credwiz::base::environment::Environment;
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::profile::ProfileFiles;
use credwiz::scan::Roster;
use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

/// 1,000 profiles: keys in either file (some shared, some stale, some
/// quoted), roles on them, SSO profiles on ten sessions; and 50 misnamed sections.
fn files() -> (String, String) {
    let (mut config, mut credentials) = (String::new(), String::new());
    for i in 0..1000 {
        match i % 10 {
            0..=5 => {
                let secret = if i % 50 == 1 { format!("\"{:0>40}\"", i % 7) } else { format!("{:0>40}", i % 7) };
                let _ = write!(
                    credentials,
                    "[p{i}]\naws_access_key_id = AKIA{:016}\naws_secret_access_key = {secret}\n\n",
                    i % 400
                );
                let _ = write!(config, "[profile p{i}]\nregion = eu-west-{}\noutput = json\n\n", i % 3);
            }
            6 | 7 => {
                let _ = write!(
                    config,
                    "[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = p{}\nregion = us-east-1\n\n",
                    i - 6
                );
            }
            8 => {
                let _ = write!(
                    config,
                    "[profile p{i}]\nsso_session = s{}\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = eu-west-1\n\n",
                    i % 10
                );
            }
            _ => {
                let _ = write!(
                    config,
                    "[profile p{i}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = {:0>40}\n\n",
                    i % 3
                );
            }
        }
    }
    for i in 0..50 {
        let _ = write!(config, "[misnamed{i}]\nregion = us-east-1\n\n");
    }
    for s in 0..10 {
        let _ = write!(
            config,
            "[sso-session s{s}]\nsso_start_url = https://d-{s}.awsapps.com/start\nsso_region = eu-west-1\n\n"
        );
    }
    (config, credentials)
}

fn bench(c: &mut Criterion) {
    let (config, credentials) = files();
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], Some("/home/u".into()));
    let now = chrono::Utc::now();
    let check = {
        let files = ProfileFiles::from_texts(&env, Some(&config), Some(&credentials));
        Roster::build(&Gathered { env: env.clone(), files, side: SideFiles::default() }, None, now)
    };
    assert_eq!(check.entries.len(), 1000, "every profile gets a line");
    assert!(!check.findings.is_empty(), "the world has cross-profile findings");
    c.bench_function("scan offline pass, 1000 profiles (parse, view, chains, lints, findings)", |b| {
        b.iter(|| {
            let files = ProfileFiles::from_texts(&env, Some(black_box(&config)), Some(black_box(&credentials)));
            let gathered = Gathered { env: env.clone(), files, side: SideFiles::default() };
            black_box(Roster::build(&gathered, None, now).entries.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
