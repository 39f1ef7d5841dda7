//! The interviewer's voice: questions and push-backs spoken with the computer's own speech
//! service, offline. On Linux that is speech-dispatcher (with its espeak-ng module), spoken to
//! directly over its socket with SSIP (`ssip-client-async`, pure Rust): the `tts` crate would
//! link libspeechd through bindgen (libclang at build time) and does not say when an utterance
//! has been heard to its end, which Candor needs to start recording only after the voice has
//! stopped. On macOS and Windows the system voices are spoken by the program each system ships
//! for it (`say`; PowerShell with `System.Speech`), one run per utterance (`voice/program.rs`).

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use crate::error::CoreError;
#[cfg(not(all(unix, not(target_os = "macos"))))]
use crate::error::Result;
use crate::platform::Platform;

mod program;

/// How an utterance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub enum Spoken {
    /// Heard to its end.
    Finished,
    /// Cut short (`stop`, or another utterance).
    Cut,
}

/// What to say and how.
#[derive(Debug, Clone, Default)]
pub struct Utterance<'a> {
    /// The words.
    pub text: &'a str,
    /// The system voice's name; `None`: the default.
    pub voice: Option<&'a str>,
    /// Speed, -100 to 100; 0 is the voice's own.
    pub rate: i32,
}

/// The computer's speech service, spoken to one utterance at a time.
#[derive(Debug, Default)]
pub struct Voice {
    /// The utterance being spoken (its message id).
    #[cfg_attr(target_os = "macos", allow(dead_code))]
    #[cfg_attr(not(unix), allow(dead_code))]
    speaking: Mutex<Option<u32>>,
    /// Set by `stop`: the utterance being spoken is cut short by the connection that spoke it
    /// (speech-dispatcher lets a client cancel only its own speech, never a screen reader's).
    cut: AtomicBool,
    /// The service's socket, when not the standard one (tests).
    #[cfg_attr(target_os = "macos", allow(dead_code))]
    #[cfg_attr(not(unix), allow(dead_code))]
    socket: Option<std::path::PathBuf>,
}

/// Where a person gets a voice on `system`, said after "the interviewer's words are shown".
pub fn voice_hint(platform: Platform) -> &'static str {
    match platform {
        Platform::Linux => "On Linux, install speech-dispatcher and speech-dispatcher-espeak-ng.",
        Platform::MacOs => {
            "The voices are in System Settings → Accessibility → Spoken Content → System voice."
        }
        Platform::Windows => "The voices are in Settings → Time & language → Speech.",
    }
}

fn unavailable(detail: impl std::fmt::Display) -> CoreError {
    CoreError::NoVoice(format!(
        "The computer's speech service did not answer ({detail}), so the interviewer's words are \
         shown instead. {}",
        voice_hint(Platform::this())
    ))
}

#[cfg(all(unix, not(target_os = "macos")))]
mod ssip {
    use ssip_client_async::fifo::synchronous::{Builder, UnixStream};
    use std::sync::atomic::Ordering;
    use std::time::{Duration, Instant};

    use ssip_client_async::{
        Client, ClientError, ClientName, ClientScope, EventType, MessageScope, NotificationType,
        OK_CLIENT_NAME_SET, OK_NOTIFICATION_SET, OK_RATE_SET, OK_RECEIVING_DATA, OK_VOICE_SET,
    };

    use super::{unavailable, Spoken, Utterance, Voice};
    use crate::error::Result;

    /// How often a speaking connection looks whether it was asked to stop.
    const LOOK_EVERY: Duration = Duration::from_millis(100);

    /// After a cut, how long the service has to confirm it before it is taken as done.
    const CUT_GRACE: Duration = Duration::from_secs(2);

    /// The longest wait for the service's answer to a command (it may be starting a module).
    const ANSWER_WITHIN: Duration = Duration::from_secs(10);

    /// True for a read that found nothing yet (the connection's read timeout).
    fn nothing_yet(e: &ClientError) -> bool {
        matches!(e, ClientError::Io(io) if matches!(
            io.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ))
    }

    /// Reads an answer on a connection that looks every [`LOOK_EVERY`], waiting up to
    /// [`ANSWER_WITHIN`] for it (a timed-out read has consumed nothing, so it is read again).
    fn answer<T>(
        mut read: impl FnMut() -> std::result::Result<T, ClientError>,
    ) -> std::result::Result<T, ClientError> {
        let deadline = Instant::now() + ANSWER_WITHIN;
        loop {
            match read() {
                Err(e) if nothing_yet(&e) && Instant::now() < deadline => {}
                other => return other,
            }
        }
    }

    impl Voice {
        /// A client connected to the service (started if it is not running), named Candor,
        /// whose reads give up after `look` (and are tried again).
        fn client(&self, look: Duration) -> Result<Client<UnixStream>> {
            let mut b = Builder::new();
            if let Some(p) = &self.socket {
                b.path(p);
            }
            b.timeout(look);
            let mut client = match b.build() {
                Ok(c) => c,
                // Not running at the standard place: start it as libspeechd would (it exits
                // when idle, and respects a configuration that forbids it).
                Err(_) if self.socket.is_none() => {
                    b.with_spawn().map_err(unavailable)?;
                    b.build().map_err(unavailable)?
                }
                Err(e) => return Err(unavailable(e)),
            };
            client
                .set_client_name(ClientName::new("candor", "interviewer"))
                .map_err(unavailable)?;
            answer(|| client.check_status(OK_CLIENT_NAME_SET).map(drop)).map_err(unavailable)?;
            Ok(client)
        }

        /// Speaks `u`, returning once it has been heard to its end or cut short.
        pub fn say(&self, u: &Utterance<'_>) -> Result<Spoken> {
            self.say_noting(u, &mut || {})
        }

