//! Backup, restore and export under attack and under faults, end to end through candor-cli: a full
//! disk is named as a full disk and leaves no partial file; what a killed restore or backup left
//! (a staging folder, a `.part` file, a swap cut half-way) is removed, finished or undone by the
//! next command; a damaged or empty database is called damaged; hostile archives print nothing raw.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")] // Linux only: tmpfs mounts, /proc, kill and strace

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{
    assert_takes_match_recordings, cli_in as cli, files, kill_when, names, populated, stderr, CLI,
};

/// A tiny tmpfs mounted over a folder for the length of a test (needs root, as on CI here).
struct TinyDisk(PathBuf);

impl TinyDisk {
    fn mount(at: &Path, size: &str) -> Option<TinyDisk> {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .unwrap();
        if out.status.success() {
            Some(TinyDisk(at.to_path_buf()))
        } else {
            // make test needs the full-disk cases run (CANDOR_REQUIRE_TMPFS, as root on CI).
            assert!(
                std::env::var_os("CANDOR_REQUIRE_TMPFS").is_none(),
                "cannot mount a tmpfs here ({})",
                stderr(&out).trim()
            );
            eprintln!(
                "SKIPPED: cannot mount a tmpfs here ({})",
                stderr(&out).trim()
            );
            None
        }
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the disk holding `dir` to the last byte with one file.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let block = vec![0xa5u8; 4096];
    while f.write_all(&block).is_ok() {}
    // The last partial block.
    while f.write_all(&[1]).is_ok() {}
}

/// A full disk is named as a full disk, with what was not written; never "damaged", never as
/// something about a recording.
fn says_disk_full(out: &Output, not_written: &str) {
    let msg = stderr(out);
    assert!(!out.status.success(), "succeeded: {msg}");
    assert!(msg.contains("The disk is full"), "{msg}");
    assert!(msg.contains(not_written), "{msg}");
    assert!(!msg.contains("is damaged"), "{msg}");
    assert!(!msg.contains("recorded up to then"), "{msg}");
}

#[test]
fn a_backup_onto_a_full_disk_says_so_and_leaves_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 160_000, "fine");
    let small = tmp.path().join("usb");
    let Some(_disk) = TinyDisk::mount(&small, "128k") else {
        return;
    };
    let out = small.join("b.candorbackup");
    let res = cli(&data, &["backup", out.to_str().unwrap()]);
    says_disk_full(&res, "No backup file was written");
    assert!(names(&small).is_empty(), "{:?}", names(&small));
    // Nothing was left in the data folder either.
    assert!(
        names(&data).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        names(&data)
    );
}

#[test]
fn a_restore_that_runs_out_of_room_says_so_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    // The backup: a long recording (about 3 MB).
    let big = tmp.path().join("big");
    populated(&big, 1_600_000, "from the backup");
    let archive = tmp.path().join("big.candorbackup");
    let made = cli(&big, &["backup", archive.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    // The data folder: on a disk with room for its own data, not for the backup's.
    let data = tmp.path().join("data");
    let Some(_disk) = TinyDisk::mount(&data, "1m") else {
        return;
    };
    populated(&data, 16_000, "live");
    let before = files(&data);
    let res = cli(&data, &["restore", archive.to_str().unwrap()]);
    says_disk_full(&res, "Nothing was restored");
    assert_eq!(files(&data), before, "the data folder changed");
    assert!(
        names(&data).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        names(&data)
    );
}

#[test]
fn a_full_disk_is_not_called_a_damaged_database() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let Some(_disk) = TinyDisk::mount(&data, "1m") else {
        return;
    };
    populated(&data, 16_000, "live");
    // Left as a crash (or a running app) leaves it: the WAL beside the database.
    let keep_open = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    keep_open
        .execute("UPDATE takes SET device_name = 'Mic 2'", [])
        .unwrap();
    assert!(data.join("candor.db-wal").exists());
    std::fs::remove_file(data.join("candor.db-shm")).unwrap();
    fill(&data);
    let res = cli(&data, &["recover"]);
    let msg = stderr(&res);
    assert!(!msg.contains("is damaged"), "{msg}");
    assert!(!msg.contains("restore"), "{msg}");
    assert!(!res.status.success(), "{msg}");
    assert!(msg.contains("The disk is full"), "{msg}");
    drop(keep_open);
}

