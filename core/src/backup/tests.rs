//! Export schema, backup and restore round trips, refusals, and migrations from every older schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::*;
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
    let (takes, _) = Takes::open(dir.clone()).unwrap();
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
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
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
    let (takes, _) = Takes::open(dir).unwrap();
    let e = export::collect(takes.store()).unwrap();

    // The header exactly as docs/export-schema.md lists it.
    let documented =
        "take_id,question_id,parent_id,recorded_at,duration_s,rating_id,kind,rated_at,\
complexity_score,complexity_note,complexity_checks,gaps_score,gaps_note,gaps_checks,\
second_order_score,second_order_note,second_order_checks,honesty_score,honesty_note,honesty_checks,\
feeling_score,feeling_note,feeling_checks,red_flags,feelings,feelings_note,commitment,markers";
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
    assert_eq!(keys(&json), ["exported_at", "format", "takes", "version"]);
    assert_eq!(json["format"], "candor-ratings");
    assert_eq!(json["version"], 1);
    let take = &json["takes"][0];
    assert_eq!(
        keys(take),
        [
            "duration_s",
            "markers",
            "parent_id",
            "question_id",
            "ratings",
            "recorded_at",
            "take_id"
        ]
    );
    let rating = &take["ratings"][1];
    assert_eq!(
        keys(rating),
        [
            "commitment",
            "feelings",
            "feelings_note",
            "kind",
            "rated_at",
            "rating_id",
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
    ] {
        assert!(doc.contains(&format!("`{key}`")), "{key} is not documented");
    }
}

#[test]
fn backup_then_wipe_then_restore_gives_identical_rows_and_audio() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(&tmp.path().join("data"));
    let before_rows = {
        let (takes, _) = Takes::open(dir.clone()).unwrap();
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
    let (mut takes, _) = Takes::open(dir.clone()).unwrap();
    crate::recordings::delete_audio(&takes, &ids[0]).unwrap();
    takes.discard(&ids[2]).unwrap();
    takes.store().set_setting("sample_rate", "48000").unwrap();
    assert!(crate::recordings::usage(&takes, 0, 50)
        .unwrap()
        .takes
        .iter()
        .any(|t| t.audio_deleted));

    let mut updates: Vec<Progress> = Vec::new();
    let summary = restore_into(&mut takes, &tmp.path().join("b.candorbackup"), &mut |p| {
        updates.push(p)
    })
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
        .filter(|n| n.starts_with('.'))
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

    let (mut takes, _) = Takes::open(dir.clone()).unwrap();
    let before = files(dir.root());
    for (name, path, code) in &cases {
        let e = restore_into(&mut takes, path, &mut no_progress()).unwrap_err();
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
    restore_into(&mut takes, &good, &mut no_progress()).unwrap();
}

#[test]
fn restore_is_refused_while_recording_data_is_missing_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut takes, _) = Takes::open(DataDir::at(tmp.path())).unwrap();
    let e = restore_into(
        &mut takes,
        &tmp.path().join("nope.candorbackup"),
        &mut no_progress(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "NotFound");
}

#[test]
fn deleting_audio_keeps_ratings_markers_and_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, ids) = populated(tmp.path());
    let (takes, _) = Takes::open(dir).unwrap();
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
    let m = takes.review_metrics(&ids[0]).unwrap();
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
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
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
    let (takes, _) = Takes::open(dir.clone()).unwrap();
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
    let (takes, _) = Takes::open(dir.clone()).unwrap();
    assert_eq!(takes.list().unwrap().len(), 3);
    assert!(!old.exists());
    assert!(dir.take_file(&ids[0]).unwrap().exists());
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
        assert!(Takes::open(dir.clone()).is_err(), "{damage}");
        // ... but a restore brings back exactly what the backup holds.
        let mut updates: Vec<Progress> = Vec::new();
        let summary = restore_unopened(&dir, &archive, &mut |p| updates.push(p)).unwrap();
        assert_eq!(summary.recordings, 3);
        let last = updates.last().unwrap();
        assert!(last.total > 0 && last.done == last.total);
        let (takes, _) = Takes::open(dir.clone()).unwrap();
        assert_eq!(takes.list().unwrap().len(), 3);
        drop(takes);
        assert_eq!(dump(&dir.database()), before, "{damage}");
        assert!(dir.take_file(&ids[0]).unwrap().exists());
    }
}
