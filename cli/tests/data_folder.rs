//! Where candor-cli keeps its data when not told: on Linux exactly where it always did
//! (`$XDG_DATA_HOME/org.candor.Candor`, else `~/.local/share/org.candor.Candor`), and
//! `CANDOR_DATA_DIR` wins. The other systems' places are unit tests of core's
//! `platform::folders`, which this binary reaches through `Platform::this()`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_candor-cli");

/// Runs `candor-cli questions` (which opens the data folder) with only these variables.
fn questions_with(vars: &[(&str, &Path)]) {
    let mut c = Command::new(CLI);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .arg("questions");
    for (k, v) in vars {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_linux_data_folder_is_where_it_always_was() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    questions_with(&[("HOME", &home)]);
    assert!(home
        .join(".local/share/org.candor.Candor/candor.db")
        .is_file());

    let xdg = tmp.path().join("xdg");
    questions_with(&[("HOME", &home), ("XDG_DATA_HOME", &xdg)]);
    assert!(xdg.join("org.candor.Candor/candor.db").is_file());

    let own = tmp.path().join("own");
    questions_with(&[
        ("HOME", &home),
        ("XDG_DATA_HOME", &xdg),
        ("CANDOR_DATA_DIR", &own),
    ]);
    assert!(own.join("candor.db").is_file());
}

#[test]
fn without_home_it_says_what_to_set() {
    let out = Command::new(CLI)
        .env_clear()
        .arg("questions")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("set HOME or CANDOR_DATA_DIR"), "{err}");
}
