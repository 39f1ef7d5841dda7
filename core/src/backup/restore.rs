//! Restoring a backup: everything is extracted and verified in a staging folder inside the data
//! folder first; only then are the database and recordings swapped in, the old ones kept until
//! the swap succeeded.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::archive::Hashing;
use super::manifest::{self, Manifest, DATABASE_NAME, MANIFEST_NAME, RECORDINGS_PREFIX};
use super::{visible, Progress, ScratchDir, RESTORE_SCRATCH};
use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};
use crate::store::inspect::{self, TakeFacts};

/// The largest manifest read (a manifest lists files; a megabyte is thousands of takes).
const MANIFEST_LIMIT: u64 = 16 * 1024 * 1024;

/// How long a restore waits for another program's write to the live database to end.
const WAIT_FOR_WRITER: Duration = Duration::from_secs(2);

/// What a restore that ran out of room did, and did not, change.
const NOT_RESTORED: &str =
    "Nothing was restored: your data is as it was, and the partly unpacked copy was removed.";

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    /// Recordings restored.
    pub recordings: u32,
    /// When the backup was made (as the archive says, with control characters shown escaped).
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
        return CoreError::io("unpacking the backup", e);
    }
    // The reader's message can quote the archive's header fields: shown escaped.
    bad(format!(
        "the file is damaged or cut short ({})",
        visible(&e.to_string(), 200)
    ))
}

/// The staging folder changed under the restore (something else wrote or removed there).
fn staging_changed(what: &str) -> CoreError {
    CoreError::InvalidInput(format!(
        "The restore's unpacked copy changed on disk before it could be put in place ({what}); \
         another Candor may be restoring into the same folder. Nothing was changed; try again \
         once it has finished."
    ))
}

/// A path for messages, with control characters shown escaped (a file name can hold any).
fn shown(path: &Path) -> String {
    visible(&path.display().to_string(), 300)
}

/// Refuses an archive that lies inside the data folder: a restore replaces what is there
/// (the recordings folder first of all), so the archive would be deleted with it.
pub(crate) fn refuse_inside_data_folder(dir: &DataDir, archive: &Path) -> Result<()> {
    let archive = std::fs::canonicalize(archive).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CoreError::NotFound(shown(archive)),
        _ => CoreError::io(format!("opening {}", shown(archive)), e),
    })?;
    // A data folder that does not exist yet holds nothing.
    let Ok(root) = std::fs::canonicalize(dir.root()) else {
        return Ok(());
    };
    if archive.starts_with(&root) {
        return Err(CoreError::InvalidInput(format!(
            "The backup {} is inside Candor's data folder ({}), which a restore replaces: it \
             would be deleted with the data it replaces. Move it out of that folder (to your \
             Downloads folder, say) and restore it from there. Nothing was changed.",
            shown(&archive),
            shown(&root)
        )));
    }
    Ok(())
}

/// Extracts and checks a backup in a staging folder inside the data folder; the live data is
/// not touched. Everything is checked from the files on disk in staging: their checksums
/// against the manifest, the database (Candor's schema, integrity, foreign keys; migrated to
/// this Candor's schema there) and every take's recording against its row.
pub fn stage(dir: &DataDir, archive: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Staged> {
    refuse_inside_data_folder(dir, archive)?;
    // Only a regular file: a FIFO or a device would block or never end; refused at once.
    let file = crate::input_file::open_regular_file(archive).map_err(|e| match e {
        crate::input_file::InputFileError::Io { source, .. }
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            CoreError::NotFound(shown(archive))
        }
        other => CoreError::from(other),
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let staged = (|| -> Result<Staged> {
        dir.ensure()?;
        let scratch = ScratchDir::new(dir, RESTORE_SCRATCH)?;
        let manifest = extract_and_check(scratch.path(), file, total, progress)?;
        Ok(Staged {
            dir: dir.clone(),
            scratch,
            manifest,
        })
    })();
    staged.map_err(|e| e.when_disk_full("the restore", NOT_RESTORED))
}

/// Unpacks `file` into `staging` and checks everything there; returns the manifest.
fn extract_and_check(
    staging: &Path,
    file: File,
    total: u64,
    progress: &mut dyn FnMut(Progress),
) -> Result<Manifest> {
    let staged_recordings = staging.join("recordings");
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
                "it holds something that is not a file ({})",
                visible(&name, 80)
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
                visible(&name, 80)
            )));
        }
        let dest = staging.join(&name);
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dest)
            .map_err(|e| CoreError::io("writing the staging folder", e))?;
        let mut reader = Hashing::new(&mut entry, &mut on_read);
        std::io::copy(&mut reader, &mut out).map_err(|e| {
            // A write that failed is the disk's doing; a read that failed is the archive's.
            if crate::error::is_disk_full(&e) {
                CoreError::io("writing the staging folder", e)
            } else {
                damaged(e)
            }
        })?;
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
    // What was hashed while writing is not what will be swapped in: the files left on disk are.
    verify_on_disk(staging, &manifest)?;
    let takes = check_database(&staging.join(DATABASE_NAME), manifest.schema_version)?;
    check_recordings(staging, &manifest, &takes)?;
    Ok(manifest)
}

