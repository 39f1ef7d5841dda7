//! The capture path: cpal stream on its own thread -> lock-free ring -> writer thread
//! (resample with rubato, 16-bit WAV through hound, header flushed about once a second).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use audioadapter_buffers::direct::InterleavedSlice;
use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{FromSample, Sample, SampleFormat, SizedSample};
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::convert::downmix;
use super::devices::{device_lock, open_error, open_input};
use super::level::LevelMeter;
use super::lost::{LossLog, LostAudio};
use super::pieces::PieceCutter;
use super::wav;
use crate::error::{is_disk_full, is_file_too_large, CoreError, Result};

/// Seconds of device audio the ring buffer holds, so a slow disk never drops samples.
const RING_SECONDS: usize = 10;
/// Frames per resampler call at the device rate.
const CHUNK: usize = 1024;
/// A stream that delivered audio and then went quiet this long is considered lost.
const WATCHDOG: Duration = Duration::from_secs(1);
/// How long Stop waits for the driver to release the stream before giving up on it.
const STOP_TIMEOUT: Duration = Duration::from_secs(3);
/// How long to wait for the first buffer before giving up on a device.
const FIRST_BUFFER_TIMEOUT: Duration = Duration::from_secs(6);
/// Places of loss the callback can report before the writer reads them (one per place where
/// the ring made room again, however long it stayed full); more still count in `overruns`.
const LOSS_EVENTS: usize = 1024;

/// What a recording should capture.
#[derive(Debug, Clone)]
pub struct CaptureOptions {
    /// Stable id of the input device; `None` for the system default.
    pub device_id: Option<String>,
    /// Rate of the WAV written (16 kHz by default; 24 and 48 kHz in settings).
    pub sample_rate: u32,
    /// Stop by itself after this many seconds of audio, counted in device frames.
    pub max_seconds: Option<f64>,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        CaptureOptions {
            device_id: None,
            sample_rate: 16_000,
            max_seconds: None,
        }
    }
}

/// The device a recording runs on, as shown next to the recording indicator.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ActiveDevice {
    /// Stable id.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Rate the device delivers.
    pub sample_rate: u32,
    /// Channels the device delivers (downmixed to mono).
    pub channels: u16,
    /// Sample format the device delivers.
    pub sample_format: String,
    /// True when the requested device was missing and the default was used instead.
    pub fell_back: bool,
}

const FAULT_NONE: u8 = 0;
const FAULT_DEVICE: u8 = 1;
const FAULT_SILENT: u8 = 2;

/// Counters shared by the callback, the capture thread and the writer; all lock-free.
#[derive(Debug, Default)]
struct Shared {
    callbacks: AtomicU64,
    device_frames: AtomicU64,
    overruns: AtomicU64,
    xruns: AtomicU64,
    limit_reached: AtomicBool,
    fault: AtomicU8,
    capture_done: AtomicBool,
    writer_failed: AtomicBool,
    /// The loss going on (the ring still full), which the callback reports once it ends:
    /// frames kept before it, and frames dropped so far (0 for none). Read when capture ends.
    open_loss_at: AtomicU64,
    open_loss_frames: AtomicU64,
}

/// Watches a running recording (elapsed audio, whether capture ended) through atomics.
#[derive(Debug, Clone)]
pub struct Probe {
    shared: Arc<Shared>,
    device_rate: u32,
}

impl Probe {
    /// Seconds of audio received so far, counted in device frames.
    pub fn elapsed_s(&self) -> f64 {
        self.shared.device_frames.load(Ordering::Acquire) as f64
            / f64::from(self.device_rate.max(1))
    }

    /// Seconds of audio lost so far because the ring was full.
    pub fn lost_s(&self) -> f64 {
        self.shared.overruns.load(Ordering::Acquire) as f64 / f64::from(self.device_rate.max(1))
    }

    /// True once capture has ended, by stop or by itself.
    pub fn capture_ended(&self) -> bool {
        self.shared.capture_done.load(Ordering::Acquire)
    }
}

/// A running recording. Dropping it without `stop` still stops and finalizes it.
pub struct Recording {
    shared: Arc<Shared>,
    stop_tx: Option<mpsc::Sender<()>>,
    capture: Option<JoinHandle<()>>,
    writer: Option<JoinHandle<WriterOutcome>>,
    device: ActiveDevice,
    /// The WAV being written; `None` for a mic check.
    path: Option<PathBuf>,
    sample_rate: u32,
}

