//! Export schema, backup and restore round trips, refusals, and migrations from every older schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::*;
use crate::folder::DataFolder;
use crate::store::{
    CheckAnswer, CheckMark, CriterionRating, FeelingMark, NewTake, RatingInput, RatingKind,
    TakeStatus,
};

fn write_wav(path: &Path, frames: u32, seed: i16) {
    let mut w = hound::WavWriter::create(path, crate::audio::wav::take_spec(16000)).unwrap();
    for i in 0..frames {
        w.write_sample(((i as i32 * 37 + seed as i32) % 2000 - 1000) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

fn rating(take_id: &str, kind: RatingKind) -> RatingInput {
    RatingInput {
        take_id: take_id.into(),
        kind,
        step: 7,
        scores: crate::bank::CRITERIA
            .iter()
            .enumerate()
            .map(|(i, c)| CriterionRating {
                criterion: c.to_string(),
                score: Some((i % 5 + 1) as u8),
                note: format!("note on {c}, with a comma and \"quotes\""),
                checks: vec![
                    CheckMark {
                        index: 0,
                        answer: CheckAnswer::Yes,
                    },
                    CheckMark {
                        index: 2,
                        answer: CheckAnswer::Partly,
                    },
                ],
            })
            .collect(),
        red_flags: vec!["framework".into(), "star_story".into()],
        feelings: vec![
            FeelingMark {
                key: "anxious".into(),
                intensity: 3,
            },
            FeelingMark {
                key: "curious".into(),
                intensity: 4,
            },
        ],
        feelings_note: "tense at first\nthen easier".into(),
        commitment: "Name the tension before answering.".into(),
    }
}

/// A data folder with two answers (one with a follow-up), WAVs, ratings of every kind, markers,
/// metrics, a round, a custom question and a setting.
fn populated(root: &Path) -> (DataDir, Vec<String>) {
    let dir = DataDir::at(root);
    let (takes, _) = DataFolder::open(dir.clone()).unwrap();
    let s = takes.store();
    s.insert_round("round1", 3, 2700).unwrap();
    let ids: Vec<String> = (0..3).map(|_| crate::data_dir::new_take_id()).collect();
    s.insert_recording(&NewTake {
        round_id: Some("round1"),
        ..NewTake::answer(&ids[0], "q-one", 16000)
    })
    .unwrap();
    s.insert_recording(&NewTake {
        parent_id: Some(&ids[0]),
        pushback: Some("What would change your mind?"),
        ..NewTake::answer(&ids[1], "q-one", 16000)
    })
    .unwrap();
    s.insert_recording(&NewTake::answer(&ids[2], "q-two", 16000))
        .unwrap();
    for (i, id) in ids.iter().enumerate() {
        let frames = 8000 + i as u32 * 1600;
        write_wav(&dir.take_file(id).unwrap(), frames, i as i16);
        s.finish(
            id,
            TakeStatus::Complete,
            u64::from(frames),
            Some("Mic"),
            None,
        )
        .unwrap();
        takes.analyze(id).unwrap();
    }
    s.finalize_rating(&rating(&ids[0], RatingKind::Immediate))
        .unwrap();
    s.finalize_rating(&rating(&ids[0], RatingKind::Reviewed))
        .unwrap();
    s.finalize_rating(&rating(&ids[0], RatingKind::Regrade))
        .unwrap();
    s.save_rating_draft(&rating(&ids[2], RatingKind::Reviewed))
        .unwrap();
    s.add_marker(
        &ids[0],
        1.25,
        Some("framework"),
        "reached for a framework, \"again\"",
    )
    .unwrap();
    s.add_marker(&ids[0], 0.5, None, "").unwrap();
    s.add_marker(&ids[2], 0.75, Some("gaps"), "said I don't know")
        .unwrap();
    s.set_setting("sample_rate", "16000").unwrap();
    s.conn()
        .execute(
            "INSERT INTO custom_questions (id, category, reading, prompt, criteria, pushbacks)
             VALUES ('mine-1', 'behavioral', 'r', 'Tell me about a time…', '[]', '[]')",
            [],
        )
        .unwrap();
    s.conn()
        .execute(
            "INSERT INTO hidden_questions (question_id) VALUES ('q-three')",
            [],
        )
        .unwrap();
    (dir, ids)
}

type Dump = BTreeMap<String, Vec<Vec<String>>>;

/// Every row of every table, as text, in rowid order.
fn dump(db: &Path) -> Dump {
    let conn = Connection::open(db).unwrap();
    let mut tables: Vec<String> = conn
        // The full-text index's own tables follow the transcripts table (compared there).
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name NOT LIKE 'transcript_search%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables.sort();
    let mut out = Dump::new();
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY rowid"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        out.insert(t, rows);
    }
    out
}

/// Every file under a folder with its bytes (the byte-for-byte state of a data folder).
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn no_progress() -> impl FnMut(Progress) {
    |_| {}
}

#[test]
fn csv_header_and_json_keys_are_as_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(tmp.path());
    let (takes, _) = DataFolder::open(dir).unwrap();
    let e = export::collect(takes.store()).unwrap();

    // The header exactly as docs/export-schema.md lists it.
    let documented =
        "take_id,question_id,parent_id,recorded_at,duration_s,rating_id,kind,rated_at,\
complexity_score,complexity_note,complexity_checks,gaps_score,gaps_note,gaps_checks,\
second_order_score,second_order_note,second_order_checks,honesty_score,honesty_note,honesty_checks,\
feeling_score,feeling_note,feeling_checks,red_flags,feelings,feelings_note,commitment,markers,transcript,\
rater,rating_note";
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/export-schema.md"
    ))
    .unwrap();
    for col in documented.split(',') {
        assert!(doc.contains(&format!("`{col}`")), "{col} is not documented");
    }
    let csv_text = export::to_csv(&e).unwrap();
    assert_eq!(csv_text.lines().next().unwrap(), documented);

    // Rows: three saved ratings of the first answer, one marker-only row for the third take
    // (its review is only a draft); the follow-up has neither.
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    let col = |name: &str| documented.split(',').position(|c| c == name).unwrap();
    let kinds: Vec<&str> = rows.iter().map(|row| &row[col("kind")]).collect();
    assert_eq!(kinds, ["immediate", "reviewed", "regrade", ""]);
    let first = &rows[1];
    assert_eq!(&first[col("take_id")], ids[0]);
    assert_eq!(&first[col("question_id")], "q-one");
    assert_eq!(&first[col("duration_s")], "0.500");
    assert_eq!(&first[col("complexity_score")], "1");
    assert_eq!(&first[col("feeling_score")], "5");
    assert_eq!(
        &first[col("gaps_note")],
        "note on gaps, with a comma and \"quotes\""
    );
    assert_eq!(&first[col("honesty_checks")], "0=yes;2=partly");
    assert_eq!(&first[col("red_flags")], "framework;star_story");
    assert_eq!(&first[col("feelings")], "anxious=3;curious=4");
    assert_eq!(&first[col("feelings_note")], "tense at first\nthen easier");
    assert_eq!(
        &first[col("commitment")],
        "Name the tension before answering."
    );
    let markers: serde_json::Value = serde_json::from_str(&first[col("markers")]).unwrap();
    assert_eq!(
        markers,
        serde_json::json!([
            {"at_s": 0.5, "tag": null, "note": ""},
            {"at_s": 1.25, "tag": "framework", "note": "reached for a framework, \"again\""}
        ])
    );
    assert_eq!(&rows[3][col("take_id")], ids[2]);
    assert_eq!(&rows[3][col("rating_id")], "");

    // JSON: the documented keys at every level, and the values as stored.
    let json: serde_json::Value = serde_json::from_str(&export::to_json(&e).unwrap()).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&json),
        ["exported_at", "format", "positions", "takes", "version"]
    );
    assert_eq!(json["format"], "candor-ratings");
    assert_eq!(json["version"], 2);
    let take = &json["takes"][0];
    assert_eq!(
        keys(take),
        [
            "duration_s",
            "markers",
            "parent_id",
            "pushback",
            "pushback_choice",
            "question_id",
            "ratings",
            "recorded_at",
            "take_id",
            "transcript"
        ]
    );
    assert!(take["transcript"].is_null());
    let rating = &take["ratings"][1];
    assert_eq!(
        keys(rating),
        [
            "commitment",
            "feelings",
            "feelings_note",
            "kind",
            "rated_at",
            "rater",
            "rating_id",
            "rating_note",
            "red_flags",
            "scores"
        ]
    );
    assert_eq!(
        keys(&rating["scores"][0]),
        ["checks", "criterion", "note", "score"]
    );
    assert_eq!(keys(&rating["scores"][0]["checks"][0]), ["answer", "index"]);
    assert_eq!(keys(&rating["feelings"][0]), ["intensity", "key"]);
    assert_eq!(keys(&take["markers"][0]), ["at_s", "note", "tag"]);
    assert_eq!(rating["kind"], "reviewed");
    assert_eq!(rating["scores"][3]["criterion"], "honesty");
    assert_eq!(rating["scores"][3]["score"], 4);
    assert_eq!(rating["scores"][3]["checks"][1]["answer"], "partly");
    assert_eq!(take["markers"][1]["at_s"], 1.25);
    for key in [
        "take_id",
        "question_id",
        "parent_id",
        "recorded_at",
        "duration_s",
        "ratings",
        "markers",
        "rating_id",
        "kind",
        "rated_at",
        "scores",
        "criterion",
        "score",
        "note",
        "checks",
        "index",
        "answer",
        "red_flags",
        "feelings",
        "key",
        "intensity",
        "feelings_note",
        "commitment",
        "at_s",
        "tag",
        "exported_at",
        "rater",
        "rating_note",
    ] {
        assert!(doc.contains(&format!("`{key}`")), "{key} is not documented");
    }
}

