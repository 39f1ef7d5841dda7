//! Streams a PCM WAV file into 10 ms frames: energy, min/max peaks and whole-file loudness.
//!
//! The header is parsed by hound; the sample data is then read in large chunks straight from the
//! file and decoded in place, without a per-sample call or allocation. Memory is one read buffer
//! plus 8 bytes per 10 ms frame, so it does not grow with the sample count, and a file of more
//! than [`MAX_FRAMES`] frames (24 hours) is refused before it is read, so it is bounded whatever
//! the file's length and sample rate. Only a regular file is opened (a FIFO would block).
//! All channels of a frame are pooled: the frame's energy is the mean power over every channel
//! (out-of-phase channels do not cancel as they would in an `(l + r) / 2` downmix), and its peaks
//! are the lowest and highest sample over every channel.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{CoreError, Result};

/// Length of one analysis frame, in milliseconds.
pub const FRAME_MS: u32 = 10;

/// Bytes read from the file at a time (rounded down to whole frames).
const CHUNK_BYTES: usize = 128 * 1024;

/// Least energy a frame is given, so digital silence has a level (-120 dBFS, as a power).
pub const SILENCE_POWER: f32 = 1e-12;

/// A WAV file reduced to its 10 ms frames.
#[derive(Debug, Clone)]
pub struct FrameTrack {
    /// Frames per second of the file.
    pub sample_rate: u32,
    /// Channels in the file.
    pub channels: u16,
    /// Bits per sample as declared (valid bits for WAVE_FORMAT_EXTENSIBLE).
    pub bits_per_sample: u16,
    /// True for IEEE float samples.
    pub float: bool,
    /// Sample frames read (one sample per channel each).
    pub frames: u64,
    /// Sample frames in one analysis frame (the last one may be shorter).
    pub frame_len: usize,
    /// Energy of each analysis frame: mean square of its samples (1.0 = full-scale square wave),
    /// at least [`SILENCE_POWER`]. Kept linear: no logarithm per frame.
    pub energy: Vec<f32>,
    /// Lowest and highest sample of each analysis frame, scaled to 16-bit full scale.
    pub peaks: Vec<[i16; 2]>,
    /// Root mean square of all samples, linear 0..1.
    pub rms: f64,
    /// Highest absolute sample, linear 0..1.
    pub peak: f64,
}

impl FrameTrack {
    /// Length of one analysis frame in seconds (exactly 10 ms when the rate is a multiple of 100).
    pub fn frame_s(&self) -> f64 {
        self.frame_len as f64 / f64::from(self.sample_rate.max(1))
    }

    /// Length of the file in seconds.
    pub fn duration_s(&self) -> f64 {
        self.frames as f64 / f64::from(self.sample_rate.max(1))
    }
}

/// Most analysis frames kept for one file: 24 hours of 10 ms frames (about 70 MB of frame
/// data). Memory follows the number of analysis frames, never the number of samples, and this
/// bounds it whatever the file's length and sample rate (at 100 Hz a frame is one sample, so a
/// few hundred megabytes of samples would otherwise be gigabytes of frames).
pub const MAX_FRAMES: u64 = 24 * 3600 * (1000 / FRAME_MS as u64);

/// A refusal naming the file; the name is escaped, as it may come from anywhere.
fn bad(path: &Path, reason: impl Into<String>) -> CoreError {
    CoreError::BadAudio {
        path: crate::input_file::display_name(path).into(),
        reason: reason.into(),
    }
}

const READABLE: &str = "Candor reads PCM WAV: 8, 16, 24 or 32-bit integer, or 32-bit float";

/// Most chunks looked through for `fmt `; the crash repair keeps a header only within it too.
pub(crate) const MAX_CHUNKS_BEFORE_FMT: usize = 64;

/// What the `fmt ` chunk says, read before hound so refusals can name the actual encoding.
struct FmtChunk {
    tag: u16,
    channels: u16,
    block_align: u16,
    bits: u16,
}

