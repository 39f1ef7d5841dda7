//! The system voices of macOS and Windows, spoken by the program each system ships for it:
//! `/usr/bin/say` on macOS, and on Windows PowerShell driving `System.Speech` (SAPI, whose voices
//! are the ones Windows lists under Settings → Time & language → Speech). The program runs once
//! per utterance: its end is the end of the speech, and cutting it short ends the program. No
//! text goes into a command line: `say` reads it from standard input and the PowerShell script
//! (a constant) from an environment variable, so nothing in it is ever run as code.
//!
//! The runner is the same on every system and is tested on Linux with a real speech program
//! (espeak-ng, which reads its text from standard input as `say` does); what each system's
//! program is asked (its arguments, environment and how its voice list reads) is built by plain
//! functions tested here too.

// On Linux the voice is speech-dispatcher's; these are used by macOS and Windows builds and tests.
#![cfg_attr(target_os = "linux", allow(dead_code))]

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{Spoken, Utterance};
use crate::error::{CoreError, Result};

/// How often a running program is looked at (ended? asked to stop?).
const LOOK_EVERY: Duration = Duration::from_millis(25);

/// A program to run: what it is, its arguments and environment, and what it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Program {
    /// The program (found on `PATH` unless absolute).
    pub exe: String,
    /// Its arguments (never the text).
    pub args: Vec<String>,
    /// Variables added to its environment.
    pub env: Vec<(String, String)>,
    /// What it reads on standard input.
    pub stdin: String,
}

/// The text on one line, as the programs read it.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// macOS: `say` at a speed in words a minute (175, the system's own, at rate 0; half at -100,
/// double at 100), in the voice named, reading the words from standard input.
pub(crate) fn mac_say(u: &Utterance<'_>) -> Program {
    let wpm = (175.0 * 2f64.powf(f64::from(u.rate.clamp(-100, 100)) / 100.0)).round() as u32;
    let mut args = vec!["-r".to_owned(), wpm.to_string()];
    if let Some(v) = u.voice {
        args.extend(["-v".to_owned(), v.to_owned()]);
    }
    args.extend(["-f".to_owned(), "-".to_owned()]);
    Program {
        exe: "/usr/bin/say".to_owned(),
        args,
        env: Vec::new(),
        stdin: one_line(u.text),
    }
}

/// macOS: the voices `say` offers (`say -v ?`).
pub(crate) fn mac_voices() -> Program {
    Program {
        exe: "/usr/bin/say".to_owned(),
        args: vec!["-v".to_owned(), "?".to_owned()],
        env: Vec::new(),
        stdin: String::new(),
    }
}

/// The voice names in `say -v ?`'s list: each line is the name (which may hold spaces and
/// brackets), spaces, the locale (`en_US`), spaces, `#` and a sample sentence.
pub(crate) fn parse_mac_voices(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|line| {
            let (head, _) = line.split_once('#')?;
            let mut parts = head.trim_end().rsplitn(2, char::is_whitespace);
            let locale = parts.next()?;
            let name = parts.next()?.trim();
            let looks_like_locale = locale.len() >= 4
                && locale.contains(['_', '-'])
                && locale
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            (looks_like_locale && !name.is_empty()).then(|| name.to_owned())
        })
        .collect()
}

/// PowerShell without the user's profile, reading its script from the command line.
fn powershell(script: &str, env: Vec<(String, String)>) -> Program {
    Program {
        exe: "powershell.exe".to_owned(),
        args: [
            "-NoProfile",
            "-NonInteractive",
            "-ExecutionPolicy",
            "Bypass",
            "-Command",
            script,
        ]
        .map(str::to_owned)
        .to_vec(),
        env,
        stdin: String::new(),
    }
}

/// The script that speaks: the words, voice and speed come from the environment.
const WINDOWS_SPEAK: &str = "Add-Type -AssemblyName System.Speech; \
     $s = New-Object System.Speech.Synthesis.SpeechSynthesizer; \
     if ($env:CANDOR_VOICE) { $s.SelectVoice($env:CANDOR_VOICE) }; \
     $s.Rate = [int]$env:CANDOR_RATE; \
     $s.Speak($env:CANDOR_SAY)";

