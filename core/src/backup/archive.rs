//! Writing a backup: a consistent database snapshot (SQLite's online backup), every recording,
//! and a manifest with sizes and SHA-256 checksums, in one tar file.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::{
    self, FileEntry, Manifest, DATABASE_NAME, FORMAT_VERSION, RECORDINGS_PREFIX,
};
use super::{Progress, ScratchDir, BACKUP_SCRATCH};
use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};

/// What a finished backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// Recordings in the archive.
    pub recordings: u32,
    /// Size of the archive in bytes.
    pub bytes: u64,
}

/// A reader that hashes what passes through and reports the bytes read so far.
pub(crate) struct Hashing<'a, R> {
    inner: R,
    hasher: Sha256,
    count: u64,
    on_read: &'a mut dyn FnMut(u64),
}

impl<'a, R: Read> Hashing<'a, R> {
    pub(crate) fn new(inner: R, on_read: &'a mut dyn FnMut(u64)) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
            count: 0,
            on_read,
        }
    }

    /// The bytes read and their SHA-256 in lowercase hex.
    pub(crate) fn finish(self) -> (u64, String) {
        (self.count, hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        (self.on_read)(n as u64);
        Ok(n)
    }
}

/// Lowercase hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> CoreError {
    move |e| CoreError::io(context, e)
}

/// Copies the live database into `dest` with SQLite's online backup: consistent even while the
/// app writes to it. Returns the snapshot's schema version.
fn snapshot_database(dir: &DataDir, dest: &Path) -> Result<i64> {
    let db = dir.database();
    if !db.exists() {
        // A data folder that never held a database: make an empty, current one to back up.
        drop(crate::store::Store::open(&db)?);
    }
    crate::store::snapshot::copy_database(&db, dest).map_err(damaged_source)?;
    // A damaged database is copied page for page as it is, and its backup would be refused at
    // restore: say so now, while the user can still repair it.
    let verdict = crate::store::snapshot::quick_check(dest).map_err(damaged_source)?;
    if verdict != ["ok"] {
        let detail: Vec<&str> = verdict.iter().take(3).map(String::as_str).collect();
        return Err(CoreError::DamagedNotBackedUp {
            detail: super::visible(&detail.join("; "), 300),
        });
    }
    crate::store::snapshot::schema_version(dest)
}

/// A failure reading the database for a backup: damage is named as such.
fn damaged_source(e: rusqlite::Error) -> CoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            CoreError::DamagedNotBackedUp {
                detail: e.to_string(),
            }
        }
        _ => e.into(),
    }
}

/// The takes of the snapshot whose recordings are finished and on disk, with their sizes.
fn recordings_of(dir: &DataDir, snapshot: &Path) -> Result<Vec<(String, PathBuf, u64)>> {
    let ids = crate::store::snapshot::finished_take_ids(snapshot)?;
    let mut out = Vec::new();
    for id in ids {
        let Ok(path) = dir.take_file(&id) else {
            continue;
        };
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => out.push((id, path, m.len())),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CoreError::io(format!("reading {}", path.display()), e)),
        }
    }
    Ok(out)
}

fn append_file(
    tar: &mut tar::Builder<BufWriter<File>>,
    name: &str,
    path: &Path,
    size: u64,
    on_read: &mut dyn FnMut(u64),
) -> Result<FileEntry> {
    let file = File::open(path).map_err(io(format!("reading {}", path.display())))?;
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    let mut reader = Hashing::new(file.take(size), on_read);
    tar.append_data(&mut header, name, &mut reader)
        .map_err(io("writing the backup".into()))?;
    let (count, sha256) = reader.finish();
    if count != size {
        return Err(CoreError::InvalidInput(format!(
            "{name} changed while it was being backed up; try again"
        )));
    }
    Ok(FileEntry {
        path: name.to_string(),
        size,
        sha256,
    })
}

/// What a backup that ran out of room wrote, and did not.
const NOT_WRITTEN: &str =
    "No backup file was written (the unfinished one was removed); your Candor data is unchanged.";

/// Writes a backup of the data folder to `out` (which must not exist yet), reporting progress
/// in bytes. A failed backup leaves no file behind; `.part` files that killed backups left
/// beside `out` are removed first. A database that fails its check is not backed up.
pub fn create(
    dir: &DataDir,
    out: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<BackupSummary> {
    write_backup(dir, out, progress).map_err(|e| e.when_disk_full("the backup", NOT_WRITTEN))
}

fn taken(out: &Path) -> CoreError {
    CoreError::InvalidInput(format!(
        "{} already exists; choose another name",
        out.display()
    ))
}

fn write_backup(
    dir: &DataDir,
    out: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<BackupSummary> {
    if out.symlink_metadata().is_ok() {
        return Err(taken(out));
    }
    let parent = crate::downloads::parent_of(out).unwrap_or(Path::new("."));
    crate::downloads::sweep_stale_parts(parent);
    dir.ensure()?;
    let scratch = ScratchDir::new(dir, BACKUP_SCRATCH)?;
    let snapshot = scratch.path().join(DATABASE_NAME);
    let schema_version = snapshot_database(dir, &snapshot)?;
    let db_size = std::fs::metadata(&snapshot)
        .map_err(io("reading the database snapshot".into()))?
        .len();
    let wavs = recordings_of(dir, &snapshot)?;
    let total = db_size + wavs.iter().map(|w| w.2).sum::<u64>();
    let mut done = 0u64;
    progress(Progress { done, total });
    let mut on_read = |n: u64| {
        done += n;
        progress(Progress { done, total });
    };

    let tmp = crate::downloads::part_path(out);
    let result = (|| {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io(format!("creating {}", tmp.display())))?;
        let mut tar = tar::Builder::new(BufWriter::new(file));
        let mut files = vec![append_file(
            &mut tar,
            DATABASE_NAME,
            &snapshot,
            db_size,
            &mut on_read,
        )?];
        for (id, path, size) in &wavs {
            let name = format!("{RECORDINGS_PREFIX}{id}.wav");
            files.push(append_file(&mut tar, &name, path, *size, &mut on_read)?);
        }
        let manifest = Manifest {
            format_version: FORMAT_VERSION,
            candor_version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version,
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            files,
        };
        let bytes = manifest::to_bytes(&manifest)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, manifest::MANIFEST_NAME, bytes.as_slice())
            .map_err(io("writing the backup".into()))?;
        let mut w = tar.into_inner().map_err(io("writing the backup".into()))?;
        w.flush().map_err(io("writing the backup".into()))?;
        let file = w
            .into_inner()
            .map_err(|e| CoreError::io("writing the backup", e.into_error()))?;
        file.sync_all().map_err(io("writing the backup".into()))?;
        crate::downloads::link_new(&tmp, out).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => taken(out),
            _ => CoreError::io(format!("saving the backup as {}", out.display()), e),
        })
    })();
    let _ = std::fs::remove_file(&tmp);
    result?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(BackupSummary {
        recordings: wavs.len() as u32,
        bytes,
    })
}