#[test]
fn backup_then_wipe_then_restore_gives_identical_rows_and_audio() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(&tmp.path().join("data"));
    let before_rows = {
        let (takes, _) = DataFolder::open(dir.clone()).unwrap();
        // Backed up while the database is open, as in the running app.
        let archive = tmp.path().join("b.candorbackup");
        let mut updates = Vec::new();
        let summary = create(&dir, &archive, &mut |p| updates.push(p)).unwrap();
        assert_eq!(summary.recordings, 3);
        let last = updates.last().unwrap();
        assert_eq!(last.done, last.total);
        assert!(updates.windows(2).all(|w| w[0].done <= w[1].done));
        // Never over an existing file.
        assert_eq!(
            create(&dir, &archive, &mut no_progress())
                .unwrap_err()
                .code(),
            "InvalidInput"
        );
        drop(takes);
        dump(&dir.database())
    };
    let wavs: Vec<Vec<u8>> = ids
        .iter()
        .map(|id| std::fs::read(dir.take_file(id).unwrap()).unwrap())
        .collect();

    // Wipe: change rows, delete audio, add a take that is not in the backup.
    let (mut takes, _) = DataFolder::open(dir.clone()).unwrap();
    crate::recordings::delete_audio(&takes, &ids[0]).unwrap();
    takes.discard(&ids[2]).unwrap();
    takes.store().set_setting("sample_rate", "48000").unwrap();
    assert!(crate::recordings::usage(&takes, 0, 50)
        .unwrap()
        .takes
        .iter()
        .any(|t| t.audio_deleted));

    let mut updates: Vec<Progress> = Vec::new();
    let summary = takes
        .restore(&tmp.path().join("b.candorbackup"), &mut |p| updates.push(p))
        .unwrap();
    let last = updates.last().unwrap();
    assert!(last.total > 0 && last.done == last.total);
    assert!(updates.windows(2).all(|w| w[0].done <= w[1].done));
    assert!(updates[..updates.len() - 1]
        .iter()
        .all(|p| p.done < p.total));
    assert_eq!(summary.recordings, 3);
    // The reopened store sees the restored data at once.
    assert_eq!(takes.list().unwrap().len(), 3);
    assert_eq!(
        takes.store().setting("sample_rate").unwrap().as_deref(),
        Some("16000")
    );
    drop(takes);
    assert_eq!(dump(&dir.database()), before_rows);
    for (id, bytes) in ids.iter().zip(&wavs) {
        assert_eq!(&std::fs::read(dir.take_file(id).unwrap()).unwrap(), bytes);
    }
    // No staging or old folders are left behind.
    let left: Vec<String> = std::fs::read_dir(dir.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && !crate::data_dir::lock::is_lock_bookkeeping(n))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The entries of a tar archive, in order.
