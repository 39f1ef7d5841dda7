//! One writer per data folder, across processes: an advisory lock on a file in the folder,
//! shared while a process uses the folder (the window, `candor-cli record`, `export`, …) and
//! exclusive for what rewrites files under everyone's feet (restore, crash recovery, sweeping
//! leftovers). Each holder also leaves a small note saying who it is, so a refusal can name
//! the other process.
//!
//! The lock is `flock`-style (std's `File::lock*`): the system drops it when the process ends,
//! however it ends, so a crash never leaves the folder locked.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};

/// The file the lock is taken on (never moved by a restore).
const LOCK_FILE: &str = ".candor-lock";
/// The folder of notes saying which processes use the data folder.
const USERS_DIR: &str = ".in-use";
/// How long a process waits for another one's exclusive work (a restore) before refusing.
const WAIT_FOR_EXCLUSIVE: Duration = Duration::from_secs(10);

/// True for the names the lock keeps in a data folder (the lock file and the notes of who uses
/// it): bookkeeping, neither data nor a leftover of a killed run.
pub fn is_lock_bookkeeping(name: &str) -> bool {
    name == LOCK_FILE || name == USERS_DIR
}

/// How a process holds the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Others may use the folder too; nobody may restore or recover meanwhile.
    Shared,
    /// This process alone: restore, recovery, sweeping leftovers.
    Exclusive,
}

/// A held lock on a data folder; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct FolderLock {
    root: PathBuf,
    file: File,
    access: Access,
    note: PathBuf,
}

/// What this process calls itself in its note, when the program said (`set_process_name`).
static PROCESS_NAME: OnceLock<String> = OnceLock::new();

/// Names this process in other processes' refusal messages, e.g. "candor-cli restore" (the
/// subcommand the command line was parsed into); called once, before the folder is opened.
/// Without it the name is guessed from the program's arguments.
pub fn set_process_name(name: &str) {
    let _ = PROCESS_NAME.set(crate::text::printable_clipped(name, 60));
}

/// Who this process is, in words, for another process's refusal message.
pub fn this_process() -> String {
    if let Some(name) = PROCESS_NAME.get() {
        return format!("{name} (process {})", std::process::id());
    }
    let mut args = std::env::args();
    let exe = args
        .next()
        .map(|a| {
            Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(a)
        })
        .unwrap_or_else(|| "candor".into());
    let what = if exe.starts_with("candor-cli") {
        match args.find(|a| !a.starts_with('-')) {
            Some(cmd) => format!("candor-cli {}", crate::text::printable_clipped(&cmd, 30)),
            None => "candor-cli".to_string(),
        }
    } else if exe == "candor" {
        "the Candor window".to_string()
    } else {
        crate::text::printable_clipped(&exe, 40)
    };
    format!("{what} (process {})", std::process::id())
}

fn open_lock_file(dir: &DataDir) -> Result<File> {
    dir.ensure()?;
    let path = dir.root().join(LOCK_FILE);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| CoreError::io(format!("opening {}", path.display()), e))
}

