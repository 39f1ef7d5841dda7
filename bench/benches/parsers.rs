//! Validating question banks full of problems: the time should grow in proportion to the file
//! (about twice as long for twice the bytes), never with the square of it. Each input holds
//! questions of about 1 kB, each with seven or eight problems (a duplicate id every other one,
//! an unknown category, five unknown criteria, an empty push-back), up to 0.5, 1 and 2 MB.
//! `bench/parsers.sh` runs it and prints the slope; nothing about time is asserted.

// A benchmark is a test harness: a failed set-up should stop it loudly.
#![allow(clippy::expect_used)]
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// A question bank of about `bytes` bytes in which every question has problems.
fn problem_filled(bytes: usize) -> String {
    let mut s = String::from(
        "version = 1\n[[categories]]\nid = \"rsp\"\nname = \"RSP\"\nreading = \"R\"\n",
    );
    let prompt = "x".repeat(900);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "\n[[questions]]\nid = \"q{}\"\ncategory = \"nope\"\nreading = \"R\"\nprompt = \"{prompt}\"\ncriteria = [\"a\", \"b\", \"c\", \"d\", \"e\"]\npushbacks = [\"\"]\n",
            i / 2
        ));
        i += 1;
    }
    s
}

fn validate(c: &mut Criterion) {
    let mut g = c.benchmark_group("bank_validate_problem_filled");
    g.sample_size(10);
    for bytes in [500_000, 1_000_000, 2_000_000] {
        let src = problem_filled(bytes);
        g.throughput(Throughput::Bytes(src.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(bytes), &src, |b, src| {
            b.iter(|| {
                let e = candor_core::bank::parse(src, "bench.toml")
                    .expect_err("every question has problems");
                std::hint::black_box(e)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