/// Finds the `fmt ` chunk of a RIFF/WAVE file; `None` when the file is not RIFF/WAVE at all.
fn read_fmt(file: &mut (impl Read + Seek)) -> std::io::Result<Option<FmtChunk>> {
    let mut head = [0u8; 12];
    if file.read_exact(&mut head).is_err() || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Ok(None);
    }
    let mut chunk = [0u8; 8];
    // A handful of chunks precede `fmt ` in practice; stop after a sane number.
    for _ in 0..MAX_CHUNKS_BEFORE_FMT {
        if file.read_exact(&mut chunk).is_err() {
            return Ok(None);
        }
        let len = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
        if &chunk[0..4] == b"fmt " {
            let mut f = [0u8; 40];
            let n = (len as usize).min(40);
            if n < 16 || file.read_exact(&mut f[..n]).is_err() {
                return Ok(None);
            }
            let u16_at = |i: usize| u16::from_le_bytes([f[i], f[i + 1]]);
            let mut tag = u16_at(0);
            if tag == 0xFFFE && n >= 26 {
                // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the SubFormat GUID.
                tag = u16_at(24);
            }
            return Ok(Some(FmtChunk {
                tag,
                channels: u16_at(2),
                block_align: u16_at(12),
                bits: u16_at(14),
            }));
        }
        // Chunks are padded to an even length.
        file.seek(SeekFrom::Current(i64::from(len) + i64::from(len & 1)))?;
    }
    Ok(None)
}

/// Explains in words why an encoding is refused, or `None` if it looks like one Candor reads.
fn refusal(fmt: &FmtChunk) -> Option<String> {
    let name = match fmt.tag {
        1 => return None,
        3 if fmt.bits == 32 => return None,
        3 => return Some(format!("uses {}-bit float samples; {READABLE}", fmt.bits)),
        2 | 0x11 => "ADPCM",
        6 => "A-law",
        7 => "µ-law",
        0x50 | 0x55 => "MPEG",
        _ => return Some(format!("uses encoding 0x{:04X}; {READABLE}", fmt.tag)),
    };
    Some(format!("is {name}-compressed audio; {READABLE}"))
}

/// How one stored sample becomes an integer on a common scale.
trait Decode {
    /// Bytes per stored sample.
    const BYTES: usize;
    /// Bits of the common scale the decoded value is on (16 or 24).
    const SCALE_BITS: u32;
    /// Decodes one little-endian sample (`b` has exactly `BYTES` bytes).
    fn decode(b: &[u8]) -> i32;
    /// Sum of squares, lowest and highest sample of a run of whole samples.
    #[inline(always)]
    fn stats(bytes: &[u8]) -> (f64, i32, i32)
    where
        Self: Sized,
    {
        frame_stats::<Self>(bytes)
    }
}

/// Unsigned 8-bit, raised to the 16-bit scale.
struct U8;
impl Decode for U8 {
    const BYTES: usize = 1;
    const SCALE_BITS: u32 = 16;
    #[inline(always)]
    fn decode(b: &[u8]) -> i32 {
        (i32::from(b[0]) - 128) << 8
    }
}

/// Signed 16-bit.
struct I16;
impl Decode for I16 {
    const BYTES: usize = 2;
    const SCALE_BITS: u32 = 16;
    #[inline(always)]
    fn decode(b: &[u8]) -> i32 {
        i32::from(i16::from_le_bytes([b[0], b[1]]))
    }
    #[inline(always)]
    fn stats(bytes: &[u8]) -> (f64, i32, i32) {
        frame_stats_i16(bytes)
    }
}

/// Signed 24-bit in three bytes.
struct I24;
impl Decode for I24 {
    const BYTES: usize = 3;
    const SCALE_BITS: u32 = 24;
    #[inline(always)]
    fn decode(b: &[u8]) -> i32 {
        i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8
    }
}

/// Signed integer in four bytes (32-bit, or fewer valid bits left-justified), kept to 24 bits.
struct I32;
impl Decode for I32 {
    const BYTES: usize = 4;
    const SCALE_BITS: u32 = 24;
    #[inline(always)]
    fn decode(b: &[u8]) -> i32 {
        i32::from_le_bytes([b[0], b[1], b[2], b[3]]) >> 8
    }
}

