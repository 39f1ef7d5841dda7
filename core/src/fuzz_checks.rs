//! What each fuzz target checks, as plain functions: `fuzz/` calls them from cargo-fuzz, and a
//! stable test replays the committed corpus through them, so `cargo test` needs no nightly.
//!
//! Each check takes arbitrary bytes and panics only when Candor misbehaves on them: a panic
//! inside Candor, an error of the wrong type, or a result that breaks an invariant. A refusal
//! with a typed error is the expected answer to bad input.

use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::CoreError;

/// A check: takes arbitrary bytes, panics only on a finding.
pub type Check = fn(&[u8]);

/// The fuzz targets by name, with their check; a new target (e.g. a backup manifest) is one
/// more row here, one file in `fuzz/fuzz_targets/` and a folder of seeds in `fuzz/seeds/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("wav_read", wav_read),
    ("wav_repair", wav_repair),
    ("question_bank", question_bank),
    ("rubric", rubric),
    ("backup_manifest", backup_manifest),
    ("opinion_file", opinion_file),
];

fn expect_code(what: &str, e: &CoreError, codes: &[&str]) {
    assert!(
        codes.contains(&e.code()),
        "{what}: unexpected error kind {}: {e}",
        e.code()
    );
}

/// The analysis reader on any bytes: a frame track whose figures hang together, or `BadAudio`.
pub fn wav_read(data: &[u8]) {
    match crate::analysis::read_frames_from(Cursor::new(data), Path::new("fuzz.wav"), &mut |_| {}) {
        Ok(t) => {
            assert_eq!(t.energy.len(), t.peaks.len());
            let frames_per = t.frame_len as u64;
            assert_eq!(t.energy.len() as u64, t.frames.div_ceil(frames_per.max(1)));
            assert!(t.rms.is_finite() && t.rms >= 0.0, "rms {}", t.rms);
            assert!(t.peak.is_finite() && t.peak >= 0.0, "peak {}", t.peak);
            assert!(t.energy.iter().all(|e| e.is_finite() && *e > 0.0));
            assert!(t.peaks.iter().all(|[lo, hi]| lo <= hi));
            // The speech measures run on whatever was read.
            let m = crate::analysis::measure(t, &crate::analysis::AnalysisParams::default());
            assert!(m.speaking_s <= m.duration_s + 1e-6);
        }
        Err(e) => expect_code("wav_read", &e, &["BadAudio"]),
    }
}

static SEQ: AtomicU64 = AtomicU64::new(0);

/// The crash repair on any bytes (as a take's file): a valid take WAV that reads back with the
/// frames it reports, or a typed error.
pub fn wav_repair(data: &[u8]) {
    let path = std::env::temp_dir().join(format!(
        "candor-fuzz-repair-{}-{}.wav",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, data).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    let result = crate::audio::wav::repair(&path, 16_000);
    let reread = result
        .as_ref()
        .ok()
        .map(|_| crate::analysis::read_frames(&path, &mut |_| {}));
    let _ = std::fs::remove_file(&path);
    match result {
        Ok(frames) => match reread {
            Some(Ok(t)) => assert_eq!(t.frames, frames, "repaired file reads back differently"),
            Some(Err(e)) => panic!("a repaired file does not read back: {e}"),
            None => unreachable!(),
        },
        Err(e) => expect_code("wav_repair", &e, &["BadAudio", "Io", "WriteFailed"]),
    }
}

/// The question-bank parser on any bytes: a bank that passes its own checks, or `BadBank`
/// whose problems are located (text that is not UTF-8 included) and bounded in number.
pub fn question_bank(data: &[u8]) {
    match crate::bank::parse_bytes(data, "fuzz.toml") {
        Ok(b) => {
            let cats: Vec<&str> = b.categories.iter().map(|c| c.id.as_str()).collect();
            for q in &b.questions {
                assert!(crate::bank::question_problems(q, &cats).is_empty());
            }
        }
        Err(e) => {
            expect_code("question_bank", &e, &["BadBank"]);
            if let CoreError::BadBank { problems, .. } = &e {
                assert!(!problems.is_empty() && problems.len() <= crate::bank::MAX_LISTED + 1);
                assert!(problems.iter().all(|p| (p.line == 0) == (p.column == 0)));
            }
            // Every problem is located in the file (or is the size limit, which names no line),
            // and nothing from the file reaches a terminal raw.
            for line in e.to_string().lines() {
                assert!(line.starts_with("fuzz.toml:"), "{line}");
                assert_printable(line);
            }
        }
    }
}

/// A message line holds no control character and no bidi override (text from a file is escaped).
fn assert_printable(line: &str) {
    let raw =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    assert!(
        !line.chars().any(raw),
        "raw control or bidi character in {line:?}"
    );
}

/// The rubric parser on any bytes, as `bank validate` reads a file: a rubric, or `BadBank`
/// naming the file, located (text that is not UTF-8 included) and printable.
pub fn rubric(data: &[u8]) {
    let parsed = crate::bank::utf8(data, "fuzz.toml")
        .and_then(|src| crate::rubric::parse(src, "fuzz.toml", &["rsp", "core_views"]));
    if let Err(e) = parsed {
        expect_code("rubric", &e, &["BadBank"]);
        for line in e.to_string().lines() {
            assert!(line.starts_with("fuzz.toml"), "{line}");
            assert_printable(line);
        }
    }
}

/// The backup manifest parser on any bytes: a manifest whose every path stays inside the
/// staging folder and that survives a round trip, or `BadBackup` / `NewerBackup`.
pub fn backup_manifest(data: &[u8]) {
    use crate::backup::manifest;
    match manifest::parse(data) {
        Ok(m) => {
            assert!(m.format_version >= 1 && m.format_version <= manifest::FORMAT_VERSION);
            assert!(m.files.iter().all(|f| manifest::is_allowed_path(&f.path)));
            assert!(m.files.iter().any(|f| f.path == manifest::DATABASE_NAME));
            let again = manifest::to_bytes(&m).and_then(|b| manifest::parse(&b));
            assert!(
                matches!(again, Ok(ref n) if *n == m),
                "round trip changed the manifest"
            );
        }
        Err(e) => expect_code("backup_manifest", &e, &["BadBackup", "NewerBackup"]),
    }
}

/// A second opinion's answer file on any bytes: a file whose every part is within bounds (ids and
/// checksums hex of their length, scores 1 to 5, no take twice) and whose payload reads again to
/// the same rating, or `BadOpinion` with a printable message.
pub fn opinion_file(data: &[u8]) {
    match crate::share::parse_answer_file(data) {
        Ok(f) => {
            let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
            assert!(hex(&f.share_id, 32) && hex(&f.seal, 64));
            assert!(!f.rater.is_empty() && f.rater.chars().count() <= 100);
            assert!(!f.takes.is_empty() && f.takes.len() <= 100);
            for (i, t) in f.takes.iter().enumerate() {
                assert!(hex(&t.take_id, 32) && hex(&t.audio_sha256, 64));
                assert!(f.takes[..i].iter().all(|o| o.take_id != t.take_id));
                assert!(t
                    .scores
                    .iter()
                    .all(|s| s.score.is_none_or(|v| (1..=5).contains(&v))));
            }
            // The payload is what was read: reading the same bytes again gives the same rating.
            assert!(crate::share::parse_answer_file(data).is_ok_and(|again| again == f));
        }
        Err(e) => {
            expect_code("opinion_file", &e, &["BadOpinion"]);
            for line in e.to_string().lines() {
                assert_printable(line);
            }
        }
    }
}
