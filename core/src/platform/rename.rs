//! Renaming a file or folder that something may be holding for a moment.
//!
//! On Windows a rename fails while any handle is open on the file, or on anything inside the
//! folder, with "access denied" or a sharing or lock violation; an antivirus scanner or the search
//! indexer opens files for a moment on their own, so a restore's swap could fail for no lasting
//! reason. There the rename is tried again a few times, after short growing waits, for those
//! errors only. Elsewhere a rename is not blocked by open handles, and is tried once.
//!
//! The retrying is a plain function of the operation, the error test and the sleep, so it is
//! unit-tested on Linux.

use std::io;
use std::path::Path;
use std::time::Duration;

use super::Platform;

/// How many times a rename is tried in all while the system says something holds the files.
pub(crate) const RENAME_ATTEMPTS: u32 = 5;
/// The wait after the first failed attempt; doubled after each one (50, 100, 200, 400 ms: at most
/// 0.75 s before giving up).
pub(crate) const RENAME_FIRST_WAIT: Duration = Duration::from_millis(50);

/// Windows' ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION: what a rename
/// fails with while a handle is open on the file, or inside the folder.
const WINDOWS_IN_USE: [i32; 3] = [5, 32, 33];

/// Renames `from` to `to` as `std::fs::rename`, trying again briefly on this system's "in use"
/// errors (Windows only).
pub(crate) fn rename(from: &Path, to: &Path) -> io::Result<()> {
    retrying(
        RENAME_ATTEMPTS,
        RENAME_FIRST_WAIT,
        |e| in_use(Platform::this(), e),
        std::thread::sleep,
        || std::fs::rename(from, to),
    )
}

/// True when `e` means, on `platform`, that a handle held elsewhere blocks the operation for now
/// (Windows' access denied, sharing and lock violations); never elsewhere, where the same codes
/// mean other things (EIO, EPIPE, EDOM on Linux).
pub(crate) fn in_use(platform: Platform, e: &io::Error) -> bool {
    platform == Platform::Windows
        && e.raw_os_error()
            .is_some_and(|c| WINDOWS_IN_USE.contains(&c))
}

/// Runs `op` up to `attempts` times (at least once) while it fails with an error `transient`
/// accepts, calling `sleep` between attempts with `first_wait`, then twice the last wait; returns
/// the first success, the first error that is not transient, or the last error.
pub(crate) fn retrying<T>(
    attempts: u32,
    first_wait: Duration,
    transient: impl Fn(&io::Error) -> bool,
    mut sleep: impl FnMut(Duration),
    mut op: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    let mut wait = first_wait;
    let mut tried = 1;
    loop {
        match op() {
            Err(e) if tried < attempts && transient(&e) => {
                sleep(wait);
                wait = wait.saturating_mul(2);
                tried += 1;
            }
            done => return done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `retrying` does, for Windows' "in use" errors, with `attempts` tries and 50 ms first,
    /// to an operation failing `fails` times with OS error `code` before it succeeds: the result
    /// (the attempt that succeeded), how many attempts were made, and the waits in ms.
    fn run(attempts: u32, fails: u32, code: i32) -> (io::Result<u32>, u32, Vec<u128>) {
        let mut calls = 0;
        let mut waits = Vec::new();
        let r = retrying(
            attempts,
            Duration::from_millis(50),
            |e| in_use(Platform::Windows, e),
            |d| waits.push(d.as_millis()),
            || {
                calls += 1;
                if calls <= fails {
                    Err(io::Error::from_raw_os_error(code))
                } else {
                    Ok(calls)
                }
            },
        );
        (r, calls, waits)
    }

    #[test]
    fn a_file_held_for_a_moment_is_renamed_after_growing_waits() {
        let (r, calls, waits) = run(5, 3, 32);
        assert_eq!((r.unwrap(), calls), (4, 4));
        assert_eq!(waits, [50, 100, 200]);
    }

    #[test]
    fn a_file_held_for_good_fails_after_the_last_attempt_with_its_error() {
        for code in WINDOWS_IN_USE {
            let (r, calls, waits) = run(5, 99, code);
            assert_eq!(r.unwrap_err().raw_os_error(), Some(code));
            assert_eq!(calls, 5, "code {code}");
            assert_eq!(waits, [50, 100, 200, 400], "no wait after the last attempt");
        }
    }

    #[test]
    fn other_errors_are_not_tried_again() {
        // 2 is ERROR_FILE_NOT_FOUND on Windows (ENOENT on Linux): waiting would not help.
        for code in [2, 3, 17, 112] {
            let (r, calls, waits) = run(5, 1, code);
            assert_eq!(r.unwrap_err().raw_os_error(), Some(code));
            assert_eq!((calls, waits.len()), (1, 0), "code {code}");
        }
    }

    #[test]
    fn a_first_success_is_not_repeated_and_one_attempt_means_no_retry() {
        let (r, calls, waits) = run(5, 0, 32);
        assert_eq!((r.unwrap(), calls, waits.len()), (1, 1, 0));
        let (r, calls, waits) = run(1, 1, 32);
        assert_eq!(r.unwrap_err().raw_os_error(), Some(32));
        assert_eq!((calls, waits.len()), (1, 0));
    }

    #[test]
    fn only_windows_counts_these_codes_as_in_use() {
        for code in WINDOWS_IN_USE {
            let e = io::Error::from_raw_os_error(code);
            assert!(in_use(Platform::Windows, &e), "{code}");
            assert!(!in_use(Platform::Linux, &e), "{code}");
            assert!(!in_use(Platform::MacOs, &e), "{code}");
        }
        for code in [0, 2, 4, 6, 31, 34, 183] {
            assert!(
                !in_use(Platform::Windows, &io::Error::from_raw_os_error(code)),
                "{code}"
            );
        }
        // An error with no system code (made by Rust) is never taken for one.
        assert!(!in_use(Platform::Windows, &io::Error::other("busy")));
        assert!(!in_use(
            Platform::Windows,
            &io::Error::from(io::ErrorKind::PermissionDenied)
        ));
    }

    #[test]
    fn on_this_system_a_rename_still_renames_and_reports_a_missing_file() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a");
        let b = tmp.path().join("b");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("f"), b"x").unwrap();
        rename(&a, &b).unwrap();
        assert_eq!(std::fs::read(b.join("f")).unwrap(), b"x");
        let e = rename(&a, &tmp.path().join("c")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }
}
