//! One data folder, several programs at once, end to end through candor-cli processes
//! (issue 19): a restore refuses while another program writes to the database, two restores
//! started together leave one whole backup, a real recording survives a restore and an export
//! run meanwhile, and a refusal names the command that holds the folder.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: the PulseAudio fake microphone, std::os::unix

mod common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{
    assert_takes_match_recordings, cli_in as cli, files, names, populated, read_only_db, run_ok,
    stderr, wait_for_line, PulseMic, CLI,
};

/// The wording of every refusal because another Candor uses the folder.
const IN_USE: &str = "is using this data folder";

/// A backup of a folder with one rated answer (`note` is its review's note) at `archive`.
fn backup_of_one_answer(tmp: &Path, archive: &Path, note: &str) {
    let src = tmp.join("src");
    populated(&src, 16_000, note);
    run_ok(
        Command::new(CLI)
            .arg("--data-dir")
            .arg(&src)
            .arg("backup")
            .arg(archive),
    );
}

/// The notes of the reviews in a folder, as `export --csv` prints them.
fn exported(data: &Path) -> String {
    let out = cli(data, &["export", "--csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// A program that writes to a database (its path the first argument) in a transaction it
/// commits only when told so on stdin.
const WRITER: &str = r#"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
db.execute("UPDATE rating_scores SET note = 'edited elsewhere'")
print("writing", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
db.close()
"#;

#[test]
fn a_restore_refuses_while_another_program_writes_to_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("b.candorbackup");
    backup_of_one_answer(tmp.path(), &archive, "from the backup");
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");

    // Another program (not Candor: it takes no folder lock) writes and has not committed yet,
    // as a script would. (A separate process: a connection in this one would lose its locks
    // the moment this process reads the database's files, POSIX locks being per process.)
    let mut other = Command::new("python3")
        .arg("-c")
        .arg(WRITER)
        .arg(data.join("candor.db"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = BufReader::new(other.stdout.take().unwrap());
    let mut line = String::new();
    said.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "writing");
    let before = files(&data);
    let started = Instant::now();
    let res = cli(&data, &["restore", archive.to_str().unwrap()]);
    let waited = started.elapsed();
    let msg = stderr(&res);
    assert!(!res.status.success(), "restored under a writer: {msg}");
    assert!(msg.contains("open for writing"), "{msg}");
    assert!(msg.contains("Nothing was changed"), "{msg}");
    assert!(
        msg.contains(&format!("(process {})", other.id())),
        "the writer is not named: {msg}"
    );
    assert_eq!(files(&data), before, "the data folder changed");
    assert!(
        names(&data).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        names(&data)
    );
    eprintln!("refused after {waited:?}: {msg}");

    // Its commit lands in the live data, as it would have without the restore.
    other.stdin.take().unwrap().write_all(b"commit\n").unwrap();
    assert!(other.wait().unwrap().success());
    assert!(exported(&data).contains("edited elsewhere"));
    // With the writer gone the restore goes through.
    let res = cli(&data, &["restore", archive.to_str().unwrap()]);
    assert!(res.status.success(), "{}", stderr(&res));
    let csv = exported(&data);
    assert!(
        csv.contains("from the backup") && !csv.contains("edited elsewhere"),
        "{csv}"
    );
    assert_eq!(assert_takes_match_recordings(&data), 1);
}

#[test]
fn two_restores_started_together_leave_one_whole_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    run_ok(Command::new(CLI).arg("--data-dir").arg(&src).args([
        "gen-history",
        "--days",
        "3",
        "--takes",
        "40",
        "--audio",
    ]));
    let archive = tmp.path().join("b.candorbackup");
    run_ok(
        Command::new(CLI)
            .arg("--data-dir")
            .arg(&src)
            .arg("backup")
            .arg(&archive),
    );
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");

    for round in 0..3 {
        let spawn = || {
            Command::new(CLI)
                .arg("--data-dir")
                .arg(&data)
                .arg("restore")
                .arg(&archive)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let ok = outs.iter().filter(|o| o.status.success()).count();
        for o in &outs {
            eprintln!("round {round}: {} {}", o.status, stderr(o).trim());
        }
        assert!(ok >= 1, "round {round}: both restores were refused");
        for o in &outs {
            if !o.status.success() {
                let msg = stderr(o);
                // (The other is named once its note is written, a moment after its lock.)
                assert!(msg.contains(IN_USE), "round {round}: {msg}");
            }
        }
        assert_eq!(
            assert_takes_match_recordings(&data),
            40,
            "round {round}: not the backup's takes"
        );
        assert!(
            names(&data).iter().all(|n| !n.starts_with('.')),
            "round {round}: {:?}",
            names(&data)
        );
        let out = cli(&data, &["stats", "--json"]);
        let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(s["takes"], 40, "round {round}");
    }
}

/// A take's status and frames, read without touching the database.
fn take_row(data: &Path, id: &str) -> (String, i64) {
    read_only_db(data)
        .query_row(
            "SELECT status, frames FROM takes WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn a_recording_in_another_process_survives_a_restore_and_an_export() {
    let mic = PulseMic::start();
    let data = mic.data_dir();
    // An answer to back up, and the backup.
    run_ok(
        mic.cli()
            .args(["record", "--seconds", "1", "--question", "cv-which-world"]),
    );
    let archive = mic.dir.path().join("b.candorbackup");
    run_ok(mic.cli().arg("backup").arg(&archive));

    let mut recorder = mic
        .cli()
        .args(["record", "--question", "rsp-hardest-trigger"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_line(
        recorder.stderr.take().unwrap(),
        "Recording take",
        Duration::from_secs(20),
    );
    let id: String = read_only_db(&data)
        .query_row("SELECT id FROM takes WHERE status = 'recording'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let wav = data.join("recordings").join(format!("{id}.wav"));
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let (db_inode, wav_inode) = (inode(&data.join("candor.db")), inode(&wav));
    // Everything but the take being written (its WAV grows, its header is rewritten).
    let settled = || {
        let mut f = files(&data);
        f.retain(|p, _| p != &wav);
        f
    };
    let before = settled();
    std::thread::sleep(Duration::from_millis(500));

    let res = mic.cli().arg("restore").arg(&archive).output().unwrap();
    let msg = stderr(&res);
    assert!(!res.status.success(), "restored under a recording: {msg}");
    assert!(msg.contains(IN_USE), "{msg}");
    assert!(msg.contains("candor-cli record (process"), "{msg}");
    assert_eq!(settled(), before, "the restore changed the folder");
    assert_eq!(take_row(&data, &id).0, "recording");

    let res = mic.cli().args(["export", "--json"]).output().unwrap();
    assert!(res.status.success(), "{}", stderr(&res));
    assert_eq!(
        take_row(&data, &id).0,
        "recording",
        "the export took the live take for a crashed one"
    );
    assert_eq!(
        (inode(&data.join("candor.db")), inode(&wav)),
        (db_inode, wav_inode)
    );
    std::thread::sleep(Duration::from_millis(500));

    recorder.stdin.take().unwrap().write_all(b"\n").unwrap();
    let out = recorder.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), id);
    let (status, frames) = take_row(&data, &id);
    assert_eq!(status, "complete");
    assert!(frames >= 16_000, "only {frames} frames");
    assert_eq!(i64::from(common::wav_frames(&wav)), frames);
    assert_eq!(assert_takes_match_recordings(&data), 2);
}

#[test]
fn a_refusal_names_the_command_that_holds_the_folder_not_its_options() {
    let tmp = tempfile::tempdir().unwrap();
    // A backup large enough that restoring it takes a while.
    let src = tmp.path().join("src");
    populated(&src, 8_000_000, "from the backup");
    let archive = tmp.path().join("big.candorbackup");
    run_ok(
        Command::new(CLI)
            .arg("--data-dir")
            .arg(&src)
            .arg("backup")
            .arg(&archive),
    );
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    // The holder is given --data-dir before its subcommand, as a person would type it.
    let mut restore = Command::new(CLI)
        .arg("--data-dir")
        .arg(&data)
        .arg("restore")
        .arg(&archive)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !names(&data)
        .iter()
        .any(|n| n.starts_with(".restore-staging-"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the restore never started"
        );
        assert!(
            restore.try_wait().unwrap().is_none(),
            "the restore ended at once"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let res = cli(&data, &["recover"]);
    let msg = stderr(&res);
    assert!(!res.status.success(), "{msg}");
    assert!(msg.contains(IN_USE), "{msg}");
    assert!(
        msg.contains(&format!("candor-cli restore (process {})", restore.id())),
        "{msg}"
    );
    assert!(!msg.contains(data.to_str().unwrap()), "{msg}");
    let out = restore.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}
