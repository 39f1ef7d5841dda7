#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

//! What macOS's and Windows' programs are asked, and the runner against real programs here
//! (espeak-ng reads its words from standard input, as `say` does).

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::platform::Platform;
use crate::voice::voice_hint;

fn utterance(text: &str, voice: Option<&'static str>, rate: i32) -> Utterance<'static> {
    Utterance {
        text: Box::leak(text.to_owned().into_boxed_str()),
        voice,
        rate,
    }
}

#[test]
fn say_on_macos_gets_speed_and_voice_as_arguments_and_the_words_on_its_input() {
    let text = "You said \"it breaks first\".\n  Convince me; rm -rf ~";
    let p = mac_say(&utterance(text, Some("Eddy (English (UK))"), 0));
    assert_eq!(p.exe, "/usr/bin/say");
    assert_eq!(
        p.args,
        ["-r", "175", "-v", "Eddy (English (UK))", "-f", "-"]
    );
    assert_eq!(
        p.stdin,
        "You said \"it breaks first\". Convince me; rm -rf ~"
    );
    assert!(p.args.iter().all(|a| !a.contains("Convince")));
    assert_eq!(
        mac_say(&utterance("a", None, 100)).args,
        ["-r", "350", "-f", "-"]
    );
    assert_eq!(mac_say(&utterance("a", None, -100)).args[1], "88");
    // Out of range is held to the range.
    assert_eq!(mac_say(&utterance("a", None, 900)).args[1], "350");
}

#[test]
fn windows_speech_gets_the_words_from_the_environment_never_the_script() {
    let text = "It's what you'd call ‘quoted’; $(Remove-Item C:\\) `n";
    let p = windows_say(&utterance(text, Some("Microsoft Zira Desktop"), 55));
    assert_eq!(p.exe, "powershell.exe");
    assert_eq!(p.args.last().map(String::as_str), Some(WINDOWS_SPEAK));
    assert!(p.args.iter().all(|a| !a.contains("Remove-Item")));
    let env: std::collections::HashMap<_, _> = p.env.iter().cloned().collect();
    assert_eq!(
        env["CANDOR_SAY"],
        "It's what you'd call ‘quoted’; $(Remove-Item C:\\) `n"
    );
    assert_eq!(env["CANDOR_RATE"], "5");
    assert_eq!(env["CANDOR_VOICE"], "Microsoft Zira Desktop");
    let plain = windows_say(&utterance("a", None, -100));
    assert!(plain.env.iter().all(|(k, _)| k != "CANDOR_VOICE"));
    assert!(plain
        .env
        .contains(&("CANDOR_RATE".to_owned(), "-10".to_owned())));
    assert_eq!(
        windows_voices().args.last().map(String::as_str),
        Some(WINDOWS_VOICES)
    );
}

#[test]
fn the_voice_lists_read_as_names() {
    let mac = "Albert              en_US    # Hello! My name is Albert.\n\
               Bad News            en_US    # Hello! My name is Bad News.\n\
               Eddy (English (UK)) en_GB    # Hello! My name is Eddy.\n\
               Grandma (Français (France)) fr_FR    # Bonjour, je m’appelle Grandma.\n\
               \n\
               not a voice line\n";
    assert_eq!(
        parse_mac_voices(mac),
        [
            "Albert",
            "Bad News",
            "Eddy (English (UK))",
            "Grandma (Français (France))"
        ]
    );
    assert_eq!(
        parse_lines("Microsoft David Desktop\r\nMicrosoft Zira Desktop\r\n\r\n"),
        ["Microsoft David Desktop", "Microsoft Zira Desktop"]
    );
}

#[test]
fn each_system_says_where_its_voices_are() {
    assert!(voice_hint(Platform::Linux).contains("speech-dispatcher-espeak-ng"));
    assert!(voice_hint(Platform::MacOs).contains("Spoken Content"));
    assert!(voice_hint(Platform::Windows).contains("Time & language → Speech"));
    #[cfg(target_os = "linux")]
    assert_eq!(Platform::this(), Platform::Linux);
}

/// espeak-ng, or `None` (skipped, said on stderr) unless CANDOR_REQUIRE_VOICE is set.
fn espeak() -> Option<&'static str> {
    let found = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CANDOR_REQUIRE_VOICE").is_none(),
            "espeak-ng is needed (scripts/setup.sh)"
        );
        eprintln!("SKIPPED: no espeak-ng");
        return None;
    }
    Some("espeak-ng")
}