fn entries(archive: &Path) -> Vec<(String, Vec<u8>)> {
    let mut a = tar::Archive::new(std::fs::File::open(archive).unwrap());
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

fn write_tar(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut b = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, bytes.as_slice()).unwrap();
    }
    b.finish().unwrap();
}

fn with_manifest(
    entries: &[(String, Vec<u8>)],
    edit: impl Fn(&mut serde_json::Value),
) -> Vec<(String, Vec<u8>)> {
    entries
        .iter()
        .map(|(n, b)| {
            if n == "manifest.json" {
                let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
                edit(&mut v);
                (n.clone(), serde_json::to_vec(&v).unwrap())
            } else {
                (n.clone(), b.clone())
            }
        })
        .collect()
}

#[test]
fn damaged_or_newer_archives_are_refused_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = populated(&tmp.path().join("data"));
    let good = tmp.path().join("good.candorbackup");
    create(&dir, &good, &mut no_progress()).unwrap();
    let original = entries(&good);
    let bytes = std::fs::read(&good).unwrap();

    let mut cases: Vec<(&str, PathBuf, &str)> = Vec::new();
    let mut case = |name: &'static str, code: &'static str, write: &dyn Fn(&Path)| {
        let p = tmp.path().join(format!("{name}.candorbackup"));
        write(&p);
        cases.push((name, p, code));
    };
    case("flipped-wav-byte", "BadBackup", &|p| {
        let mut a = tar::Archive::new(std::fs::File::open(&good).unwrap());
        let offset = a
            .entries()
            .unwrap()
            .map(|e| e.unwrap())
            .find(|e| e.path().unwrap().to_string_lossy().ends_with(".wav"))
            .unwrap()
            .raw_file_position();
        let mut b = bytes.clone();
        b[offset as usize + 100] ^= 0x40;
        std::fs::write(p, b).unwrap();
    });
    case("truncated", "BadBackup", &|p| {
        std::fs::write(p, &bytes[..bytes.len() / 2]).unwrap()
    });
    case("truncated-at-a-block", "BadBackup", &|p| {
        std::fs::write(p, &bytes[..(bytes.len() / 2) / 512 * 512]).unwrap()
    });
    case("empty", "BadBackup", &|p| std::fs::write(p, b"").unwrap());
    case("not-an-archive", "BadBackup", &|p| {
        std::fs::write(p, b"hello, this is not a backup").unwrap()
    });
    case("bad-manifest-json", "BadBackup", &|p| {
        let e: Vec<_> = original
            .iter()
            .map(|(n, b)| {
                (
                    n.clone(),
                    if n == "manifest.json" {
                        b"{\"format_version\": 1, ".to_vec()
                    } else {
                        b.clone()
                    },
                )
            })
            .collect();
        write_tar(p, &e);
    });
    case("missing-file", "BadBackup", &|p| {
        let e: Vec<_> = original
            .iter()
            .filter(|(n, _)| !n.ends_with(".wav"))
            .cloned()
            .collect();
        write_tar(p, &e);
    });
    case("no-manifest", "BadBackup", &|p| {
        let e: Vec<_> = original
            .iter()
            .filter(|(n, _)| n != "manifest.json")
            .cloned()
            .collect();
        write_tar(p, &e);
    });
    case("unlisted-file", "BadBackup", &|p| {
        let mut e = original.clone();
        e.insert(
            0,
            (
                format!("recordings/{}.wav", "f".repeat(32)),
                b"RIFF".to_vec(),
            ),
        );
        write_tar(p, &e);
    });
    case("escaping-path", "BadBackup", &|p| {
        let mut e = original.clone();
        e.insert(0, ("../evil.txt".into(), b"x".to_vec()));
        // tar refuses to write '..' paths; patch a harmless name into one afterwards.
        e[0].0 = "xx/evil.txt".into();
        write_tar(p, &e);
        let mut b = std::fs::read(p).unwrap();
        b[..2].copy_from_slice(b"..");
        // The header checksum no longer matches: refused either way.
        std::fs::write(p, b).unwrap();
    });
    case("newer-format", "NewerBackup", &|p| {
        write_tar(
            p,
            &with_manifest(&original, |m| m["format_version"] = 2.into()),
        )
    });
    case("newer-schema", "NewerBackup", &|p| {
        write_tar(
            p,
            &with_manifest(&original, |m| m["schema_version"] = 999.into()),
        )
    });

    let (mut takes, _) = DataFolder::open(dir.clone()).unwrap();
    let before = files(dir.root());
    for (name, path, code) in &cases {
        let e = takes.restore(path, &mut no_progress()).unwrap_err();
        assert_eq!(e.code(), *code, "{name}: {e}");
        assert!(
            e.to_string().contains("Nothing was changed")
                || e.to_string().contains("nothing was changed"),
            "{name}: {e}"
        );
        assert_eq!(files(dir.root()), before, "{name} changed the data folder");
    }
    // The app's store still works after the refusals, and the good backup still restores.
    assert_eq!(takes.list().unwrap().len(), 3);
    takes.restore(&good, &mut no_progress()).unwrap();
}

#[test]
fn restore_is_refused_while_recording_data_is_missing_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut takes, _) = DataFolder::open(DataDir::at(tmp.path())).unwrap();
    let e = takes
        .restore(&tmp.path().join("nope.candorbackup"), &mut no_progress())
        .unwrap_err();
    assert_eq!(e.code(), "NotFound");
}

#[test]
fn deleting_audio_keeps_ratings_markers_and_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(tmp.path());
    let (takes, _) = DataFolder::open(dir).unwrap();
    let before = crate::recordings::usage(&takes, 0, 50).unwrap();
    assert_eq!(before.takes.len(), 3);
    assert!(before.takes.iter().all(|t| t.bytes > 0 && !t.audio_deleted));
    assert_eq!(
        before.total_bytes,
        before.takes.iter().map(|t| t.bytes).sum::<u64>()
    );
    // A page holds its part of the list; the totals are still the whole folder's.
    let second = crate::recordings::usage(&takes, 1, 1).unwrap();
    assert_eq!((second.count, second.total_bytes), (3, before.total_bytes));
    assert_eq!(second.takes, before.takes[1..2]);
    let freed = crate::recordings::delete_audio(&takes, &ids[0]).unwrap();
    assert!(freed > 0);
    let after = crate::recordings::usage(&takes, 0, 50).unwrap();
    assert_eq!(after.total_bytes, before.total_bytes - freed);
    let t = after.takes.iter().find(|t| t.take.id == ids[0]).unwrap();
    assert!(t.audio_deleted);
    assert_eq!(takes.store().ratings_of_take(&ids[0]).unwrap().len(), 3);
    assert_eq!(takes.store().markers(&ids[0]).unwrap().len(), 2);
    assert!(takes.store().metrics(&ids[0]).unwrap().is_some());
    let (m, _drawn) = takes.review_metrics(&ids[0]).unwrap();
    assert!(m.peaks.is_empty() && m.duration_s > 0.0);
    assert_eq!(takes.audio(&ids[0]).unwrap_err().code(), "NotFound");
    assert_eq!(
        crate::recordings::delete_audio(&takes, "nope")
            .unwrap_err()
            .code(),
        "NotFound"
    );
}

