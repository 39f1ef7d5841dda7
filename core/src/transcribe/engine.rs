//! whisper.cpp through whisper-rs: a model file checked and loaded once, then asked to transcribe
//! 16 kHz mono samples into segments and word-timed words. Its log goes to the `log` facade
//! (Candor's log), never to stderr.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters,
};

use super::words::{merge, snap_to_sound, Token, Word};
use crate::error::{CoreError, Result};

/// The first four bytes of a whisper.cpp (ggml) model file: 0x67676d6c, little-endian.
const GGML_MAGIC: [u8; 4] = *b"lmgg";

/// Smallest model file worth trying (the tiny models are about 75 MB).
const MIN_MODEL_BYTES: u64 = 1_000_000;

/// Which model made a transcript: its file name and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ModelInfo {
    /// The model file's name ("ggml-base.bin").
    pub name: String,
    /// The SHA-256 of the file, in hex.
    pub sha256: String,
    /// Its size in bytes.
    #[cfg_attr(feature = "ipc", specta(type = f64))]
    pub bytes: u64,
}

/// A stretch of speech as the model cut it, with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Segment {
    /// Where it starts, in seconds.
    pub start_s: f64,
    /// Where it ends, in seconds.
    pub end_s: f64,
    /// What was said in it.
    pub text: String,
}

/// What the model heard in some audio: segments and words, times from the start of that audio.
#[derive(Debug, Clone, PartialEq)]
pub struct Heard {
    /// The segments, in order.
    pub segments: Vec<Segment>,
    /// The words, in order, fillers and all.
    pub words: Vec<Word>,
}

/// What watches a transcription: where its progress goes, and the flag that stops it.
#[derive(Default)]
pub struct Watch {
    /// Called with the percentage done, now and then.
    pub progress: Option<Box<dyn FnMut(u8) + Send>>,
    /// Set to make the transcription give up as soon as it can.
    pub stop: Option<Arc<AtomicBool>>,
    /// Sizes the model's encoder to the audio instead of 30 s: faster on a short stretch (the
    /// last piece of a take, heard while the user waits at Stop).
    pub fit: bool,
}

/// A speech model, loaded and ready; one transcription at a time runs on it (each takes its own
/// state), off the audio path.
pub struct Model {
    ctx: WhisperContext,
    /// Which model it is.
    pub info: ModelInfo,
    /// Seconds of audio heard and seconds it took, since last taken (its speed on this machine).
    spent: std::sync::Mutex<Spent>,
}

/// Audio heard by a model and the time it took, in seconds: its speed on this machine.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spent {
    /// Seconds of audio transcribed to the end.
    pub audio_s: f64,
    /// Seconds those transcriptions took, wall clock.
    pub compute_s: f64,
}

fn refused(path: &Path, reason: impl Into<String>) -> CoreError {
    CoreError::BadModel {
        file: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        reason: reason.into(),
    }
}

/// The alignment heads whisper.cpp uses for word times (DTW) on a model of this shape, read from
/// the file's header: the vocabulary tells English-only from multilingual, the encoder's layers
/// the size. `None` for a shape it has no preset for (token times are used then).
fn dtw_preset(header: &[u8]) -> Option<DtwModelPreset> {
    let int = |i: usize| -> Option<i32> {
        let at = 4 + 4 * i;
        header
            .get(at..at + 4)
            .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let english = int(0)? == 51_864;
    Some(match (int(4)?, english) {
        (4, true) => DtwModelPreset::TinyEn,
        (4, false) => DtwModelPreset::Tiny,
        (6, true) => DtwModelPreset::BaseEn,
        (6, false) => DtwModelPreset::Base,
        (12, true) => DtwModelPreset::SmallEn,
        (12, false) => DtwModelPreset::Small,
        (24, true) => DtwModelPreset::MediumEn,
        (24, false) => DtwModelPreset::Medium,
        _ => return None,
    })
}

/// Reads the model file once: its size, its checksum, whether it starts as a ggml model, and the
/// word-time preset its header calls for.
fn inspect(path: &Path) -> Result<(ModelInfo, Option<DtwModelPreset>)> {
    // Only a regular file: a FIFO or a device would block or never end.
    let mut f = crate::input_file::open_regular_file(path).map_err(|e| {
        refused(
            path,
            match &e {
                crate::input_file::InputFileError::Io { source, .. }
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    "there is no such file".to_string()
                }
                crate::input_file::InputFileError::Io { source, .. } => {
                    format!("it cannot be read ({source})")
                }
                other => format!("it {}", other.reason()),
            },
        )
    })?;
    let bytes = f
        .metadata()
        .map_err(|e| refused(path, format!("it cannot be read ({e})")))?
        .len();
    if bytes < MIN_MODEL_BYTES {
        return Err(refused(
            path,
            format!("it is only {bytes} bytes; a speech model is tens of megabytes or more"),
        ));
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut first = true;
    let mut preset = None;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| refused(path, format!("it cannot be read ({e})")))?;
        if n == 0 {
            break;
        }
        if first {
            if n < 4 || buf[..4] != GGML_MAGIC {
                return Err(refused(
                    path,
                    "it is not a whisper.cpp model (ggml); convert a faster-whisper model with candor-cli model import",
                ));
            }
            preset = dtw_preset(&buf[..n.min(64)]);
            first = false;
        }
        hasher.update(&buf[..n]);
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    Ok((
        ModelInfo {
            name: path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            sha256,
            bytes,
        },
        preset,
    ))
}

