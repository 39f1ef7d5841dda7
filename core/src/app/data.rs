//! "Your data" use cases: the recordings and the room they use, exports of the ratings, full
//! backups and restore (also over a data folder that could not be opened).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Candor, Failure};
use crate::backup::{self, BackupSummary, Progress, RestoreSummary};
use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};
use crate::folder::DataFolder;
use crate::recordings::Usage;

/// The formats the ratings export in (docs/export-schema.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub enum ExportFormat {
    /// One row per saved rating.
    Csv,
    /// One object per take.
    Json,
}

impl ExportFormat {
    /// The file name the export is saved under in Downloads.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "candor-ratings.csv",
            ExportFormat::Json => "candor-ratings.json",
        }
    }
}

/// What "Your data" opens with: the room recordings use (first page) and the backups found in
/// Downloads (file names only).
#[derive(Debug, Clone)]
pub struct DataOverview {
    /// Disk use and the newest recordings; empty while the folder could not be opened.
    pub recordings: Usage,
    /// For each listed take, its question's prompt (or its id if it left the library).
    pub prompts: Vec<String>,
    /// Backups found in Downloads, newest name first.
    pub backups: Vec<String>,
}

/// A page of recordings with their questions' prompts.
#[derive(Debug, Clone)]
pub struct RecordingsPage {
    /// Disk use and the page of takes.
    pub usage: Usage,
    /// For each take of the page, its question's prompt (or its id if it left the library).
    pub prompts: Vec<String>,
}

/// Takes listed when "Your data" opens (more come a page at a time).
pub const FIRST_RECORDINGS: u32 = 50;

/// A backup written into Downloads: its file name and what it holds.
#[derive(Debug, Clone)]
pub struct BackupMade {
    /// The archive's file name in Downloads.
    pub file_name: String,
    /// What went into it.
    pub summary: BackupSummary,
}

/// The file name of a path, for messages (never the path itself).
pub(super) fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The Downloads folder, created if missing.
pub(super) fn downloads() -> Result<PathBuf> {
    let dir = crate::downloads::downloads_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| CoreError::io(format!("creating {}", dir.display()), e))?;
    Ok(dir)
}

impl Candor {
    /// Disk use of the recordings, and the backups found in Downloads (with nothing but the
    /// backups while the data folder could not be opened: a restore is what is left to offer).
    pub fn data_overview(&self) -> Result<DataOverview> {
        let backups = crate::downloads::downloads_dir()
            .map(|d| backup::find_backups(&d))
            .unwrap_or_default();
        if self.folder().is_err() {
            return Ok(DataOverview {
                recordings: Usage {
                    total_bytes: 0,
                    count: 0,
                    takes: Vec::new(),
                },
                prompts: Vec::new(),
                backups,
            });
        }
        let page = self.recordings(0, FIRST_RECORDINGS)?;
        Ok(DataOverview {
            recordings: page.usage,
            prompts: page.prompts,
            backups,
        })
    }

    /// The room recordings use, and `limit` takes after the newest `offset` with theirs.
    pub fn recordings(&self, offset: u32, limit: u32) -> Result<RecordingsPage> {
        let folder = self.folder()?;
        let usage = crate::recordings::usage(&folder, offset, limit)?;
        let prompts = usage
            .takes
            .iter()
            .map(|t| {
                self.bank()
                    .ok()
                    .and_then(|b| crate::library::find(b, folder.store(), &t.take.question_id).ok())
                    .map_or_else(|| t.take.question_id.clone(), |q| q.prompt)
            })
            .collect();
        Ok(RecordingsPage { usage, prompts })
    }

    /// Deletes a take's audio only; its ratings, markers and figures stay.
    pub fn delete_take_audio(&self, take_id: &str) -> Result<()> {
        crate::limits::check_id("take", take_id)?;
        let folder = self.folder()?;
        crate::recordings::delete_audio(&folder, take_id).map(drop)
    }

    /// The ratings export as text.
    pub fn export_text(&self, format: ExportFormat) -> Result<String> {
        let e = backup::export::collect(self.folder()?.store())?;
        match format {
            ExportFormat::Csv => backup::export::to_csv(&e),
            ExportFormat::Json => Ok(backup::export::to_json(&e)? + "\n"),
        }
    }

    /// Writes the ratings export to Downloads (never over a file); returns its file name.
    pub fn export_to_downloads(&self, format: ExportFormat) -> Result<String> {
        let text = self.export_text(format)?;
        let path = crate::downloads::save_new(&downloads()?, format.file_name(), text.as_bytes())?;
        Ok(file_name_of(&path))
    }

    /// Backs everything up into `out` (never over a file), with progress; the database stays
    /// usable meanwhile (the snapshot is SQLite's online backup).
    pub fn backup_to(
        &self,
        out: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<BackupSummary> {
        // The folder was opened (an interrupted restore finished, takes recovered) and stays
        // held shared by this process, so no restore can swap it meanwhile.
        let dir = self.folder()?.dir().clone();
        backup::create(&dir, out, progress)
    }

    /// Backs everything up into a new archive in Downloads.
    pub fn backup_to_downloads(&self, progress: &mut dyn FnMut(Progress)) -> Result<BackupMade> {
        let out = crate::downloads::unique_path(&downloads()?, &backup::default_file_name());
        let summary = self.backup_to(&out, progress)?;
        Ok(BackupMade {
            file_name: file_name_of(&out),
            summary,
        })
    }

    /// Restores a backup found in Downloads, named by file name only; checked in full first.
    pub fn restore_from_downloads(
        &self,
        file_name: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RestoreSummary> {
        let dir = downloads()?;
        if !backup::find_backups(&dir).iter().any(|n| n == file_name) {
            return Err(CoreError::NotFound(format!(
                "The backup '{}' in your Downloads folder",
                file_name
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(80)
                    .collect::<String>()
            )));
        }
        self.restore(&dir.join(file_name), progress)
    }

    /// Restores an archive over the data folder, verified in full first. When the folder could
    /// not be opened (a damaged database, or one from a newer Candor) it is replaced unread and
    /// then opened. Refused while anything records, here or in another process.
    pub fn restore(
        &self,
        archive: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RestoreSummary> {
        self.stop_meter();
        let restored = self.restore_in_place(archive, progress);
        // Other takes may wait for a transcript now.
        self.transcriber.kick();
        restored
    }

    /// Restores an archive into a data folder this process has not opened (the terminal's
    /// restore), verified in full first: the folder is taken alone at once or the restore is
    /// refused naming who uses it, so two restores started together never both refuse. The
    /// live database is replaced unread (it may be damaged, or from a newer Candor); the folder
    /// is opened afterwards, as the window reopens it.
    pub fn restore_unopened(
        dir: DataDir,
        archive: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RestoreSummary> {
        let summary = backup::restore_unopened(&dir, archive, progress)?;
        DataFolder::open(dir)?;
        Ok(summary)
    }

    fn restore_in_place(
        &self,
        archive: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RestoreSummary> {
        let mut slot = self.slot();
        match &mut *slot {
            Ok(folder) => folder.restore(archive, progress),
            Err(_) => {
                let dir: DataDir = self.dir()?.clone();
                let summary = backup::restore_unopened(&dir, archive, progress)?;
                let opened = DataFolder::open(dir).map(|(folder, _)| folder);
                match opened {
                    Ok(folder) => {
                        *slot = Ok(folder);
                        Ok(summary)
                    }
                    Err(e) => {
                        let failure = Failure::from(e);
                        let err = CoreError::from(&failure);
                        *slot = Err(failure);
                        Err(err)
                    }
                }
            }
        }
    }
}
