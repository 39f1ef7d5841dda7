//! Test support for candor-cli: fake microphones (Linux only, `mics.rs`: a private PulseAudio
//! null sink fed with espeak-ng speech; ALSA's `file` plugin), populated data folders, byte
//! snapshots of a folder, killing a command at a chosen moment, and the check that every take
//! matches its recording.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test support: failing loudly is the point

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ChildStderr, Command, Output};
use std::time::{Duration, Instant};

/// The fake microphones need PulseAudio, ALSA's `file` plugin, espeak-ng and sox: Linux only,
/// as are the test files that use them.
#[cfg(target_os = "linux")]
mod mics;
#[cfg(target_os = "linux")]
#[allow(unused_imports)] // each test file uses one of them or none
pub use mics::{FakeMic, PulseMic};

/// The candor-cli binary under test.
pub const CLI: &str = env!("CARGO_BIN_EXE_candor-cli");

/// Runs candor-cli on the data folder `data` (no speech model from the environment) and waits.
pub fn cli_in(data: &Path, args: &[&str]) -> Output {
    Command::new(CLI)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("CANDOR_MODEL")
        .output()
        .unwrap()
}

/// Waits until the child's stderr prints a line containing `needle`; returns when it did.
pub fn wait_for_line(stderr: ChildStderr, needle: &str, timeout: Duration) -> Instant {
    let (tx, rx) = std::sync::mpsc::channel();
    let needle = needle.to_string();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent && line.contains(&needle) {
                let _ = tx.send(Instant::now());
                sent = true;
            }
        }
    });
    rx.recv_timeout(timeout)
        .expect("the expected line never came")
}

/// Frames in a WAV file, read back with hound (which fails on an invalid file).
pub fn wav_frames(path: &Path) -> u32 {
    let r = hound::WavReader::open(path).unwrap();
    assert_eq!(r.spec().channels, 1);
    let n = r.duration();
    // Read every sample so a header promising more than the file holds fails here.
    assert_eq!(
        r.into_samples::<i16>().filter(|s| s.is_ok()).count() as u32,
        n
    );
    n
}

pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn samples(path: &Path) -> Vec<f32> {
    hound::WavReader::open(path)
        .unwrap()
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect()
}

/// What a command wrote to stderr, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A data folder with one rated answer whose WAV holds `frames` frames at 16 kHz.
pub fn populated(root: &Path, frames: u32, note: &str) -> String {
    use candor_core::data_dir::{new_take_id, DataDir};
    use candor_core::folder::DataFolder;
    use candor_core::store::{NewTake, RatingInput, RatingKind, TakeStatus};

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
    for i in 0..frames {
        // Not compressible to nothing, so sizes on disk are real.
        w.write_sample(((i.wrapping_mul(2_654_435_761) >> 16) as i16) / 4)
            .unwrap();
    }
    w.finalize().unwrap();
    s.finish(
        &id,
        TakeStatus::Complete,
        u64::from(frames),
        Some("Mic"),
        None,
    )
    .unwrap();
    s.finalize_rating(&RatingInput {
        take_id: id.clone(),
        kind: RatingKind::Immediate,
        step: 0,
        scores: vec![candor_core::store::CriterionRating {
            criterion: "gaps".into(),
            score: Some(4),
            note: note.into(),
            checks: vec![],
        }],
        red_flags: vec![],
        feelings: vec![],
        feelings_note: String::new(),
        commitment: "-1.5 pauses a minute".into(),
    })
    .unwrap();
    id
}

/// Every file under a folder with a digest of its bytes (short to print when they differ).
pub fn files(root: &Path) -> BTreeMap<PathBuf, (usize, u64)> {
    use std::hash::{Hash, Hasher};
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_name() == ".in-use" {
                // Who uses the folder right now: not data.
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                out.insert(p.clone(), (bytes.len(), h.finish()));
            }
        }
    }
    out
}

/// The names in a folder (hidden ones too).
pub fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The folder's lock and its notes of who uses it are bookkeeping, not leftovers.
        .filter(|n| !candor_core::data_dir::lock::is_lock_bookkeeping(n))
        .collect();
    n.sort();
    n
}

/// A candor-cli process killed (SIGKILL) as soon as `ready` sees what it made.
pub fn kill_when(mut cmd: Command, ready: impl Fn() -> bool) {
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the process never got there"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("finished before it could be killed: {status}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Opens a data folder's database to look at it only (never checkpoints, never writes).
pub fn read_only_db(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(
        data.join("candor.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap()
}

/// Checks every finished take that counts frames has its WAV, holding exactly those frames,
/// and that no WAV belongs to no take; returns how many takes have a recording.
pub fn assert_takes_match_recordings(data: &Path) -> usize {
    let db = read_only_db(data);
    let mut st = db.prepare("SELECT id, status, frames FROM takes").unwrap();
    let takes: Vec<(String, String, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut with_audio = 0;
    for (id, status, frames) in &takes {
        let wav = data.join("recordings").join(format!("{id}.wav"));
        if status == "recording" || *frames == 0 {
            continue;
        }
        assert!(
            wav.exists(),
            "take {id} ({status}, {frames} frames) lost its WAV"
        );
        assert_eq!(i64::from(wav_frames(&wav)), *frames, "take {id}'s WAV");
        with_audio += 1;
    }
    for e in std::fs::read_dir(data.join("recordings"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".wav").unwrap_or(&name);
        assert!(
            takes.iter().any(|t| t.0 == id),
            "recordings/{name} belongs to no take"
        );
    }
    with_audio
}
