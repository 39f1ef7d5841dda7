//! Where files the user exports from the window are saved: their Downloads folder, never over
//! an existing file.

use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// The user's Downloads folder (`crate::platform::folders`): on Linux `XDG_DOWNLOAD_DIR` from
/// `user-dirs.dirs`, else `~/Downloads`.
pub fn downloads_dir() -> Result<PathBuf> {
    crate::platform::folders::downloads_folder(
        crate::platform::Platform::this(),
        &crate::platform::folders::ThisProcess,
    )
}

pub use crate::platform::folders::parse_user_dirs;

/// A path for `file_name` in `dir` that does not exist yet: `name.ext`, `name (1).ext`, ...
pub fn unique_path(dir: &Path, file_name: &str) -> PathBuf {
    let base = Path::new(file_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "download".to_string());
    let first = dir.join(&base);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match base.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (base.clone(), String::new()),
    };
    (1..)
        .map(|i| dir.join(format!("{stem} ({i}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Saves `bytes` as a new file named like `file_name` in `dir` (created if missing), never over
/// an existing file, even one that appears meanwhile; returns the path it got. The bytes are
/// written under a hidden `.part` name first, so a failure (a full disk) leaves no cut-short file.
pub fn save_new(dir: &Path, file_name: &str, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CoreError::io(format!("creating {}", dir.display()), e))?;
    sweep_stale_parts(dir);
    let first = unique_path(dir, file_name);
    let tmp = part_path(&first);
    let saved = (|| {
        write_part(&tmp, bytes)
            .map_err(|e| CoreError::io(format!("saving {}", first.display()), e))?;
        for _ in 0..100 {
            let path = unique_path(dir, file_name);
            match link_new(&tmp, &path) {
                Ok(()) => return Ok(path),
                // Taken between the check and the link: try the next name.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(CoreError::io(format!("saving {}", path.display()), e)),
            }
        }
        Err(CoreError::InvalidInput(format!(
            "could not find a free name for {file_name} in {}",
            dir.display()
        )))
    })();
    let _ = std::fs::remove_file(&tmp);
    saved.map_err(|e| {
        e.when_disk_full(
            &format!("saving {file_name} in {}", dir.display()),
            "No file was left there; nothing else was changed.",
        )
    })
}

/// Writes `bytes` as the new file `path`, never over an existing one; a write that fails (a
/// full disk) leaves no cut-short file behind, so the name stays free for the next try.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let taken = || {
        CoreError::InvalidInput(format!(
            "{} already exists; choose another name",
            path.display()
        ))
    };
    if path.symlink_metadata().is_ok() {
        return Err(taken());
    }
    if let Some(parent) = parent_of(path) {
        sweep_stale_parts(parent);
    }
    let tmp = part_path(path);
    let written = write_part(&tmp, bytes)
        .map_err(|e| CoreError::io(format!("writing {}", path.display()), e))
        .and_then(|()| {
            link_new(&tmp, path).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => taken(),
                _ => CoreError::io(format!("saving {}", path.display()), e),
            })
        });
    let _ = std::fs::remove_file(&tmp);
    written.map_err(|e| {
        e.when_disk_full(
            &format!("saving {}", path.display()),
            "No file was left there; nothing else was changed.",
        )
    })
}

/// The folder a file is written in (`.` for a bare file name).
pub(crate) fn parent_of(path: &Path) -> Option<&Path> {
    match path.parent() {
        Some(p) if p.as_os_str().is_empty() => Some(Path::new(".")),
        other => other,
    }
}

/// What marks a file Candor is still writing: `.NAME.candor-PID-ID.part`.
const PART_TAG: &str = "candor-";

/// The hidden name `out` is written under before it is put in place, beside it (same file
/// system, so the final step is a link or rename): it carries this process's id, so a later
/// sweep can tell a file still being written from one left by a process that was killed.
pub(crate) fn part_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let part = format!(
        ".{name}.{PART_TAG}{}-{}.part",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    match parent_of(out) {
        Some(dir) => dir.join(part),
        None => PathBuf::from(part),
    }
}

