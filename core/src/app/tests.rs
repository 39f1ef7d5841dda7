//! Tests of the use cases: what the window and the terminal both rely on.

use super::*;
use crate::app::recording::TakeRequest;
use crate::store::{NewTake, Store, TakeStatus};

fn open(dir: &std::path::Path) -> Candor {
    Candor::open(Ok(DataDir::at(dir)))
}

/// An answer to `question` as a finished take with a second of tone, written as Candor would.
fn finished_answer(dir: &DataDir, store: &Store, question: &str) -> String {
    let id = crate::data_dir::new_take_id();
    store
        .insert_recording(&NewTake::answer(&id, question, 16_000))
        .unwrap();
    let mut w = hound::WavWriter::create(
        dir.take_file(&id).unwrap(),
        crate::audio::wav::take_spec(16_000),
    )
    .unwrap();
    for i in 0..16_000 {
        w.write_sample(((i % 80) as i16 - 40) * 300).unwrap();
    }
    w.finalize().unwrap();
    store
        .finish(&id, TakeStatus::Complete, 16_000, None, None)
        .unwrap();
    id
}

#[test]
fn a_take_is_refused_for_a_question_not_in_the_library_before_any_device_is_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let e = app
        .start_recording(
            TakeRequest {
                question_id: "cli".into(),
                ..TakeRequest::default()
            },
            None,
        )
        .unwrap_err();
    assert_eq!(e.code(), "NotFound", "{e}");
    let e = app
        .start_recording(
            TakeRequest {
                question_id: "cv-which-world".into(),
                pushback: Some("x".repeat(5_000)),
                ..TakeRequest::default()
            },
            None,
        )
        .unwrap_err();
    assert_eq!(e.code(), "InvalidInput", "{e}");
    assert!(app.folder().unwrap().list().unwrap().is_empty());
}

#[test]
fn a_one_off_question_lands_in_the_library_and_can_be_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let q = app
        .add_one_off_question("What did you get wrong last quarter?", "behavioral")
        .unwrap();
    assert_eq!(app.question(&q.id).unwrap().prompt, q.prompt);
    assert!(!q.pushbacks.is_empty());
    assert!(app
        .library()
        .unwrap()
        .iter()
        .any(|e| e.custom && e.question.id == q.id));
}

#[test]
fn marker_tags_must_be_a_criterion_or_red_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let dir = DataDir::at(tmp.path());
    let id = finished_answer(&dir, app.folder().unwrap().store(), "cv-which-world");
    assert_eq!(
        app.add_marker(&id, 0.5, Some("no-such-tag"), "")
            .unwrap_err()
            .code(),
        "InvalidInput"
    );
    let m = app.add_marker(&id, 0.5, Some("gaps"), "said it").unwrap();
    assert_eq!(app.markers(&id).unwrap(), vec![m]);
}

#[test]
fn imported_file_names_keep_only_their_last_part() {
    assert_eq!(library::display_name("/home/a/b/mine.toml"), "mine.toml");
    assert_eq!(library::display_name("C:\\x\\theirs.toml"), "theirs.toml");
    assert_eq!(library::display_name("a\u{1b}[31m.toml"), "a[31m.toml");
    assert_eq!(library::display_name(""), "import.toml");
}