/// What a model file is (name, size, SHA-256), read without loading it; a file that is not a
/// whisper.cpp model is refused as `Model::load` would.
pub fn model_info(path: &Path) -> Result<ModelInfo> {
    inspect(path).map(|(info, _)| info)
}

static LOG_TO_CANDOR: Once = Once::new();

impl Model {
    /// Checks and loads a whisper.cpp model file. A missing, truncated or foreign file is refused
    /// with a `BadModel` error that says why.
    pub fn load(path: &Path) -> Result<Model> {
        LOG_TO_CANDOR.call_once(whisper_rs::install_logging_hooks);
        let (info, preset) = inspect(path)?;
        let utf8 = path
            .to_str()
            .ok_or_else(|| refused(path, "its path is not valid text"))?;
        let mut params = WhisperContextParameters::default();
        if let Some(model_preset) = preset {
            // Word times from the attention heads aligned with the audio (DTW): a word placed in
            // the silence before it otherwise starts up to half a second early.
            params.dtw_parameters(DtwParameters {
                mode: DtwMode::ModelPreset { model_preset },
                ..DtwParameters::default()
            });
        }
        let ctx = WhisperContext::new_with_params(utf8, params).map_err(|e| {
            refused(
                path,
                format!(
                    "whisper.cpp could not load it: it is cut short or not a complete model ({e})"
                ),
            )
        })?;
        Ok(Model {
            ctx,
            info,
            spent: std::sync::Mutex::default(),
        })
    }

    /// Transcribes 16 kHz mono samples, verbatim (no prompt, no rewording), with word times.
    /// `threads` is how many CPU threads it may use.
    pub fn transcribe(&self, samples: &[f32], threads: usize) -> Result<Heard> {
        let heard = self.transcribe_watched(samples, threads, "", Watch::default())?;
        // Nothing asked it to stop, so it ran to the end.
        Ok(heard.unwrap_or(Heard {
            segments: Vec::new(),
            words: Vec::new(),
        }))
    }

