//! WAV files as Candor writes them: the spec, verification after stop, and header repair after a crash.

use std::fs::OpenOptions;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::error::{CoreError, Result};

/// The WAV format of a take: mono, 16-bit integer PCM, at the take's rate.
pub fn take_spec(sample_rate: u32) -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

/// Reads a finished take back and checks it holds the expected spec and number of frames.
pub fn verify(path: &Path, sample_rate: u32, frames: u64) -> Result<()> {
    let reader = hound::WavReader::open(path).map_err(|e| bad(path, e.to_string()))?;
    let spec = reader.spec();
    if spec != take_spec(sample_rate) {
        return Err(bad(
            path,
            format!("unexpected format after writing: {spec:?}"),
        ));
    }
    if u64::from(reader.duration()) != frames {
        return Err(bad(
            path,
            format!(
                "holds {} frames after writing, expected {frames}",
                reader.duration()
            ),
        ));
    }
    Ok(())
}

fn bad(path: &Path, reason: String) -> CoreError {
    CoreError::BadAudio {
        path: path.to_path_buf(),
        reason,
    }
}

/// The canonical header hound writes for `spec` with no samples (44 bytes for mono 16-bit PCM).
fn empty_header(spec: hound::WavSpec) -> Result<Vec<u8>> {
    let mut cursor = Cursor::new(Vec::new());
    let writer = hound::WavWriter::new(&mut cursor, spec)
        .map_err(|e| CoreError::WriteFailed(e.to_string()))?;
    writer
        .finalize()
        .map_err(|e| CoreError::WriteFailed(e.to_string()))?;
    Ok(cursor.into_inner())
}

/// Where a parsed header says the data chunk's size field and its samples are.
struct Layout {
    data_size_at: u64,
    data_start: u64,
}

/// Finds the data chunk of a RIFF/WAVE header whose fmt chunk matches `spec`.
fn parse_layout(head: &[u8], spec: hound::WavSpec) -> Option<Layout> {
    if head.len() < 12 || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return None;
    }
    let mut pos = 12usize;
    let mut fmt_ok = false;
    let mut seen_fmt = false;
    let mut chunks = 0;
    while pos + 8 <= head.len() {
        // The reader gives up on a header with this many chunks: so does the repair (it rewrites it).
        chunks += 1;
        if chunks > crate::analysis::wav_frames::MAX_CHUNKS_BEFORE_FMT {
            return None;
        }
        let id = &head[pos..pos + 4];
        let size = u32::from_le_bytes(head[pos + 4..pos + 8].try_into().ok()?) as usize;
        let body = pos + 8;
        if id == b"data" {
            return fmt_ok.then_some(Layout {
                data_size_at: pos as u64 + 4,
                data_start: body as u64,
            });
        }
        // hound steps over a chunk by its size without the pad byte of an odd size, and reads
        // fmt chunks of 16, 18 or 40 bytes only: anything else is a header to rewrite.
        if size & 1 == 1 {
            return None;
        }
        if id == b"fmt " {
            if seen_fmt || ![16, 18, 40].contains(&size) {
                // Readers differ on which of two fmt chunks counts: treat the header as foreign.
                return None;
            }
            seen_fmt = true;
            let fmt = head.get(body..body + 16)?;
            let tag = u16::from_le_bytes([fmt[0], fmt[1]]);
            let channels = u16::from_le_bytes([fmt[2], fmt[3]]);
            let rate = u32::from_le_bytes([fmt[4], fmt[5], fmt[6], fmt[7]]);
            let byte_rate = u32::from_le_bytes([fmt[8], fmt[9], fmt[10], fmt[11]]);
            let block_align = u16::from_le_bytes([fmt[12], fmt[13]]);
            let bits = u16::from_le_bytes([fmt[14], fmt[15]]);
            let want_align = spec.channels * (spec.bits_per_sample / 8);
            // Every field must be the take's own: a header hound accepts but a player (or the
            // analysis) refuses, such as a zero block align, is rewritten too.
            fmt_ok = tag == 1
                && channels == spec.channels
                && rate == spec.sample_rate
                && bits == spec.bits_per_sample
                && block_align == want_align
                && byte_rate == spec.sample_rate * u32::from(want_align);
        }
        pos = body.checked_add(size)?.checked_add(size & 1)?;
    }
    None
}