#[test]
fn home_and_the_overview_agree_and_count_neither_takes_in_progress_nor_hidden_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let dir = DataDir::at(tmp.path());
    {
        let folder = app.folder().unwrap();
        let store = folder.store();
        finished_answer(&dir, store, "cv-which-world");
        finished_answer(&dir, store, "rsp-hardest-trigger");
        // A take still being recorded (in another process, say) is not an answer yet.
        store
            .insert_recording(&NewTake::answer(
                &crate::data_dir::new_take_id(),
                "cv-which-world",
                16_000,
            ))
            .unwrap();
        // Two questions due today, one of them hidden.
        store
            .conn()
            .execute_batch(
                "INSERT INTO question_cards (question_id, due, stability, difficulty, elapsed_days,
                   scheduled_days, reps, lapses, state, last_grade, last_review)
                 VALUES ('cv-which-world', '2000-01-01T00:00:00Z', 1, 5, 0, 0, 1, 0, 'review', 'good', '2000-01-01T00:00:00Z'),
                        ('rsp-hardest-trigger', '2000-01-01T00:00:00Z', 1, 5, 0, 0, 1, 0, 'review', 'good', '2000-01-01T00:00:00Z');",
            )
            .unwrap();
    }
    app.set_question_hidden("rsp-hardest-trigger", true)
        .unwrap();
    let home = app.home().unwrap();
    let o = app.overview().unwrap();
    assert_eq!((home.answers, o.takes), (2, 2));
    assert_eq!((home.waiting_for_review, o.waiting_for_review), (2, 2));
    assert_eq!((home.due_today, o.due_today), (1, 1));
    assert_eq!(home.streak_days, o.streak_days);
}

#[test]
fn delivery_figures_are_stored_when_a_take_stops_so_review_reads_them_back() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let dir = DataDir::at(tmp.path());
    let id = finished_answer(&dir, app.folder().unwrap().store(), "cv-which-world");
    app.folder().unwrap().analyze(&id).unwrap();
    // Review reads back what was stored: with the WAV overwritten by garbage it still opens
    // with the figures and the waveform, so it did not read the file.
    let wav = dir.take_file(&id).unwrap();
    std::fs::write(&wav, b"garbage, not a WAV").unwrap();
    let r = app.take_review(&id).unwrap();
    assert!((r.metrics.duration_s - 1.0).abs() < 1e-9);
    assert_eq!(r.peaks.len(), crate::analysis::DISPLAY_PEAKS.min(100));
    assert!(r.peaks.iter().any(|p| *p > 0));
    assert_eq!(r.question.id, "cv-which-world");
    // With the audio gone, Review still opens from what was stored.
    std::fs::remove_file(&wav).unwrap();
    assert!((app.take_review(&id).unwrap().metrics.duration_s - 1.0).abs() < 1e-9);
}

