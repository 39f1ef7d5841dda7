//! The recordings on disk: how much room each take uses, and deleting a take's audio while its
//! ratings, markers and metrics stay.

use crate::error::{CoreError, Result};
use crate::folder::DataFolder;
use crate::store::{TakeRow, TakeStatus};

/// One take and the room its audio uses.
#[derive(Debug, Clone, PartialEq)]
pub struct TakeUsage {
    /// The take.
    pub take: TakeRow,
    /// Bytes of its WAV (0 when it has none).
    pub bytes: u64,
    /// The take had audio that is no longer on disk (deleted by the user, or lost).
    pub audio_deleted: bool,
}

/// Disk use of all recordings, with one page of the takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    /// Bytes of every take's WAV together.
    pub total_bytes: u64,
    /// Takes in all.
    pub count: u32,
    /// The page of takes asked for, newest first.
    pub takes: Vec<TakeUsage>,
}

/// How much room the recordings use in total, and per take for `limit` takes (at most
/// [`MAX_PAGE`](crate::limits::MAX_PAGE)) after the newest `offset`.
pub fn usage(takes: &DataFolder, offset: u32, limit: u32) -> Result<Usage> {
    let page = (offset as usize)
        ..(offset as usize).saturating_add(limit.min(crate::limits::MAX_PAGE) as usize);
    let mut out = Vec::new();
    let mut total = 0;
    let all = takes.list()?;
    let count = u32::try_from(all.len()).unwrap_or(u32::MAX);
    for (i, take) in all.into_iter().enumerate() {
        let path = takes.dir().take_file(&take.id)?;
        let bytes = match std::fs::metadata(&path) {
            Ok(m) => Some(m.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(CoreError::io(format!("reading {}", path.display()), e)),
        };
        total += bytes.unwrap_or(0);
        if page.contains(&i) {
            out.push(TakeUsage {
                audio_deleted: bytes.is_none()
                    && take.frames > 0
                    && take.status != TakeStatus::Recording,
                bytes: bytes.unwrap_or(0),
                take,
            });
        }
    }
    Ok(Usage {
        total_bytes: total,
        count,
        takes: out,
    })
}

/// Deletes a take's audio only; its ratings, markers and metrics are kept. Returns bytes freed.
pub fn delete_audio(takes: &DataFolder, take_id: &str) -> Result<u64> {
    let take = takes.store().take(take_id)?;
    if take.status == TakeStatus::Recording {
        return Err(CoreError::InvalidInput(
            "This take is still being recorded; stop it first.".into(),
        ));
    }
    let path = takes.dir().take_file(&take.id)?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(CoreError::io(format!("deleting {}", path.display()), e)),
    }
}
