//! Opening the database file: WAL and foreign keys, and refusing a corrupt or newer file
//! without writing to it.

use std::path::Path;

use rusqlite::Connection;

use super::*;

#[test]
fn file_database_uses_wal_and_refuses_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("candor.db");
    {
        let s = Store::open(&p).unwrap();
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = s
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        s.conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&p).unwrap();
    let e = Store::open(&p).err().unwrap();
    assert_eq!(e.code(), "NewerDatabase");
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

/// The files of a folder with their bytes, to show a refused open changed nothing.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A real database with a take in it, closed (so its WAL is checkpointed away).
fn written_database(p: &Path) {
    let s = Store::open(p).unwrap();
    s.insert_recording(&NewTake::answer("t", "q", 16000))
        .unwrap();
}

#[test]
fn newer_database_is_refused_without_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("candor.db");
    written_database(&p);
    {
        let c = Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", schema_version() + 1)
            .unwrap();
    }
    let before = snapshot(dir.path());
    assert_eq!(before.len(), 1, "only the database file: {before:?}");
    let e = Store::open(&p).err().unwrap();
    assert_eq!(e.code(), "NewerDatabase");
    assert!(e.to_string().contains("Nothing was changed"), "{e}");
    // Same bytes, and no -wal or -shm file was created beside it.
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn corrupt_database_is_refused_without_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("candor.db");
    written_database(&p);
    let good = std::fs::read(&p).unwrap();
    let mut garbage = good.clone();
    garbage[..100].fill(0x5A);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "garbage bytes",
            (0..9000u32).map(|i| (i * 31 % 251) as u8).collect(),
        ),
        ("a garbage header", garbage),
        ("truncated to a few bytes", good[..7].to_vec()),
        ("truncated mid-header", good[..60].to_vec()),
        ("truncated to one page", good[..4096].to_vec()),
        (
            "truncated to half its length",
            good[..good.len() / 2].to_vec(),
        ),
    ];
    for (what, bytes) in cases {
        std::fs::write(&p, &bytes).unwrap();
        let before = snapshot(dir.path());
        let e = Store::open(&p)
            .err()
            .unwrap_or_else(|| panic!("{what}: opened"));
        assert_eq!(e.code(), "CorruptDatabase", "{what}: {e}");
        assert!(e.to_string().contains("backup"), "{what}: {e}");
        assert_eq!(snapshot(dir.path()), before, "{what}: files changed");
    }
}

#[test]
fn an_empty_file_is_damaged_and_a_missing_one_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("candor.db");
    std::fs::write(&p, b"").unwrap();
    let e = Store::open(&p).err().unwrap();
    assert_eq!(e.code(), "CorruptDatabase", "{e}");
    assert!(e.to_string().contains("damaged"), "{e}");
    assert_eq!(
        std::fs::read(&p).unwrap(),
        b"",
        "the empty file was written to"
    );
    let q = dir.path().join("new.db");
    assert!(Store::open(&q).is_ok());
}

#[test]
fn the_read_only_look_works_in_a_folder_with_uri_characters() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("my data #1 ?100% é");
    std::fs::create_dir(&odd).unwrap();
    let p = odd.join("candor.db");
    written_database(&p);
    assert_eq!(Store::open(&p).unwrap().take("t").unwrap().question_id, "q");
    Connection::open(&p)
        .unwrap()
        .pragma_update(None, "user_version", schema_version() + 1)
        .unwrap();
    assert_eq!(Store::open(&p).err().unwrap().code(), "NewerDatabase");
}

#[test]
fn a_database_with_a_crash_left_wal_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("candor.db");
    let s = Store::open(&p).unwrap();
    s.insert_recording(&NewTake::answer("t", "q", 16000))
        .unwrap();
    // While `s` is open its -wal file exists: a second open is what a restart after a
    // crash sees (committed data only in the WAL).
    assert!(dir.path().join("candor.db-wal").exists());
    let again = Store::open(&p).unwrap();
    assert_eq!(again.take("t").unwrap().question_id, "q");
}
