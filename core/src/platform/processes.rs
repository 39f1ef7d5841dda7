//! Other processes, as far as Candor can see them without unsafe code: whether one still runs,
//! and which have a file open. Only Linux tells, through /proc (and only of this user's
//! processes); elsewhere nothing is known, and the answers are the cautious ones: every process
//! counts as running (so nothing another process may still use is removed), and no process is
//! named (messages then say "another program").

use std::path::Path;

/// Whether process `pid` is running: this process always; others from /proc on Linux; elsewhere
/// every process is taken to be running.
pub(crate) fn is_running(pid: u32) -> bool {
    pid == std::process::id() || others_running(pid)
}

#[cfg(target_os = "linux")]
fn others_running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn others_running(_pid: u32) -> bool {
    true
}

/// The other processes that have `file` open, as "name (process N)", sorted: on Linux from the
/// open files /proc lists; elsewhere none are known (an empty list).
#[cfg(target_os = "linux")]
pub(crate) fn with_open(file: &Path) -> Vec<String> {
    let Ok(target) = std::fs::canonicalize(file) else {
        return Vec::new();
    };
    let me = std::process::id().to_string();
    let mut out: Vec<String> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|p| {
            let pid = p.file_name().to_string_lossy().into_owned();
            if pid == me || !pid.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let has_it = std::fs::read_dir(p.path().join("fd"))
                .ok()?
                .flatten()
                .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == target));
            if !has_it {
                return None;
            }
            let name = std::fs::read_to_string(p.path().join("comm")).unwrap_or_default();
            let name = crate::text::printable_clipped(name.trim(), 40);
            Some(format!("{name} (process {pid})"))
        })
        .collect();
    out.sort();
    out
}

/// The other processes that have `file` open: none are known on this system.
#[cfg(not(target_os = "linux"))]
pub(crate) fn with_open(_file: &Path) -> Vec<String> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_runs() {
        assert!(is_running(std::process::id()));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_an_ended_process_is_not_running_and_a_holder_is_named() {
        let mut ended = std::process::Command::new("true").spawn().unwrap();
        let pid = ended.id();
        ended.wait().unwrap();
        assert!(!is_running(pid));

        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("db");
        std::fs::write(&f, b"x").unwrap();
        assert!(with_open(&f).is_empty(), "nobody else has it open");
        // A child holding the file open on its standard input.
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .stdin(std::fs::File::open(&f).unwrap())
            .spawn()
            .unwrap();
        assert!(is_running(child.id()));
        let named = with_open(&f);
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(named, [format!("sleep (process {})", child.id())]);
        assert!(with_open(&tmp.path().join("missing")).is_empty());
    }

    #[cfg(not(target_os = "linux"))]
    #[test]
    fn elsewhere_every_process_counts_as_running_and_no_holder_is_named() {
        assert!(is_running(u32::MAX));
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("db");
        std::fs::write(&f, b"x").unwrap();
        let _held = std::fs::File::open(&f).unwrap();
        assert!(with_open(&f).is_empty());
    }
}