/// IEEE 32-bit float, ±1.0 full scale, on the 24-bit scale (saturating far beyond full scale).
struct F32;
impl Decode for F32 {
    const BYTES: usize = 4;
    const SCALE_BITS: u32 = 24;
    #[inline(always)]
    fn decode(b: &[u8]) -> i32 {
        // Clamped to ±2.0 (+6 dBFS) so squares cannot overflow; `as` maps NaN to 0.
        (f32::from_le_bytes([b[0], b[1], b[2], b[3]]).clamp(-2.0, 2.0) * 8_388_608.0) as i32
    }
}

/// Independent accumulators per frame, so the compiler can keep them in vector registers.
const LANES: usize = 16;

/// Combines the lanes pairwise (halving), which stays in vector registers.
#[inline(always)]
fn fold_lanes<T: Copy, const N: usize>(mut v: [T; N], f: impl Fn(T, T) -> T) -> T {
    let mut width = N / 2;
    while width > 0 {
        for i in 0..width {
            v[i] = f(v[i], v[i + width]);
        }
        width /= 2;
    }
    v[0]
}

/// Sum of squares, lowest and highest decoded sample of a run of whole samples.
///
/// Works in `f32` lanes: every supported sample is exact in `f32` (at most 24 significant bits),
/// squares and sums keep 24 bits of precision, ample for an energy in dB, and min, max, multiply
/// and add on `f32` vectorize with baseline SSE2.
#[inline(always)]
fn frame_stats<D: Decode>(bytes: &[u8]) -> (f64, i32, i32) {
    let mut sum = [0f32; LANES];
    let mut lo = [f32::MAX; LANES];
    let mut hi = [f32::MIN; LANES];
    let mut blocks = bytes.chunks_exact(D::BYTES * LANES);
    for block in &mut blocks {
        for (l, b) in block.chunks_exact(D::BYTES).enumerate() {
            let v = D::decode(b) as f32;
            sum[l] += v * v;
            lo[l] = if v < lo[l] { v } else { lo[l] };
            hi[l] = if v > hi[l] { v } else { hi[l] };
        }
    }
    for b in blocks.remainder().chunks_exact(D::BYTES) {
        let v = D::decode(b) as f32;
        sum[0] += v * v;
        lo[0] = if v < lo[0] { v } else { lo[0] };
        hi[0] = if v > hi[0] { v } else { hi[0] };
    }
    let ss = fold_lanes(sum, |a, b| a + b);
    let lo = fold_lanes(lo, |a, b| if b < a { b } else { a });
    let hi = fold_lanes(hi, |a, b| if b > a { b } else { a });
    // Both are decoded integers (or the start values, never left for a non-empty frame).
    (f64::from(ss), lo as i32, hi as i32)
}

/// [`frame_stats`] for 16-bit samples (Candor's own format), staying in 16-bit integers.
///
/// Squares are summed in pairs in 32 bits (one SSE2 `pmaddwd` per 8 samples) and then in `f32`
/// lanes; min and max stay 16-bit. Samples are first clamped to ±32767 so that a pair of squares
/// always fits in an `i32` (−32768 reads as −32767: 0.0003 dB, invisible in any figure).
#[inline(always)]
fn frame_stats_i16(bytes: &[u8]) -> (f64, i32, i32) {
    const N: usize = 8;
    let mut sum = [0f32; N / 2];
    let mut lo = [i16::MAX; N];
    let mut hi = [i16::MIN; N];
    let mut blocks = bytes.chunks_exact(2 * N);
    for block in &mut blocks {
        let mut v = [0i16; N];
        for (x, b) in v.iter_mut().zip(block.chunks_exact(2)) {
            *x = i16::from_le_bytes([b[0], b[1]]).max(-i16::MAX);
        }
        for (i, s) in sum.iter_mut().enumerate() {
            let (a, b) = (i32::from(v[2 * i]), i32::from(v[2 * i + 1]));
            *s += (a * a + b * b) as f32;
        }
        for i in 0..N {
            lo[i] = lo[i].min(v[i]);
            hi[i] = hi[i].max(v[i]);
        }
    }
    let mut tail = 0f32;
    for b in blocks.remainder().chunks_exact(2) {
        let v = i16::from_le_bytes([b[0], b[1]]).max(-i16::MAX);
        tail += f32::from(v) * f32::from(v);
        lo[0] = lo[0].min(v);
        hi[0] = hi[0].max(v);
    }
    let ss = fold_lanes(sum, |a, b| a + b) + tail;
    let lo = lo.iter().fold(i16::MAX, |a, &b| a.min(b));
    let hi = hi.iter().fold(i16::MIN, |a, &b| a.max(b));
    (f64::from(ss), i32::from(lo), i32::from(hi))
}

