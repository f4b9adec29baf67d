//! Benchmark: the redaction layer on a 1 MB text with 1,000 registered
//! secrets (900 secret keys of 40 characters, 100 session tokens of 400),
//! the text holding some of them whole, split by a space, wrapped over two
//! lines and percent-encoded; and the worst case of issue 19, a secret of
//! 60,000 `A` against a megabyte of `A`. Reported as bytes per second.

use credwiz::redact::Redactor;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A deterministic random-looking secret of `len` base64 characters.
fn secret(seed: u64, len: usize) -> String {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            char::from(ALPHABET[usize::try_from(state >> 58).unwrap_or(0)])
        })
        .collect()
}

fn text(secrets: &[String]) -> String {
    let filler = "The security token included in the request is invalid. request-id 4a5b8c3d, ";
    let mut text = String::with_capacity(1 << 20);
    let mut i = 0;
    while text.len() < (1 << 20) {
        text.push_str(filler);
        if i % 40 == 0 {
            let s = &secrets[(i / 40) % secrets.len()];
            match (i / 40) % 4 {
                0 => text.push_str(s),
                1 => text.push_str(&format!("{} {}", &s[..20], &s[20..])),
                2 => text.push_str(&format!("{}\n{}", &s[..20], &s[20..])),
                _ => text.push_str(&s.replace('/', "%2F").replace('+', "%2B")),
            }
        }
        i += 1;
    }
    text
}

fn bench(c: &mut Criterion) {
    let secrets: Vec<String> = (0..1000u64)
        .map(|i| if i % 10 == 0 { format!("IQoJb3JpZ2luX2Vj{}", secret(i, 384)) } else { secret(i, 40) })
        .collect();
    let mut redactor = Redactor::new();
    for s in &secrets {
        redactor.add(s);
    }
    let text = text(&secrets);
    let scrubbed = redactor.scrub(&text);
    assert!(secrets.iter().all(|s| !scrubbed.contains(&s[s.len() - 20..])), "a piece got through");
    let mut group = c.benchmark_group("redact");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("1 MB, 1000 secrets", |b| b.iter(|| black_box(redactor.scrub(black_box(&text)).len())));
    let mut repetitive = Redactor::new();
    repetitive.add(&"A".repeat(60_000));
    let body = "A".repeat(1 << 20);
    group.bench_function("1 MB of A, a secret of 60,000 A", |b| {
        b.iter(|| black_box(repetitive.scrub(black_box(&body)).len()))
    });
    group.bench_function("register 1000 secrets", |b| {
        b.iter(|| {
            let mut r = Redactor::new();
            for s in &secrets {
                r.add(s);
            }
            black_box(r.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
