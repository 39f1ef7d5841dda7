//! Restoring a backup: everything is extracted and verified in a staging folder inside the data
//! folder first; only then are the database and recordings swapped in, the old ones kept until
//! the swap succeeded.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::archive::Hashing;
use super::manifest::{self, Manifest, DATABASE_NAME, MANIFEST_NAME};
use super::{Progress, ScratchDir};
use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};

/// The largest manifest read (a manifest lists files; a megabyte is thousands of takes).
const MANIFEST_LIMIT: u64 = 16 * 1024 * 1024;

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    /// Recordings restored.
    pub recordings: u32,
    /// When the backup was made.
    pub created_at: String,
}

/// A backup extracted and verified in the staging folder, ready to be swapped in.
pub struct Staged {
    dir: DataDir,
    scratch: ScratchDir,
    manifest: Manifest,
}

fn bad(why: impl Into<String>) -> CoreError {
    CoreError::BadBackup(why.into())
}

fn damaged(e: std::io::Error) -> CoreError {
    if crate::error::is_disk_full(&e) {
        return CoreError::DiskFull;
    }
    bad(format!("the file is damaged or cut short ({e})"))
}

/// Extracts and checks a backup in a staging folder inside the data folder; the live data is
/// not touched. The staged database is migrated to this Candor's schema.
pub fn stage(dir: &DataDir, archive: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Staged> {
    dir.ensure()?;
    let file = File::open(archive).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CoreError::NotFound(format!("{}", archive.display())),
        _ => CoreError::io(format!("opening {}", archive.display()), e),
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let scratch = ScratchDir::new(dir, ".restore-staging")?;
    let staged_recordings = scratch.path().join("recordings");
    std::fs::create_dir_all(&staged_recordings)
        .map_err(|e| CoreError::io("creating the staging folder", e))?;

    let mut done = 0u64;
    progress(Progress { done, total });
    let mut on_read = |n: u64| {
        done += n;
        progress(Progress {
            done: done.min(total),
            total,
        });
    };
    let mut tar = tar::Archive::new(file);
    let mut found: HashMap<String, (u64, String)> = HashMap::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let entries = tar.entries().map_err(damaged)?;
    for entry in entries {
        let mut entry = entry.map_err(damaged)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if !entry.header().entry_type().is_file() {
            return Err(bad(format!(
                "it holds something that is not a file ({name})"
            )));
        }
        if name == MANIFEST_NAME {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MANIFEST_LIMIT)
                .read_to_end(&mut bytes)
                .map_err(damaged)?;
            manifest_bytes = Some(bytes);
            continue;
        }
        if !manifest::is_allowed_path(&name) || found.contains_key(&name) {
            return Err(bad(format!(
                "it holds an unexpected file ({})",
                name.chars().take(80).collect::<String>()
            )));
        }
        let dest = scratch.path().join(&name);
        let mut out =
            File::create(&dest).map_err(|e| CoreError::io("writing the staging folder", e))?;
        let mut reader = Hashing::new(&mut entry, &mut on_read);
        std::io::copy(&mut reader, &mut out).map_err(damaged)?;
        let (size, sha) = reader.finish();
        out.sync_all()
            .map_err(|e| CoreError::io("writing the staging folder", e))?;
        found.insert(name, (size, sha));
    }
    let manifest_bytes = manifest_bytes.ok_or_else(|| {
        bad("its table of contents is missing; the file may be cut short or not a Candor backup")
    })?;
    let manifest = manifest::parse(&manifest_bytes)?;
    if manifest.schema_version > crate::store::schema_version() {
        return Err(CoreError::NewerBackup(format!(
            "database schema {}, this Candor knows up to {}",
            manifest.schema_version,
            crate::store::schema_version()
        )));
    }
    for f in &manifest.files {
        match found.remove(&f.path) {
            None => return Err(bad(format!("{} is missing from it", f.path))),
            Some((size, sha)) if size != f.size || sha != f.sha256 => {
                return Err(bad(format!("{} does not match its checksum", f.path)))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = found.keys().next() {
        return Err(bad(format!(
            "{extra} is not listed in its table of contents"
        )));
    }
    check_database(&scratch.path().join(DATABASE_NAME), manifest.schema_version)?;
    Ok(Staged {
        dir: dir.clone(),
        scratch,
        manifest,
    })
}

/// Checks the staged database is sound and at the version the manifest says, then migrates it.
fn check_database(path: &Path, schema_version: i64) -> Result<()> {
    let unusable = |e: rusqlite::Error| bad(format!("its database cannot be read ({e})"));
    {
        let conn = rusqlite::Connection::open(path).map_err(unusable)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(unusable)?;
        if version != schema_version {
            return Err(bad(format!(
                "its database is at schema {version}, not {schema_version} as listed"
            )));
        }
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(unusable)?;
        if ok != "ok" {
            return Err(bad(format!("its database is damaged ({ok})")));
        }
    }
    // Brought up to this Candor's schema here, so a failure changes nothing live.
    drop(crate::store::Store::open(path)?);
    Ok(())
}

/// What a restore replaces in the data folder: the database, its WAL companions, the recordings.
const SWAPPED: [&str; 4] = ["candor.db", "candor.db-wal", "candor.db-shm", "recordings"];

/// Folders holding the data a restore replaced, kept until the swap succeeded.
const OLD_PREFIX: &str = ".restore-old-";
/// Written in the old-data folder once everything live was moved into it.
const OUT_DONE: &str = "moved-out";
/// Written in the old-data folder once the restored data is in place.
const SWAP_DONE: &str = "swapped";

fn mark(dir: &Path, name: &str) -> Result<()> {
    let p = dir.join(name);
    std::fs::write(&p, b"").map_err(|e| CoreError::io(format!("writing {}", p.display()), e))
}

fn remove_any(p: &Path) {
    if p.is_dir() {
        let _ = std::fs::remove_dir_all(p);
    } else {
        let _ = std::fs::remove_file(p);
    }
}

/// Finishes or undoes a restore that a crash interrupted half-way: if the restored data was
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
                rename(&aside, &live)?;
            } else if out_done {
                // Not there before the swap: it came from the backup.
                remove_any(&live);
            }
        }
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .map_err(|e| CoreError::io(format!("moving {} to {}", from.display(), to.display()), e))
}