/// How a recording ended.
#[derive(Debug)]
pub struct Summary {
    /// Frames in the WAV (at `sample_rate`).
    pub frames: u64,
    /// Rate of the WAV.
    pub sample_rate: u32,
    /// Frames received from the device.
    pub device_frames: u64,
    /// Device frames dropped because the ring was full (0 in a healthy run).
    pub overruns: u64,
    /// The audio those dropped frames were: seconds, and where in the file it is missing.
    pub lost: LostAudio,
    /// Overruns reported by the audio backend.
    pub xruns: u64,
    /// The device used.
    pub device: ActiveDevice,
    /// Why the recording ended early, if it did; the file holds everything up to then.
    pub fault: Option<CoreError>,
}

impl Summary {
    /// Length of the take in seconds.
    pub fn duration_s(&self) -> f64 {
        self.frames as f64 / f64::from(self.sample_rate.max(1))
    }
}

struct WriterOutcome {
    frames: u64,
    error: Option<CoreError>,
    /// The losses the writer placed in the file.
    losses: LossLog,
}

/// A loss the callback reports to the writer: `frames` dropped after `at` frames were kept.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Loss {
    at: u64,
    frames: u64,
}

/// The callback's side of the capture: the rings it pushes into and what it has counted.
struct Feed {
    samples: rtrb::Producer<f32>,
    losses: rtrb::Producer<Loss>,
    /// Device frames to take in all; later ones are not wanted (nor lost).
    max_frames: u64,
    frames_seen: u64,
    frames_kept: u64,
    /// The loss going on: frames dropped since the last frame kept (`frames` 0 for none).
    open: Loss,
}

impl Feed {
    fn new(samples: rtrb::Producer<f32>, losses: rtrb::Producer<Loss>, max_frames: u64) -> Self {
        Feed {
            samples,
            losses,
            max_frames,
            frames_seen: 0,
            frames_kept: 0,
            open: Loss::default(),
        }
    }

    /// The callback's work: downmixes a buffer into the ring, counting and placing what does
    /// not fit. Real-time path: atomics and the preallocated rings only.
    fn push<T>(&mut self, data: &[T], channels: usize, shared: &Shared, level: &LevelMeter)
    where
        T: Sample,
        f32: FromSample<T>,
    {
        let frames = (data.len() / channels) as u64;
        let wanted = frames.min(self.max_frames.saturating_sub(self.frames_seen));
        let room = self.samples.slots() as u64;
        let kept = wanted.min(room);
        let mut peak = 0f32;
        let mut sum_sq = 0f32;
        // `kept` fits in usize: it is at most the ring's slot count.
        let kept_samples = kept as usize * channels;
        if let Ok(chunk) = self.samples.write_chunk_uninit(kept as usize) {
            chunk.fill_from_iter(downmix(&data[..kept_samples], channels).inspect(|s| {
                peak = peak.max(s.abs());
                sum_sq += s * s;
            }));
        }
        if kept > 0 {
            level.publish(peak, (sum_sq / kept as f32).sqrt());
            self.frames_kept += kept;
            if self.open.frames > 0 {
                // Audio kept again: the loss before it is whole; the writer places it. Cleared
                // first, so the writer never counts it twice; a full report ring leaves it
                // counted in `overruns` only.
                shared.open_loss_frames.store(0, Ordering::Release);
                let _ = self.losses.push(self.open);
                self.open.frames = 0;
            }
        }
        if wanted > kept {
            let dropped = wanted - kept;
            shared.overruns.fetch_add(dropped, Ordering::Relaxed);
            // While the ring stays full every drop is at the same place: one report for all.
            if self.open.frames == 0 {
                self.open.at = self.frames_kept;
                shared.open_loss_at.store(self.open.at, Ordering::Relaxed);
            }
            self.open.frames += dropped;
            shared
                .open_loss_frames
                .store(self.open.frames, Ordering::Release);
        }
        self.frames_seen += wanted;
        shared
            .device_frames
            .store(self.frames_seen, Ordering::Release);
        if self.frames_seen >= self.max_frames {
            shared.limit_reached.store(true, Ordering::Release);
        }
    }
}

