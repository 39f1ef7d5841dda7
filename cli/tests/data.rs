//! candor-cli export, backup and restore end to end on a data folder with a rated take.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use candor_core::data_dir::{new_take_id, DataDir};
use candor_core::folder::DataFolder;
use candor_core::store::{NewTake, RatingInput, RatingKind, TakeStatus};

mod common;
use common::cli_in as cli;

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A data folder with one answer: its WAV, a quick score and a marker.
fn populated(root: &Path) -> String {
    let (takes, _) = DataFolder::open(DataDir::at(root)).unwrap();
    let id = new_take_id();
    let s = takes.store();
    s.insert_recording(&NewTake::answer(&id, "q-cli", 16000))
        .unwrap();
    let mut w = hound::WavWriter::create(
        takes.dir().take_file(&id).unwrap(),
        hound::WavSpec {
            channels: 1,
            sample_rate: 16000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        },
    )
    .unwrap();
    for i in 0..16000 {
        w.write_sample(((i * 31) % 3000 - 1500) as i16).unwrap();
    }
    w.finalize().unwrap();
    s.finish(&id, TakeStatus::Complete, 16000, Some("Mic"), None)
        .unwrap();
    s.finalize_rating(&RatingInput {
        take_id: id.clone(),
        kind: RatingKind::Immediate,
        step: 0,
        scores: vec![candor_core::store::CriterionRating {
            criterion: "gaps".into(),
            score: Some(4),
            note: String::new(),
            checks: vec![],
        }],
        red_flags: vec![],
        feelings: vec![],
        feelings_note: String::new(),
        commitment: "Say I don't know sooner.".into(),
    })
    .unwrap();
    s.add_marker(&id, 0.5, Some("gaps"), "here").unwrap();
    id
}

fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn export_writes_csv_and_json_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let id = populated(&data);

    let csv = ok(cli(&data, &["export", "--csv"]));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("take_id,question_id,parent_id,recorded_at,duration_s,rating_id,kind,rated_at,complexity_score"));
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with(&format!("{id},q-cli,,")));
    assert!(lines[1].contains(",immediate,"));
    assert!(lines[1].contains("Say I don't know sooner."));

    let out = tmp.path().join("ratings.json");
    ok(cli(
        &data,
        &["export", "--json", "--out", out.to_str().unwrap()],
    ));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["format"], "candor-ratings");
    assert_eq!(v["takes"][0]["take_id"], id.as_str());
    assert_eq!(v["takes"][0]["ratings"][0]["scores"][0]["score"], 4);
    assert_eq!(v["takes"][0]["markers"][0]["note"], "here");

    let again = cli(&data, &["export", "--json", "--out", out.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert!(
        !cli(&data, &["export"]).status.success(),
        "a format is required"
    );
}

#[test]
fn backup_then_restore_brings_back_rows_and_audio_and_a_damaged_copy_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let id = populated(&data);
    let wav = DataDir::at(&data).take_file(&id).unwrap();
    let wav_bytes = std::fs::read(&wav).unwrap();
    let csv_before = ok(cli(&data, &["export", "--csv"]));

    let archive = tmp.path().join("candor-backup.candorbackup");
    let said = ok(cli(&data, &["backup", archive.to_str().unwrap()]));
    assert!(said.contains("1 recording"), "{said}");
    assert!(!cli(&data, &["backup", archive.to_str().unwrap()])
        .status
        .success());

    // Lose the audio and the rating.
    std::fs::remove_file(&wav).unwrap();
    let conn = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    conn.execute("DELETE FROM ratings", []).unwrap();
    drop(conn);
    assert_eq!(ok(cli(&data, &["export", "--csv"])).lines().count(), 2);

    let said = ok(cli(&data, &["restore", archive.to_str().unwrap()]));
    assert!(said.contains("1 recording"), "{said}");
    assert_eq!(std::fs::read(&wav).unwrap(), wav_bytes);
    let csv_after = ok(cli(&data, &["export", "--csv"]));
    assert_eq!(csv_after, csv_before);

    // A truncated copy is refused with a clear message, and nothing changes.
    let bytes = std::fs::read(&archive).unwrap();
    let cut = tmp.path().join("cut.candorbackup");
    std::fs::write(&cut, &bytes[..bytes.len() - 2000]).unwrap();
    let before = files(&data);
    let refused = cli(&data, &["restore", cut.to_str().unwrap()]);
    assert!(!refused.status.success());
    let msg = String::from_utf8_lossy(&refused.stderr);
    assert!(
        msg.contains("This backup cannot be restored") && msg.contains("Nothing was changed"),
        "{msg}"
    );
    assert_eq!(files(&data), before);
}
