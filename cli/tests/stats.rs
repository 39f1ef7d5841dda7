//! `candor-cli stats` on a generated history, and gen-history refusing a folder that has takes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

mod common;
use common::cli_in as cli;

#[test]
fn stats_summarises_a_generated_history_as_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &[
            "gen-history",
            "--weeks",
            "6",
            "--takes",
            "80",
            "--seed",
            "5",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = cli(dir.path(), &["stats", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["takes"], 80);
    let reviewed = v["reviewed"].as_u64().unwrap();
    assert!(reviewed > 40 && reviewed < 80, "{reviewed}");
    let crits: Vec<&str> = v["last_four_weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["criterion"].as_str().unwrap())
        .collect();
    assert_eq!(
        crits,
        ["complexity", "gaps", "second_order", "honesty", "feeling"]
    );
    // The generator makes the feelings check the weakest.
    assert_eq!(v["weakest"], "feeling");
    assert!(v["due_today"].as_u64().is_some());
    // The generator practises every day up to today: the streak is every day it wrote.
    let db = rusqlite::Connection::open(dir.path().join("candor.db")).unwrap();
    let days: i64 = db
        .query_row(
            "SELECT count(DISTINCT date(started_at)) FROM takes WHERE parent_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(days > 28, "{days}");
    assert_eq!(v["streak_days"].as_i64(), Some(days));

    let out = cli(dir.path(), &["stats"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Answers: 80 ("), "{text}");
    assert!(text.contains("Weakest: Feeling"), "{text}");
    assert!(text.contains("Due today: "), "{text}");
    assert!(text.contains(&format!("Days in a row: {days}\n")), "{text}");

    // Nothing is mixed into a folder that already has takes.
    let out = cli(dir.path(), &["gen-history", "--takes", "5"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds takes"));
}

#[test]
fn stats_on_an_empty_folder_says_nothing_is_known_yet() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["stats"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Answers: 0 (0 reviewed, 0 waiting for review)"),
        "{text}"
    );
    assert!(text.contains("not known yet"), "{text}");
    assert!(text.contains("Due today: 0 questions"), "{text}");
    assert!(text.contains("Days in a row: 0 ("), "{text}");
}