/// Representative rows for each table Candor has had, inserted with the columns the table had
/// when it was created (later migrations only add columns).
const SEED: &[(&str, &str)] = &[
    ("takes", "INSERT INTO takes (id, question_id, parent_id, kind, pushback, status, started_at, ended_at, sample_rate, frames, device_name, error)
        VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'q1', NULL, 'answer', NULL, 'complete', '2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z', 16000, 960000, 'Mic', NULL),
               ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'q1', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'followup', 'Why?', 'interrupted', '2026-01-01T10:02:00.000Z', NULL, 48000, 10, NULL, 'unplugged')"),
    ("settings", "INSERT INTO settings (key, value) VALUES ('sample_rate', '16000'), ('device', 'alsa:default')"),
    ("custom_questions", "INSERT INTO custom_questions (id, category, reading, prompt, criteria, pushbacks) VALUES ('mine', 'behavioral', 'r', 'p', '[\"gaps\"]', '[\"Why?\"]')"),
    ("hidden_questions", "INSERT INTO hidden_questions (question_id) VALUES ('q9')"),
    ("rounds", "INSERT INTO rounds (id, planned_questions, length_s) VALUES ('r1', 4, 2700)"),
    ("reviews", "INSERT INTO reviews (take_id, status) VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'done')"),
    ("take_metrics", "INSERT INTO take_metrics (take_id, metrics) VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '{\"duration_s\": 60}')"),
    ("ratings", "INSERT INTO ratings (id, take_id, kind, status, step, feelings_note, commitment, saved_at) VALUES ('rt1', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'reviewed', 'saved', 7, 'tense', 'slow down', '2026-01-02T00:00:00Z')"),
    ("rating_scores", "INSERT INTO rating_scores (rating_id, criterion, score, note) VALUES ('rt1', 'gaps', 4, 'ok'), ('rt1', 'honesty', NULL, '')"),
    ("rating_checks", "INSERT INTO rating_checks (rating_id, criterion, check_index, answer) VALUES ('rt1', 'gaps', 1, 'partly')"),
    ("rating_flags", "INSERT INTO rating_flags (rating_id, flag) VALUES ('rt1', 'framework')"),
    ("rating_feelings", "INSERT INTO rating_feelings (rating_id, feeling, intensity) VALUES ('rt1', 'anxious', 2)"),
    ("markers", "INSERT INTO markers (id, take_id, at_s, tag, note) VALUES ('m1', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 12.5, 'gaps', 'here')"),
];

fn tables_and_columns(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let names: Vec<String> = conn
        // The full-text index's own tables follow the transcripts table (compared there).
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name NOT LIKE 'transcript_search%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    names
        .into_iter()
        .map(|t| {
            let cols: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            (t, cols)
        })
        .collect()
}

