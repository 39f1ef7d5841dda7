//! Fake microphones for the Linux tests: a real-time PulseAudio null sink fed with espeak-ng
//! speech, and a frame-exact ALSA `file` plugin reading speech rendered by sox.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{run_ok, CLI};

/// A PulseAudio server of its own (private runtime dir and HOME) whose monitor is the default source.
pub struct PulseMic {
    pub dir: tempfile::TempDir,
    daemon: Option<Child>,
    feeding: Arc<AtomicBool>,
    feeder: Arc<Mutex<Option<Child>>>,
    feeder_thread: Option<std::thread::JoinHandle<()>>,
}

impl PulseMic {
    /// Starts the server and a loop playing speech into it; waits until it accepts clients.
    pub fn start() -> PulseMic {
        PulseMic::start_feeding(true)
    }

    /// Starts the server with nothing played into it: a microphone that hears only silence, as
    /// one the system withholds (macOS, Windows) does.
    pub fn start_silent() -> PulseMic {
        PulseMic::start_feeding(false)
    }

    fn start_feeding(feed: bool) -> PulseMic {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&run).unwrap();
        std::os::unix::fs::PermissionsExt::set_mode(
            &mut std::fs::metadata(&run).unwrap().permissions(),
            0o700,
        );
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .unwrap();
        let pa = dir.path().join("fake.pa");
        std::fs::write(
            &pa,
            "load-module module-native-protocol-unix auth-anonymous=1\n\
             load-module module-null-sink sink_name=vsink rate=48000 channels=1\n\
             set-default-sink vsink\n\
             set-default-source vsink.monitor\n",
        )
        .unwrap();
        let speech = dir.path().join("speech.wav");
        let ok = Command::new("espeak-ng")
            .arg("-w")
            .arg(&speech)
            .arg("Which scenario is the company planning for, and which is it hoping for? I do not know, and this is how I would find out.")
            .status()
            .unwrap();
        assert!(ok.success());

        let mut mic = PulseMic {
            dir,
            daemon: None,
            feeding: Arc::new(AtomicBool::new(feed)),
            feeder: Arc::new(Mutex::new(None)),
            feeder_thread: None,
        };
        let daemon = mic
            .env(Command::new("pulseaudio"))
            .args(["-n", "-F"])
            .arg(&pa)
            .args([
                "--exit-idle-time=-1",
                "--daemonize=no",
                "--log-target=stderr",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        mic.daemon = Some(daemon);
        let socket = run.join("pulse/native");
        let deadline = Instant::now() + Duration::from_secs(15);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "PulseAudio did not start");
            std::thread::sleep(Duration::from_millis(50));
        }

        let (feeding, slot) = (mic.feeding.clone(), mic.feeder.clone());
        let mut paplay = mic.env(Command::new("paplay"));
        paplay
            .arg("--device=vsink")
            .arg(&speech)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        mic.feeder_thread = Some(std::thread::spawn(move || {
            while feeding.load(Ordering::Acquire) {
                let Ok(child) = paplay.spawn() else { break };
                *slot.lock().unwrap() = Some(child);
                loop {
                    let done = slot
                        .lock()
                        .unwrap()
                        .as_mut()
                        .is_none_or(|c| !matches!(c.try_wait(), Ok(None)));
                    if done || !feeding.load(Ordering::Acquire) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                if let Some(mut c) = slot.lock().unwrap().take() {
                    let _ = c.kill();
                    let _ = c.wait();
                }
            }
        }));
        mic
    }

    /// Environment of a client of this server only.
    pub fn env(&self, mut cmd: Command) -> Command {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env("CANDOR_DATA_DIR", self.data_dir());
        cmd
    }

    /// candor-cli talking to this server.
    pub fn cli(&self) -> Command {
        self.env(Command::new(CLI))
    }

    /// The data folder the CLI uses.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Kills the sound server, as when a USB microphone is pulled out.
    pub fn kill_server(&mut self) {
        self.feeding.store(false, Ordering::Release);
        if let Some(mut d) = self.daemon.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
    }
}

impl Drop for PulseMic {
    fn drop(&mut self) {
        self.feeding.store(false, Ordering::Release);
        if let Some(t) = self.feeder_thread.take() {
            let _ = t.join();
        }
        self.kill_server();
    }
}

/// A frame-exact fake microphone: ALSA's `file` plugin reading speech rendered as 48 kHz stereo f32.
pub struct FakeMic {
    pub dir: tempfile::TempDir,
}

impl FakeMic {
    pub fn new() -> FakeMic {
        let dir = tempfile::tempdir().unwrap();
        let speech = dir.path().join("speech.wav");
        let text = "I don't know the answer to that, and here is how I would find out. \
                    The six month evaluation cadence is a real tension under competitive pressure. \
                    If one lab holds the line and another ships, does the norm get stronger or weaker?";
        run_ok(Command::new("espeak-ng").arg("-w").arg(&speech).arg(text));
        let raw = dir.path().join("speech_48k_stereo.f32le");
        run_ok(
            Command::new("sox")
                .arg(&speech)
                .args([
                    "-r",
                    "48000",
                    "-c",
                    "2",
                    "-e",
                    "floating-point",
                    "-b",
                    "32",
                    "-t",
                    "raw",
                ])
                .arg(&raw),
        );
        let reference = dir.path().join("reference_16k.wav");
        run_ok(
            Command::new("sox")
                .arg(&speech)
                .args(["-r", "16000", "-c", "1", "-b", "16"])
                .arg(&reference),
        );
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(
            home.join(".asoundrc"),
            format!(
                "pcm.!default {{\n type file\n slave.pcm \"null\"\n file \"/dev/null\"\n infile \"{}\"\n format \"raw\"\n}}\n",
                raw.display()
            ),
        )
        .unwrap();
        FakeMic { dir }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn cli(&self) -> Command {
        let mut c = Command::new(CLI);
        c.env("HOME", self.home())
            .env("XDG_RUNTIME_DIR", self.dir.path())
            .env("CANDOR_DATA_DIR", self.dir.path().join("data"))
            .env_remove("PULSE_SERVER");
        c
    }
}
