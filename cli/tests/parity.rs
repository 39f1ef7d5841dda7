//! The window and the terminal on one data folder: both reach the same use cases, so a take
//! recorded from the terminal is measured as one from the window, `stats` says what Home says,
//! and a restore over a damaged database works from both.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: the ALSA/PulseAudio fake microphones

mod common;

use std::process::Command;

use candor_core::app::Candor;
use candor_core::data_dir::DataDir;
use common::{run_ok, FakeMic, CLI};

#[test]
fn a_take_from_the_terminal_must_answer_a_question_of_the_library() {
    let mic = FakeMic::new();
    let out = mic
        .cli()
        .args(["record", "--seconds", "1", "--question", "cli"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("question 'cli' was not found"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let out = mic
        .cli()
        .args(["record", "--seconds", "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--question"), "{stderr}");
    // Nothing was filed under a question no bank has.
    let app = Candor::open(Ok(DataDir::at(mic.dir.path().join("data"))));
    assert!(app.overview().unwrap().takes == 0);
}

#[test]
fn a_take_from_the_terminal_is_measured_and_counted_as_the_window_counts_it() {
    let mic = FakeMic::new();
    let out = run_ok(
        mic.cli()
            .args(["record", "--seconds", "2", "--question", "cv-which-world"]),
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let out = run_ok(mic.cli().args([
        "record",
        "--seconds",
        "1",
        "--prompt",
        "When were you last wrong in public?",
    ]));
    let custom = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Added your question"), "{stderr}");

    let data = mic.dir.path().join("data");
    let wav = data.join("recordings").join(format!("{id}.wav"));
    // The delivery figures were stored when the take stopped, as the window stores them, and
    // they are what `analyze` measures on the same file.
    let app = Candor::open(Ok(DataDir::at(&data)));
    let review = app.take_review(&id).unwrap();
    let analyzed = run_ok(Command::new(CLI).arg("analyze").arg(&wav).arg("--json"));
    let v: serde_json::Value = serde_json::from_slice(&analyzed.stdout).unwrap();
    assert!((review.metrics.duration_s - 2.0).abs() < 1e-9);
    assert_eq!(v["duration_s"].as_f64().unwrap(), review.metrics.duration_s);
    assert_eq!(
        v["speaking_s"].as_f64().unwrap(),
        review.metrics.speaking_s,
        "stored and measured figures differ"
    );
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    let stored: i64 = db
        .query_row(
            "SELECT count(*) FROM take_metrics WHERE take_id IN (?1, ?2)",
            [&id, &custom],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        stored, 2,
        "every take from the terminal is measured at stop"
    );

    // `stats --json` and Home agree on answers, waiting reviews, due today and the streak.
    let home = app.home().unwrap();
    drop(app);
    let out = run_ok(mic.cli().args(["stats", "--json"]));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["takes"].as_u64().unwrap(), u64::from(home.answers));
    assert_eq!(home.answers, 2);
    assert_eq!(
        s["waiting_for_review"].as_u64().unwrap(),
        u64::from(home.waiting_for_review)
    );
    assert_eq!(s["due_today"].as_u64().unwrap(), u64::from(home.due_today));
    assert_eq!(
        s["streak_days"].as_u64().unwrap(),
        u64::from(home.streak_days)
    );
    assert_eq!(home.streak_days, 1);
}

#[test]
fn the_terminal_restores_over_a_damaged_database_as_the_window_does() {
    let mic = FakeMic::new();
    run_ok(
        mic.cli()
            .args(["record", "--seconds", "1", "--question", "cv-which-world"]),
    );
    let archive = mic.dir.path().join("b.candorbackup");
    run_ok(mic.cli().arg("backup").arg(&archive));
    let db = mic.dir.path().join("data").join("candor.db");
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", db.display()));
    }
    std::fs::write(&db, vec![0x5a; 8192]).unwrap();
    let out = mic.cli().arg("stats").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));

    let out = run_ok(mic.cli().arg("restore").arg(&archive));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 recording"));
    let out = run_ok(mic.cli().args(["stats", "--json"]));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["takes"], 1);
}

#[test]
fn a_restore_waits_for_nobody_it_refuses_while_a_take_is_being_recorded() {
    let mic = FakeMic::new();
    run_ok(
        mic.cli()
            .args(["record", "--seconds", "1", "--question", "cv-which-world"]),
    );
    let archive = mic.dir.path().join("b.candorbackup");
    run_ok(mic.cli().arg("backup").arg(&archive));
    // Another process keeps the folder open, as a recording window or terminal would.
    let holder = Candor::open(Ok(DataDir::at(mic.dir.path().join("data"))));
    assert!(holder.startup().problem.is_none());
    let out = mic.cli().arg("restore").arg(&archive).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("is using this data folder"), "{stderr}");
    assert!(
        stderr.contains(&format!("process {}", std::process::id())),
        "{stderr}"
    );
    drop(holder);
    run_ok(mic.cli().arg("restore").arg(&archive));
}
