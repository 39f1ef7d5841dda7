//! A database candor-cli cannot use (written by a newer Candor, or damaged): every command that
//! needs it says so in one line, exits non-zero, and leaves the data folder byte for byte as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

use std::path::Path;
use std::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_candor-cli");

/// Every file of a folder (recursively) with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// A data folder with a real database (made by `candor-cli recover`) and one recording.
fn data_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(CLI)
        .arg("--data-dir")
        .arg(dir.path())
        .arg("recover")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(
        dir.path()
            .join("recordings")
            .join("0123456789abcdef0123456789abcdef.wav"),
        b"RIFF....WAVE",
    )
    .unwrap();
    dir
}

/// Runs the commands that open the database; each must refuse with `needle` and change nothing.
fn refused_everywhere(dir: &Path, needle: &str) {
    let before = snapshot(dir);
    for args in [&["recover"][..], &["record", "--question", "q1"][..]] {
        let out = Command::new(CLI)
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(stderr.contains("Nothing was changed"), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        assert_eq!(snapshot(dir), before, "{args:?} changed the data folder");
    }
}

#[test]
fn a_database_from_a_newer_candor_is_refused_and_left_untouched() {
    let dir = data_folder();
    let db = rusqlite::Connection::open(dir.path().join("candor.db")).unwrap();
    db.pragma_update(None, "user_version", 1000).unwrap();
    drop(db);
    refused_everywhere(dir.path(), "newer version of Candor");
}

#[test]
fn a_damaged_database_is_refused_and_left_untouched() {
    let dir = data_folder();
    let p = dir.path().join("candor.db");
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    refused_everywhere(dir.path(), "damaged");
    std::fs::write(
        &p,
        b"this is not a database, just some text that replaced it",
    )
    .unwrap();
    refused_everywhere(dir.path(), "damaged");
}

#[test]
fn the_terminal_restores_a_backup_over_a_database_from_a_newer_candor() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cli = |args: &[&std::ffi::OsStr]| {
        Command::new(CLI)
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap()
    };
    let out = cli(&["gen-history".as_ref(), "--takes".as_ref(), "12".as_ref()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = dir.path().join("b.candorbackup");
    assert!(cli(&["backup".as_ref(), archive.as_os_str()])
        .status
        .success());
    // A newer Candor then wrote the database: this one cannot read it, but can put its own back.
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    db.pragma_update(None, "user_version", 1000).unwrap();
    drop(db);
    let out = cli(&["stats".as_ref()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer version of Candor"));
    let out = cli(&["restore".as_ref(), archive.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cli(&["stats".as_ref(), "--json".as_ref()]);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["takes"], 12);
}