/// Repairs a take's WAV left with stale sizes (or a torn header) by a crash, from the file's length.
///
/// Keeps every whole frame that reached the disk and returns how many frames the file now holds.
pub fn repair(path: &Path, sample_rate: u32) -> Result<u64> {
    let spec = take_spec(sample_rate);
    let ctx = |what: &str| format!("{what} {}", path.display());
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| CoreError::io(ctx("opening"), e))?;
    let len = file
        .metadata()
        .map_err(|e| CoreError::io(ctx("reading the size of"), e))?
        .len();
    let mut head = vec![0u8; len.min(4096) as usize];
    file.read_exact(&mut head)
        .map_err(|e| CoreError::io(ctx("reading"), e))?;

    let layout = match parse_layout(&head, spec) {
        Some(layout) => layout,
        None => {
            // A torn or foreign header: write the canonical one; samples start right after it.
            let header = empty_header(spec)?;
            file.seek(SeekFrom::Start(0))
                .and_then(|_| file.write_all(&header))
                .map_err(|e| CoreError::io(ctx("writing the header of"), e))?;
            Layout {
                data_size_at: header.len() as u64 - 4,
                data_start: header.len() as u64,
            }
        }
    };
    let len = len.max(layout.data_start);
    let block = u64::from(spec.channels) * u64::from(spec.bits_per_sample / 8);
    let max_data = u64::from(u32::MAX) - layout.data_start;
    let data_bytes = ((len - layout.data_start) / block * block).min(max_data / block * block);
    let total = layout.data_start + data_bytes;
    let riff_size = u32::try_from(total - 8).unwrap_or(u32::MAX);
    let data_size = u32::try_from(data_bytes).unwrap_or(u32::MAX);
    file.set_len(total)
        .and_then(|_| file.seek(SeekFrom::Start(4)))
        .and_then(|_| file.write_all(&riff_size.to_le_bytes()))
        .and_then(|_| file.seek(SeekFrom::Start(layout.data_size_at)))
        .and_then(|_| file.write_all(&data_size.to_le_bytes()))
        .and_then(|_| file.sync_all())
        .map_err(|e| CoreError::io(ctx("repairing"), e))?;
    drop(file);
    let frames = data_bytes / block;
    verify(path, sample_rate, frames)?;
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_take(path: &Path, samples: &[i16]) {
        let mut w = hound::WavWriter::create(path, take_spec(16_000)).unwrap();
        for s in samples {
            w.write_sample(*s).unwrap();
        }
        w.finalize().unwrap();
    }

    fn read(path: &Path) -> Vec<i16> {
        hound::WavReader::open(path)
            .unwrap()
            .samples::<i16>()
            .map(|s| s.unwrap())
            .collect()
    }

    #[test]
    fn canonical_header_is_44_bytes() {
        assert_eq!(empty_header(take_spec(16_000)).unwrap().len(), 44);
    }

    #[test]
    fn repair_at_every_truncation_offset_keeps_every_whole_frame() {
        let dir = tempfile::tempdir().unwrap();
        let full = dir.path().join("full.wav");
        let samples: Vec<i16> = (0..300).map(|i| (i * 97 % 2000 - 1000) as i16).collect();
        write_take(&full, &samples);
        let bytes = std::fs::read(&full).unwrap();
        for cut in 0..=bytes.len() {
            let p = dir.path().join("cut.wav");
            std::fs::write(&p, &bytes[..cut]).unwrap();
            let frames = repair(&p, 16_000).unwrap_or_else(|e| panic!("cut {cut}: {e}"));
            let expect = cut.saturating_sub(44) / 2;
            assert_eq!(frames as usize, expect, "cut {cut}");
            assert_eq!(read(&p), samples[..expect], "cut {cut}");
        }
    }

    #[test]
    fn repair_of_a_crash_left_file_with_zero_sizes() {
        // hound writes zero sizes until the first flush: a crash before it leaves those.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("crash.wav");
        let samples: Vec<i16> = (0..1000).map(|i| i as i16).collect();
        write_take(&p, &samples);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[4..8].copy_from_slice(&0u32.to_le_bytes());
        bytes[40..44].copy_from_slice(&0u32.to_le_bytes());
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(repair(&p, 16_000).unwrap(), 1000);
        assert_eq!(read(&p), samples);
    }

    #[test]
    fn repair_of_garbage_header_rewrites_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("garbage.wav");
        let mut bytes = vec![0xAAu8; 44];
        bytes.extend_from_slice(&[1, 0, 2, 0, 3, 0]);
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(repair(&p, 16_000).unwrap(), 3);
        assert_eq!(read(&p), vec![1, 2, 3]);
    }

    #[test]
    fn repair_rewrites_a_header_with_a_zero_block_align() {
        // Found by the wav_repair fuzz target (there, a bad fmt chunk followed by a good one):
        // hound accepted the header, the reader did not.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("align.wav");
        write_take(&p, &[5, 6, 7, 8]);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[32..34].copy_from_slice(&0u16.to_le_bytes());
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(repair(&p, 16_000).unwrap(), 4);
        let t = crate::analysis::read_frames(&p, &mut |_| {}).unwrap();
        assert_eq!(t.frames, 4);
        assert_eq!(read(&p), vec![5, 6, 7, 8]);
        // Two fmt chunks, the first with a zero block align: rewritten as well.
        let mut two = bytes[..36].to_vec();
        two.extend_from_slice(b"fmt ");
        two.extend_from_slice(&16u32.to_le_bytes());
        let good = std::fs::read(&p).unwrap();
        two.extend_from_slice(&good[20..36]);
        two.extend_from_slice(&good[36..]);
        std::fs::write(&p, &two).unwrap();
        repair(&p, 16_000).unwrap();
        assert!(crate::analysis::read_frames(&p, &mut |_| {}).is_ok());
    }

    #[test]
    fn repair_rewrites_a_header_with_more_chunks_than_the_reader_reads() {
        // Found by the wav_repair fuzz target: the fmt chunk came after 90 empty chunks.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("chunks.wav");
        write_take(&p, &[1, 2, 3]);
        let good = std::fs::read(&p).unwrap();
        let mut bytes = good[..12].to_vec();
        for _ in 0..90 {
            bytes.extend_from_slice(b"junk\0\0\0\0");
        }
        bytes.extend_from_slice(&good[12..]);
        std::fs::write(&p, &bytes).unwrap();
        repair(&p, 16_000).unwrap();
        assert!(crate::analysis::read_frames(&p, &mut |_| {}).is_ok());
    }

    #[test]
    fn repair_rewrites_headers_hound_would_misread() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("odd.wav");
        write_take(&p, &[1, 2, 3]);
        let good = std::fs::read(&p).unwrap();
        // An odd-sized chunk (with its pad byte) before fmt, and a fmt chunk of 20 bytes.
        let mut odd = good[..12].to_vec();
        odd.extend_from_slice(b"junk\x03\0\0\0abc\0");
        odd.extend_from_slice(&good[12..]);
        let mut wide = good[..16].to_vec();
        wide.extend_from_slice(&20u32.to_le_bytes());
        wide.extend_from_slice(&good[20..36]);
        wide.extend_from_slice(&[0; 4]);
        wide.extend_from_slice(&good[36..]);
        for bytes in [odd, wide] {
            std::fs::write(&p, &bytes).unwrap();
            repair(&p, 16_000).unwrap();
            assert!(crate::analysis::read_frames(&p, &mut |_| {}).is_ok());
        }
    }

    #[test]
    fn verify_reports_frame_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v.wav");
        write_take(&p, &[1, 2, 3]);
        assert!(verify(&p, 16_000, 3).is_ok());
        let err = verify(&p, 16_000, 4).unwrap_err();
        assert_eq!(err.code(), "BadAudio");
    }
}
