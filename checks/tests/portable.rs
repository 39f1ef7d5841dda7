//! Nothing Linux- or Unix-only is left outside a cfg gate: every Rust source of the workspace
//! (core, cli, src-tauri, bench; their tests, examples and benchmarks) is read for APIs, paths,
//! variables and programs that exist only there, and each occurrence must be in a file gated as a
//! whole (`#![cfg(target_os = "linux")]` or `#![cfg(unix)]`, or a module included only under such
//! a gate) or in the list below, which says for each place why it is fine. Comment lines are not
//! read. A new occurrence fails until it is gated and listed; a listed one that went away fails
//! until its entry is removed, so the list stays true.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

use std::collections::BTreeMap;

/// What marks Linux- or Unix-only code, and why.
const NEEDLES: &[(&str, &str)] = &[
    ("std::os::unix", "Unix-only std API"),
    ("libc::", "libc calls (a Unix dependency here)"),
    ("signal_hook", "Unix signals"),
    ("/proc", "Linux's process file system"),
    ("/dev/", "Unix device files"),
    ("/tmp/", "a Unix temporary folder"),
    ("XDG_", "freedesktop variables"),
    (".local/share", "the freedesktop data folder"),
    ("\"HOME\"", "HOME, normally unset on Windows"),
    ("pulse", "PulseAudio (also PulseMic, PULSE_SERVER)"),
    ("paplay", "PulseAudio's player"),
    ("parec", "PulseAudio's recorder"),
    ("pactl", "PulseAudio's control"),
    ("alsa", "ALSA"),
    ("FakeMic", "the ALSA file-plugin microphone"),
    ("asoundrc", "ALSA's configuration"),
    ("UnixStream", "Unix sockets"),
    ("ssip", "speech-dispatcher's protocol"),
    ("speech-dispatcher", "Linux's speech service"),
    ("espeak", "espeak-ng, a Linux speech program"),
    ("mkfifo", "named pipes"),
    ("prlimit", "Linux resource limits"),
    ("\"mount\"", "mounting a tmpfs"),
    ("strace", "Linux system-call tracing"),
    ("\"sox\"", "sox"),
    ("Command::new(\"true\")", "a Unix program"),
    ("Command::new(\"sleep\")", "a Unix program"),
    ("Command::new(\"sh\")", "the Unix shell"),
    ("Command::new(\"kill\")", "Unix signals by program"),
];

/// A place where needles may occur: `count` occurrences of `needle` in `file`, and why that is
/// fine (gated there, or harmless where the thing does not exist).
struct Allowed {
    file: &'static str,
    needle: &'static str,
    count: usize,
    why: &'static str,
}

const fn allow(
    file: &'static str,
    needle: &'static str,
    count: usize,
    why: &'static str,
) -> Allowed {
    Allowed {
        file,
        needle,
        count,
        why,
    }
}

/// Files included only under a gate in another file: (file, including file, the gate and the
/// `mod` line it stands on).
const GATED_MODULES: &[(&str, &str, &str)] = &[
    (
        "core/src/voice/tests.rs",
        "core/src/voice.rs",
        "#[cfg(all(test, target_os = \"linux\"))]\nmod tests;",
    ),
    (
        "core/src/voice/program/tests.rs",
        "core/src/voice/program.rs",
        "#[cfg(all(test, unix))]\nmod tests;",
    ),
    (
        "cli/tests/common/mics.rs",
        "cli/tests/common/mod.rs",
        "#[cfg(target_os = \"linux\")]\nmod mics;",
    ),
];