/// The script that lists the voices, one name a line.
const WINDOWS_VOICES: &str = "Add-Type -AssemblyName System.Speech; \
     (New-Object System.Speech.Synthesis.SpeechSynthesizer).GetInstalledVoices() | \
     Where-Object { $_.Enabled } | ForEach-Object { $_.VoiceInfo.Name }";

/// Windows: SAPI's synthesizer at a speed from -10 to 10 (rate / 10), in the voice named.
pub(crate) fn windows_say(u: &Utterance<'_>) -> Program {
    let mut env = vec![
        ("CANDOR_SAY".to_owned(), one_line(u.text)),
        (
            "CANDOR_RATE".to_owned(),
            (u.rate.clamp(-100, 100) / 10).to_string(),
        ),
    ];
    if let Some(v) = u.voice {
        env.push(("CANDOR_VOICE".to_owned(), v.to_owned()));
    }
    powershell(WINDOWS_SPEAK, env)
}

/// Windows: the installed, enabled voices.
pub(crate) fn windows_voices() -> Program {
    powershell(WINDOWS_VOICES, Vec::new())
}

/// The voice names PowerShell printed, one a line.
pub(crate) fn parse_lines(out: &str) -> Vec<String> {
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The program as a command (no window of its own on Windows); what it says on stderr is kept
/// for the error.
fn command(p: &Program) -> Command {
    let mut cmd = Command::new(&p.exe);
    cmd.args(&p.args)
        .envs(p.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        cmd.creation_flags(CREATE_NO_WINDOW);
    }
    cmd
}

/// Why the program could not speak, in words (its own last line when it said one).
fn failed(p: &Program, detail: impl std::fmt::Display) -> CoreError {
    super::unavailable(format!("{} {detail}", p.exe))
}

/// Runs `p` until it ends (the speech was heard to its end) or `cut` is set (it is ended:
/// cut short); `began` is called once it runs. A program that is missing or fails is
/// `NoVoice` with what it said.
pub(crate) fn speak(p: &Program, cut: &AtomicBool, began: &mut dyn FnMut()) -> Result<Spoken> {
    let mut child = command(p).spawn().map_err(|e| failed(p, e))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input has closed it: not an error of the speech.
        let _ = stdin.write_all(p.stdin.as_bytes());
    }
    began();
    loop {
        if cut.swap(false, Ordering::AcqRel) {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Spoken::Cut);
        }
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(Spoken::Finished),
            Ok(Some(status)) => {
                let mut said = String::new();
                if let Some(mut err) = child.stderr.take() {
                    let _ = err.read_to_string(&mut said);
                }
                let last = said.lines().rev().find(|l| !l.trim().is_empty());
                return Err(failed(
                    p,
                    last.map_or(status.to_string(), |l| l.trim().to_owned()),
                ));
            }
            Ok(None) => std::thread::sleep(LOOK_EVERY),
            Err(e) => return Err(failed(p, e)),
        }
    }
}

/// Runs `p` to its end (bounded by `within`) and returns what it printed.
pub(crate) fn output(p: &Program, within: Duration) -> Result<String> {
    let mut child = command(p)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| failed(p, e))?;
    // Read as it comes, so a long list never fills the pipe and stalls the program.
    let reader = child.stdout.take().map(|mut o| {
        std::thread::spawn(move || {
            let mut out = String::new();
            o.read_to_string(&mut out).map(|_| out)
        })
    });
    let deadline = Instant::now() + within;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(status)) => return Err(failed(p, status)),
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(p, "did not answer"));
            }
            Ok(None) => std::thread::sleep(LOOK_EVERY),
            Err(e) => return Err(failed(p, e)),
        }
    }
    match reader.map(std::thread::JoinHandle::join) {
        Some(Ok(read)) => read.map_err(|e| failed(p, e)),
        Some(Err(_)) => Err(failed(p, "its output could not be read")),
        None => Ok(String::new()),
    }
}

#[cfg(all(test, unix))]
mod tests;
