//! Every command that opens a data folder first finishes or undoes a restore a crash cut short,
//! and a restore only reads a regular file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

mod common;
use common::cli_in as cli;

#[test]
fn stats_puts_back_the_data_a_restore_cut_short_had_moved_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = cli(&data, &["gen-history", "--days", "3", "--takes", "5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A crash mid-restore: the live data was moved aside, the backup's not yet moved in.
    let old = data.join(".restore-old-0123456789abcdef");
    std::fs::create_dir(&old).unwrap();
    for name in ["candor.db", "candor.db-wal", "candor.db-shm", "recordings"] {
        let p = data.join(name);
        if p.exists() {
            std::fs::rename(&p, old.join(name)).unwrap();
        }
    }
    std::fs::write(old.join("moved-out"), b"").unwrap();

    let out = cli(&data, &["stats", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["takes"], 5, "the data moved aside is back");
    assert!(
        !old.exists(),
        "the interrupted restore was undone and tidied"
    );
}

#[cfg(unix)] // named pipes (mkfifo) are Unix
#[test]
fn a_fifo_given_to_restore_is_refused_at_once() {
    use common::CLI;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let fifo = tmp.path().join("pipe.candorbackup");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = Command::new(CLI)
        .arg("--data-dir")
        .arg(&data)
        .arg("restore")
        .arg(&fifo)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("restore of a FIFO hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(!status.success());
    assert!(
        err.contains("not a regular file") || err.contains("not a file"),
        "{err}"
    );
}