    /// The audio heard and the time it took since the last call (then counted from zero again).
    pub fn take_spent(&self) -> Spent {
        std::mem::take(&mut *self.spent.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// `transcribe`, after the words `before` (what was said just before these samples, as the
    /// model heard it: the context a whole file gives each next 30 s; "" for none), reporting
    /// progress (0–100) to `watch.progress` and giving up, with `None`, as soon as `watch.stop`
    /// is set (a recording started and needs the processor).
    pub fn transcribe_watched(
        &self,
        samples: &[f32],
        threads: usize,
        before: &str,
        watch: Watch,
    ) -> Result<Option<Heard>> {
        let stopped = watch.stop.clone();
        if stopped.as_ref().is_some_and(|s| s.load(Ordering::Acquire)) {
            return Ok(None);
        }
        if samples.is_empty() {
            return Ok(Some(Heard {
                segments: Vec::new(),
                words: Vec::new(),
            }));
        }
        let failed = |e: whisper_rs::WhisperError| CoreError::TranscriptionFailed {
            model: self.info.name.clone(),
            reason: e.to_string(),
        };
        let began = std::time::Instant::now();
        let mut state = self.ctx.create_state().map_err(failed)?;
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_language(Some("en"));
        params.set_n_threads(threads.clamp(1, 8) as i32);
        params.set_token_timestamps(true);
        // Each call stands alone (no conditioning on an earlier call's text, which can make it
        // loop) but for the words said just before, when given; and no retries at a higher
        // temperature (same words on speech, a third of the time).
        params.set_no_context(true);
        if !before.is_empty() {
            params.set_initial_prompt(before);
        }
        if watch.fit {
            // The encoder sized to the audio (1500 positions are 30 s), not padded to 30 s.
            let secs = samples.len() as f64 / f64::from(super::MODEL_RATE);
            let ctx = ((secs / 30.0 * 1500.0).ceil() as i32 + 128).min(1500);
            params.set_audio_ctx(ctx);
        }
        params.set_temperature_inc(0.0);
        params.set_suppress_blank(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        if let Some(mut report) = watch.progress {
            params.set_progress_callback_safe(move |p: i32| report(p.clamp(0, 100) as u8));
        }
        if let Some(stop) = watch.stop {
            // Boxed as `dyn FnMut`: whisper-rs 0.16 calls the abort closure through a pointer
            // typed as the closure's own type but made from a boxed `dyn FnMut`; the two only
            // agree when the closure given is that boxed `dyn FnMut` itself.
            let abort: Box<dyn FnMut() -> bool> = Box::new(move || stop.load(Ordering::Acquire));
            params.set_abort_callback_safe(abort);
        }
        let ran = state.full(params, samples);
        if stopped.is_some_and(|s| s.load(Ordering::Acquire)) {
            return Ok(None);
        }
        ran.map_err(failed)?;
        {
            let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
            spent.audio_s += samples.len() as f64 / f64::from(super::MODEL_RATE);
            spent.compute_s += began.elapsed().as_secs_f64();
        }

        let eot = self.ctx.token_eot();
        let mut segments = Vec::new();
        let mut tokens = Vec::new();
        for seg in state.as_iter() {
            segments.push(Segment {
                start_s: seg.start_timestamp() as f64 / 100.0,
                end_s: seg.end_timestamp() as f64 / 100.0,
                text: seg.to_str_lossy().map_err(failed)?.trim().to_string(),
            });
            for i in 0..seg.n_tokens() {
                let Some(tok) = seg.get_token(i) else {
                    continue;
                };
                let d = tok.token_data();
                if d.id >= eot {
                    continue; // timestamps and special tokens
                }
                // With DTW, `t_dtw` is when the token is heard; the token times otherwise.
                let start = if d.t_dtw >= 0 { d.t_dtw } else { d.t0 };
                tokens.push(Token {
                    text: tok.to_str_lossy().map_err(failed)?.into_owned(),
                    start_s: start as f64 / 100.0,
                    end_s: d.t1.max(start) as f64 / 100.0,
                    p: d.p,
                });
            }
        }
        let mut words = merge(&tokens);
        snap_to_sound(&mut words, samples);
        Ok(Some(Heard { segments, words }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_model_is_refused_before_whisper_cpp_sees_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Model::load(&dir.path().join("ggml-none.bin"))
            .err()
            .unwrap();
        assert_eq!(missing.code(), "BadModel");
        assert!(
            missing.to_string().contains("there is no such file"),
            "{missing}"
        );
        let small = dir.path().join("small.bin");
        std::fs::write(&small, b"lmgg").unwrap();
        let e = Model::load(&small).err().unwrap();
        assert!(e.to_string().contains("only 4 bytes"), "{e}");
        let foreign = dir.path().join("model.bin");
        std::fs::write(&foreign, vec![7u8; 2_000_000]).unwrap();
        let e = Model::load(&foreign).err().unwrap();
        assert!(e.to_string().contains("not a whisper.cpp model"), "{e}");
        // A ggml header followed by nothing whisper.cpp can use.
        let mut cut = b"lmgg".to_vec();
        cut.extend(vec![0u8; 2_000_000]);
        let truncated = dir.path().join("ggml-cut.bin");
        std::fs::write(&truncated, cut).unwrap();
        let e = Model::load(&truncated).err().unwrap();
        assert!(e.to_string().contains("could not load it"), "{e}");
    }
}
