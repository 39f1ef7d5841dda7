//! Hostile files given to `candor-cli bank validate`, `analyze`, `transcribe` and `model`: named
//! pipes, devices, folders, oversized, malformed or escape-laden files. Each is refused at once
//! with a message a person can act on, and nothing from a file reaches the terminal raw. Output
//! that cannot be written (a full disk, a reader that went away) is said, never a panic.
//!
//! Every run has a deadline: a command that blocks (as reading a FIFO did) is killed and the
//! test fails, instead of hanging the suite.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: named pipes, /dev/zero, /dev/full, /dev/null and prlimit

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CLI: &str = env!("CARGO_BIN_EXE_candor-cli");

/// Long enough for a loaded machine, short next to for ever.
const DEADLINE: Duration = Duration::from_secs(20);

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs candor-cli with `args`; fails the test if it is still running after [`DEADLINE`].
fn cli<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<_> = args
        .into_iter()
        .map(|a| a.as_ref().to_os_string())
        .collect();
    let mut child = Command::new(CLI)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + DEADLINE;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("candor-cli {args:?} was still running after {DEADLINE:?}: it blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// Asserts the run failed with `needle` in its message and no raw control character in it.
fn refused(run: &Run, needle: &str) {
    assert!(!run.ok, "accepted: {}", run.stdout);
    assert!(run.stderr.contains(needle), "{}", run.stderr);
    assert!(
        !run.stderr
            .chars()
            .any(|c| c.is_control() && c != '\n' || c == '\u{202E}'),
        "raw control characters reach the terminal: {:?}",
        run.stderr
    );
}

const GOOD_BANK: &str = r#"version = 1
[[categories]]
id = "rsp"
name = "RSP"
reading = "Responsible Scaling Policy"

[[questions]]
id = "a"
category = "rsp"
reading = "Responsible Scaling Policy"
prompt = "What breaks first?"
criteria = ["complexity"]
pushbacks = ["Why?"]
"#;

#[test]
fn a_fifo_given_to_bank_validate_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("questions.toml");
    mkfifo(&fifo);
    // Nothing ever writes to it: reading it would block for ever.
    let run = cli([OsStr::new("bank"), OsStr::new("validate"), fifo.as_os_str()]);
    refused(&run, "is a named pipe (FIFO), not a regular file");
}

#[test]
fn a_fifo_given_to_analyze_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("take.wav");
    mkfifo(&fifo);
    let run = cli([OsStr::new("analyze"), fifo.as_os_str()]);
    refused(&run, "is a named pipe (FIFO), not a regular file");
}

#[test]
fn a_fifo_given_as_a_speech_model_or_a_wav_to_transcribe_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ggml-base.bin");
    mkfifo(&fifo);
    let data = dir.path().join("data");
    let data_arg = ["--data-dir".as_ref(), data.as_os_str()];
    for args in [
        vec![OsStr::new("model"), OsStr::new("verify"), fifo.as_os_str()],
        vec![OsStr::new("model"), OsStr::new("import"), fifo.as_os_str()],
        vec![
            OsStr::new("transcribe"),
            OsStr::new("/dev/null"),
            OsStr::new("--model"),
            fifo.as_os_str(),
        ],
    ] {
        let run = cli(data_arg.iter().copied().chain(args));
        refused(&run, "is a named pipe (FIFO), not a regular file");
    }
    // The WAV to transcribe, once a real model is there to hear it.
    if let Some(model) = std::env::var_os("CANDOR_TEST_MODEL") {
        let wav = dir.path().join("answer.wav");
        mkfifo(&wav);
        let run = cli([
            OsStr::new("transcribe"),
            wav.as_os_str(),
            OsStr::new("--model"),
            &model,
        ]);
        refused(&run, "is a named pipe (FIFO), not a regular file");
    }
}

/// Runs candor-cli with its standard output sent to `stdout`, within [`DEADLINE`].
fn cli_to(stdout: Stdio, args: &[&OsStr]) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(CLI)
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + DEADLINE;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "candor-cli {args:?} blocked");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn output_onto_a_full_disk_says_so_and_a_closed_reader_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().as_os_str();
    for cmd in [
        &["stats"][..],
        &["stats", "--json"],
        &["export", "--csv"],
        &["export", "--json"],
        &["questions"],
    ] {
        let mut args = vec![OsStr::new("--data-dir"), data];
        args.extend(cmd.iter().map(OsStr::new));
        // /dev/full: every write fails as on a full disk.
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (status, stderr) = cli_to(Stdio::from(full), &args);
        assert!(!status.success(), "{cmd:?} said nothing of the full disk");
        assert!(
            stderr.contains("The disk is full, so writing the output could not be finished."),
            "{cmd:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{cmd:?}: {stderr}");
        // A pipe nobody reads any more (`candor-cli questions | head -1` after head left).
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let (status, stderr) = cli_to(Stdio::from(writer), &args);
        assert!(status.success(), "{cmd:?}: {stderr}");
        assert_eq!(stderr, "", "{cmd:?}");
    }
}

#[test]
fn devices_and_folders_are_refused_without_being_read() {
    let run = cli(["bank", "validate", "/dev/zero"]);
    refused(&run, "/dev/zero: is a character device, not a regular file");
    let run = cli(["analyze", "/dev/zero"]);
    refused(&run, "/dev/zero: is a character device, not a regular file");
    let dir = tempfile::tempdir().unwrap();
    let run = cli([
        OsStr::new("bank"),
        OsStr::new("validate"),
        dir.path().as_os_str(),
    ]);
    refused(&run, "is a folder, not a regular file");
}