/// The process that wrote a `.part` file named by `part_path`, or `None` for any other name.
fn part_owner(name: &str) -> Option<u32> {
    let stem = name.strip_prefix('.')?.strip_suffix(".part")?;
    let (_, tag) = stem.rsplit_once('.')?;
    let (pid, id) = tag.strip_prefix(PART_TAG)?.split_once('-')?;
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes the `.part` files in `folder` left by Candor processes that are no longer running
/// (a backup or export that was killed before it could tidy up); files of running processes,
/// and every file on systems where that cannot be told, are left. Returns how many went.
pub fn sweep_stale_parts(folder: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(part_owner) else {
            continue;
        };
        if !crate::platform::processes::is_running(pid)
            && e.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Writes `bytes` to the new file `tmp` and flushes it to the disk.
fn write_part(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Puts the finished file `tmp` at `out` only if nothing is there yet (`AlreadyExists`
/// otherwise); `tmp` may stay and is the caller's to remove.
pub(crate) fn link_new(tmp: &Path, out: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(tmp, out) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        // File systems without hard links: rename after checking the name is free.
        Err(_) if out.symlink_metadata().is_err() => std::fs::rename(tmp, out),
        Err(_) => Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", out.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_and_never_leaves_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let p = unique_path(dir.path(), "candor-questions.toml");
        assert_eq!(p, dir.path().join("candor-questions.toml"));
        std::fs::write(&p, "x").unwrap();
        assert_eq!(
            unique_path(dir.path(), "candor-questions.toml"),
            dir.path().join("candor-questions (1).toml")
        );
        assert_eq!(
            unique_path(dir.path(), "../../etc/passwd"),
            dir.path().join("passwd")
        );
        assert_eq!(unique_path(dir.path(), ".."), dir.path().join("download"));
    }

    /// A tiny tmpfs mounted over a folder while it lives (needs root, as on CI here).
    struct TinyDisk(PathBuf);

    impl TinyDisk {
        fn mount(at: &Path, size: &str) -> Option<TinyDisk> {
            std::fs::create_dir_all(at).unwrap();
            let ok = std::process::Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
                .arg(at)
                .output()
                .is_ok_and(|o| o.status.success());
            if !ok {
                // make test needs the full-disk cases run (CANDOR_REQUIRE_TMPFS, as root on CI).
                assert!(
                    std::env::var_os("CANDOR_REQUIRE_TMPFS").is_none(),
                    "cannot mount a tmpfs here"
                );
                eprintln!("SKIPPED: cannot mount a tmpfs here");
            }
            ok.then(|| TinyDisk(at.to_path_buf()))
        }
    }

    impl Drop for TinyDisk {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }

    #[test]
    fn a_file_that_does_not_fit_leaves_nothing_and_says_the_disk_is_full() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small");
        let Some(_disk) = TinyDisk::mount(&small, "64k") else {
            return;
        };
        let big = vec![b'x'; 256 * 1024];
        let out = small.join("ratings.csv");
        let e = write_new_file(&out, &big).unwrap_err();
        assert_eq!(e.code(), "DiskFull", "{e}");
        let text = e.to_string();
        assert!(text.contains("The disk is full"), "{text}");
        assert!(text.contains("No file was left"), "{text}");
        assert!(!text.contains("recorded"), "{text}");
        assert_eq!(std::fs::read_dir(&small).unwrap().count(), 0);
        // The name is still free: a file that fits is written there.
        write_new_file(&out, b"ok").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"ok");
        assert_eq!(
            write_new_file(&out, b"again").unwrap_err().code(),
            "InvalidInput"
        );
        // The same for a file saved into Downloads.
        let e = save_new(&small, "candor-ratings.json", &big).unwrap_err();
        assert_eq!(e.code(), "DiskFull", "{e}");
        assert_eq!(std::fs::read_dir(&small).unwrap().count(), 1);
    }

    #[test]
    fn part_files_name_their_process() {
        let p = part_path(Path::new("/d/candor-backup.candorbackup"));
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".candor-backup.candorbackup.candor-"));
        assert_eq!(part_owner(name), Some(std::process::id()));
        assert_eq!(p.parent(), Some(Path::new("/d")));
        assert_eq!(part_path(Path::new("x.csv")).parent(), Some(Path::new(".")));
        for other in [
            ".x.part",
            "x.candor-1-ab.part",
            ".x.candor-q-0123456789abcdef0123456789abcdef.part",
        ] {
            assert_eq!(part_owner(other), None, "{other}");
        }
    }

    #[test]
    fn save_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("Downloads");
        let a = save_new(&sub, "candor-ratings.csv", b"one").unwrap();
        let b = save_new(&sub, "candor-ratings.csv", b"two").unwrap();
        assert_eq!(a, sub.join("candor-ratings.csv"));
        assert_eq!(b, sub.join("candor-ratings (1).csv"));
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        assert_eq!(std::fs::read(&b).unwrap(), b"two");
    }
}