fn rows_of(conn: &Connection, table: &str, cols: &[String]) -> Vec<Vec<String>> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM {table} ORDER BY rowid",
            cols.join(", ")
        ))
        .unwrap();
    stmt.query_map([], |r| {
        (0..cols.len())
            .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
            .collect::<rusqlite::Result<Vec<String>>>()
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn every_earlier_schema_migrates_to_the_latest_keeping_its_rows() {
    let latest = crate::store::schema_version() as usize;
    assert!(latest >= 4);
    for version in 1..latest {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("candor.db");
        let before = {
            let mut conn = Connection::open(&path).unwrap();
            crate::store::migrate_to(&mut conn, version).unwrap();
            let tables = tables_and_columns(&conn);
            let mut seeded = 0;
            for (table, sql) in SEED {
                if tables.contains_key(*table) {
                    conn.execute_batch(sql)
                        .unwrap_or_else(|e| panic!("v{version} {table}: {e}"));
                    seeded += 1;
                }
            }
            assert!(seeded >= 2, "v{version}");
            tables
                .iter()
                .map(|(t, cols)| (t.clone(), (cols.clone(), rows_of(&conn, t, cols))))
                .collect::<BTreeMap<_, _>>()
        };
        let store = crate::store::Store::open(&path).unwrap();
        let now: i64 = store
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(now as usize, latest, "from v{version}");
        for (table, (cols, rows)) in &before {
            assert!(
                !rows.is_empty() || !SEED.iter().any(|(t, _)| t == table),
                "v{version} {table}"
            );
            assert_eq!(
                &rows_of(store.conn(), table, cols),
                rows,
                "v{version} {table}"
            );
        }
        // The data is usable through the store, too, and the progress facts were filled in.
        assert_eq!(store.list_takes().unwrap().len(), 2);
        assert_eq!(
            crate::store::stale_progress_facts(store.conn()),
            0,
            "v{version}"
        );
        if version >= 4 {
            let week: Option<String> = store
                .conn()
                .query_row(
                    "SELECT week FROM rating_scores WHERE rating_id = 'rt1' AND criterion = 'gaps'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(week.as_deref(), Some("2025-12-29"), "v{version}");
        }
    }
}

#[test]
fn backups_in_a_folder_are_found_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    for n in [
        "candor-backup-2026-01-01.candorbackup",
        "candor-backup-2026-02-01.candorbackup",
        "notes.txt",
        ".x.candorbackup.part",
    ] {
        std::fs::write(tmp.path().join(n), b"x").unwrap();
    }
    assert_eq!(
        find_backups(tmp.path()),
        [
            "candor-backup-2026-02-01.candorbackup",
            "candor-backup-2026-01-01.candorbackup"
        ]
    );
    assert!(find_backups(&tmp.path().join("missing")).is_empty());
    assert!(default_file_name().starts_with("candor-backup-"));
    assert!(default_file_name().ends_with(".candorbackup"));
}

#[test]
fn a_restore_interrupted_by_a_crash_is_undone_or_finished_at_the_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(tmp.path());
    let before = files(dir.root());
    let root = dir.root();

    // Crash after moving the live data aside, before the backup's data came in.
    let old = root.join(".restore-old-1");
    std::fs::create_dir(&old).unwrap();
    for name in ["candor.db", "recordings"] {
        std::fs::rename(root.join(name), old.join(name)).unwrap();
    }
    std::fs::write(old.join("moved-out"), b"").unwrap();
    std::fs::create_dir(root.join("recordings")).unwrap();
    std::fs::write(
        root.join("recordings")
            .join(format!("{}.wav", "e".repeat(32))),
        b"new",
    )
    .unwrap();
    let (takes, _) = DataFolder::open(dir.clone()).unwrap();
    assert_eq!(takes.list().unwrap().len(), 3);
    drop(takes);
    let after: Vec<PathBuf> = files(root).into_keys().collect();
    let wanted: Vec<PathBuf> = before.keys().cloned().collect();
    assert!(wanted.iter().all(|p| after.contains(p)), "{after:?}");
    assert!(!root.join(".restore-old-1").exists());
    assert!(!dir.take_file(&"e".repeat(32)).unwrap().exists());

    // Crash after the swap completed, before the old data was removed: the old data goes.
    let old = root.join(".restore-old-2");
    std::fs::create_dir(&old).unwrap();
    std::fs::write(old.join("candor.db"), b"old").unwrap();
    std::fs::write(old.join("swapped"), b"").unwrap();
    let (takes, _) = DataFolder::open(dir.clone()).unwrap();
    assert_eq!(takes.list().unwrap().len(), 3);
    assert!(!old.exists());
    assert!(dir.take_file(&ids[0]).unwrap().exists());
}

#[test]
fn a_restore_into_a_folder_a_crash_left_half_swapped_keeps_what_it_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, src_ids) = populated(&tmp.path().join("src"));
    let archive = tmp.path().join("b.candorbackup");
    create(&src, &archive, &mut no_progress()).unwrap();
    let (dir, live_ids) = populated(&tmp.path().join("data"));
    // A crash after the live data was moved aside, before the backup's came in: the folder
    // holds no database, and a window that found it so restores without opening it.
    let root = dir.root();
    let old = root.join(".restore-old-1");
    std::fs::create_dir(&old).unwrap();
    for name in ["candor.db", "recordings"] {
        std::fs::rename(root.join(name), old.join(name)).unwrap();
    }
    std::fs::write(old.join("moved-out"), b"").unwrap();

    restore_unopened(&dir, &archive, &mut no_progress()).unwrap();
    // The next open finds nothing to undo: the restored data stays.
    let (takes, _) = DataFolder::open(dir.clone()).unwrap();
    let mut got: Vec<String> = takes.list().unwrap().into_iter().map(|t| t.id).collect();
    got.sort();
    let mut want = src_ids.clone();
    want.sort();
    assert_eq!(
        got, want,
        "not the backup's takes (the live ones were {live_ids:?})"
    );
    assert!(dir.take_file(&src_ids[0]).unwrap().exists());
    assert!(!old.exists());
}

#[test]
fn a_damaged_or_newer_database_is_replaced_by_a_restore_without_being_opened() {
    for damage in ["garbage", "newer"] {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, ids) = populated(&tmp.path().join("data"));
        let archive = tmp.path().join("b.candorbackup");
        create(&dir, &archive, &mut no_progress()).unwrap();
        let before = dump(&dir.database());
        if damage == "garbage" {
            std::fs::write(dir.database(), vec![0x5a_u8; 8192]).unwrap();
        } else {
            let c = Connection::open(dir.database()).unwrap();
            c.pragma_update(None, "user_version", 999).unwrap();
        }
        // The folder cannot be opened as it is ...
        assert!(DataFolder::open(dir.clone()).is_err(), "{damage}");
        // ... but a restore brings back exactly what the backup holds.
        let mut updates: Vec<Progress> = Vec::new();
        let summary = restore_unopened(&dir, &archive, &mut |p| updates.push(p)).unwrap();
        assert_eq!(summary.recordings, 3);
        let last = updates.last().unwrap();
        assert!(last.total > 0 && last.done == last.total);
        let (takes, _) = DataFolder::open(dir.clone()).unwrap();
        assert_eq!(takes.list().unwrap().len(), 3);
        drop(takes);
        assert_eq!(dump(&dir.database()), before, "{damage}");
        assert!(dir.take_file(&ids[0]).unwrap().exists());
    }
}

// ---- Hostile archives, concurrent and killed runs, full disks (the attack review) ----

/// The SHA-256 of bytes in lowercase hex.
fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    archive::hex(&sha2::Sha256::digest(bytes))
}

/// An archive whose manifest agrees with its files exactly (sizes, checksums, schema version):
/// only what the files hold can make a restore refuse it.
fn consistent_archive(path: &Path, db: &[u8], wavs: &[(String, Vec<u8>)], schema_version: i64) {
    let mut entries = vec![("candor.db".to_string(), db.to_vec())];
    for (id, bytes) in wavs {
        entries.push((format!("recordings/{id}.wav"), bytes.clone()));
    }
    let manifest = manifest::Manifest {
        format_version: manifest::FORMAT_VERSION,
        candor_version: "0.1.0".into(),
        schema_version,
        created_at: "2026-11-27T03:00:00Z".into(),
        files: entries
            .iter()
            .map(|(name, bytes)| manifest::FileEntry {
                path: name.clone(),
                size: bytes.len() as u64,
                sha256: sha256(bytes),
            })
            .collect(),
    };
    entries.push((
        "manifest.json".into(),
        manifest::to_bytes(&manifest).unwrap(),
    ));
    write_tar(path, &entries);
}

/// A closed SQLite file made by `sql`, as bytes.
fn sqlite_bytes(tmp: &Path, name: &str, sql: &str) -> Vec<u8> {
    let p = tmp.join(name);
    {
        let c = Connection::open(&p).unwrap();
        c.execute_batch(sql).unwrap();
    }
    std::fs::read(&p).unwrap()
}