/// Fills `buf` from `r` as far as the data goes; returns the bytes read.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Layout of the sample data, as found in the header.
struct Layout {
    block_align: usize,
    frame_len: usize,
    data_bytes: u64,
}

/// Reads every frame of the data with decoder `D`, reporting progress as a fraction.
fn scan<D: Decode>(
    reader: &mut impl Read,
    layout: &Layout,
    track: &mut FrameTrack,
    progress: &mut dyn FnMut(f32),
) -> std::io::Result<()> {
    let frame_bytes = layout.frame_len * layout.block_align;
    let mut buf = vec![0u8; (CHUNK_BYTES / frame_bytes).max(1) * frame_bytes];
    let full = f64::from(1u32 << (D::SCALE_BITS - 1));
    let inv_full_sq = 1.0 / (full * full);
    let to_i16 = D::SCALE_BITS - 16;
    let (mut total_ss, mut total_n, mut lo_all, mut hi_all) = (0f64, 0u64, 0i32, 0i32);
    let (mut done, mut reported) = (0u64, 0f32);
    loop {
        let want = (layout.data_bytes - done).min(buf.len() as u64) as usize;
        if want == 0 {
            break;
        }
        let got = fill(reader, &mut buf[..want])?;
        done += got as u64;
        // A file cut short (a crash mid-write) keeps what is there, to the last whole sample frame.
        let whole = got - got % layout.block_align;
        for frame in buf[..whole].chunks(frame_bytes) {
            let (ss, lo, hi) = D::stats(frame);
            let n = (frame.len() / D::BYTES) as u64;
            total_ss += ss;
            total_n += n;
            lo_all = lo_all.min(lo);
            hi_all = hi_all.max(hi);
            let power = (ss / n as f64 * inv_full_sq) as f32;
            track.energy.push(power.max(SILENCE_POWER));
            let narrow = |v: i32| (v >> to_i16).clamp(i32::from(i16::MIN), i32::from(i16::MAX));
            // `clamp` keeps both ends inside i16, so these casts cannot truncate.
            track.peaks.push([narrow(lo) as i16, narrow(hi) as i16]);
        }
        track.frames += (whole / layout.block_align) as u64;
        if got < want {
            break;
        }
        let f = (done as f64 / layout.data_bytes as f64) as f32;
        if f - reported >= 0.01 {
            reported = f;
            progress(f);
        }
    }
    if total_n > 0 {
        track.rms = (total_ss / total_n as f64 * inv_full_sq).sqrt();
        track.peak = f64::from(lo_all.unsigned_abs().max(hi_all.unsigned_abs())) / full;
    }
    progress(1.0);
    Ok(())
}

/// Reads a PCM WAV file (8/16/24/32-bit integer or 32-bit float, any channels and rate) into frames.
///
/// Only a regular file is read: a FIFO, a device or a folder is refused at once.
pub fn read_frames(path: &Path, progress: &mut dyn FnMut(f32)) -> Result<FrameTrack> {
    let file: File =
        crate::input_file::open_regular_file(path).map_err(|e| bad(path, e.reason()))?;
    read_frames_from(std::io::BufReader::new(file), path, progress)
}