/// Re-reads every staged file from disk against the manifest, and checks nothing else is there.
pub(super) fn verify_on_disk(staging: &Path, manifest: &Manifest) -> Result<()> {
    let listed: HashSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for f in &manifest.files {
        let path = staging.join(&f.path);
        let file =
            File::open(&path).map_err(|_| staging_changed(&format!("{} is gone", f.path)))?;
        let mut ignore = |_| {};
        let mut reader = Hashing::new(file, &mut ignore);
        std::io::copy(&mut reader, &mut std::io::sink())
            .map_err(|e| CoreError::io(format!("reading the staged {}", f.path), e))?;
        let (size, sha) = reader.finish();
        if size != f.size || sha != f.sha256 {
            return Err(staging_changed(&format!(
                "{} no longer matches its checksum",
                f.path
            )));
        }
    }
    let list = |folder: &Path| -> Result<Vec<String>> {
        std::fs::read_dir(folder)
            .map_err(|e| CoreError::io("reading the staging folder", e))?
            .map(|e| {
                e.map(|e| e.file_name().to_string_lossy().into_owned())
                    .map_err(|e| CoreError::io("reading the staging folder", e))
            })
            .collect()
    };
    for name in list(staging)? {
        if name != DATABASE_NAME && name != "recordings" {
            return Err(staging_changed(&format!("{} appeared", visible(&name, 80))));
        }
    }
    for name in list(&staging.join("recordings"))? {
        if !listed.contains(format!("{RECORDINGS_PREFIX}{name}").as_str()) {
            return Err(staging_changed(&format!(
                "recordings/{} appeared",
                visible(&name, 80)
            )));
        }
    }
    Ok(())
}

/// SQLite's words about the staged database, which can quote its (foreign) names: escaped.
fn unusable(e: rusqlite::Error) -> CoreError {
    if crate::error::is_sqlite_full(&e) {
        return e.into();
    }
    bad(format!(
        "its database cannot be read ({})",
        visible(&e.to_string(), 200)
    ))
}

/// Checks the staged database is sound, Candor's, and at the version the manifest says; migrates
/// it to this Candor's schema; returns its takes.
fn check_database(path: &Path, schema_version: i64) -> Result<Vec<TakeFacts>> {
    {
        let conn = inspect::open(path).map_err(unusable)?;
        let version: i64 = inspect::user_version(&conn).map_err(unusable)?;
        if version != schema_version {
            return Err(bad(format!(
                "its database is at schema {version}, not {schema_version} as listed"
            )));
        }
        // integrity_check does all quick_check does, and also checks every index against its table.
        let ok: String = inspect::integrity(&conn).map_err(unusable)?;
        if ok != "ok" {
            return Err(bad(format!(
                "its database is damaged ({})",
                visible(&ok, 200)
            )));
        }
    }
    // Brought up to this Candor's schema here, so a failure changes nothing live.
    drop(crate::store::Store::open(path).map_err(|e| match e {
        e if e.is_disk_full() => e,
        CoreError::CorruptDatabase { detail } => bad(format!(
            "its database is damaged ({})",
            visible(&detail, 200)
        )),
        other => bad(format!(
            "its database cannot be brought up to this Candor's schema ({})",
            visible(&other.to_string(), 200)
        )),
    })?);
    let conn = inspect::open(path).map_err(unusable)?;
    check_schema(&conn)?;
    let dangling: Vec<String> = inspect::dangling_references(&conn).map_err(unusable)?;
    if !dangling.is_empty() {
        return Err(bad(format!(
            "its database has rows that point at rows it lacks (in {})",
            visible(&dangling.join(", "), 200)
        )));
    }
    let takes = inspect::takes(&conn).map_err(unusable)?;
    Ok(takes)
}

