//! The progress queries on a realistic history (three years of daily practice, 10,000 takes):
//! each should have a median under 20 ms. `bench/progress.sh` generates the data folder
//! (`CANDOR_BENCH_DATA`) and prints the medians; without it, one is generated here first.

// A benchmark is a test harness: a failed set-up or query should stop it loudly.
#![allow(clippy::expect_used)]
use candor_core::progress::{self, Period};
use candor_core::store::Store;
use criterion::{criterion_group, criterion_main, Criterion};

fn open_history() -> (Store, Option<tempfile::TempDir>) {
    if let Ok(dir) = std::env::var("CANDOR_BENCH_DATA") {
        let data = candor_core::data_dir::DataDir::at(dir);
        return (
            Store::open(&data.database()).expect("open the bench database"),
            None,
        );
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let data = candor_core::data_dir::DataDir::at(tmp.path());
    data.ensure().expect("the data folder");
    let store = Store::open(&data.database()).expect("a new database");
    let spec = candor_core::sample_history::HistorySpec {
        days: 1095,
        takes: 10_000,
        seed: 1,
        end: chrono::Utc::now(),
        with_audio: false,
    };
    candor_core::sample_history::generate(
        &data,
        &store,
        &candor_core::bank::builtin().expect("the bank").questions,
        &candor_core::rubric::builtin().expect("the rubric"),
        &spec,
    )
    .expect("the generated history");
    (store, Some(tmp))
}

fn queries(c: &mut Criterion) {
    let (store, _keep) = open_history();
    let mut g = c.benchmark_group("progress");
    g.bench_function("criteria_by_week_all_time", |b| {
        b.iter(|| progress::criteria_by_week(&store, Period::AllTime).expect("query"))
    });
    g.bench_function("criteria_by_week_3_months", |b| {
        b.iter(|| progress::criteria_by_week(&store, Period::ThreeMonths).expect("query"))
    });
    g.bench_function("weakest_all_time", |b| {
        b.iter(|| progress::weakest(&store, Period::AllTime).expect("query"))
    });
    g.bench_function("calibration_all_time", |b| {
        b.iter(|| progress::calibration_by_week(&store, Period::AllTime).expect("query"))
    });
    g.bench_function("weakest_4_weeks", |b| {
        b.iter(|| progress::weakest(&store, Period::FourWeeks).expect("query"))
    });
    g.bench_function("calibration_3_months", |b| {
        b.iter(|| progress::calibration_by_week(&store, Period::ThreeMonths).expect("query"))
    });
    g.bench_function("practice_days_all_time", |b| {
        b.iter(|| progress::practice_days(&store, Period::AllTime).expect("query"))
    });
    g.bench_function("history_first_page", |b| {
        b.iter(|| progress::history(&store, 5).expect("query"))
    });
    // "Show more" on the question with the most answers, deep in its history.
    let busiest = progress::history(&store, 0)
        .expect("query")
        .into_iter()
        .max_by_key(|q| q.answers)
        .expect("a question with answers");
    let deep = busiest.answers.saturating_sub(20);
    g.bench_function("history_more_page", |b| {
        b.iter(|| {
            progress::question_history(&store, &busiest.question_id, deep, 20).expect("query")
        })
    });
    g.bench_function("criteria_by_week_4_weeks", |b| {
        b.iter(|| progress::criteria_by_week(&store, Period::FourWeeks).expect("query"))
    });
    g.bench_function("weakest_3_months", |b| {
        b.iter(|| progress::weakest(&store, Period::ThreeMonths).expect("query"))
    });
    // What Home, Review and Practice read: a suggestion, a page of each review list, one
    // question's takes (never every take).
    let questions = candor_core::bank::builtin().expect("the bank").questions;
    g.bench_function("home_suggestion", |b| {
        b.iter(|| candor_core::practice::suggest(&store, &questions).expect("query"))
    });
    g.bench_function("review_queue_page", |b| {
        b.iter(|| store.review_queue_page(0, 50).expect("query"))
    });
    g.bench_function("reviewed_answers_page", |b| {
        b.iter(|| store.reviewed_answers_page(0, 50).expect("query"))
    });
    g.bench_function("question_takes", |b| {
        b.iter(|| store.question_takes(&busiest.question_id).expect("query"))
    });
    // The generated history practises every day up to today: the longest streak there is.
    g.bench_function("home_streak", |b| {
        b.iter(|| progress::current_streak(&store).expect("query"))
    });
    g.bench_function("summary", |b| {
        b.iter(|| progress::summary(&store, chrono::Utc::now()).expect("query"))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = queries
}
criterion_main!(benches);
