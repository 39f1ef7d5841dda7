//! The user's data outside the app: ratings exported as CSV or JSON, full backups, and restore.

pub mod archive;
pub mod export;
pub mod manifest;
pub mod restore;

use std::path::{Path, PathBuf};

use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};
use crate::takes::Takes;

pub use archive::{create, BackupSummary};
pub use restore::{finish_interrupted_restore, stage, RestoreSummary, Staged};

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

/// A working folder inside the data folder (same file system, so renames are atomic), removed
/// when dropped. Leftovers of a crash with the same prefix are removed when a new one is made.
pub(crate) struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    pub(crate) fn new(dir: &DataDir, prefix: &str) -> Result<ScratchDir> {
        if let Ok(entries) = std::fs::read_dir(dir.root()) {
            for e in entries.flatten() {
                if e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{prefix}-"))
                {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let path = dir
            .root()
            .join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path)
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

/// Restores a backup into the open data folder of `takes`: verified in staging first, then the
/// database is closed, swapped and reopened (migrated). Refused while anything records.
pub fn restore_into(
    takes: &mut Takes,
    archive: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<RestoreSummary> {
    if takes.is_recording() || takes.mic_check_running() {
        return Err(CoreError::InvalidInput(
            "Stop the recording or mic check before restoring a backup.".into(),
        ));
    }
    let dir = takes.dir().clone();
    stage_then(&dir, archive, progress, |staged| {
        takes.with_database_closed(|_| staged.swap_in())
    })
}

/// Restores a backup into a data folder whose database could not be opened (damaged, or
/// written by a newer Candor): verified in staging first, then swapped in without ever reading
/// the live database. The caller opens the folder afterwards.
pub fn restore_unopened(
    dir: &DataDir,
    archive: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<RestoreSummary> {
    stage_then(dir, archive, progress, Staged::swap_in)
}

/// Stages and verifies `archive`, then lets `swap` put it in place; progress reaches 100 %
/// only once the swap is done.
fn stage_then(
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