fn build_stream<T>(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    mut feed: Feed,
    shared: Arc<Shared>,
    level: Arc<LevelMeter>,
) -> std::result::Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    let err_shared = shared.clone();
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], _: &cpal::InputCallbackInfo| {
            // Real-time path: atomics and the preallocated rings only.
            shared.callbacks.fetch_add(1, Ordering::Relaxed);
            feed.push(data, channels, &shared, &level);
        },
        move |err: cpal::Error| match err.kind() {
            cpal::ErrorKind::Xrun => {
                err_shared.xruns.fetch_add(1, Ordering::Relaxed);
            }
            cpal::ErrorKind::RealtimeDenied | cpal::ErrorKind::DeviceChanged => {}
            _ => err_shared.fault.store(FAULT_DEVICE, Ordering::Release),
        },
        None,
    )
}

fn build_any(
    format: SampleFormat,
    device: &cpal::Device,
    config: cpal::StreamConfig,
    feed: Feed,
    shared: Arc<Shared>,
    level: Arc<LevelMeter>,
) -> Result<cpal::Stream> {
    let built = match format {
        SampleFormat::I8 => build_stream::<i8>(device, config, feed, shared, level),
        SampleFormat::I16 => build_stream::<i16>(device, config, feed, shared, level),
        SampleFormat::I24 => build_stream::<cpal::I24>(device, config, feed, shared, level),
        SampleFormat::I32 => build_stream::<i32>(device, config, feed, shared, level),
        SampleFormat::I64 => build_stream::<i64>(device, config, feed, shared, level),
        SampleFormat::U8 => build_stream::<u8>(device, config, feed, shared, level),
        SampleFormat::U16 => build_stream::<u16>(device, config, feed, shared, level),
        SampleFormat::U32 => build_stream::<u32>(device, config, feed, shared, level),
        SampleFormat::U64 => build_stream::<u64>(device, config, feed, shared, level),
        SampleFormat::F32 => build_stream::<f32>(device, config, feed, shared, level),
        SampleFormat::F64 => build_stream::<f64>(device, config, feed, shared, level),
        other => {
            return Err(CoreError::DeviceError(format!(
                "the microphone delivers {other} samples, which Candor cannot record"
            )))
        }
    };
    built.map_err(|e| open_error(&e))
}

impl Recording {
    /// Opens the device, starts capture and the writer, and returns once the first buffer arrived.
    ///
    /// The WAV file at `path` is created before the stream starts.
    pub fn start(opts: &CaptureOptions, path: &Path, level: Arc<LevelMeter>) -> Result<Recording> {
        Self::launch(opts, Some(path), level, None)
    }

    /// `start`, also handing the take to `pieces` as it is written, cut at its pauses (for the
    /// transcriber; the writer never waits on it).
    pub fn start_cut(
        opts: &CaptureOptions,
        path: &Path,
        level: Arc<LevelMeter>,
        pieces: Option<PieceCutter>,
    ) -> Result<Recording> {
        Self::launch(opts, Some(path), level, pieces)
    }

    /// Opens the device for a mic check: levels only, nothing is written anywhere.
    pub fn monitor(opts: &CaptureOptions, level: Arc<LevelMeter>) -> Result<Recording> {
        let opts = CaptureOptions {
            max_seconds: None,
            ..opts.clone()
        };
        Self::launch(&opts, None, level, None)
    }