fn schema_of(conn: &rusqlite::Connection) -> Result<inspect::Schema> {
    inspect::schema(conn).map_err(unusable)
}

fn columns_of(conn: &rusqlite::Connection, table: &str) -> Result<HashSet<String>> {
    inspect::columns(conn, table).map_err(unusable)
}

/// Checks the migrated database holds every table (with every column), index and trigger that
/// Candor's migrations make, and no trigger or view of anyone else's (they would run inside
/// Candor's own writes).
fn check_schema(conn: &rusqlite::Connection) -> Result<()> {
    let reference = crate::store::Store::open_in_memory()?;
    let want = schema_of(reference.connection_to_compare())?;
    let got = schema_of(conn)?;
    let missing: Vec<&str> = want
        .keys()
        .filter(|k| !got.contains_key(*k))
        .map(|(_, name)| name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "its database is not a Candor database: it lacks {} of Candor's tables and indexes \
             (such as {})",
            missing.len(),
            missing
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    for ((kind, name), (_, sql)) in &want {
        if kind == "table" {
            let have = columns_of(conn, name)?;
            if let Some(col) = columns_of(reference.connection_to_compare(), name)?
                .into_iter()
                .find(|c| !have.contains(c))
            {
                return Err(bad(format!(
                    "its database is not a Candor database: table {name} lacks the column {col}"
                )));
            }
        }
        if kind == "trigger" && got.get(&(kind.clone(), name.clone())).map(|g| &g.1) != Some(sql) {
            return Err(bad(format!(
                "its database is not a Candor database: trigger {name} is not Candor's"
            )));
        }
    }
    if let Some((kind, name)) = got
        .keys()
        .find(|k| (k.0 == "trigger" || k.0 == "view") && !want.contains_key(*k))
    {
        return Err(bad(format!(
            "its database holds a {kind} Candor does not make ({})",
            visible(name, 80)
        )));
    }
    Ok(())
}

/// Checks each take's recording in staging: every recording belongs to a take, and every take
/// with a recording holds as many frames as its row says.
///
/// A finished take with frames but no recording is one whose audio was deleted: Candor records
/// a deletion as the missing file (`recordings::delete_audio` removes it, `recordings::usage`
/// shows the take as "audio deleted"), so such a backup restores as it was. A take still
/// `recording` when the backup was made has no recording in it (its file was being written);
/// the reopen after the swap marks it interrupted, as after a crash. A take whose row counts no
/// frames (nothing, or nothing recoverable, reached the disk) keeps whatever file it has.
fn check_recordings(staging: &Path, manifest: &Manifest, takes: &[TakeFacts]) -> Result<()> {
    let listed: HashSet<&str> = manifest
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix(RECORDINGS_PREFIX)?.strip_suffix(".wav"))
        .collect();
    let ids: HashSet<&str> = takes.iter().map(|t| t.id.as_str()).collect();
    if let Some(orphan) = listed.iter().find(|id| !ids.contains(*id)) {
        return Err(bad(format!(
            "it holds a recording ({orphan}) of no answer in its database"
        )));
    }
    for t in takes {
        if !crate::data_dir::is_take_id(&t.id) {
            return Err(bad(format!(
                "its database names a take '{}' that Candor cannot have made",
                visible(&t.id, 40)
            )));
        }
        if t.status == "recording" || t.frames == 0 || !listed.contains(t.id.as_str()) {
            continue;
        }
        let path = staging
            .join(RECORDINGS_PREFIX)
            .join(format!("{}.wav", t.id));
        // A recording that was already damaged when the backup was made (its bytes match the
        // manifest, checked above) comes back as it was: Review says it is damaged, and every
        // other take restores. A readable recording must hold every frame its take counts.
        if let Some(found) = frames_on_disk(&path, t.sample_rate) {
            if found != t.frames {
                return Err(bad(format!(
                    "the recording of take {} holds {found} frames, but the take says {} frames",
                    t.id, t.frames
                )));
            }
        }
    }
    Ok(())
}

