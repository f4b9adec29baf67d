//! Benchmark: parse + SDK view + render of a 1,000-profile pair of files
//! (goal: under 20 ms).

use credwiz::profile::{Document, SdkView};
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

fn bench(c: &mut Criterion) {
    let (config, credentials) = files(1000);
    c.bench_function("parse+view+render 1000 profiles", |b| {
        b.iter(|| {
            let cfg = Document::parse(black_box(&config));
            let crd = Document::parse(black_box(&credentials));
            let view = SdkView::build(Some(&cfg), Some(&crd));
            black_box((view.profiles.len(), cfg.render().len(), crd.render().len()))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