/// [`read_frames`] over any seekable source (bytes in memory, for checks and fuzzing);
/// `path` only names the source in errors.
pub fn read_frames_from<R: Read + Seek>(
    mut file: R,
    path: &Path,
    progress: &mut dyn FnMut(f32),
) -> Result<FrameTrack> {
    let fmt = read_fmt(&mut file)
        .map_err(|e| bad(path, format!("cannot be read: {e}")))?
        .ok_or_else(|| {
            bad(
                path,
                format!("is not a PCM WAV file Candor can read; {READABLE}"),
            )
        })?;
    if let Some(reason) = refusal(&fmt) {
        return Err(bad(path, reason));
    }
    // What is really there bounds what is read, whatever the header declares.
    let stream_len = file
        .seek(SeekFrom::End(0))
        .and_then(|len| file.rewind().map(|()| len))
        .map_err(|e| bad(path, format!("cannot be read: {e}")))?;
    let reader = hound::WavReader::new(file).map_err(|e| match e {
        hound::Error::IoError(io) => bad(path, format!("has a damaged header ({io})")),
        other => bad(
            path,
            format!("is not a PCM WAV file Candor can read ({other}); {READABLE}"),
        ),
    })?;
    let spec = reader.spec();
    let channels = spec.channels.max(1);
    let container = usize::from(fmt.block_align / channels);
    if spec.sample_rate == 0 || fmt.channels != channels {
        return Err(bad(
            path,
            "has a malformed header (no sample rate or channels)",
        ));
    }
    let frame_len = ((spec.sample_rate / (1000 / FRAME_MS)) as usize).max(1);
    // Squares of 24-bit samples summed over one frame must fit in 64 bits.
    if frame_len * usize::from(channels) > 1 << 17 {
        return Err(bad(
            path,
            format!(
                "has {channels} channels at {} Hz, more than Candor analyses",
                spec.sample_rate
            ),
        ));
    }
    let declared_bytes = u64::from(reader.len()) * container as u64;
    // hound has read the header and left the reader at the first byte of the samples.
    let mut data = reader.into_inner();
    let start = data
        .stream_position()
        .map_err(|e| bad(path, format!("cannot be read: {e}")))?;
    let layout = Layout {
        block_align: container * usize::from(channels),
        frame_len,
        // A header may declare more than the file holds (a crash, or a hostile file).
        data_bytes: declared_bytes.min(stream_len.saturating_sub(start)),
    };
    let sample_frames = layout.data_bytes / layout.block_align.max(1) as u64;
    let analysis_frames = sample_frames.div_ceil(frame_len as u64);
    if analysis_frames > MAX_FRAMES {
        let rate = f64::from(spec.sample_rate);
        return Err(bad(
            path,
            format!(
                "is {:.1} hours long; Candor analyses at most {:.0} hours of audio at {} Hz (cut it into shorter files)",
                sample_frames as f64 / rate / 3600.0,
                (MAX_FRAMES * frame_len as u64) as f64 / rate / 3600.0,
                spec.sample_rate
            ),
        ));
    }
    // Within MAX_FRAMES, so at most about 70 MB, and only as much as the file really holds.
    let capacity = usize::try_from(analysis_frames).unwrap_or(0);
    let mut track = FrameTrack {
        sample_rate: spec.sample_rate,
        channels,
        bits_per_sample: spec.bits_per_sample,
        float: spec.sample_format == hound::SampleFormat::Float,
        frames: 0,
        frame_len: layout.frame_len,
        energy: Vec::with_capacity(capacity),
        peaks: Vec::with_capacity(capacity),
        rms: 0.0,
        peak: 0.0,
    };
    let r = &mut data;
    let scanned = match (track.float, container) {
        (true, 4) => scan::<F32>(r, &layout, &mut track, progress),
        (false, 1) => scan::<U8>(r, &layout, &mut track, progress),
        (false, 2) => scan::<I16>(r, &layout, &mut track, progress),
        (false, 3) => scan::<I24>(r, &layout, &mut track, progress),
        (false, 4) => scan::<I32>(r, &layout, &mut track, progress),
        _ => {
            return Err(bad(
                path,
                format!(
                    "uses {}-bit samples in {container}-byte containers; {READABLE}",
                    spec.bits_per_sample
                ),
            ))
        }
    };
    scanned.map_err(|e| bad(path, format!("is damaged: {e}")))?;
    Ok(track)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_bytes(spec: hound::WavSpec, frames: u32) -> Vec<u8> {
        let mut c = std::io::Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut c, spec).unwrap();
        for i in 0..frames * u32::from(spec.channels) {
            match (spec.sample_format, spec.bits_per_sample) {
                (hound::SampleFormat::Float, _) => w.write_sample((i % 50) as f32 / 60.0).unwrap(),
                (_, 8) => w.write_sample((i % 50) as i8).unwrap(),
                (_, 16) => w.write_sample((i % 500) as i16).unwrap(),
                _ => w.write_sample((i % 5000) as i32).unwrap(),
            }
        }
        w.finalize().unwrap();
        c.into_inner()
    }

    fn read(bytes: &[u8]) -> Result<FrameTrack> {
        read_frames_from(std::io::Cursor::new(bytes), Path::new("t.wav"), &mut |_| {})
    }

    #[test]
    fn every_truncation_and_damaged_header_is_a_typed_error_or_what_is_there() {
        let int = |bits, channels| hound::WavSpec {
            channels,
            sample_rate: 16_000,
            bits_per_sample: bits,
            sample_format: hound::SampleFormat::Int,
        };
        let float = hound::WavSpec {
            sample_format: hound::SampleFormat::Float,
            bits_per_sample: 32,
            ..int(32, 2)
        };
        for spec in [int(16, 1), int(8, 1), int(24, 2), int(32, 1), float] {
            let bytes = wav_bytes(spec, 400);
            let full = read(&bytes).unwrap();
            assert_eq!(full.frames, 400);
            let header = bytes.len()
                - 400 * usize::from(spec.channels) * usize::from(spec.bits_per_sample / 8);
            for cut in 0..bytes.len() {
                match read(&bytes[..cut]) {
                    // Cut inside the samples: every whole frame that is there is kept.
                    Ok(t) => {
                        assert!(cut >= header, "{spec:?} cut {cut}: read a torn header");
                        assert!(t.frames < 400 && t.peaks.len() == t.energy.len());
                    }
                    Err(e) => {
                        assert_eq!(e.code(), "BadAudio", "{spec:?} cut {cut}: {e}");
                        assert!(cut < header, "{spec:?} cut {cut}: refused the samples: {e}");
                    }
                }
            }
            // Every header byte set to each of a few values: a typed error or a reading, no panic.
            for at in 0..header {
                for v in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                    let mut b = bytes.clone();
                    b[at] = v;
                    if let Err(e) = read(&b) {
                        assert_eq!(e.code(), "BadAudio", "{spec:?} byte {at}={v}: {e}");
                    }
                }
            }
        }
        assert_eq!(read(&[0xAA; 64]).unwrap_err().code(), "BadAudio");
        assert_eq!(read(&[]).unwrap_err().code(), "BadAudio");
    }

    #[test]
    fn the_16_bit_fast_path_agrees_with_the_general_one() {
        let mut seed = 99u32;
        let mut bytes: Vec<u8> = (0..2 * 1003)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 24) as u8
            })
            .collect();
        // Full scale at both ends, in the vector part and in the tail.
        bytes[0..2].copy_from_slice(&i16::MIN.to_le_bytes());
        bytes[2..4].copy_from_slice(&i16::MAX.to_le_bytes());
        bytes[2004..2006].copy_from_slice(&i16::MIN.to_le_bytes());
        for n in [0, 2, 14, 16, 18, 320, 960, 2006] {
            let (fast, general) = (
                frame_stats_i16(&bytes[..n]),
                frame_stats::<I16>(&bytes[..n]),
            );
            assert!(
                (fast.0 - general.0).abs() <= general.0 * 1e-4 + 1.0,
                "{n}: {fast:?} {general:?}"
            );
            if n > 0 {
                // −32768 reads as −32767 on the fast path.
                assert!(
                    (fast.1 - general.1).abs() <= 1 && (fast.2 - general.2).abs() <= 1,
                    "{n}"
                );
            }
        }
    }
}