/// The frames a take's WAV really holds: its header in Candor's format at `sample_rate`, and
/// its data all there on disk; `None` when it is not such a file.
fn frames_on_disk(path: &Path, sample_rate: i64) -> Option<i64> {
    let rate = u32::try_from(sample_rate).ok()?;
    let len = std::fs::metadata(path).ok()?.len();
    let reader = hound::WavReader::new(File::open(path).ok()?).ok()?;
    if reader.spec() != crate::audio::wav::take_spec(rate) {
        return None;
    }
    let frames = u64::from(reader.duration());
    let data_start = reader.into_inner().stream_position().ok()?;
    let block = u64::from(crate::audio::wav::take_spec(rate).bits_per_sample / 8);
    (len >= data_start + frames * block).then(|| i64::try_from(frames).ok())?
}

use crate::data_dir::swap::{mark, remove_any, OLD_PREFIX, OUT_DONE, SWAPPED, SWAP_DONE};

/// Refuses the swap while a program that is not Candor (every Candor holds the folder's lock,
/// which the restore has alone) is writing to the live database: its commit would land in the
/// database moved aside, and be lost with it. A live database that does not open as SQLite
/// (damaged) is replaced unread, as before; only a regular file is asked (a FIFO would block).
fn refuse_while_written(dir: &DataDir) -> Result<()> {
    let db = dir.database();
    if !std::fs::metadata(&db).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    if !inspect::held_for_writing(&db, WAIT_FOR_WRITER).unwrap_or(false) {
        return Ok(());
    }
    // Who has it open (readers among them, maybe): a courtesy for the message.
    let holders = crate::platform::processes::with_open(&db);
    let who = if holders.is_empty() {
        String::new()
    } else {
        format!(": {}", holders.join(", "))
    };
    Err(CoreError::FolderBusy(format!(
        "Candor could not restore a backup: another program has the database {} open for \
         writing{who}. Close it or let it finish, then try again. Nothing was changed.",
        shown(&db)
    )))
}

/// Moves `from` to `to`, waiting briefly for a handle held elsewhere (Windows, where a scanner or
/// the indexer may have a file inside open for a moment: `platform::rename`).
fn rename(from: &Path, to: &Path) -> Result<()> {
    crate::platform::rename::rename(from, to)
        .map_err(|e| CoreError::io(format!("moving {} to {}", from.display(), to.display()), e))
}

impl Staged {
    /// The staging folder (tests reach into it as another process could).
    #[cfg(test)]
    pub(super) fn staging(&self) -> &Path {
        self.scratch.path()
    }

    /// The manifest of the staged backup.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Replaces the live database and recordings with the staged ones. The live database must
    /// be closed; another program writing to it is waited for briefly, then refused. On failure
    /// the old data is put back; after a crash half-way, the next start finishes or undoes the
    /// swap (see `finish_interrupted_restore`).
    pub fn swap_in(self) -> Result<RestoreSummary> {
        self.swap().map_err(|e| {
            e.when_disk_full(
                "the restore",
                "Nothing was restored: your data was put back as it was.",
            )
        })
    }

    fn swap(self) -> Result<RestoreSummary> {
        // What was verified must still be there: a missing piece is never skipped. (The
        // database was migrated in staging, so only its presence can be checked now.)
        let staged = |name: &str| self.scratch.path().join(name);
        if !std::fs::symlink_metadata(staged("recordings")).is_ok_and(|m| m.is_dir()) {
            return Err(staging_changed("recordings is gone"));
        }
        for f in &self.manifest.files {
            let ok = std::fs::symlink_metadata(staged(&f.path))
                .is_ok_and(|m| m.is_file() && (f.path == DATABASE_NAME || m.len() == f.size));
            if !ok {
                return Err(staging_changed(&format!("{} is gone or cut short", f.path)));
            }
        }
        refuse_while_written(&self.dir)?;
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
                back &= crate::platform::rename::rename(aside, live).is_ok();
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
            created_at: visible(&self.manifest.created_at, 64),
        })
    }
}