/// The database and recordings of a real backup of `populated`, changed by `edit` (plain SQL on
/// the snapshot, foreign keys off), as a consistent archive.
fn edited_backup(
    tmp: &Path,
    name: &str,
    good: &Path,
    sql: &str,
    wavs: impl Fn(Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)>,
) -> PathBuf {
    let entries = entries(good);
    let db_path = tmp.join(format!("{name}.db"));
    std::fs::write(
        &db_path,
        &entries.iter().find(|e| e.0 == "candor.db").unwrap().1,
    )
    .unwrap();
    {
        let c = Connection::open(&db_path).unwrap();
        c.execute_batch(sql).unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE").unwrap();
    }
    let version: i64 = Connection::open(&db_path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let recordings: Vec<(String, Vec<u8>)> = entries
        .iter()
        .filter_map(|(n, b)| {
            let id = n.strip_prefix("recordings/")?.strip_suffix(".wav")?;
            Some((id.to_string(), b.clone()))
        })
        .collect();
    let out = tmp.join(format!("{name}.candorbackup"));
    consistent_archive(
        &out,
        &std::fs::read(&db_path).unwrap(),
        &wavs(recordings),
        version,
    );
    out
}

/// Every restore of `archives` is refused with `BadBackup` and leaves the folder byte for byte.
fn refused_unchanged(takes: &mut DataFolder, dir: &DataDir, archives: &[(PathBuf, &str)]) {
    let before = files(dir.root());
    for (archive, why) in archives {
        let e = takes.restore(archive, &mut no_progress()).unwrap_err();
        assert_eq!(e.code(), "BadBackup", "{}: {e}", archive.display());
        assert!(e.to_string().contains(why), "{}: {e}", archive.display());
        assert!(e.to_string().contains("Nothing was changed"), "{e}");
        assert_eq!(
            files(dir.root()),
            before,
            "{} changed the data folder",
            archive.display()
        );
    }
    assert_eq!(takes.list().unwrap().len(), 3);
}

#[test]
fn a_backup_whose_database_is_not_candors_is_refused_before_anything_is_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = populated(&tmp.path().join("data"));
    let good = tmp.path().join("good.candorbackup");
    create(&dir, &good, &mut no_progress()).unwrap();
    let latest = crate::store::schema_version();

    // Valid SQLite at the right schema version, a consistent manifest, but not Candor's tables.
    let foreign = tmp.path().join("foreign.candorbackup");
    let db = sqlite_bytes(
        tmp.path(),
        "foreign.db",
        &format!("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); PRAGMA user_version = {latest};"),
    );
    consistent_archive(&foreign, &db, &[], latest);
    // Candor's tables, but one dropped.
    let no_markers = edited_backup(tmp.path(), "no-markers", &good, "DROP TABLE markers", |w| w);
    // A trigger of someone else's, which would run inside Candor's own writes.
    let trigger = edited_backup(
        tmp.path(),
        "trigger",
        &good,
        "CREATE TRIGGER wipe AFTER INSERT ON takes BEGIN DELETE FROM ratings; END",
        |w| w,
    );
    // A take that points at an answer the database lacks.
    let dangling = edited_backup(
        tmp.path(),
        "dangling",
        &good,
        "PRAGMA foreign_keys = OFF; UPDATE takes SET parent_id = 'ffffffffffffffffffffffffffffffff' WHERE parent_id IS NOT NULL",
        |w| w,
    );
    // A recording shorter than its take says (the archive's checksums agree with it).
    let short = edited_backup(
        tmp.path(),
        "short",
        &good,
        "UPDATE takes SET frames = frames + 1600",
        |w| w,
    );
    // A recording of no take.
    let orphan = edited_backup(tmp.path(), "orphan", &good, "", |mut w| {
        let mut extra = w[0].1.clone();
        extra[50] ^= 1;
        w.push(("c".repeat(32), extra));
        w
    });

    let (mut takes, _) = DataFolder::open(dir.clone()).unwrap();
    refused_unchanged(
        &mut takes,
        &dir,
        &[
            (foreign, "not a Candor database"),
            (no_markers, "not a Candor database"),
            (trigger, "trigger"),
            (dangling, "point at rows it lacks"),
            (short, "frames"),
            (orphan, "of no answer"),
        ],
    );
    // A backup whose takes lost their audio on purpose (deleted by the user) restores as it was.
    let deleted = edited_backup(tmp.path(), "deleted-audio", &good, "", |mut w| {
        w.truncate(1);
        w
    });
    let summary = takes.restore(&deleted, &mut no_progress()).unwrap();
    assert_eq!(summary.recordings, 1);
    let usage = crate::recordings::usage(&takes, 0, 50).unwrap();
    assert_eq!(usage.takes.iter().filter(|t| t.audio_deleted).count(), 2);
    // And the good backup still restores.
    takes.restore(&good, &mut no_progress()).unwrap();
    assert_eq!(takes.list().unwrap().len(), 3);
}

#[test]
fn the_staged_files_are_checked_from_disk_and_must_still_be_there_at_the_swap() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(&tmp.path().join("data"));
    let archive = tmp.path().join("b.candorbackup");
    create(&dir, &archive, &mut no_progress()).unwrap();

    // A staged file changed after it was written (checksummed while writing) is caught.
    let staged = stage(&dir, &archive, &mut no_progress()).unwrap();
    let wav = staged.staging().join(format!("recordings/{}.wav", ids[1]));
    let mut bytes = std::fs::read(&wav).unwrap();
    bytes[60] ^= 0x10;
    std::fs::write(&wav, &bytes).unwrap();
    let e = restore::verify_on_disk(staged.staging(), staged.manifest()).unwrap_err();
    assert!(e.to_string().contains("changed on disk"), "{e}");
    drop(staged);

    // A recording removed from staging after the checks (as the other restore of two at once
    // used to do): the swap refuses rather than leave a take without its recording.
    let before = files(dir.root());
    let staged = stage(&dir, &archive, &mut no_progress()).unwrap();
    std::fs::remove_file(staged.staging().join(format!("recordings/{}.wav", ids[2]))).unwrap();
    let e = staged.swap_in().unwrap_err();
    assert!(e.to_string().contains("changed on disk"), "{e}");
    assert_eq!(files(dir.root()), before);
}