#[test]
fn restore_is_refused_while_another_process_uses_the_folder_and_nothing_changes() {
    let src = tempfile::tempdir().unwrap();
    let archive = src.path().join("b.candorbackup");
    {
        let app = open(&src.path().join("data"));
        let dir = DataDir::at(src.path().join("data"));
        finished_answer(&dir, app.folder().unwrap().store(), "cv-which-world");
        app.backup_to(&archive, &mut |_| {}).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    // A second open handle takes part as another process would (the lock is per open file).
    let other = open(tmp.path());
    let e = app.restore(&archive, &mut |_| {}).unwrap_err();
    assert_eq!(e.code(), "FolderBusy", "{e}");
    assert!(e.to_string().contains("restore a backup"), "{e}");
    assert!(app.folder().unwrap().list().unwrap().is_empty());
    drop(other);
    let r = app.restore(&archive, &mut |_| {}).unwrap();
    assert_eq!(r.recordings, 1);
    assert_eq!(app.folder().unwrap().list().unwrap().len(), 1);
}

#[test]
fn a_take_another_process_is_recording_is_never_recovered_under_it() {
    let tmp = tempfile::tempdir().unwrap();
    let recorder = open(tmp.path());
    let id = crate::data_dir::new_take_id();
    recorder
        .folder()
        .unwrap()
        .store()
        .insert_recording(&NewTake::answer(&id, "cv-which-world", 16_000))
        .unwrap();
    // Another command opens the folder meanwhile (an export, say): the take is left alone.
    let other = open(tmp.path());
    assert!(other.recovered().is_empty());
    assert_eq!(
        other.folder().unwrap().store().take(&id).unwrap().status,
        TakeStatus::Recording
    );
    // Recovery itself refuses to run while the folder is in use.
    let e = Candor::open_alone(DataDir::at(tmp.path()), "recover unfinished takes")
        .err()
        .unwrap();
    assert_eq!(e.code(), "FolderBusy");
    drop((recorder, other));
    let alone = Candor::open_alone(DataDir::at(tmp.path()), "recover").unwrap();
    assert_eq!(alone.recovered().len(), 1);
}

#[test]
fn restore_works_over_a_database_that_could_not_be_opened() {
    let src = tempfile::tempdir().unwrap();
    let archive = src.path().join("b.candorbackup");
    {
        let app = open(src.path());
        finished_answer(
            &DataDir::at(src.path()),
            app.folder().unwrap().store(),
            "cv-which-world",
        );
        app.backup_to(&archive, &mut |_| {}).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    drop(open(tmp.path()));
    std::fs::write(
        tmp.path().join("candor.db"),
        b"not a database at all, clearly",
    )
    .unwrap();
    let app = open(tmp.path());
    let problem = app.startup().problem.unwrap();
    // Even with the data unusable, the window learns this system's words for a silent microphone.
    assert_eq!(
        app.startup().silence_warning,
        crate::audio::silence_warning(crate::platform::Platform::this())
    );
    assert_eq!(problem.code(), "CorruptDatabase", "{problem}");
    assert_eq!(app.home().unwrap_err().code(), "CorruptDatabase");
    app.restore(&archive, &mut |_| {}).unwrap();
    assert_eq!(app.home().unwrap().answers, 1);
}

#[test]
fn a_position_is_shown_with_its_questions_exported_and_restored_from_a_backup() {
    use crate::store::Position;
    let tmp = tempfile::tempdir().unwrap();
    let app = open(&tmp.path().join("data"));
    let items = app.positions().unwrap();
    assert_eq!(items.len(), 9);
    assert!(items.iter().all(|i| i.position.updated_at.is_empty()));
    let mine = Position {
        category: "rsp".into(),
        view: "  The trigger gives way before the cadence does.  ".into(),
        confidence: Some(65),
        would_change: "Evaluations that caught a capability early, twice.".into(),
        question: "Who decides a threshold was crossed?".into(),
        updated_at: String::new(),
    };
    let saved = app.save_position(&mine).unwrap();
    assert_eq!(saved.view, "The trigger gives way before the cadence does.");
    // Beside a question about that reading item, not beside others.
    let rsp = app
        .bank()
        .unwrap()
        .questions
        .iter()
        .find(|q| q.category == "rsp")
        .unwrap()
        .id
        .clone();
    let other = app
        .bank()
        .unwrap()
        .questions
        .iter()
        .find(|q| q.category == "behavioral")
        .unwrap()
        .id
        .clone();
    assert_eq!(
        app.position_for(&rsp).unwrap().map(|p| p.view),
        Some(saved.view.clone())
    );
    assert_eq!(app.position_for(&other).unwrap(), None);
    // Refused: a category that takes no position, a confidence over 100.
    let e = app
        .save_position(&Position {
            category: "behavioral".into(),
            ..mine.clone()
        })
        .unwrap_err();
    assert_eq!(e.code(), "NotFound", "{e}");
    let e = app
        .save_position(&Position {
            confidence: Some(120),
            ..mine.clone()
        })
        .unwrap_err();
    assert_eq!(e.code(), "InvalidInput", "{e}");

    // In the JSON export.
    let json: serde_json::Value = serde_json::from_str(
        &app.export_text(crate::app::data::ExportFormat::Json)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(json["positions"][0]["category"], "rsp");
    assert_eq!(json["positions"][0]["confidence"], 65);

    // Backed up, changed, restored: the backed-up position is back.
    let archive = tmp.path().join("b.candorbackup");
    app.backup_to(&archive, &mut |_| {}).unwrap();
    app.save_position(&Position {
        view: "Changed my mind.".into(),
        ..mine.clone()
    })
    .unwrap();
    app.restore(&archive, &mut |_| {}).unwrap();
    assert_eq!(
        app.position_for(&rsp).unwrap().map(|p| p.view),
        Some(saved.view)
    );
}

/// The speech model the tests use (scripts/test-model.sh), or `None` (said) when it is not set.
fn test_model() -> Option<std::path::PathBuf> {
    match std::env::var_os("CANDOR_TEST_MODEL") {
        Some(p) => Some(p.into()),
        None if std::env::var_os("CANDOR_REQUIRE_MODEL").is_some() => {
            panic!("CANDOR_TEST_MODEL is not set: run scripts/test-model.sh")
        }
        None => {
            eprintln!("SKIPPED: no CANDOR_TEST_MODEL");
            None
        }
    }
}

#[test]
fn a_model_downloaded_from_a_local_server_is_checked_loaded_and_added_and_a_cut_one_is_not() {
    use crate::transcribe::download::test_server::{serve, Mode};
    use sha1::Digest;
    let Some(model) = test_model() else { return };
    let bytes = std::fs::read(&model).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let hex = |b: &[u8]| -> String {
        sha1::Sha1::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect()
    };
    let mut offered = crate::transcribe::download::catalog().unwrap()[0].clone();
    offered.name = "ggml-served.bin".into();
    offered.sha256 = None;
    let never = std::sync::atomic::AtomicBool::new(false);

    // Its checksum matches but it is cut short: whisper.cpp cannot load it, nothing is added.
    let cut = bytes[..3_000_000].to_vec();
    offered.sha1 = Some(hex(&cut));
    let (url, _) = serve(cut, Mode::Honest);
    let e = app
        .download_model_from(&url, &offered, &mut |_| {}, &never)
        .unwrap_err();
    assert_eq!(e.code(), "BadModel", "{e}");
    assert!(app.models().unwrap().is_empty());
    let models_dir = tmp.path().join("models");
    assert_eq!(
        std::fs::read_dir(&models_dir).unwrap().count(),
        0,
        "no half file kept"
    );

    // The real model, interrupted once: it goes on, loads, and is added under its name.
    offered.sha1 = Some(hex(&bytes));
    let (url, _) = serve(bytes.clone(), Mode::DropAfter(40_000_000));
    assert_eq!(
        app.download_model_from(&url, &offered, &mut |_| {}, &never)
            .unwrap_err()
            .code(),
        "Network"
    );
    let info = app
        .download_model_from(&url, &offered, &mut |_| {}, &never)
        .unwrap();
    assert_eq!(info.name, "ggml-served.bin");
    let listed = app.model_list().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].in_use, "the only model is the one in use");
    assert_eq!(
        std::fs::read_dir(&models_dir).unwrap().count(),
        1,
        "the .part is gone"
    );
}

/// Words one per half second, as a transcript stores them.
fn said(text: &str) -> Vec<crate::transcribe::Word> {
    crate::transcribe::timed_words(text, 0.5, 0.4)
}

/// Stores a transcript of `text` for a take as the transcriber would (figures read from it).
fn store_transcript(app: &Candor, take_id: &str, text: &str) {
    let t = crate::transcribe::Transcript::of(
        &crate::transcribe::ModelInfo {
            name: "ggml-base.bin".into(),
            sha256: "ab".repeat(32),
            bytes: 1,
        },
        crate::transcribe::Heard {
            segments: Vec::new(),
            words: said(text),
        },
        app.cues().unwrap(),
    );
    app.folder()
        .unwrap()
        .store()
        .save_transcript(&transcripts::stored(take_id, &t, app.cues().unwrap()))
        .unwrap();
}

#[test]
fn hints_read_the_answer_and_its_replies_and_weekly_figures_come_from_the_words() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let dir = DataDir::at(tmp.path());
    let answer = finished_answer(&dir, app.folder().unwrap().store(), "cv-which-world");
    for reply in ["r1", "r2"] {
        let folder = app.folder().unwrap();
        folder
            .store()
            .insert_recording(&NewTake {
                id: reply,
                question_id: "cv-which-world",
                parent_id: Some(&answer),
                pushback: Some("What breaks?"),
                round_id: None,
                sample_rate: 16_000,
            })
            .unwrap();
        folder
            .store()
            .finish(reply, TakeStatus::Complete, 16_000, None, None)
            .unwrap();
    }
    store_transcript(
        &app,
        &answer,
        "Um, I don't know who owns the threshold. I'd ask the team that set it. In the end \
         everyone was happy, you know, you know, you know.",
    );
    store_transcript(&app, "r1", "That means the audits slow down.");
    // r2 has no transcript yet.
    let h = app.evidence_hints(&answer).unwrap();
    assert_eq!(h.untranscribed, 1);
    assert_eq!(h.uncertainty.len(), 1);
    assert_eq!(h.uncertainty[0].followed_by.as_deref(), Some("ask"));
    assert_eq!(h.uncertainty[0].reply, 0);
    assert_eq!(
        h.consequences
            .iter()
            .map(|c| (c.take_id.as_str(), c.reply))
            .collect::<Vec<_>>(),
        [("r1", 1)]
    );
    assert_eq!(h.flags[0].flag.as_deref(), Some("sanitized_star"));
    assert!(
        app.evidence_hints("r1").is_err(),
        "a reply is not an answer"
    );

    let weeks = app
        .delivery_by_week(crate::progress::Period::AllTime)
        .unwrap();
    assert_eq!(weeks.len(), 1);
    let w = &weeks[0];
    assert_eq!((w.answers, w.transcribed, w.uncertainty_voiced), (1, 1, 1));
    // 27 words over 13.4 s, one of them a filler.
    assert!(
        (w.words_per_min.unwrap() - 26.0 * 60.0 / 13.4).abs() < 1e-6,
        "{w:?}"
    );
    assert!((w.fillers_per_min.unwrap() - 60.0 / 13.4).abs() < 1e-6);

    // Figures read with other cue lists (or none, as before migration 14) are read again.
    app.folder()
        .unwrap()
        .store()
        .conn()
        .execute("UPDATE transcripts SET delivery = NULL, cues = 'old'", [])
        .unwrap();
    let again = app
        .delivery_by_week(crate::progress::Period::AllTime)
        .unwrap();
    assert_eq!(again, weeks);
    let review = app.transcript(&answer).unwrap().unwrap();
    assert_eq!(review.delivery.repeated[0].phrase, "you know");
    assert_eq!(review.delivery.repeated[0].count, 3);
}

