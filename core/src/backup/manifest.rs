//! The table of contents of a backup archive: versions, and every file with its size and SHA-256.
//!
//! `parse` is pure (bytes in, manifest or a clear refusal out) so it can be fuzzed.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// The archive format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The name of the manifest inside the archive.
pub const MANIFEST_NAME: &str = "manifest.json";

/// The name of the database snapshot inside the archive.
pub const DATABASE_NAME: &str = "candor.db";

/// The folder of recordings inside the archive.
pub const RECORDINGS_PREFIX: &str = "recordings/";

/// One file of the archive, as the manifest vouches for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path inside the archive (`candor.db` or `recordings/<take id>.wav`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, 64 lowercase hex digits.
    pub sha256: String,
}

/// What a backup holds and which Candor wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Archive format version (see `FORMAT_VERSION`).
    pub format_version: u32,
    /// The Candor version that wrote it.
    pub candor_version: String,
    /// The database schema version of the snapshot.
    pub schema_version: i64,
    /// When the backup was made (UTC, RFC 3339).
    pub created_at: String,
    /// Every other file in the archive.
    pub files: Vec<FileEntry>,
}

/// True for the only paths a backup may hold, so nothing can be written outside the staging folder.
pub fn is_allowed_path(path: &str) -> bool {
    path == DATABASE_NAME
        || path
            .strip_prefix(RECORDINGS_PREFIX)
            .and_then(|rest| rest.strip_suffix(".wav"))
            .is_some_and(crate::data_dir::is_take_id)
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A refusal; `why` can quote the manifest (a JSON error quotes the value it choked on), so
/// it is shown escaped.
fn refuse(why: impl std::fmt::Display) -> CoreError {
    CoreError::BadBackup(format!(
        "its table of contents is damaged ({})",
        super::visible(&why.to_string(), 200)
    ))
}

/// Reads a manifest from its JSON bytes and checks that it is well formed (no I/O).
///
/// A manifest from a newer archive format is refused with `NewerBackup`.
pub fn parse(bytes: &[u8]) -> Result<Manifest> {
    // The format version is read first, so a newer format is reported as such even if its
    // other fields changed shape.
    #[derive(Deserialize)]
    struct Version {
        format_version: u32,
    }
    let version: Version = serde_json::from_slice(bytes).map_err(refuse)?;
    if version.format_version > FORMAT_VERSION {
        return Err(CoreError::NewerBackup(format!(
            "archive format {}, this Candor reads up to {FORMAT_VERSION}",
            version.format_version
        )));
    }
    let m: Manifest = serde_json::from_slice(bytes).map_err(refuse)?;
    if m.format_version == 0 {
        return Err(refuse("format version 0"));
    }
    let mut seen = std::collections::HashSet::new();
    for f in &m.files {
        if !is_allowed_path(&f.path) {
            return Err(refuse(format!(
                "unexpected file '{}'",
                super::visible(&f.path, 80)
            )));
        }
        if !is_sha256_hex(&f.sha256) {
            return Err(refuse(format!("bad checksum for {}", f.path)));
        }
        if !seen.insert(f.path.as_str()) {
            return Err(refuse(format!("{} is listed twice", f.path)));
        }
    }
    if !seen.contains(DATABASE_NAME) {
        return Err(refuse("it lists no database"));
    }
    Ok(m)
}

/// The manifest as pretty JSON bytes.
pub fn to_bytes(m: &Manifest) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(m).map_err(|e| CoreError::Database(format!("encoding manifest: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        Manifest {
            format_version: 1,
            candor_version: "0.1.0".into(),
            schema_version: 4,
            created_at: "2026-11-27T03:00:00Z".into(),
            files: vec![FileEntry {
                path: "candor.db".into(),
                size: 3,
                sha256: "a".repeat(64),
            }],
        }
    }

    #[test]
    fn round_trips_and_refuses_bad_input() {
        let m = sample();
        assert_eq!(parse(&to_bytes(&m).unwrap()).unwrap(), m);
        assert_eq!(parse(b"{not json").unwrap_err().code(), "BadBackup");
        assert_eq!(parse(b"").unwrap_err().code(), "BadBackup");
        let newer = br#"{"format_version": 2, "anything": true}"#;
        assert_eq!(parse(newer).unwrap_err().code(), "NewerBackup");
        let mut escape = sample();
        escape.files[0].path = "../../etc/passwd".into();
        assert_eq!(
            parse(&to_bytes(&escape).unwrap()).unwrap_err().code(),
            "BadBackup"
        );
        let mut no_db = sample();
        no_db.files[0].path = format!("recordings/{}.wav", "0".repeat(32));
        assert!(parse(&to_bytes(&no_db).unwrap()).is_err());
    }

    #[test]
    fn only_known_paths_are_allowed() {
        assert!(is_allowed_path("candor.db"));
        assert!(is_allowed_path(&format!(
            "recordings/{}.wav",
            "ab".repeat(16)
        )));
        for bad in [
            "recordings/../x.wav",
            "/candor.db",
            "recordings/x.wav",
            "manifest.json",
        ] {
            assert!(!is_allowed_path(bad), "{bad}");
        }
    }

    /// What a fuzz target would do, deterministically: damaged manifests give an error, never a panic.
    #[test]
    fn damaged_bytes_never_panic() {
        let good = to_bytes(&sample()).unwrap();
        for cut in 0..good.len() {
            let _ = parse(&good[..cut]);
        }
        let mut seed = 0x2545_f491_u32;
        for _ in 0..5000 {
            let mut b = good.clone();
            for _ in 0..3 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let i = seed as usize % b.len();
                b[i] = (seed >> 8) as u8;
            }
            if let Ok(m) = parse(&b) {
                assert!(m.files.iter().all(|f| is_allowed_path(&f.path)));
            }
        }
    }
}