#[test]
fn two_restores_and_two_backups_at_once_never_remove_each_others_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(&tmp.path().join("data"));
    let archive = tmp.path().join("b.candorbackup");
    create(&dir, &archive, &mut no_progress()).unwrap();

    // Two restores staged at once: each keeps its own staging folder, and both swap in whole.
    let first = stage(&dir, &archive, &mut no_progress()).unwrap();
    let second = stage(&dir, &archive, &mut no_progress()).unwrap();
    assert!(first.staging().join("candor.db").exists());
    assert_ne!(first.staging(), second.staging());
    first.swap_in().unwrap();
    second.swap_in().unwrap();
    for id in &ids {
        assert!(
            dir.take_file(id).unwrap().exists(),
            "{id} lost its recording"
        );
    }

    // Two backups at once (threads): both finish, and each archive restores.
    let outs: Vec<PathBuf> = (0..2)
        .map(|i| tmp.path().join(format!("at-once-{i}.candorbackup")))
        .collect();
    for _ in 0..3 {
        for o in &outs {
            let _ = std::fs::remove_file(o);
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = outs
                .iter()
                .map(|o| {
                    let dir = dir.clone();
                    s.spawn(move || create(&dir, o, &mut no_progress()))
                })
                .collect();
            for h in handles {
                let summary = h.join().unwrap().unwrap();
                assert_eq!(summary.recordings, 3);
            }
        });
    }
    // A backup never removes a working folder that is not its own.
    let other = ScratchDir::new(&dir, BACKUP_SCRATCH).unwrap();
    std::fs::write(other.path().join("candor.db"), b"in progress").unwrap();
    create(
        &dir,
        &tmp.path().join("third.candorbackup"),
        &mut no_progress(),
    )
    .unwrap();
    assert!(other.path().join("candor.db").exists());
    let (mut takes, _) = DataFolder::open(dir.clone()).unwrap();
    for o in &outs {
        takes.restore(o, &mut no_progress()).unwrap();
    }
}

#[test]
fn the_leftovers_of_killed_restores_and_backups_are_swept() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = populated(&tmp.path().join("data"));
    let archive = tmp.path().join("b.candorbackup");
    create(&dir, &archive, &mut no_progress()).unwrap();

    // A restore killed after staging: nothing runs its Drop, so its staging folder stays.
    let staged = stage(&dir, &archive, &mut no_progress()).unwrap();
    let staging = staged.staging().to_path_buf();
    std::mem::forget(staged);
    let killed_backup = ScratchDir::new(&dir, BACKUP_SCRATCH).unwrap();
    let backup_scratch = killed_backup.path().to_path_buf();
    std::mem::forget(killed_backup);
    // A restore's old data is not the sweep's: `finish_interrupted_restore` decides about it.
    let old = dir.root().join(".restore-old-1");
    std::fs::create_dir(&old).unwrap();
    let swept = sweep_leftovers(&dir).unwrap();
    assert_eq!(swept.folders, 2);
    assert!(swept.bytes > 0);
    assert!(!staging.exists() && !backup_scratch.exists());
    assert!(old.exists());
    std::fs::remove_dir(&old).unwrap();
    assert_eq!(sweep_leftovers(&dir).unwrap(), Swept::default());
    let (takes, _) = DataFolder::open(dir.clone()).unwrap();
    assert_eq!(takes.list().unwrap().len(), 3);
    drop(takes);

    // A backup killed while writing left a `.part` beside its output: the next backup into that
    // folder removes it, and leaves those of running processes and every other file. Only Linux
    // can tell that a process ended (/proc); elsewhere every `.part` is left.
    #[cfg(target_os = "linux")]
    {
        let downloads = tmp.path().join("Downloads");
        std::fs::create_dir(&downloads).unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let part = |pid: u32| {
            downloads.join(format!(
                ".candor-backup-2026-01-01.candorbackup.candor-{pid}-{}.part",
                "0a".repeat(16)
            ))
        };
        let mut alive = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let kept = [
            part(alive.id()),
            part(std::process::id()),
            downloads.join(".other.part"),
            downloads.join("notes.candor-1-x.part"),
        ];
        std::fs::write(part(dead), b"cut short").unwrap();
        for k in &kept {
            std::fs::write(k, b"x").unwrap();
        }
        create(&dir, &downloads.join("b.candorbackup"), &mut no_progress()).unwrap();
        let _ = alive.kill();
        let _ = alive.wait();
        assert!(!part(dead).exists());
        for k in &kept {
            assert!(k.exists(), "{}", k.display());
        }
    }
}

#[test]
fn a_backup_inside_the_data_folder_is_refused_before_anything_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = populated(&tmp.path().join("data"));
    let outside = tmp.path().join("b.candorbackup");
    create(&dir, &outside, &mut no_progress()).unwrap();
    let inside = dir.recordings().join("b.candorbackup");
    std::fs::copy(&outside, &inside).unwrap();
    // Also when named through a detour, or (on Unix) a link, that leads into the folder.
    let detour = tmp.path().join("data/recordings/../b2.candorbackup");
    std::fs::copy(&outside, &detour).unwrap();
    #[allow(unused_mut)]
    let mut archives = vec![inside.clone(), detour];
    #[cfg(unix)]
    {
        let link = tmp.path().join("link.candorbackup");
        std::os::unix::fs::symlink(&inside, &link).unwrap();
        archives.push(link);
    }

    let (mut takes, _) = DataFolder::open(dir.clone()).unwrap();
    let before = files(dir.root());
    for archive in &archives {
        let e = takes.restore(archive, &mut no_progress()).unwrap_err();
        assert_eq!(e.code(), "InvalidInput", "{e}");
        assert!(e.to_string().contains("inside Candor's data folder"), "{e}");
        assert!(e.to_string().contains("Nothing was changed"), "{e}");
        assert_eq!(files(dir.root()), before);
    }
    let e = restore_unopened(&dir, &inside, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), "InvalidInput", "{e}");
    assert_eq!(files(dir.root()), before);
    takes.restore(&outside, &mut no_progress()).unwrap();
}

