//! Benchmark: the offline pass of `credwiz scan` over 1,000 profiles (goal:
//! under 20 ms): parse both files, build the SDK view, then every profile's
//! credential chain, the lints of its keys, its hops resolved offline (roles
//! and SSO), and the cross-profile findings that need no network (duplicate
//! keys, unusable sections, shared SSO sessions). `scripts/bench_scan.py`
//! runs it beside the live figures.
//!
//! Issue 19 (a scan must grow linearly): the same pass at 1k, 5k and 10k
//! profiles, and what the scan does for each profile besides the network
//! (its facts on the shared view, then its report with no outcomes), at the
//! same sizes: the time per profile must stay flat.

use credwiz::base::environment::Environment;
use credwiz::diagnose::input::common::Common;
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::diagnose::{Facts, Options, Outcomes, conclude};
use credwiz::profile::ProfileFiles;
use credwiz::scan::{Roster, profile_options};
use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

/// 1,000 profiles: keys in either file (some shared, some stale, some
/// quoted), roles on them, SSO profiles on ten sessions; and 50 misnamed sections.
fn files(profiles: usize) -> (String, String) {
    let (mut config, mut credentials) = (String::new(), String::new());
    for i in 0..profiles {
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
    for i in 0..profiles / 20 {
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
    let (config, credentials) = files(1000);
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

/// The offline pass and each profile's facts and report, at 1k, 5k and 10k profiles.
fn scaling(c: &mut Criterion) {
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], Some("/home/u".into()));
    let now = chrono::Utc::now();
    let mut group = c.benchmark_group("scan offline, by profile count");
    group.sample_size(10);
    for profiles in [1_000usize, 5_000, 10_000] {
        let (config, credentials) = files(profiles);
        let files = ProfileFiles::from_texts(&env, Some(&config), Some(&credentials));
        let gathered = Gathered { env: env.clone(), files: files.clone(), side: SideFiles::default() };
        group.throughput(criterion::Throughput::Elements(profiles as u64));
        group.bench_function(format!("roster, {profiles} profiles"), |b| {
            b.iter(|| black_box(Roster::build(black_box(&gathered), None, now).entries.len()))
        });
        let roster = Roster::build(&gathered, None, now);
        assert_eq!(roster.entries.len(), profiles, "every profile gets a line");
        group.bench_function(format!("every profile's facts and report, {profiles} profiles"), |b| {
            b.iter(|| {
                let common = Common::new(files.clone(), SideFiles::default());
                let options = profile_options(&Options::default());
                let mut steps = 0;
                for entry in &roster.entries {
                    let facts = Facts::with_common(env.clone(), &common, entry.flag.as_deref(), options.clone(), now);
                    steps += conclude(&facts, &Outcomes::new(), std::time::Duration::ZERO).steps.len();
                }
                black_box(steps)
            })
        });
    }
    group.finish();
}

/// A `source_profile` chain `c0` (keys) <- `c1` <- ... of `length` profiles.
fn chain_files(length: usize) -> (String, String) {
    let mut config = String::from("[profile c0]\nregion = us-east-1\n\n");
    for i in 1..length {
        let _ = write!(
            config,
            "[profile c{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = c{}\nregion = us-east-1\n\n",
            i - 1
        );
    }
    (config, "[c0]\naws_access_key_id = AKIAZZZZZZZZZZZZ0001\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n".to_string())
}

/// Every profile's facts and report on one long `source_profile` chain
/// (issue 19, item 4): each profile's own chain is as long as its place in
/// it, so this grows with the square of the length unless a chain's hops are
/// bounded.
fn long_chains(c: &mut Criterion) {
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], Some("/home/u".into()));
    let now = chrono::Utc::now();
    let mut group = c.benchmark_group("scan offline, one long chain");
    group.sample_size(10);
    for length in [250usize, 1_000] {
        let (config, credentials) = chain_files(length);
        let files = ProfileFiles::from_texts(&env, Some(&config), Some(&credentials));
        let common = Common::new(files, SideFiles::default());
        let options = profile_options(&Options::default());
        group.bench_function(format!("every profile's facts and report, a {length}-long chain"), |b| {
            b.iter(|| {
                let mut steps = 0;
                for i in 0..length {
                    let name = format!("c{i}");
                    let facts = Facts::with_common(env.clone(), &common, Some(&name), options.clone(), now);
                    steps += conclude(&facts, &Outcomes::new(), std::time::Duration::ZERO).steps.len();
                }
                black_box(steps)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench, scaling, long_chains);
criterion_main!(benches);