    fn launch(
        opts: &CaptureOptions,
        path: Option<&Path>,
        level: Arc<LevelMeter>,
        pieces: Option<PieceCutter>,
    ) -> Result<Recording> {
        if !matches!(opts.sample_rate, 8_000..=192_000) {
            return Err(CoreError::InvalidInput(format!(
                "a recording rate of {} Hz is not supported",
                opts.sample_rate
            )));
        }
        let guard = device_lock();
        let opened = open_input(opts.device_id.as_deref())?;
        let supported = opened
            .device
            .default_input_config()
            .map_err(|e| open_error(&e))?;
        drop(guard);
        let mut config = supported.config();
        // ~50 ms periods: a recorder needs no low latency, and fewer wake-ups cost less CPU.
        let wanted = (supported.sample_rate() / 20).max(64);
        config.buffer_size = match supported.buffer_size() {
            cpal::SupportedBufferSize::Range { min, max } => {
                cpal::BufferSize::Fixed(wanted.clamp(*min, *max))
            }
            cpal::SupportedBufferSize::Unknown => cpal::BufferSize::Default,
        };
        let in_rate = config.sample_rate;
        let device = ActiveDevice {
            id: opened.id.clone(),
            name: opened.name.clone(),
            sample_rate: in_rate,
            channels: config.channels,
            sample_format: supported.sample_format().to_string(),
            fell_back: opened.fell_back,
        };
        let max_frames = match opts.max_seconds {
            Some(s) if s.is_finite() && s > 0.0 => (s * f64::from(in_rate)).round() as u64,
            Some(s) => {
                return Err(CoreError::InvalidInput(format!(
                    "cannot record for {s} seconds"
                )))
            }
            None => u64::MAX,
        };

        let wav_writer = match path {
            Some(path) => {
                let file = File::create(path)
                    .map_err(|e| CoreError::io(format!("creating {}", path.display()), e))?;
                Some(
                    hound::WavWriter::new(BufWriter::new(file), wav::take_spec(opts.sample_rate))
                        .map_err(write_error)?,
                )
            }
            None => None,
        };

        let (producer, consumer) = rtrb::RingBuffer::<f32>::new(in_rate as usize * RING_SECONDS);
        let (loss_producer, loss_consumer) = rtrb::RingBuffer::<Loss>::new(LOSS_EVENTS);
        let feed = Feed::new(producer, loss_producer, max_frames);
        let shared = Arc::new(Shared::default());
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<()>>(1);
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        level.reset();

        let cap_shared = shared.clone();
        let format = supported.sample_format();
        let capture = std::thread::Builder::new()
            .name("candor-capture".into())
            .spawn(move || {
                capture_thread(
                    opened.device,
                    format,
                    config,
                    feed,
                    cap_shared,
                    level,
                    ready_tx,
                    stop_rx,
                )
            })
            .map_err(|e| CoreError::io("starting the capture thread", e))?;

        let started = ready_rx
            .recv()
            .unwrap_or_else(|_| Err(CoreError::DeviceError("the capture thread ended".into())));
        if let Err(e) = started {
            let _ = capture.join();
            drop(wav_writer);
            if let Some(path) = path {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }

        let w_shared = shared.clone();
        let out_rate = opts.sample_rate;
        let writer = std::thread::Builder::new()
            .name("candor-writer".into())
            .spawn(move || {
                let losses = Losses {
                    events: loss_consumer,
                    log: LossLog::new(in_rate, out_rate),
                };
                match wav_writer {
                    Some(wav) => {
                        writer_thread(consumer, losses, w_shared, wav, pieces, in_rate, out_rate)
                    }
                    None => drain_thread(consumer, losses, &w_shared),
                }
            })
            .map_err(|e| CoreError::io("starting the writer thread", e))?;

        let mut rec = Recording {
            shared,
            stop_tx: Some(stop_tx),
            capture: Some(capture),
            writer: Some(writer),
            device,
            path: path.map(Path::to_path_buf),
            sample_rate: opts.sample_rate,
        };

        // The take counts as started only once real audio arrives (slow USB/Bluetooth devices).
        let deadline = Instant::now() + FIRST_BUFFER_TIMEOUT;
        while rec.shared.callbacks.load(Ordering::Acquire) == 0 {
            if Instant::now() > deadline || rec.shared.fault.load(Ordering::Acquire) != FAULT_NONE {
                rec.shutdown();
                if let Some(path) = &rec.path {
                    let _ = std::fs::remove_file(path);
                }
                return Err(CoreError::DeviceError(
                    "the microphone opened but sent no audio; check that it is not muted or used by another program".into(),
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(rec)
    }

    /// A handle for watching this recording from another thread without locking it.
    pub fn probe(&self) -> Probe {
        Probe {
            shared: self.shared.clone(),
            device_rate: self.device.sample_rate,
        }
    }

    /// The device this recording runs on.
    pub fn device(&self) -> &ActiveDevice {
        &self.device
    }

    /// Seconds of audio received so far, counted in device frames.
    pub fn elapsed_s(&self) -> f64 {
        self.probe().elapsed_s()
    }

    /// True once capture has ended by itself: frame limit, device loss or write failure.
    pub fn is_finished(&self) -> bool {
        self.shared.capture_done.load(Ordering::Acquire)
    }

    /// Blocks until capture ends by itself (used with `max_seconds`).
    pub fn wait(&self) {
        while !self.is_finished() {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn shutdown(&mut self) -> Option<WriterOutcome> {
        if let Some(tx) = self.stop_tx.take() {
            let _ = tx.send(());
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        while !self.shared.capture_done.load(Ordering::Acquire) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if !self.shared.capture_done.load(Ordering::Acquire) {
            // The driver did not let go of the stream: treat it as lost and keep what we have.
            let _ = self.shared.fault.compare_exchange(
                FAULT_NONE,
                FAULT_DEVICE,
                Ordering::AcqRel,
                Ordering::Acquire,
            );
            self.shared.capture_done.store(true, Ordering::Release);
        }
        if let Some(h) = self.capture.take() {
            if h.is_finished() {
                let _ = h.join();
            }
            // Otherwise the thread is stuck in the driver; it is left detached, never waited on.
        }
        self.writer.take().and_then(|h| h.join().ok())
    }

    /// Stops capture, drains every captured sample into the file, finalizes and verifies it.
    ///
    /// Always returns what was kept; `fault` says why it ended early, if it did.
    pub fn stop(mut self) -> Summary {
        let outcome = self.shutdown().unwrap_or(WriterOutcome {
            frames: 0,
            error: Some(CoreError::WriteFailed(
                "the writer thread stopped unexpectedly".into(),
            )),
            losses: LossLog::new(self.device.sample_rate, self.sample_rate),
        });
        let shared = &self.shared;
        let mut fault = outcome.error;
        let mut frames = outcome.frames;
        if let Some(path) = &self.path {
            if fault.is_some() {
                // The file may hold more (or less) than the last header update says: repair it.
                match wav::repair(path, self.sample_rate) {
                    Ok(kept) => frames = kept,
                    Err(e) => fault = Some(e),
                }
            } else if let Err(e) = wav::verify(path, self.sample_rate, frames) {
                fault = Some(e);
            }
        }
        if fault.is_none() {
            fault = match shared.fault.load(Ordering::Acquire) {
                FAULT_DEVICE => Some(CoreError::DeviceLost("the device reported an error".into())),
                FAULT_SILENT => Some(CoreError::DeviceLost(
                    "no audio arrived for more than a second".into(),
                )),
                _ => None,
            };
        }
        let overruns = shared.overruns.load(Ordering::Acquire);
        Summary {
            frames,
            sample_rate: self.sample_rate,
            device_frames: shared.device_frames.load(Ordering::Acquire),
            overruns,
            lost: outcome.losses.finish(overruns),
            xruns: shared.xruns.load(Ordering::Acquire),
            device: self.device.clone(),
            fault,
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[allow(clippy::too_many_arguments)]
fn capture_thread(
    device: cpal::Device,
    format: SampleFormat,
    config: cpal::StreamConfig,
    feed: Feed,
    shared: Arc<Shared>,
    level: Arc<LevelMeter>,
    ready: mpsc::SyncSender<Result<()>>,
    stop: mpsc::Receiver<()>,
) {
    let guard = device_lock();
    let stream = match build_any(format, &device, config, feed, shared.clone(), level.clone())
        .and_then(|s| s.play().map(|_| s).map_err(|e| open_error(&e)))
    {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    drop(guard);
    let _ = ready.send(Ok(()));
    let mut last_count = 0u64;
    let mut last_change = Instant::now();
    // Runs until Stop is asked for (or the sender is gone), checking faults between waits.
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(Duration::from_millis(20)) {
        if shared.limit_reached.load(Ordering::Acquire)
            || shared.writer_failed.load(Ordering::Acquire)
            || shared.fault.load(Ordering::Acquire) != FAULT_NONE
        {
            break;
        }
        // Watchdog: cpal's error callback may never fire when a device vanishes.
        let count = shared.callbacks.load(Ordering::Acquire);
        if count != last_count {
            last_count = count;
            last_change = Instant::now();
        } else if count > 0 && last_change.elapsed() > WATCHDOG {
            shared.fault.store(FAULT_SILENT, Ordering::Release);
            break;
        }
    }
    level.reset();
    if shared.fault.load(Ordering::Acquire) != FAULT_NONE {
        // A vanished device can hang inside the driver while its stream is torn down
        // (seen with ALSA's PulseAudio plugin): let the writer finish first.
        shared.capture_done.store(true, Ordering::Release);
    }
    drop(stream);
    shared.capture_done.store(true, Ordering::Release);
}

fn write_error(e: hound::Error) -> CoreError {
    match e {
        hound::Error::IoError(io) if is_disk_full(&io) => CoreError::DiskFull,
        hound::Error::IoError(io) if is_file_too_large(&io) => CoreError::FileTooLarge,
        hound::Error::IoError(io) => CoreError::WriteFailed(io.to_string()),
        other => CoreError::WriteFailed(other.to_string()),
    }
}

/// Writes mono f32 samples (already at the output rate) as 16-bit PCM.
struct PcmSink {
    wav: hound::WavWriter<BufWriter<File>>,
    /// Hands what is written on to the transcriber, cut at pauses.
    pieces: Option<PieceCutter>,
    written: u64,
    limit: u64,
    since_flush: u64,
    flush_every: u64,
}

impl PcmSink {
    fn write(&mut self, samples: &[f32]) -> Result<()> {
        let room = self.limit.saturating_sub(self.written) as usize;
        let samples = &samples[..samples.len().min(room)];
        let mut w = self.wav.get_i16_writer(samples.len() as u32);
        for s in samples {
            w.write_sample((s.clamp(-1.0, 1.0) * 32767.0).round() as i16);
        }
        w.flush().map_err(write_error)?;
        if let Some(cutter) = self.pieces.as_mut() {
            cutter.push(samples);
        }
        self.written += samples.len() as u64;
        self.since_flush += samples.len() as u64;
        if self.since_flush >= self.flush_every {
            // Rewrites the header: the file on disk is a valid WAV at every moment.
            self.wav.flush().map_err(write_error)?;
            self.since_flush = 0;
        }
        Ok(())
    }
}

/// The writer's side of the losses: the callback's reports, and the log that places them.
struct Losses {
    events: rtrb::Consumer<Loss>,
    log: LossLog,
}

impl Losses {
    /// Places every loss the callback has reported so far.
    fn collect(&mut self) {
        while let Ok(loss) = self.events.pop() {
            self.log.record(loss.at, loss.frames);
        }
    }

    /// Once capture has ended: places the last reports and the loss still going on at the end.
    fn close(mut self, shared: &Shared) -> LossLog {
        self.collect();
        let frames = shared.open_loss_frames.load(Ordering::Acquire);
        if frames > 0 {
            self.log
                .record(shared.open_loss_at.load(Ordering::Acquire), frames);
        }
        self.log
    }
}

fn writer_thread(
    mut ring: rtrb::Consumer<f32>,
    mut losses: Losses,
    shared: Arc<Shared>,
    wav: hound::WavWriter<BufWriter<File>>,
    pieces: Option<PieceCutter>,
    in_rate: u32,
    out_rate: u32,
) -> WriterOutcome {
    let mut sink = PcmSink {
        wav,
        pieces,
        written: 0,
        limit: u64::MAX,
        since_flush: 0,
        flush_every: u64::from(out_rate),
    };
    let result = write_loop(
        &mut ring,
        &mut losses,
        &shared,
        &mut sink,
        in_rate,
        out_rate,
    );
    let losses = losses.close(&shared);
    let result = result.and_then(|()| sink.wav.flush().map_err(write_error));
    let frames = sink.written;
    match result {
        Ok(()) => match sink.wav.finalize().map_err(write_error) {
            Ok(()) => WriterOutcome {
                frames,
                error: None,
                losses,
            },
            Err(e) => fail(&shared, frames, e, losses),
        },
        Err(e) => fail(&shared, frames, e, losses),
    }
}

/// The mic check's consumer: empties the ring until capture ends, keeping nothing.
fn drain_thread(
    mut ring: rtrb::Consumer<f32>,
    mut losses: Losses,
    shared: &Shared,
) -> WriterOutcome {
    loop {
        let done = shared.capture_done.load(Ordering::Acquire);
        let n = ring.slots();
        if let Ok(chunk) = ring.read_chunk(n) {
            chunk.commit_all();
        }
        losses.collect();
        if done {
            return WriterOutcome {
                frames: 0,
                error: None,
                losses: losses.close(shared),
            };
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn fail(shared: &Shared, frames: u64, e: CoreError, losses: LossLog) -> WriterOutcome {
    shared.writer_failed.store(true, Ordering::Release);
    WriterOutcome {
        frames,
        error: Some(e),
        losses,
    }
}

fn write_loop(
    ring: &mut rtrb::Consumer<f32>,
    losses: &mut Losses,
    shared: &Shared,
    sink: &mut PcmSink,
    in_rate: u32,
    out_rate: u32,
) -> Result<()> {
    let mut resampler = if in_rate == out_rate {
        None
    } else {
        Some(
            Fft::<f32>::new(
                in_rate as usize,
                out_rate as usize,
                CHUNK,
                1,
                FixedSync::Input,
            )
            .map_err(|e| CoreError::WriteFailed(format!("resampler: {e}")))?,
        )
    };
    let mut input = vec![0f32; CHUNK];
    let mut output = vec![0f32; resampler.as_ref().map_or(CHUNK, |r| r.output_frames_max())];
    let mut skip = resampler.as_ref().map_or(0, |r| r.output_delay());
    let mut filled = 0usize;
    let mut total_in = 0u64;

    loop {
        // Read the flag before draining, so samples pushed before it are never missed.
        let done = shared.capture_done.load(Ordering::Acquire);
        let mut moved = false;
        loop {
            let want = (CHUNK - filled).min(ring.slots());
            if want == 0 {
                break;
            }
            let (got, _) = ring.pop_partial_slice(&mut input[filled..filled + want]);
            let n = got.len();
            filled += n;
            total_in += n as u64;
            moved = true;
            if filled == CHUNK {
                match resampler.as_mut() {
                    None => sink.write(&input)?,
                    Some(r) => {
                        let (_, out_n) = process(r, &input, &mut output, None)?;
                        emit(&output[..out_n], &mut skip, sink)?;
                    }
                }
                filled = 0;
                // Also while the ring never empties (a device faster than the writer).
                losses.collect();
            }
        }
        losses.collect();
        if done {
            break;
        }
        if !moved {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    // Drain the tail: the partial chunk, then the resampler's delay, up to the exact length.
    match resampler.as_mut() {
        None => sink.write(&input[..filled])?,
        Some(r) => {
            let expected =
                (total_in as f64 * f64::from(out_rate) / f64::from(in_rate)).round() as u64;
            sink.limit = expected;
            let mut partial = Some(filled);
            let mut guard = 0;
            while sink.written < expected && guard < 64 {
                let (_, out_n) = process(r, &input, &mut output, partial)?;
                emit(&output[..out_n], &mut skip, sink)?;
                partial = Some(0);
                guard += 1;
            }
        }
    }
    Ok(())
}

/// Writes resampler output, dropping the first `skip` frames (the resampler's start-up delay).
fn emit(out: &[f32], skip: &mut usize, sink: &mut PcmSink) -> Result<()> {
    let drop_n = (*skip).min(out.len());
    *skip -= drop_n;
    sink.write(&out[drop_n..])
}

fn process(
    r: &mut Fft<f32>,
    input: &[f32],
    output: &mut [f32],
    partial: Option<usize>,
) -> Result<(usize, usize)> {
    let frames_out = output.len();
    let in_adapter = InterleavedSlice::new(input, 1, input.len())
        .map_err(|e| CoreError::WriteFailed(format!("resampler input: {e}")))?;
    let mut out_adapter = InterleavedSlice::new_mut(output, 1, frames_out)
        .map_err(|e| CoreError::WriteFailed(format!("resampler output: {e}")))?;
    let indexing = partial.map(|n| Indexing::new().partial_len(n));
    r.process_into_buffer(&in_adapter, &mut out_adapter, indexing.as_ref())
        .map_err(|e| CoreError::WriteFailed(format!("resampling: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callback_reports_one_loss_per_place_however_long_the_ring_stays_full() {
        let shared = Shared::default();
        let level = LevelMeter::default();
        let (samples, mut ring) = rtrb::RingBuffer::<f32>::new(1_000);
        let (reports, events) = rtrb::RingBuffer::<Loss>::new(LOSS_EVENTS);
        let mut feed = Feed::new(samples, reports, 32_100);
        let stereo = vec![0.25f32; 2 * 600];
        // 600 kept; then 400 kept and 200 dropped; then the ring stays full for 50 buffers.
        for _ in 0..52 {
            feed.push(&stereo, 2, &shared, &level);
        }
        assert_eq!(events.slots(), 0, "reported while it still goes on");
        let open = |s: &Shared| {
            (
                s.open_loss_at.load(Ordering::Acquire),
                s.open_loss_frames.load(Ordering::Acquire),
            )
        };
        assert_eq!(open(&shared), (1_000, 200 + 50 * 600));
        // The writer makes room: the loss ends and is reported once; a new one starts later.
        ring.read_chunk(500).unwrap().commit_all();
        feed.push(&stereo, 2, &shared, &level);
        let first = Loss {
            at: 1_000,
            frames: 30_200,
        };
        assert_eq!((events.slots(), events.peek().ok()), (1, Some(&first)));
        assert_eq!(open(&shared), (1_500, 100));
        // The limit: 300 more frames are wanted (and dropped), none after them.
        feed.push(&stereo, 2, &shared, &level);
        feed.push(&stereo, 2, &shared, &level);
        assert_eq!(open(&shared), (1_500, 400));
        assert!(shared.limit_reached.load(Ordering::Acquire));
        assert_eq!(shared.overruns.load(Ordering::Acquire), 30_600);
        assert_eq!(shared.device_frames.load(Ordering::Acquire), 32_100);
        assert_eq!(feed.frames_kept + 30_600, 32_100);
        // What the writer makes of it once capture ended: both places, every frame (at a
        // rate of 500 Hz, where 500 frames apart are two places).
        let losses = Losses {
            events,
            log: LossLog::new(500, 500),
        };
        let lost = losses.close(&shared).finish(30_600);
        let places: Vec<(f64, f64)> = lost.spans.iter().map(|s| (s.at_s, s.lost_s)).collect();
        assert_eq!(places, [(2.0, 60.4), (3.0, 0.8)]);
    }

    #[test]
    fn the_writer_places_the_losses_the_callback_reports_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.wav");
        let (mut samples, ring) = rtrb::RingBuffer::<f32>::new(48_000 * RING_SECONDS);
        let (mut reports, events) = rtrb::RingBuffer::<Loss>::new(LOSS_EVENTS);
        // As the callback does it: 1 s kept, 0.1 s dropped, 1 s kept, 0.2 s dropped, 0.5 s kept.
        let mut at = 0u64;
        for (kept, dropped) in [(48_000u64, 4_800u64), (48_000, 9_600), (24_000, 0)] {
            for i in 0..kept {
                samples.push((i % 48) as f32 / 100.0).unwrap();
            }
            at += kept;
            if dropped > 0 {
                reports
                    .push(Loss {
                        at,
                        frames: dropped,
                    })
                    .unwrap();
            }
        }
        let shared = Arc::new(Shared::default());
        shared.capture_done.store(true, Ordering::Release);
        let wav = hound::WavWriter::create(&path, wav::take_spec(16_000)).unwrap();
        let losses = Losses {
            events,
            log: LossLog::new(48_000, 16_000),
        };
        let outcome = writer_thread(ring, losses, shared, wav, None, 48_000, 16_000);
        assert!(outcome.error.is_none());
        assert_eq!(outcome.frames, 40_000);
        wav::verify(&path, 16_000, 40_000).unwrap();
        let lost = outcome.losses.finish(14_400);
        assert_eq!(lost.places, 2);
        let at: Vec<(f64, f64)> = lost.spans.iter().map(|s| (s.at_s, s.lost_s)).collect();
        assert_eq!(at, [(1.0, 0.1), (2.0, 0.2)]);
        assert!((lost.seconds - 0.3).abs() < 1e-12);
    }
}