#[test]
fn a_speech_program_reading_its_words_from_input_is_heard_to_its_end() {
    let Some(exe) = espeak() else { return };
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("said.wav");
    let p = Program {
        exe: exe.to_owned(),
        args: vec![
            "--stdin".into(),
            "-w".into(),
            wav.to_string_lossy().into_owned(),
        ],
        env: Vec::new(),
        stdin: "Where do you disagree with the company, and why?".into(),
    };
    let mut began = 0;
    let spoken = speak(&p, &AtomicBool::new(false), &mut || began += 1).unwrap();
    assert_eq!(spoken, Spoken::Finished);
    assert_eq!(began, 1);
    // The words were read and said: over a second of sound, not silence.
    let r = hound::WavReader::open(&wav).unwrap();
    let secs = r.duration() as f64 / f64::from(r.spec().sample_rate);
    assert!(secs > 1.0, "{secs} s");
    let loud = r
        .into_samples::<i16>()
        .filter_map(|s| s.ok())
        .filter(|s| s.unsigned_abs() > 1000)
        .count();
    assert!(loud > 1000, "{loud} loud samples");
}

#[test]
fn stop_cuts_a_running_program_short_at_once() {
    let cut = Arc::new(AtomicBool::new(false));
    let p = Program {
        exe: "sleep".into(),
        args: vec!["30".into()],
        env: Vec::new(),
        stdin: String::new(),
    };
    let stopper = {
        let cut = cut.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            cut.store(true, Ordering::Release);
        })
    };
    let t = Instant::now();
    assert_eq!(speak(&p, &cut, &mut || {}).unwrap(), Spoken::Cut);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    stopper.join().unwrap();
}

#[test]
fn a_missing_or_failing_program_is_no_voice_with_what_it_said() {
    let missing = Program {
        exe: "/nonexistent/say".into(),
        args: Vec::new(),
        env: Vec::new(),
        stdin: "hi".into(),
    };
    let e = speak(&missing, &AtomicBool::new(false), &mut || {}).unwrap_err();
    assert!(
        matches!(&e, CoreError::NoVoice(m) if m.contains("/nonexistent/say")),
        "{e}"
    );
    let failing = Program {
        exe: "sh".into(),
        args: vec![
            "-c".into(),
            "cat >/dev/null; echo 'Voice \"Nobody\" not found.' >&2; exit 1".into(),
        ],
        env: Vec::new(),
        stdin: "hi".into(),
    };
    let e = speak(&failing, &AtomicBool::new(false), &mut || {}).unwrap_err();
    assert!(
        matches!(&e, CoreError::NoVoice(m) if m.contains("Voice \"Nobody\" not found.")),
        "{e}"
    );
}

#[test]
fn a_voice_list_is_read_whole_and_a_silent_program_is_given_up() {
    let long = Program {
        exe: "sh".into(),
        args: vec!["-c".into(), "i=0; while [ $i -lt 3000 ]; do echo \"Voice number $i   en_US    # Hello there, this is a sample sentence.\"; i=$((i+1)); done".into()],
        env: Vec::new(),
        stdin: String::new(),
    };
    let out = output(&long, Duration::from_secs(30)).unwrap();
    assert!(out.len() > 65_536, "{}", out.len());
    assert_eq!(parse_mac_voices(&out).len(), 3000);
    let silent = Program {
        exe: "sleep".into(),
        args: vec!["30".into()],
        env: Vec::new(),
        stdin: String::new(),
    };
    let t = Instant::now();
    let e = output(&silent, Duration::from_millis(300)).unwrap_err();
    assert!(e.to_string().contains("did not answer"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(5));
}
