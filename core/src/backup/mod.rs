//! The user's data outside the app: ratings exported as CSV or JSON, full backups, and restore.

pub mod archive;
pub mod export;
pub mod manifest;
pub mod restore;

use std::path::{Path, PathBuf};

use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};

pub use archive::{create, BackupSummary};
pub use restore::{stage, RestoreSummary, Staged};

/// The file extension of Candor backups.
pub const BACKUP_EXTENSION: &str = "candorbackup";

/// How far a backup or restore has got, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes written or read so far.
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
}

/// The prefix of a backup's working folder (its database snapshot) in the data folder.
pub(crate) const BACKUP_SCRATCH: &str = ".backup";
/// The prefix of a restore's staging folder in the data folder.
pub(crate) const RESTORE_SCRATCH: &str = ".restore-staging";

/// A working folder inside the data folder (same file system, so renames are atomic), removed
/// when dropped. Its name is unique, and making one never touches any other: a folder left by
/// a process that was killed is removed by `sweep_leftovers`, under the folder's lock.
pub(crate) struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    pub(crate) fn new(dir: &DataDir, prefix: &str) -> Result<ScratchDir> {
        let path = dir
            .root()
            .join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir(&path)
            .map_err(|e| CoreError::io(format!("creating {}", path.display()), e))?;
        Ok(ScratchDir { path })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// True for the name of a folder `ScratchDir::new` makes (`.backup-<id>`, `.restore-staging-<id>`).
fn is_scratch_name(name: &str) -> bool {
    [BACKUP_SCRATCH, RESTORE_SCRATCH].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(crate::data_dir::is_take_id)
    })
}

/// What `sweep_leftovers` removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Working and staging folders of backups and restores.
    pub folders: u32,
    /// Bytes they held.
    pub bytes: u64,
}

fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| size_of(&e.path()))
        .sum()
}

/// Removes what backups and restores that were killed left in the data folder: their working
/// and staging folders (a restore's can hold a copy of every recording).
///
/// Precondition: the caller holds the data folder's exclusive lock, so no backup or restore is
/// running and everything found is stale. The folders of a restore's old data
/// (`.restore-old-*`) are not touched: `finish_interrupted_restore` decides what they hold.
pub fn sweep_leftovers(dir: &DataDir) -> Result<Swept> {
    let mut swept = Swept::default();
    let entries = match std::fs::read_dir(dir.root()) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(swept),
        Err(e) => {
            return Err(CoreError::io(
                format!("reading {}", dir.root().display()),
                e,
            ))
        }
    };
    for e in entries.flatten() {
        let name = e.file_name();
        if !name.to_str().is_some_and(is_scratch_name) || !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let bytes = size_of(&e.path());
        std::fs::remove_dir_all(e.path())
            .map_err(|err| CoreError::io(format!("removing {}", e.path().display()), err))?;
        swept.folders += 1;
        swept.bytes += bytes;
    }
    Ok(swept)
}

/// Text from an archive (entry names, header fields, manifest strings) made safe to print:
/// control and bidirectional-override characters are shown escaped (`\u{1b}`), never sent to
/// the terminal, and the text is cut to `max` characters.
pub(crate) fn visible(text: &str, max: usize) -> String {
    crate::text::printable_clipped(text, max)
}

/// The suggested file name of a backup made today: `candor-backup-YYYY-MM-DD.candorbackup`.
pub fn default_file_name() -> String {
    format!(
        "candor-backup-{}.{BACKUP_EXTENSION}",
        chrono::Local::now().format("%Y-%m-%d")
    )
}

/// Backups found in a folder (by the extension), newest name first; file names only.
pub fn find_backups(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(&format!(".{BACKUP_EXTENSION}")) && !n.starts_with('.'))
        .collect();
    names.sort();
    names.reverse();
    names
}

/// Restores a backup into a data folder this process has not opened (its database may be
/// damaged, or written by a newer Candor): the folder is taken alone or the restore refused,
/// then the backup is verified in staging and swapped in without ever reading the live
/// database. The caller opens the folder afterwards.
pub fn restore_unopened(
    dir: &DataDir,
    archive: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<RestoreSummary> {
    // Refused before waiting for the folder: nothing here is worth taking it for.
    restore::refuse_inside_data_folder(dir, archive)?;
    let _alone = crate::data_dir::lock::FolderLock::exclusive(dir, "restore a backup")?;
    // Alone in the folder: a restore a crash cut short is finished or undone first (its old
    // data would otherwise be put back over this one when the folder is next opened), and what
    // killed backups and restores left is swept.
    crate::data_dir::swap::finish_interrupted_restore(dir)?;
    sweep_leftovers(dir)?;
    stage_then(dir, archive, progress, Staged::swap_in)
}

/// Stages and verifies `archive`, then lets `swap` put it in place; progress reaches 100 %
/// only once the swap is done.
pub(crate) fn stage_then(
    dir: &DataDir,
    archive: &Path,
    progress: &mut dyn FnMut(Progress),
    swap: impl FnOnce(Staged) -> Result<RestoreSummary>,
) -> Result<RestoreSummary> {
    let mut total = 0;
    let staged = stage(dir, archive, &mut |p| {
        total = p.total;
        progress(Progress {
            // The archive's headers are not counted as they pass: done only at the very end.
            done: p.done.min(p.total.saturating_sub(1)),
            total: p.total,
        })
    })?;
    let summary = swap(staged)?;
    progress(Progress { done: total, total });
    Ok(summary)
}

#[cfg(test)]
mod tests;