impl Staged {
    /// The manifest of the staged backup.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Replaces the live database and recordings with the staged ones. The live database must
    /// be closed. On failure the old data is put back; after a crash half-way, the next start
    /// finishes or undoes the swap (see `finish_interrupted_restore`).
    pub fn swap_in(self) -> Result<RestoreSummary> {
        let root = self.dir.root().to_path_buf();
        let old = root.join(format!("{OLD_PREFIX}{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&old)
            .map_err(|e| CoreError::io(format!("creating {}", old.display()), e))?;
        let mut moved_out: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut moved_in: Vec<PathBuf> = Vec::new();
        let result = (|| {
            for name in SWAPPED {
                let live = root.join(name);
                if live.exists() {
                    let aside = old.join(name);
                    rename(&live, &aside)?;
                    moved_out.push((aside, live));
                }
            }
            mark(&old, OUT_DONE)?;
            for name in SWAPPED {
                let staged = self.scratch.path().join(name);
                if staged.exists() {
                    let live = root.join(name);
                    rename(&staged, &live)?;
                    moved_in.push(live);
                }
            }
            mark(&old, SWAP_DONE)
        })();
        if let Err(e) = result {
            // Put the old data back as it was.
            for p in &moved_in {
                remove_any(p);
            }
            let mut back = true;
            for (aside, live) in moved_out.iter().rev() {
                back &= std::fs::rename(aside, live).is_ok();
            }
            if back {
                let _ = std::fs::remove_dir_all(&old);
            }
            return Err(e);
        }
        let _ = std::fs::remove_dir_all(&old);
        let recordings = self
            .manifest
            .files
            .iter()
            .filter(|f| f.path != DATABASE_NAME)
            .count() as u32;
        Ok(RestoreSummary {
            recordings,
            created_at: self.manifest.created_at.clone(),
        })
    }
}
