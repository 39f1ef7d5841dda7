//! A microphone that hears only silence (as macOS and Windows give an app they do not allow the
//! microphone): `candor-cli record` says so once, in the words core chooses for this system.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point
#![cfg(target_os = "linux")]

mod common;

use candor_core::audio::silence_warning;
use candor_core::platform::Platform;
use common::PulseMic;

#[test]
fn a_silent_take_says_the_silence_warning_once() {
    let mic = PulseMic::start_silent();
    let out = mic
        .cli()
        .args(["record", "--question", "cv-which-world", "--seconds", "5"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let warning = silence_warning(Platform::Linux);
    assert_eq!(err.matches(warning).count(), 1, "{err}");
    assert_eq!(warning, silence_warning(Platform::this()));
}

#[test]
fn a_take_with_speech_says_no_silence_warning() {
    let mic = PulseMic::start();
    let out = mic
        .cli()
        .args(["record", "--question", "cv-which-world", "--seconds", "4"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("hears only silence"), "{err}");
}
