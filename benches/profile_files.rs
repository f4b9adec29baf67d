//! Benchmarks: the profile files must cost time linear in their size.
//!
//! - parse + SDK view + render of a 1,000-profile pair of files (goal: under 20 ms);
//! - hostile shapes: 1,500 profiles with 2,000-character names, a 2 MB `region`
//!   line, one section with 20,000 keys (and as many continuation lines);
//! - an edit (`set`) on each of those;
//! - the redaction and sanitizing passes over 1 MB of text.

use credwiz::profile::{Document, SdkView, SectionName};
use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

fn files(profiles: usize) -> (String, String) {
    let (mut config, mut credentials) = (String::new(), String::new());
    for i in 0..profiles {
        let _ = write!(
            config,
            "# team {i}\n[profile p{i}]\nregion = eu-west-{}\noutput = json\nmfa_serial = arn:aws:iam::123456789012:mfa/u{i}\ns3 =\n  max_concurrent_requests = 10\n\n",
            i % 3
        );
        let _ = write!(credentials, "[p{i}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = {:0>40}\n\n", i);
    }
    (config, credentials)
}

/// 1,500 profiles whose names are 2,000 characters long.
fn long_names() -> String {
    let mut config = String::new();
    for i in 0..1500 {
        let _ = write!(config, "[profile {}{i}]\nregion = us-east-1\n\n", "n".repeat(2000));
    }
    config
}

/// A 2 MB `region` value.
fn long_value() -> String {
    format!("[default]\nregion = {}\noutput = json\n", "r".repeat(2 * 1024 * 1024))
}

/// One section with 20,000 keys, each with a continuation line.
fn many_keys() -> String {
    let mut config = String::from("[default]\n");
    for i in 0..20_000 {
        let _ = write!(config, "key{i} = v\n  more\n");
    }
    config
}

fn parse_view_render(config: &str, credentials: &str) -> usize {
    let cfg = Document::parse(config);
    let crd = Document::parse(credentials);
    let view = SdkView::build(Some(&cfg), Some(&crd));
    view.profiles.len() + cfg.render().len() + crd.render().len()
}

fn bench(c: &mut Criterion) {
    let (config, credentials) = files(1000);
    c.bench_function("parse+view+render 1000 profiles", |b| {
        b.iter(|| black_box(parse_view_render(black_box(&config), black_box(&credentials))))
    });
    for (name, text) in [
        ("1500 profiles, 2000-char names", long_names()),
        ("2 MB region line", long_value()),
        ("20000 keys in one section", many_keys()),
    ] {
        c.bench_function(&format!("parse+view+render {name}"), |b| {
            b.iter(|| black_box(parse_view_render(black_box(&text), "")))
        });
        let parsed = Document::parse(&text);
        c.bench_function(&format!("set {name}"), |b| {
            b.iter(|| {
                let mut doc = parsed.clone();
                doc.set(&SectionName::from_header("default"), "region", "eu-west-1");
                doc.set(&SectionName::from_header("profile new"), "region", "eu-west-1");
                black_box(doc.render().len())
            })
        });
    }
}

fn bench_scrub(c: &mut Criterion) {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    for i in 0..200 {
        credwiz::redact::register(&format!("registered-secret-{i:04}-value"));
    }
    credwiz::redact::register(secret);
    let mut text = String::new();
    while text.len() < 1024 * 1024 {
        let _ = writeln!(
            text,
            "<Message>request failed: x-amz-security-token: IQoJb3JpZ2luX2VjE{} {secret} \u{1b}[2J registered-secret-0042-value</Message>",
            "Ab1+/".repeat(40)
        );
    }
    c.bench_function("redact::scrub 1 MB", |b| b.iter(|| black_box(credwiz::redact::scrub(black_box(&text)).len())));
    c.bench_function("sanitize::block 1 MB", |b| {
        b.iter(|| black_box(credwiz::base::sanitize::block(black_box(&text)).len()))
    });
}

criterion_group!(benches, bench, bench_scrub);
criterion_main!(benches);