        /// `say`, calling `began` when the service says the first sound went out (for the
        /// benchmark of the interviewer's latency).
        pub fn say_noting(&self, u: &Utterance<'_>, began: &mut dyn FnMut()) -> Result<Spoken> {
            let spoken = self.say_once(u, began);
            // A stop asked for meanwhile (even before the words went out) is spent.
            self.cut.store(false, Ordering::Release);
            spoken
        }

        fn say_once(&self, u: &Utterance<'_>, began: &mut dyn FnMut()) -> Result<Spoken> {
            let mut c = self.client(LOOK_EVERY)?;
            c.set_notification(NotificationType::All, true)
                .map_err(unavailable)?;
            answer(|| c.check_status(OK_NOTIFICATION_SET).map(drop)).map_err(unavailable)?;
            c.set_rate(ClientScope::Current, u.rate.clamp(-100, 100) as i8)
                .map_err(unavailable)?;
            answer(|| c.check_status(OK_RATE_SET).map(drop)).map_err(unavailable)?;
            if let Some(v) = u.voice {
                c.set_synthesis_voice(ClientScope::Current, v)
                    .map_err(unavailable)?;
                answer(|| c.check_status(OK_VOICE_SET).map(drop)).map_err(unavailable)?;
            }
            // One line of text: SSIP ends the text at a line holding only a dot.
            let text: String = u.text.split_whitespace().collect::<Vec<_>>().join(" ");
            c.speak().map_err(unavailable)?;
            answer(|| c.check_status(OK_RECEIVING_DATA).map(drop)).map_err(unavailable)?;
            c.send_line(&text).map_err(unavailable)?;
            let id = answer(|| c.receive_message_id()).map_err(unavailable)?;
            *self.speaking.lock().unwrap_or_else(|p| p.into_inner()) = Some(id);
            // A service that never says the end does not hang the interviewer: a generous
            // bound from the length of the text (espeak-ng says ~3 words a second).
            let words = text.split(' ').count() as u64;
            let deadline = Instant::now() + Duration::from_secs(30 + words);
            let mut cut_at: Option<Instant> = None;
            let id_text = id.to_string();
            let ended = loop {
                if cut_at.is_none() && self.cut.swap(false, Ordering::AcqRel) {
                    // Its answer (213) comes between the events; it is read and passed over.
                    if let Err(e) = c.cancel(MessageScope::Last) {
                        break Err(unavailable(e));
                    }
                    cut_at = Some(Instant::now());
                }
                match c.receive_event() {
                    Ok(ev) if ev.id.message == id_text => match ev.ntype {
                        EventType::Begin => began(),
                        EventType::End if cut_at.is_none() => break Ok(Spoken::Finished),
                        EventType::End | EventType::Cancel => break Ok(Spoken::Cut),
                        _ => {}
                    },
                    Ok(_) => {}
                    Err(e) if nothing_yet(&e) => {}
                    Err(_) if cut_at.is_some() => {}
                    Err(e) => break Err(unavailable(e)),
                }
                if cut_at.is_some_and(|t| t.elapsed() > CUT_GRACE) {
                    break Ok(Spoken::Cut);
                }
                if Instant::now() > deadline {
                    break Err(unavailable("it never said the speech had ended"));
                }
            };
            let mut speaking = self.speaking.lock().unwrap_or_else(|p| p.into_inner());
            if *speaking == Some(id) {
                *speaking = None;
            }
            ended
        }

        /// Cuts the utterance being said short, even one asked for a moment ago whose words have
        /// not gone out yet; `say` returns `Cut` within a tenth of a second or so.
        pub fn stop(&self) {
            self.cut.store(true, Ordering::Release);
        }

        /// The voices the service offers, by name.
        pub fn voices(&self) -> Result<Vec<String>> {
            let mut c = self.client(ANSWER_WITHIN)?;
            let voices = c
                .list_synthesis_voices()
                .and_then(|c| c.receive_synthesis_voices())
                .map_err(unavailable)?;
            Ok(voices.into_iter().map(|v| v.name).collect())
        }
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
impl Voice {
    /// Speaks `u` with the system's program, returning once it has been heard to its end or cut
    /// short.
    pub fn say(&self, u: &Utterance<'_>) -> Result<Spoken> {
        self.say_noting(u, &mut || {})
    }

    /// `say`, calling `began` once the program runs.
    pub fn say_noting(&self, u: &Utterance<'_>, began: &mut dyn FnMut()) -> Result<Spoken> {
        let p = if cfg!(windows) {
            program::windows_say(u)
        } else {
            program::mac_say(u)
        };
        let spoken = program::speak(&p, &self.cut, began);
        self.cut.store(false, std::sync::atomic::Ordering::Release);
        spoken
    }

    /// Cuts the utterance being said short (its program is ended).
    pub fn stop(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::Release);
    }

    /// The system's voices, by name.
    pub fn voices(&self) -> Result<Vec<String>> {
        let within = std::time::Duration::from_secs(15);
        if cfg!(windows) {
            Ok(program::parse_lines(&program::output(
                &program::windows_voices(),
                within,
            )?))
        } else {
            Ok(program::parse_mac_voices(&program::output(
                &program::mac_voices(),
                within,
            )?))
        }
    }
}

impl Voice {
    /// The speech service at the standard place (`$XDG_RUNTIME_DIR/speech-dispatcher`).
    pub fn new() -> Voice {
        Voice::default()
    }

    /// The speech service listening on `socket` (for tests).
    pub fn at(socket: std::path::PathBuf) -> Voice {
        Voice {
            speaking: Mutex::new(None),
            cut: AtomicBool::new(false),
            socket: Some(socket),
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests;