const ALLOWED: &[Allowed] = &[
    // core: the product.
    allow(
        "core/src/input_file.rs",
        "std::os::unix",
        3,
        "FIFO and device checks and O_NONBLOCK inside #[cfg(unix)] blocks; a symlink in a #[cfg(unix)] test",
    ),
    allow(
        "core/src/input_file.rs",
        "libc::",
        1,
        "O_NONBLOCK inside #[cfg(unix)]",
    ),
    allow(
        "core/src/input_file.rs",
        "/dev/",
        3,
        "/dev/zero and /dev/null in #[cfg(unix)] tests",
    ),
    allow(
        "core/src/input_file.rs",
        "mkfifo",
        1,
        "a #[cfg(unix)] test",
    ),
    allow(
        "core/src/error.rs",
        "signal_hook",
        2,
        "SIGXFSZ inside #[cfg(unix)]; Windows has no such signal",
    ),
    allow(
        "core/src/platform/folders.rs",
        "XDG_",
        19,
        "the Linux branch of the folder functions and their tests (chosen by Platform, never read elsewhere)",
    ),
    allow(
        "core/src/platform/folders.rs",
        ".local/share",
        3,
        "the Linux branch and its tests",
    ),
    allow(
        "core/src/platform/folders.rs",
        "\"HOME\"",
        15,
        "the Linux and macOS branches and the tests (Windows reads APPDATA and USERPROFILE)",
    ),
    allow(
        "core/src/downloads.rs",
        "\"mount\"",
        1,
        "the tiny-disk test: where no tmpfs can be mounted it is skipped (unless CANDOR_REQUIRE_TMPFS)",
    ),
    allow(
        "core/src/platform/processes.rs",
        "/proc",
        2,
        "whether a process runs and who holds a file open, in #[cfg(target_os = \"linux\")] functions; elsewhere every process counts as running and nobody is named",
    ),
    allow(
        "core/src/platform/processes.rs",
        "Command::new(\"true\")",
        1,
        "a process that ended, in a #[cfg(target_os = \"linux\")] test",
    ),
    allow(
        "core/src/platform/processes.rs",
        "Command::new(\"sleep\")",
        1,
        "a process holding a file open, in the same test",
    ),
    allow(
        "core/src/voice.rs",
        "ssip",
        3,
        "the speech-dispatcher client, in a module under #[cfg(all(unix, not(target_os = \"macos\")))]",
    ),
    allow(
        "core/src/voice.rs",
        "UnixStream",
        2,
        "the same gated module",
    ),
    allow(
        "core/src/voice.rs",
        "speech-dispatcher",
        2,
        "the Linux voice hint (chosen by Platform) and the gated module",
    ),
    allow(
        "core/src/voice.rs",
        "espeak",
        1,
        "the Linux voice hint, chosen by Platform",
    ),
    allow(
        "core/src/transcribe/download.rs",
        "std::os::unix",
        1,
        "the full-disk test, #[cfg(target_os = \"linux\")]",
    ),
    allow(
        "core/src/transcribe/download.rs",
        "/dev/",
        1,
        "the same test",
    ),
    allow(
        "core/src/backup/tests.rs",
        "std::os::unix",
        1,
        "a symlink inside #[cfg(unix)]",
    ),
    allow(
        "core/src/backup/tests.rs",
        "Command::new(\"true\")",
        1,
        "a process that ended, in a #[cfg(target_os = \"linux\")] block",
    ),
    allow(
        "core/src/backup/tests.rs",
        "Command::new(\"sleep\")",
        1,
        "a process that runs, in the same block",
    ),
    allow(
        "core/src/bank/mod.rs",
        "/dev/",
        1,
        "a #[cfg(unix)] test",
    ),
    allow(
        "core/src/bank/mod.rs",
        "mkfifo",
        1,
        "the same #[cfg(unix)] test",
    ),
    allow(
        "core/src/app/tests.rs",
        "/proc",
        1,
        "what is open at a restore's swap, in a #[cfg(target_os = \"linux\")] test",
    ),
    allow(
        "core/examples/stop_to_ready.rs",
        "/proc",
        1,
        "a measuring tool run by hand on Linux; elsewhere the memory figures read 0 (unwrap_or_default)",
    ),
    // Device ids as text (Candor stores whatever id cpal gives; nothing is opened by it).
    allow(
        "core/src/settings.rs",
        "alsa",
        1,
        "a device id as text in a settings test",
    ),
    allow(
        "core/src/settings.rs",
        "pulse",
        1,
        "the same device id",
    ),
    allow(
        "core/src/store/settings.rs",
        "alsa",
        3,
        "device ids as text in a settings test",
    ),
    allow(
        "core/src/store/settings.rs",
        "pulse",
        2,
        "the same device ids",
    ),
    allow(
        "core/src/backup/tests.rs",
        "alsa",
        1,
        "a device id as text in an old database's settings",
    ),
    // cli tests not gated as a whole.
    allow(
        "cli/tests/common/mod.rs",
        "pulse",
        1,
        "the doc of the #[cfg(target_os = \"linux\")] mics module",
    ),
    allow(
        "cli/tests/common/mod.rs",
        "FakeMic",
        1,
        "re-exported under #[cfg(target_os = \"linux\")]",
    ),
    allow(
        "cli/tests/folder_safety.rs",
        "mkfifo",
        2,
        "a #[cfg(unix)] test",
    ),
];

fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim_start().starts_with("//"))
}

fn count(text: &str, needle: &str) -> usize {
    // Lower-case needles match any case (PulseMic, PULSE_SERVER, ALSA).
    let lower = needle.chars().all(|c| !c.is_ascii_uppercase());
    code_lines(text)
        .map(|l| {
            if lower {
                l.to_ascii_lowercase().matches(needle).count()
            } else {
                l.matches(needle).count()
            }
        })
        .sum()
}

/// Gated as a whole by an inner attribute.
fn gated_file(text: &str) -> bool {
    text.lines().take(40).any(|l| {
        let l = l.trim_start();
        l.starts_with("#![cfg(target_os = \"linux\")]") || l.starts_with("#![cfg(unix)]")
    })
}

fn sources() -> Vec<String> {
    let mut all = Vec::new();
    // bench/src and bench/benches only: bench/out holds the benchmark scripts' builds and data.
    for dir in ["core", "cli", "src-tauri", "bench/src", "bench/benches"] {
        all.extend(candor_checks::files_under(dir, ".rs"));
    }
    all
}

#[test]
fn nothing_linux_only_is_left_outside_a_cfg_gate() {
    let root = candor_checks::root();
    let files = sources();
    assert!(
        files.iter().any(|f| f == "core/src/error.rs") && files.len() > 50,
        "the sources were not found from {}",
        root.display()
    );
    let gated_modules: Vec<&str> = GATED_MODULES.iter().map(|g| g.0).collect();
    for (file, parent, gate) in GATED_MODULES {
        let text = std::fs::read_to_string(root.join(parent)).unwrap();
        assert!(
            text.contains(gate),
            "{file} is listed as included only under a gate in {parent}, which no longer has:\n{gate}"
        );
    }

    let mut found: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        if gated_file(&text) || gated_modules.contains(&file.as_str()) {
            continue;
        }
        for (needle, _) in NEEDLES {
            let n = count(&text, needle);
            if n > 0 {
                found.insert((file.clone(), needle), n);
            }
        }
    }

    let mut problems = Vec::new();
    for ((file, needle), n) in &found {
        let why = NEEDLES.iter().find(|x| x.0 == *needle).map_or("", |x| x.1);
        match ALLOWED
            .iter()
            .find(|a| a.file == file && a.needle == *needle)
        {
            None => problems.push(format!(
                "{file}: {n} × {needle:?} ({why}) outside a cfg gate: gate it (#[cfg(unix)], \
                 #[cfg(target_os = \"linux\")], or a Platform branch) and list it in checks/tests/portable.rs"
            )),
            Some(a) if a.count != *n => problems.push(format!(
                "{file}: {n} × {needle:?}, listed as {} ({}): check the new ones are gated, then set the count",
                a.count, a.why
            )),
            Some(_) => {}
        }
    }
    for a in ALLOWED {
        assert!(
            a.count == 0 || !a.why.is_empty(),
            "{}: every entry says why",
            a.file
        );
        let n = found
            .get(&(a.file.to_string(), a.needle))
            .copied()
            .unwrap_or(0);
        if n == 0 && a.count > 0 {
            problems.push(format!(
                "{}: {:?} is listed ({} × ) but no longer there: remove the entry",
                a.file, a.needle, a.count
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_check_sees_what_it_looks_for() {
    let text = "use std::os::unix::fs::symlink;\n// std::os::unix in a comment\nlet p = \"/proc/self/fd\";\nPulseMic::start();\n";
    assert_eq!(count(text, "std::os::unix"), 1);
    assert_eq!(count(text, "/proc"), 1);
    assert_eq!(count(text, "pulse"), 1);
    assert!(gated_file(
        "//! doc\n\n#![allow(x)]\n#![cfg(target_os = \"linux\")]\n"
    ));
    assert!(!gated_file("#[cfg(target_os = \"linux\")]\nfn f() {}\n"));
}