#[test]
fn a_rubric_over_its_size_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rubric.toml");
    let mut f = std::fs::File::create(&p).unwrap();
    writeln!(f, "version = 1\n\n[[criteria]]\nkey = \"complexity\"").unwrap();
    writeln!(f, "# {}", "x".repeat(2_000_000)).unwrap();
    drop(f);
    let run = cli([OsStr::new("bank"), OsStr::new("validate"), p.as_os_str()]);
    refused(&run, "the file is 2.0 MB; a rubric file is at most 1 MB");
}

#[test]
fn invalid_utf8_is_reported_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.toml");
    // "prompt = "Caf\xE9"": Latin-1, not UTF-8, on line 11.
    let bytes = GOOD_BANK
        .replace("What breaks first?", "Caf\u{1}")
        .into_bytes()
        .into_iter()
        .map(|b| if b == 1 { 0xE9 } else { b })
        .collect::<Vec<u8>>();
    std::fs::write(&p, bytes).unwrap();
    let run = cli([OsStr::new("bank"), OsStr::new("validate"), p.as_os_str()]);
    refused(
        &run,
        "latin1.toml:11:14: the file is not UTF-8 text here (byte 0xE9); save it as UTF-8",
    );
}

#[test]
fn escape_sequences_in_a_bank_are_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil.toml");
    let src = GOOD_BANK
        .replace("id = \"a\"", "id = \"\\u001b]0;owned\\u0007\\u001b[2J\"")
        .replace("category = \"rsp\"", "category = \"\\u202Epsr\"");
    std::fs::write(&p, src).unwrap();
    let run = cli([OsStr::new("bank"), OsStr::new("validate"), p.as_os_str()]);
    refused(&run, "evil.toml:8:6: question id '\\u{1b}]0;owned\\u{7}\\u{1b}[2J' contains a control character (U+001B)");
    assert!(
        run.stderr.contains("unknown category '\\u{202e}psr'"),
        "{}",
        run.stderr
    );
}

#[test]
fn ids_differing_only_by_case_or_spaces_are_duplicates_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dup.toml");
    let second = GOOD_BANK
        .split("[[questions]]")
        .nth(1)
        .unwrap()
        .replace("id = \"a\"", "id = \" A \"");
    std::fs::write(&p, format!("{GOOD_BANK}\n[[questions]]{second}")).unwrap();
    let run = cli([OsStr::new("bank"), OsStr::new("validate"), p.as_os_str()]);
    refused(
        &run,
        "dup.toml:16:6: question id ' A ' is used twice (as 'a' on line 8",
    );
}

#[test]
fn a_good_bank_still_validates() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("good.toml");
    std::fs::write(&p, GOOD_BANK).unwrap();
    let run = cli([OsStr::new("bank"), OsStr::new("validate"), p.as_os_str()]);
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stdout
            .ends_with("good.toml: 1 questions in 1 categories, all valid\n"),
        "{}",
        run.stdout
    );
}

/// A 16-bit mono PCM WAV header at `rate` Hz declaring `data_bytes` of samples.
fn wav_header(rate: u32, data_bytes: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(44);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(36u32.wrapping_add(data_bytes)).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes()); // PCM
    h.extend_from_slice(&1u16.to_le_bytes()); // mono
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&(rate * 2).to_le_bytes());
    h.extend_from_slice(&2u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_bytes.to_le_bytes());
    h
}

/// A sparse WAV of `total` bytes at `rate` Hz (only the header is written).
fn sparse_wav(path: &Path, rate: u32, total: u64) {
    let data = u32::try_from(total - 44).unwrap();
    std::fs::write(path, wav_header(rate, data)).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(total)
        .unwrap();
}

#[test]
fn a_sparse_256_mb_wav_at_100_hz_is_refused_before_it_is_read() {
    // 128 million samples at 100 Hz: 355 hours, which held 1 GB of frame data before.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sparse.wav");
    sparse_wav(&p, 100, 256 << 20);
    let run = cli([OsStr::new("analyze"), p.as_os_str()]);
    refused(
        &run,
        "is 372.8 hours long; Candor analyses at most 24 hours of audio at 100 Hz",
    );
}

#[test]
fn a_long_wav_at_100_hz_within_the_limit_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hour.wav");
    // One hour of silence at 100 Hz: a 10 ms frame is one sample.
    sparse_wav(&p, 100, 44 + 2 * 100 * 3600);
    let run = cli([OsStr::new("analyze"), OsStr::new("--json"), p.as_os_str()]);
    assert!(run.ok, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["duration_s"], 3600.0);
    assert_eq!(v["sample_rate"], 100);
}

#[test]
fn the_longest_wav_analyze_accepts_is_measured_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("day.wav");
    // 23 hours at 100 Hz, just under the limit: 8.3 million frames.
    sparse_wav(&p, 100, 44 + 2 * 100 * 23 * 3600);
    // The whole process held to 400 MB of address space (peak RSS is about 80 MB; before frames
    // were bounded, a file of this rate took about 15 bytes a sample and 2 GB for 256 MB).
    let mut child = Command::new("prlimit")
        .arg("--as=400000000")
        .arg(CLI)
        .args([OsStr::new("analyze"), OsStr::new("--json"), p.as_os_str()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "analyze of 23 hours at 100 Hz did not finish"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["duration_s"], 82800.0);
}

#[test]
fn a_wav_name_with_escapes_is_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let p: PathBuf = dir.path().join("take\u{1b}[31m\u{202E}.wav");
    std::fs::write(&p, b"not a wav at all, just text").unwrap();
    let run = cli([OsStr::new("analyze"), p.as_os_str()]);
    refused(&run, "take\\u{1b}[31m\\u{202e}.wav: is not a PCM WAV file");
}