impl FolderLock {
    /// Takes the folder exclusively if nobody else uses it; `None` if someone does.
    pub fn try_exclusive(dir: &DataDir) -> Result<Option<FolderLock>> {
        let file = open_lock_file(dir)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FolderLock::held(dir, file, Access::Exclusive)?)),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(CoreError::io("locking the data folder", e)),
        }
    }

    /// Takes the folder exclusively, or refuses with a message naming who uses it.
    pub fn exclusive(dir: &DataDir, doing: &str) -> Result<FolderLock> {
        FolderLock::try_exclusive(dir)?.ok_or_else(|| busy(dir, doing))
    }

    /// Takes the folder shared, waiting a little while another process restores or recovers.
    pub fn shared(dir: &DataDir) -> Result<FolderLock> {
        let file = open_lock_file(dir)?;
        let started = Instant::now();
        loop {
            match file.try_lock_shared() {
                Ok(()) => return FolderLock::held(dir, file, Access::Shared),
                Err(TryLockError::WouldBlock) if started.elapsed() < WAIT_FOR_EXCLUSIVE => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(busy(dir, "open your Candor data"));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(CoreError::io("locking the data folder", e))
                }
            }
        }
    }

    fn held(dir: &DataDir, file: File, access: Access) -> Result<FolderLock> {
        let users = dir.root().join(USERS_DIR);
        if access == Access::Exclusive {
            // Alone in the folder: notes left by processes that were killed are stale.
            for e in std::fs::read_dir(&users).into_iter().flatten().flatten() {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let note = users.join(std::process::id().to_string());
        // The note is a courtesy for messages: failing to write it never stops the work.
        if std::fs::create_dir_all(&users).is_ok() {
            let _ = std::fs::write(&note, this_process());
        }
        Ok(FolderLock {
            root: dir.root().to_path_buf(),
            file,
            access,
            note,
        })
    }

    /// How this lock is held.
    pub fn access(&self) -> Access {
        self.access
    }

    /// Gives up exclusive use but keeps using the folder (others may join again).
    pub fn downgrade(&mut self) -> Result<()> {
        if self.access == Access::Shared {
            return Ok(());
        }
        // A conversion may release before it re-locks (flock(2)): if another process slips
        // in with exclusive work meanwhile, this waits for it to finish, then goes on.
        self.file
            .lock_shared()
            .map_err(|e| CoreError::io("locking the data folder", e))?;
        self.access = Access::Shared;
        Ok(())
    }

    /// Turns a shared hold into an exclusive one if nobody else uses the folder; otherwise
    /// refuses, naming who does, and this process keeps its shared hold.
    pub fn upgrade(&mut self, doing: &str) -> Result<()> {
        if self.access == Access::Exclusive {
            return Ok(());
        }
        // A conversion that fails may drop the shared lock (flock(2)), so the exclusive one is
        // tried on a second handle after giving the first up, and the shared one re-taken if
        // another process is there.
        let dir = DataDir::at(&self.root);
        let other = open_lock_file(&dir)?;
        self.file
            .unlock()
            .map_err(|e| CoreError::io("unlocking the data folder", e))?;
        match other.try_lock() {
            Ok(()) => {
                self.file = other;
                self.access = Access::Exclusive;
                Ok(())
            }
            Err(e) => {
                self.file
                    .lock_shared()
                    .map_err(|e| CoreError::io("locking the data folder", e))?;
                match e {
                    TryLockError::WouldBlock => Err(busy(&dir, doing)),
                    TryLockError::Error(e) => Err(CoreError::io("locking the data folder", e)),
                }
            }
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.note);
        // The lock itself goes with the file handle.
    }
}

/// The refusal when another process uses the folder: what could not be done, and who is there.
fn busy(dir: &DataDir, doing: &str) -> CoreError {
    let others = other_users(dir);
    let who = if others.is_empty() {
        "another Candor program".to_string()
    } else {
        others.join(", ")
    };
    CoreError::FolderBusy(format!(
        "Candor could not {doing}: {who} is using this data folder. Close it or let it finish, then try again."
    ))
}

/// The notes of the other processes that use the folder and are still running.
fn other_users(dir: &DataDir) -> Vec<String> {
    let me = std::process::id().to_string();
    let mut out: Vec<String> = std::fs::read_dir(dir.root().join(USERS_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_string_lossy().into_owned();
            if pid == me || !pid.bytes().all(|b| b.is_ascii_digit()) || !alive(&pid) {
                return None;
            }
            let text = std::fs::read(e.path()).ok()?;
            Some(crate::text::printable_clipped(
                &String::from_utf8_lossy(&text),
                80,
            ))
        })
        .collect();
    out.sort();
    out
}

/// Whether the process a note is named after still runs (`platform::processes`: known on Linux;
/// elsewhere every process counts as running).
fn alive(pid: &str) -> bool {
    pid.parse()
        .is_ok_and(crate::platform::processes::is_running)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusive_waits_for_nobody_and_shared_holders_block_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path());
        let mut a = FolderLock::shared(&dir).unwrap();
        // A second handle behaves as another process would (flock is per open file).
        assert!(FolderLock::try_exclusive(&dir).unwrap().is_none());
        let b = FolderLock::shared(&dir).unwrap();
        let e = a.upgrade("restore a backup").unwrap_err();
        assert_eq!(e.code(), "FolderBusy");
        assert!(e.to_string().contains("restore a backup"), "{e}");
        assert_eq!(a.access(), Access::Shared);
        drop(b);
        a.upgrade("restore a backup").unwrap();
        assert_eq!(a.access(), Access::Exclusive);
        assert!(FolderLock::try_exclusive(&dir).unwrap().is_none());
        a.downgrade().unwrap();
        let c = FolderLock::shared(&dir).unwrap();
        drop((a, c));
        assert!(FolderLock::try_exclusive(&dir).unwrap().is_some());
    }
}
