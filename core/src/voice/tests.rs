#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

//! The voice against a real speech-dispatcher (espeak-ng module) playing into a private
//! PulseAudio null sink, whose monitor is recorded: what the interviewer says is really heard.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::*;

/// A private PulseAudio server and a speech-dispatcher speaking into it; both stop on drop.
struct Service {
    dir: tempfile::TempDir,
    children: Vec<Child>,
}

impl Service {
    fn env(&self, mut cmd: Command) -> Command {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"));
        cmd
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("run/speech-dispatcher/speechd.sock")
    }

    /// `None` (the test is skipped, said on stderr) when the programs are not installed, unless
    /// CANDOR_REQUIRE_VOICE is set (as `make test` does).
    fn start() -> Option<Service> {
        let have = |p: &str| {
            Command::new("sh")
                .args(["-c", &format!("command -v {p}")])
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if !["pulseaudio", "parec", "speech-dispatcher"]
            .iter()
            .all(|p| have(p))
        {
            assert!(
                std::env::var_os("CANDOR_REQUIRE_VOICE").is_none(),
                "pulseaudio, parec and speech-dispatcher are needed (scripts/setup.sh)"
            );
            eprintln!("SKIPPED: no pulseaudio/speech-dispatcher");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        for d in ["home", "run"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::set_permissions(
            dir.path().join("run"),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let pa = dir.path().join("null.pa");
        std::fs::write(
            &pa,
            "load-module module-native-protocol-unix auth-anonymous=1\n\
             load-module module-null-sink sink_name=vsink rate=48000 channels=1\n\
             set-default-sink vsink\n",
        )
        .unwrap();
        let mut s = Service {
            dir,
            children: Vec::new(),
        };
        let mut pulse = s.env(Command::new("pulseaudio"));
        pulse
            .args(["-n", "-F"])
            .arg(&pa)
            .args(["--exit-idle-time=-1", "--daemonize=no"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        s.children.push(pulse.spawn().unwrap());
        wait_for(&s.dir.path().join("run/pulse/native"));
        let mut speechd = s.env(Command::new("speech-dispatcher"));
        speechd
            .args(["--run-single", "--timeout", "0", "--socket-path"])
            .arg(s.socket())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        s.children.push(speechd.spawn().unwrap());
        wait_for(&s.socket());
        Some(s)
    }

    /// Records the sink's monitor (16 kHz mono, raw 16-bit) until the returned child is killed.
    fn record(&self, out: &Path) -> Child {
        let mut parec = self.env(Command::new("parec"));
        parec
            .args([
                "--device=vsink.monitor",
                "--format=s16le",
                "--channels=1",
                "--rate=16000",
            ])
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(out).unwrap())
            .stderr(Stdio::null());
        parec.spawn().unwrap()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        for c in self.children.iter_mut().rev() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} did not appear",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The samples of a raw 16-bit recording.
fn samples(raw: &Path) -> Vec<f32> {
    std::fs::read(raw)
        .unwrap()
        .chunks_exact(2)
        .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
        .collect()
}

/// Seconds of the recording louder than silence (10 ms frames).
fn voiced_seconds(s: &[f32]) -> f64 {
    let loud = s
        .chunks(160)
        .filter(|c| c.iter().map(|v| v * v).sum::<f32>() / c.len() as f32 > 1e-4)
        .count();
    loud as f64 * 0.01
}

const QUESTION: &str = "Which scenario is the company planning for, and which is it hoping for?";

#[test]
fn the_interviewer_is_heard_to_the_end_and_can_be_cut_short() {
    let Some(service) = Service::start() else {
        return;
    };
    let voice = Voice::at(service.socket());
    assert!(
        !voice.voices().unwrap().is_empty(),
        "the service offers voices"
    );

    let raw = service.dir.path().join("heard.raw");
    let mut rec = service.record(&raw);
    std::thread::sleep(Duration::from_millis(300));
    let began = Instant::now();
    let spoken = voice
        .say(&Utterance {
            text: QUESTION,
            voice: None,
            rate: 0,
        })
        .unwrap();
    let took = began.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(300));
    // SIGTERM, so parec writes out what it holds (SIGKILL would lose it).
    Command::new("kill")
        .arg(rec.id().to_string())
        .status()
        .unwrap();
    let _ = rec.wait();
    assert_eq!(spoken, Spoken::Finished);
    let heard = samples(&raw);
    let voiced = voiced_seconds(&heard);
    // `say` returns once the question has been said: the sink carried it all before then.
    assert!(
        voiced > 1.5,
        "only {voiced:.2} s of speech reached the sink"
    );
    assert!(
        took >= voiced - 0.3,
        "returned after {took:.2} s, {voiced:.2} s were spoken"
    );

    // Transcribed with the test model, the sink holds the question's words.
    if let Some(model) = std::env::var_os("CANDOR_TEST_MODEL") {
        let model = crate::transcribe::Model::load(Path::new(&model)).unwrap();
        let words = model.transcribe(&heard, 2).unwrap().words;
        let text = words
            .iter()
            .map(|w| crate::transcribe::normalized(&w.word))
            .collect::<Vec<_>>()
            .join(" ");
        for key in ["scenario", "planning", "hoping"] {
            assert!(text.contains(key), "{key:?} not in {text:?}");
        }
    }

    // A long push-back, cut short after a second: `say` returns Cut at once.
    let long = "You said the cadence breaks first. I think the thresholds do, and I think the \
                evidence you gave points the other way entirely. Convince me otherwise, with a \
                reason I have not heard yet, and tell me what would change your mind.";
    std::thread::scope(|s| {
        let speaking = s.spawn(|| {
            voice.say(&Utterance {
                text: long,
                voice: None,
                rate: 0,
            })
        });
        std::thread::sleep(Duration::from_millis(1200));
        let cut_at = Instant::now();
        voice.stop();
        let spoken = speaking.join().unwrap().unwrap();
        assert_eq!(spoken, Spoken::Cut);
        assert!(cut_at.elapsed() < Duration::from_secs(2), "cut promptly");
    });
}

#[test]
fn without_a_service_the_voice_says_so_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let voice = Voice::at(dir.path().join("no/such.sock"));
    // Nothing listens there: refused in words, nothing spoken.
    let e = voice
        .say(&Utterance {
            text: "Hello",
            voice: None,
            rate: 0,
        })
        .unwrap_err();
    assert_eq!(e.code(), "NoVoice");
    assert!(e.to_string().contains("speech-dispatcher"), "{e}");
    assert_eq!(voice.voices().unwrap_err().code(), "NoVoice");
    voice.stop();
}