#[test]
fn a_killed_restore_leaves_a_staging_folder_that_the_next_command_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    populated(&big, 16_000_000, "from the backup");
    let archive = tmp.path().join("big.candorbackup");
    let made = cli(&big, &["backup", archive.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    let before = files(&data);

    let staging = || {
        names(&data)
            .into_iter()
            .find(|n| n.starts_with(".restore-staging-"))
            .map(|n| data.join(n))
    };
    let mut cmd = Command::new(CLI);
    cmd.arg("--data-dir")
        .arg(&data)
        .args(["restore", archive.to_str().unwrap()]);
    // Killed while it unpacks the recording into staging.
    kill_when(cmd, || {
        staging().is_some_and(|s| {
            std::fs::read_dir(s.join("recordings")).is_ok_and(|mut d| d.next().is_some())
        })
    });
    let left = staging().expect("the killed restore left its staging folder");
    // The next command that opens the folder sweeps it, and sees the data as it was.
    let out = cli(&data, &["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["takes"], 1);
    assert!(!left.exists(), "the staging folder is still there");
    assert!(
        names(&data).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        names(&data)
    );
    assert_eq!(files(&data), before, "the live data changed");
    assert_eq!(assert_takes_match_recordings(&data), 1);
}

#[test]
fn a_killed_backup_leaves_a_part_file_that_the_next_backup_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 16_000_000, "live");
    let usb = tmp.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let first = usb.join("first.candorbackup");
    let part = || names(&usb).into_iter().find(|n| n.ends_with(".part"));
    let mut cmd = Command::new(CLI);
    cmd.arg("--data-dir").arg(&data).arg("backup").arg(&first);
    // Killed (SIGKILL) while it writes the archive.
    kill_when(cmd, || part().is_some());
    let left = part().expect("the killed backup left its .part file");
    assert!(!first.exists());

    let second = usb.join("second.candorbackup");
    let res = cli(&data, &["backup", second.to_str().unwrap()]);
    assert!(res.status.success(), "{}", stderr(&res));
    assert_eq!(names(&usb), ["second.candorbackup"], "{left} was left");
    // Nor is anything of the killed one left in the data folder.
    assert!(
        names(&data).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        names(&data)
    );
}

/// Whether strace can run programs here (it slows a restore's swap down enough to kill it
/// half-way); says so when it cannot.
fn strace_works() -> bool {
    let ok = Command::new("strace")
        .args(["-o", "/dev/null", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: strace cannot run programs here");
    }
    ok
}

/// Runs `candor-cli restore` under strace, which holds every call named in `inject` (an
/// strace `-e inject` rule) for a while, and kills it (SIGKILL) as soon as `ready` sees its work.
fn restore_killed_midway(data: &Path, archive: &Path, inject: &str, ready: impl Fn() -> bool) {
    let calls = inject.split(':').next().unwrap();
    let mut strace = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null"])
        .arg("-e")
        .arg(format!("trace={calls}"))
        .arg("-e")
        .arg(format!("inject={inject}"))
        .arg(CLI)
        .arg("--data-dir")
        .arg(data)
        .arg("restore")
        .arg(archive)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the restore never got there"
        );
        if let Some(status) = strace.try_wait().unwrap() {
            panic!("the restore finished before it could be killed: {status}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let pid = child_of(strace.id()).expect("no restore under strace");
    assert!(Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    strace.wait().unwrap();
}

/// A process whose parent is `parent` (from /proc/<pid>/stat).
fn child_of(parent: u32) -> Option<u32> {
    std::fs::read_dir("/proc").unwrap().flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // "pid (name) state ppid …": the name may hold spaces, so read after its ')'.
        let ppid: u32 = stat
            .rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        (ppid == parent).then_some(pid)
    })
}

/// The folder a restore keeps the replaced data in, while it swaps.
fn old_data(data: &Path) -> Option<PathBuf> {
    names(data)
        .into_iter()
        .find(|n| n.starts_with(".restore-old-"))
        .map(|n| data.join(n))
}

#[test]
fn a_restore_killed_mid_swap_is_undone_or_finished_by_the_next_command() {
    if !strace_works() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let made = cli(
        &src,
        &["gen-history", "--days", "3", "--takes", "12", "--audio"],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let archive = tmp.path().join("b.candorbackup");
    let made = cli(&src, &["backup", archive.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    let before = files(&data);

    // Killed when the live database was moved aside, the recordings not yet: `stats` puts
    // the database back and counts the live answer.
    restore_killed_midway(
        &data,
        &archive,
        "rename,renameat,renameat2:delay_exit=300000",
        || old_data(&data).is_some_and(|old| old.join("candor.db").exists()),
    );
    assert!(!data.join("candor.db").exists(), "killed too late");
    assert!(data.join("recordings").exists(), "killed too late");
    let out = cli(&data, &["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["takes"], 1, "not the live answer");
    assert!(old_data(&data).is_none());
    assert_eq!(files(&data), before, "the live data changed");
    assert_eq!(assert_takes_match_recordings(&data), 1);

    // Killed once the backup's data was all in place, before the old data was removed:
    // `backup` finishes the restore and backs up the restored answers.
    restore_killed_midway(&data, &archive, "unlinkat:delay_enter=300000", || {
        old_data(&data).is_some_and(|old| old.join("swapped").exists())
    });
    assert!(old_data(&data).is_some(), "killed too late");
    let again = tmp.path().join("again.candorbackup");
    let out = cli(&data, &["backup", again.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(" 12 recording(s)"), "{said}");
    assert!(old_data(&data).is_none());
    let out = cli(&data, &["stats", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["takes"], 12, "not the restored answers");
    assert_eq!(assert_takes_match_recordings(&data), 12);
}

#[test]
fn an_empty_database_file_is_damaged_not_new() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    std::fs::write(data.join("candor.db"), b"").unwrap();
    let before = files(&data);
    for args in [&["recover"][..], &["export", "--csv"][..]] {
        let res = cli(&data, args);
        let msg = stderr(&res);
        assert!(!res.status.success(), "{args:?}: {msg}");
        assert!(msg.contains("damaged"), "{args:?}: {msg}");
        assert!(msg.contains("Nothing was changed"), "{args:?}: {msg}");
        assert_eq!(files(&data), before, "{args:?} changed the data folder");
    }
}

/// Breaks the root page of an index: `quick_check` fails, the pages can still be copied.
fn break_an_index(db: &Path) {
    let (page_size, root): (i64, i64) = {
        let c = rusqlite::Connection::open(db).unwrap();
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
    bytes[((root - 1) * page_size) as usize] = 0x07; // not a b-tree page type
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn a_damaged_database_is_not_backed_up() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    break_an_index(&data.join("candor.db"));
    let out = tmp.path().join("b.candorbackup");
    let res = cli(&data, &["backup", out.to_str().unwrap()]);
    let msg = stderr(&res);
    assert!(!res.status.success(), "backup of a damaged database: {msg}");
    assert!(msg.contains("damaged"), "{msg}");
    assert!(!out.exists());
    assert_eq!(names(tmp.path()), ["data"]);
}

#[test]
fn a_hostile_archive_prints_no_escape_sequence() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    let archive = tmp.path().join("evil.candorbackup");
    {
        let mut b = std::fs::File::create(&archive).unwrap();
        // One raw tar header (the tar crate refuses to write such names itself).
        let name = b"recordings/\x1b]0;owned\x07\x1b[2J.wav";
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name);
        h[100..108].copy_from_slice(b"0000644\0");
        h[124..136].copy_from_slice(b"00000000004\0");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let mut bytes = h.to_vec();
        bytes.extend_from_slice(b"RIFF");
        bytes.resize(1024 + 1024, 0);
        std::io::Write::write_all(&mut b, &bytes).unwrap();
    }
    let before = files(&data);
    let res = cli(&data, &["restore", archive.to_str().unwrap()]);
    assert!(!res.status.success());
    assert!(!res.stderr.contains(&0x1b) && !res.stderr.contains(&0x07));
    let msg = stderr(&res);
    assert!(msg.contains("\\u{1b}"), "{msg}");
    assert_eq!(files(&data), before);
}

#[test]
fn csv_export_is_safe_to_open_in_a_spreadsheet() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 16_000, "=HYPERLINK(\"http://evil\",\"click\")");
    let res = cli(&data, &["export", "--csv"]);
    assert!(res.status.success(), "{}", stderr(&res));
    let text = String::from_utf8(res.stdout).unwrap();
    // The note, quoted as CSV quotes it, behind a leading apostrophe.
    assert!(
        text.contains(r#","'=HYPERLINK(""http://evil"",""click"")","#),
        "{text}"
    );
    assert!(text.contains(",'-1.5 pauses a minute,"), "{text}");
    // Numbers stay numbers: the duration and the score.
    assert!(text.contains(",1.000,"), "{text}");
    assert!(text.contains(",4,"), "{text}");
    assert!(!text.contains(",=") && !text.contains(",-1.5"), "{text}");
}

/// The SHA-256 of a file in hex, by coreutils' `sha256sum`.
fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn a_backup_of_valid_sqlite_that_is_not_candors_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    let latest: i64 = rusqlite::Connection::open(data.join("candor.db"))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    // Valid SQLite at Candor's schema version, with a manifest that agrees with it exactly.
    let parts = tmp.path().join("parts");
    std::fs::create_dir(&parts).unwrap();
    let db = parts.join("candor.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE notes (body TEXT); PRAGMA user_version = {latest};"
        ))
        .unwrap();
    let manifest = serde_json::json!({
        "format_version": 1,
        "candor_version": "0.1.0",
        "schema_version": latest,
        "created_at": "2026-11-27T03:00:00Z",
        "files": [{
            "path": "candor.db",
            "size": std::fs::metadata(&db).unwrap().len(),
            "sha256": sha256(&db),
        }],
    });
    std::fs::write(parts.join("manifest.json"), manifest.to_string()).unwrap();
    let archive = tmp.path().join("foreign.candorbackup");
    let tar = Command::new("tar")
        .arg("-cf")
        .arg(&archive)
        .arg("-C")
        .arg(&parts)
        .args(["candor.db", "manifest.json"])
        .output()
        .unwrap();
    assert!(tar.status.success(), "{}", stderr(&tar));

    let before = files(&data);
    let res = cli(&data, &["restore", archive.to_str().unwrap()]);
    let msg = stderr(&res);
    assert!(!res.status.success(), "{msg}");
    assert!(msg.contains("not a Candor database"), "{msg}");
    assert!(msg.contains("Nothing was changed"), "{msg}");
    assert_eq!(files(&data), before, "the data folder changed");
    // The data is still all there and usable.
    let csv = cli(&data, &["export", "--csv"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    assert_eq!(String::from_utf8_lossy(&csv.stdout).lines().count(), 2);
}

#[test]
fn a_backup_kept_in_the_recordings_folder_is_refused_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populated(&data, 16_000, "live");
    let archive = data.join("recordings").join("b.candorbackup");
    let made = cli(&data, &["backup", archive.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    let before = files(&data);
    let res = cli(&data, &["restore", archive.to_str().unwrap()]);
    let msg = stderr(&res);
    assert!(!res.status.success(), "{msg}");
    assert!(msg.contains("inside Candor's data folder"), "{msg}");
    assert_eq!(files(&data), before, "the data folder changed");
    assert!(archive.exists());
}
