//! The swap a restore makes in a data folder, and its undoing: what is replaced, the markers a
//! restore leaves while it swaps, and the finish (or undo) of a swap a crash interrupted, which
//! runs when the folder is next opened by a process that has it to itself.

use std::path::Path;

use super::DataDir;
use crate::error::{CoreError, Result};

/// What a restore replaces in the data folder: the database, its WAL companions, the recordings.
pub(crate) const SWAPPED: [&str; 4] = ["candor.db", "candor.db-wal", "candor.db-shm", "recordings"];

/// Folders holding the data a restore replaced, kept until the swap succeeded.
pub(crate) const OLD_PREFIX: &str = ".restore-old-";
/// Written in the old-data folder once everything live was moved into it.
pub(crate) const OUT_DONE: &str = "moved-out";
/// Written in the old-data folder once the restored data is in place.
pub(crate) const SWAP_DONE: &str = "swapped";

/// Leaves the marker `name` in the old-data folder `dir`.
pub(crate) fn mark(dir: &Path, name: &str) -> Result<()> {
    let p = dir.join(name);
    std::fs::write(&p, b"").map_err(|e| CoreError::io(format!("writing {}", p.display()), e))
}

/// Removes a file or a folder, whichever `p` is (best effort: a leftover is harmless).
pub(crate) fn remove_any(p: &Path) {
    if p.is_dir() {
        let _ = std::fs::remove_dir_all(p);
    } else {
        let _ = std::fs::remove_file(p);
    }
}

/// Finishes or undoes a restore that a crash interrupted half-way (run when a folder is opened
/// by a process that has it to itself): if the restored data was
/// fully in place the kept old data is removed, otherwise the old data is put back.
pub fn finish_interrupted_restore(dir: &DataDir) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir.root()) else {
        return Ok(());
    };
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(OLD_PREFIX) {
            continue;
        }
        let old = e.path();
        if old.join(SWAP_DONE).exists() {
            let _ = std::fs::remove_dir_all(&old);
            continue;
        }
        let out_done = old.join(OUT_DONE).exists();
        for name in SWAPPED {
            let live = dir.root().join(name);
            let aside = old.join(name);
            if aside.exists() {
                remove_any(&live);
                crate::platform::rename::rename(&aside, &live).map_err(|e| {
                    CoreError::io(
                        format!("moving {} back to {}", aside.display(), live.display()),
                        e,
                    )
                })?;
            } else if out_done {
                // Not there before the swap: it came from the backup.
                remove_any(&live);
            }
        }
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// True when a restore was interrupted and its finish is still to be done.
pub fn restore_pending(dir: &DataDir) -> bool {
    std::fs::read_dir(dir.root())
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(OLD_PREFIX))
}