#[test]
fn the_pushback_reacts_to_the_words_of_the_answer_and_replies_and_why_is_kept_with_the_reply() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    let dir = DataDir::at(tmp.path());
    let q = "cv-which-world";
    let answer = finished_answer(&dir, app.folder().unwrap().store(), q);
    store_transcript(
        &app,
        &answer,
        "We shipped it. That means the review queue grows.",
    );
    let first = app.pushback(q, &answer, 0).unwrap().unwrap();
    assert_eq!(first.rule, "no_uncertainty");
    assert_eq!(first.reason, "the answer voiced no uncertainty");
    assert_eq!(
        app.pushback(q, &answer, 0).unwrap().as_ref(),
        Some(&first),
        "asked again: the same"
    );

    // The reply to it keeps why it was asked (as starting its recording does).
    {
        let folder = app.folder().unwrap();
        folder
            .store()
            .insert_recording(&NewTake {
                id: "r1",
                question_id: q,
                parent_id: Some(&answer),
                pushback: Some(&first.text),
                round_id: None,
                sample_rate: 16_000,
            })
            .unwrap();
        folder
            .store()
            .finish("r1", TakeStatus::Complete, 16_000, None, None)
            .unwrap();
    }
    app.note_pushback_choice("r1", &answer, &first.text);
    let kept = app
        .folder()
        .unwrap()
        .store()
        .take("r1")
        .unwrap()
        .pushback_choice;
    assert_eq!(
        kept.map(|c| (c.rule, c.reason)),
        Some((first.rule.clone(), first.reason.clone()))
    );

    // The reply voiced doubt and a way to find out: nothing more stands out, so the next is one
    // of the question's own, and the rule already asked is not asked again.
    store_transcript(
        &app,
        "r1",
        "I'm not sure. I would check the data with the team.",
    );
    let second = app.pushback(q, &answer, 1).unwrap().unwrap();
    assert_eq!(second.rule, "question");
    assert_ne!(second.text, first.text);

    // An answer without words (no model here): the question's own, saying why.
    let silent = finished_answer(&dir, app.folder().unwrap().store(), q);
    let c = app.pushback(q, &silent, 0).unwrap().unwrap();
    assert_eq!(c.rule, "question");
    assert!(c.reason.contains("no transcript"), "{}", c.reason);
}