#[test]
fn names_and_fields_from_an_archive_are_shown_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = populated(&tmp.path().join("data"));
    let good = tmp.path().join("good.candorbackup");
    create(&dir, &good, &mut no_progress()).unwrap();
    let original = entries(&good);
    let esc = "\u{1b}]0;owned\u{7}\u{1b}[2J";

    let mut cases: Vec<PathBuf> = Vec::new();
    // An entry name with terminal escape sequences.
    let p = tmp.path().join("entry-name.candorbackup");
    let mut e = original.clone();
    e.insert(0, (format!("recordings/{esc}.wav"), b"RIFF".to_vec()));
    write_tar(&p, &e);
    cases.push(p);
    // A manifest naming such a file.
    let p = tmp.path().join("manifest-path.candorbackup");
    write_tar(
        &p,
        &with_manifest(&original, |m| {
            m["files"][0]["path"] = format!("x{esc}").into()
        }),
    );
    cases.push(p);
    // A manifest whose field has the wrong type: the JSON error quotes the value.
    let p = tmp.path().join("manifest-field.candorbackup");
    write_tar(
        &p,
        &with_manifest(&original, |m| m["schema_version"] = esc.into()),
    );
    cases.push(p);
    // A header field (the size) holding escape sequences, checksum made right.
    let p = tmp.path().join("header-field.candorbackup");
    let mut bytes = std::fs::read(&good).unwrap();
    bytes[124..124 + 11].copy_from_slice(&esc.as_bytes()[..11]);
    bytes[148..156].copy_from_slice(b"        ");
    let sum: u32 = bytes[..512].iter().map(|b| u32::from(*b)).sum();
    bytes[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    std::fs::write(&p, &bytes).unwrap();
    cases.push(p);

    let (mut takes, _) = DataFolder::open(dir.clone()).unwrap();
    for archive in &cases {
        let e = takes.restore(archive, &mut no_progress()).unwrap_err();
        let text = e.to_string();
        assert_eq!(e.code(), "BadBackup", "{}: {text}", archive.display());
        assert!(
            !text.chars().any(|c| c.is_control()),
            "{}: {text:?}",
            archive.display()
        );
        assert!(text.contains("\\u{1b}"), "{}: {text:?}", archive.display());
    }
    // What a good archive says of itself is shown escaped too.
    let p = tmp.path().join("created-at.candorbackup");
    write_tar(
        &p,
        &with_manifest(&original, |m| {
            m["created_at"] = format!("2026-01-01{esc}").into()
        }),
    );
    let summary = takes.restore(&p, &mut no_progress()).unwrap();
    assert!(!summary.created_at.chars().any(|c| c.is_control()));
    assert!(summary.created_at.starts_with("2026-01-01\\u{1b}"));
}

/// Breaks the root page of an index of a closed database: `quick_check` fails, while SQLite's
/// online backup still copies it page for page.
fn break_an_index(db: &Path) {
    let (page_size, root): (i64, i64) = {
        let c = Connection::open(db).unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE").unwrap();
        (
            c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap(),
            c.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'takes_by_status'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
        )
    };
    let mut bytes = std::fs::read(db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    bytes[at] = 0x07; // not a b-tree page type
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn a_database_that_fails_its_check_is_not_backed_up() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = populated(&tmp.path().join("data"));
    break_an_index(&dir.database());
    let out = tmp.path().join("b.candorbackup");
    let e = create(&dir, &out, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), "CorruptDatabase", "{e}");
    let text = e.to_string();
    assert!(
        text.contains("damaged") && text.contains(".recover"),
        "{text}"
    );
    assert!(text.contains("no backup was made"), "{text}");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != "data")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let scratch: Vec<_> = std::fs::read_dir(dir.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| {
            let n = n.to_string_lossy();
            n.starts_with('.') && !crate::data_dir::lock::is_lock_bookkeeping(&n)
        })
        .collect();
    assert!(scratch.is_empty(), "{scratch:?}");
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_and_numbers_stay_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(tmp.path());
    let (takes, _) = DataFolder::open(dir).unwrap();
    let s = takes.store();
    let mut r = rating(&ids[2], RatingKind::Reviewed);
    let hostile = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
    ];
    for (i, score) in r.scores.iter_mut().enumerate() {
        score.note = hostile[i].into();
    }
    r.feelings_note = "-1.5".into();
    r.commitment = "=1+1".into();
    s.finalize_rating(&r).unwrap();
    s.add_marker(&ids[2], 2.0, None, "=cmd|' /C calc'!A0")
        .unwrap();
    let e = export::collect(s).unwrap();
    let text = export::to_csv(&e).unwrap();
    let header = export::csv_header();
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|x| x.unwrap()).collect();
    let row = rows
        .iter()
        .find(|row| row[col("take_id")] == ids[2])
        .unwrap();
    for (i, c) in crate::bank::CRITERIA.iter().enumerate() {
        assert_eq!(row[col(&format!("{c}_note"))], format!("'{}", hostile[i]));
        // Scores are numbers: never prefixed.
        assert_eq!(&row[col(&format!("{c}_score"))], &((i % 5 + 1).to_string()));
    }
    assert_eq!(&row[col("feelings_note")], "'-1.5");
    assert_eq!(&row[col("commitment")], "'=1+1");
    assert!(row[col("markers")].starts_with('['));
    assert!(row[col("duration_s")].parse::<f64>().is_ok());
    // No cell of the whole file starts a formula.
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    assert_eq!(export::spreadsheet_safe("plain".into()), "plain");
    assert_eq!(export::spreadsheet_safe(String::new()), "");
    // JSON keeps the exact text.
    let json = export::to_json(&e).unwrap();
    assert!(json.contains("\"commitment\": \"=1+1\""), "{json}");
}

#[test]
fn a_backup_from_every_earlier_schema_passes_the_checks_and_restores() {
    let latest = crate::store::schema_version() as usize;
    for version in 1..=latest {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("old.db");
        {
            let mut conn = Connection::open(&db).unwrap();
            crate::store::migrate_to(&mut conn, version).unwrap();
            let tables = tables_and_columns(&conn);
            for (table, sql) in SEED {
                if tables.contains_key(*table) {
                    conn.execute_batch(sql).unwrap();
                }
            }
        }
        let archive = tmp.path().join("old.candorbackup");
        // Its takes' audio was deleted by the user: no recordings in the backup.
        consistent_archive(&archive, &std::fs::read(&db).unwrap(), &[], version as i64);
        let dir = DataDir::at(tmp.path().join("data"));
        restore_unopened(&dir, &archive, &mut no_progress())
            .unwrap_or_else(|e| panic!("v{version}: {e}"));
        let (takes, _) = DataFolder::open(dir).unwrap();
        assert_eq!(takes.list().unwrap().len(), 2, "v{version}");
    }
}