/// The files this process holds open under `root` (Linux: the links in /proc/self/fd).
#[cfg(target_os = "linux")]
fn open_files_under(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let root = root.canonicalize().unwrap();
    let mut open: Vec<std::path::PathBuf> = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter(|target| target.starts_with(&root))
        .collect();
    open.sort();
    open
}

/// Windows renames nothing that has an open handle inside, so at the moment of a restore's swap
/// this process holds nothing open under the data folder but its lock file (which no restore
/// moves): not the database (nor its -wal and -shm), not a recording, not the staging folder.
/// Checked on Linux through /proc/self/fd, after the folder was used as the window uses it.
#[cfg(target_os = "linux")]
#[test]
fn nothing_under_the_data_folder_is_open_at_the_moment_of_a_restore_swap() {
    use std::sync::{Arc, Mutex};
    let src = tempfile::tempdir().unwrap();
    let archive = src.path().join("b.candorbackup");
    {
        let app = open(&src.path().join("data"));
        let dir = DataDir::at(src.path().join("data"));
        for q in ["cv-which-world", "cv-which-world"] {
            finished_answer(&dir, app.folder().unwrap().store(), q);
        }
        app.backup_to(&archive, &mut |_| {}).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let app = open(&root);
    let dir = DataDir::at(&root);
    let id = finished_answer(&dir, app.folder().unwrap().store(), "cv-which-world");
    // Used as the window uses it: a take reviewed and replayed, a backup made.
    app.take_review(&id).unwrap();
    assert!(!app.take_audio(&id).unwrap().is_empty());
    app.backup_to(&tmp.path().join("before.candorbackup"), &mut |_| {})
        .unwrap();
    let before = open_files_under(&root);
    assert!(
        before.iter().any(|p| p.ends_with("candor.db")),
        "the database is open while the folder is in use: {before:?}"
    );

    let seen: Arc<Mutex<Option<Vec<std::path::PathBuf>>>> = Arc::default();
    let at_swap = seen.clone();
    crate::folder::AT_SWAP.with(|hook| {
        *hook.borrow_mut() = Some(Box::new(move |d: &DataDir| {
            *at_swap.lock().unwrap() = Some(open_files_under(d.root()));
        }));
    });
    let restored = app.restore(&archive, &mut |_| {});
    crate::folder::AT_SWAP.with(|hook| hook.borrow_mut().take());
    assert_eq!(restored.unwrap().recordings, 2);

    let open_then = seen.lock().unwrap().take().expect("the swap ran");
    let lock = root.canonicalize().unwrap().join(".candor-lock");
    let others: Vec<_> = open_then.iter().filter(|p| **p != lock).collect();
    assert!(
        others.is_empty(),
        "open under the data folder at the swap: {others:?}"
    );
    assert!(
        open_then.contains(&lock),
        "the folder stays locked: {open_then:?}"
    );
    // And the folder is in use again afterwards.
    assert_eq!(app.folder().unwrap().list().unwrap().len(), 2);
}
