//! Where Candor's data folder and the user's Downloads folder are on each system, as pure
//! functions of the system and its environment, so all three are tested on Linux.
//!
//! Written here rather than taken from `dirs`/`directories`: those crates pick the system at
//! compile time (and ask Windows through its API), so neither could be tested for macOS and
//! Windows on Linux; and their Linux data folder ignores an empty `XDG_DATA_HOME` differently
//! from Candor's, whose paths must stay byte for byte what they were (existing users' data stays
//! put).
//!
//! - Linux: `$XDG_DATA_HOME/org.candor.Candor`, else `~/.local/share/org.candor.Candor`;
//!   Downloads from `XDG_DOWNLOAD_DIR` in `user-dirs.dirs`, else `~/Downloads`.
//! - macOS: `~/Library/Application Support/org.candor.Candor`; `~/Downloads`.
//! - Windows: `%APPDATA%\org.candor.Candor` (the roaming AppData folder, as Tauri's own
//!   `app_data_dir`), else under `%USERPROFILE%`; `%USERPROFILE%\Downloads`. `HOME` is not used
//!   there (it is normally unset, and Git's shells set it to a path of their own).
//!
//! `CANDOR_DATA_DIR` wins everywhere. An empty variable counts as unset.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::Platform;
use crate::error::{CoreError, Result};

/// The application identifier (as in the Tauri configs), also the name of the data folder.
pub const APP_ID: &str = "org.candor.Candor";

/// What the folder functions may read of the system: variables and one small file (the XDG
/// user-dirs file), so tests can give any environment.
pub trait Env {
    /// The value of an environment variable, if set.
    fn var(&self, key: &str) -> Option<OsString>;
    /// The text of a file, if it can be read.
    fn read(&self, path: &Path) -> Option<String>;
}

/// The environment of this process.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThisProcess;

impl Env for ThisProcess {
    fn var(&self, key: &str) -> Option<OsString> {
        std::env::var_os(key)
    }

    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
}

/// A variable as a path, `None` when unset or empty.
fn path_var(env: &impl Env, key: &str) -> Option<PathBuf> {
    env.var(key).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// The data folder on `platform` given `env`: `CANDOR_DATA_DIR`, else the system's place for
/// application data.
pub fn data_folder(platform: Platform, env: &impl Env) -> Result<PathBuf> {
    if let Some(dir) = path_var(env, "CANDOR_DATA_DIR") {
        return Ok(dir);
    }
    let found = match platform {
        Platform::Linux => path_var(env, "XDG_DATA_HOME")
            .map(|d| d.join(APP_ID))
            .or_else(|| path_var(env, "HOME").map(|h| h.join(".local/share").join(APP_ID))),
        Platform::MacOs => path_var(env, "HOME")
            .map(|h| h.join("Library").join("Application Support").join(APP_ID)),
        Platform::Windows => path_var(env, "APPDATA")
            .map(|d| d.join(APP_ID))
            .or_else(|| {
                path_var(env, "USERPROFILE").map(|u| u.join("AppData").join("Roaming").join(APP_ID))
            }),
    };
    found.ok_or_else(|| {
        let set = match platform {
            Platform::Linux | Platform::MacOs => "HOME",
            Platform::Windows => "APPDATA",
        };
        CoreError::InvalidInput(format!(
            "cannot find a data folder: set {set} or CANDOR_DATA_DIR"
        ))
    })
}

/// The user's Downloads folder on `platform` given `env`.
pub fn downloads_folder(platform: Platform, env: &impl Env) -> Result<PathBuf> {
    let home_var = match platform {
        Platform::Linux | Platform::MacOs => "HOME",
        Platform::Windows => "USERPROFILE",
    };
    let home = path_var(env, home_var).ok_or_else(|| {
        CoreError::InvalidInput(format!("{home_var} is not set; cannot find Downloads"))
    })?;
    if platform != Platform::Linux {
        return Ok(home.join("Downloads"));
    }
    let config = path_var(env, "XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config"));
    let from_user_dirs = env
        .read(&config.join("user-dirs.dirs"))
        .and_then(|text| parse_user_dirs(&text, &home));
    Ok(from_user_dirs.unwrap_or_else(|| home.join("Downloads")))
}

/// Reads `XDG_DOWNLOAD_DIR="$HOME/..."` from the text of a `user-dirs.dirs` file.
pub fn parse_user_dirs(text: &str, home: &Path) -> Option<PathBuf> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("XDG_DOWNLOAD_DIR="))?;
    let value = line["XDG_DOWNLOAD_DIR=".len()..].trim().trim_matches('"');
    let path = match value.strip_prefix("$HOME") {
        Some(rest) => home.join(rest.trim_start_matches('/')),
        None => PathBuf::from(value),
    };
    // A value equal to HOME means "disabled" in the XDG spec.
    (path.is_absolute() && path != home).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// An environment made of a few variables and files.
    #[derive(Default)]
    struct Given {
        vars: HashMap<&'static str, &'static str>,
        files: HashMap<PathBuf, &'static str>,
    }

    impl Given {
        fn vars(pairs: &[(&'static str, &'static str)]) -> Given {
            Given {
                vars: pairs.iter().copied().collect(),
                files: HashMap::new(),
            }
        }

        fn file(mut self, path: &str, text: &'static str) -> Given {
            self.files.insert(PathBuf::from(path), text);
            self
        }
    }

    impl Env for Given {
        fn var(&self, key: &str) -> Option<OsString> {
            self.vars.get(key).map(OsString::from)
        }

        fn read(&self, path: &Path) -> Option<String> {
            self.files.get(path).map(|t| t.to_string())
        }
    }

    fn data(p: Platform, env: &Given) -> String {
        data_folder(p, env).unwrap().to_str().unwrap().to_string()
    }

    fn downloads(p: Platform, env: &Given) -> String {
        downloads_folder(p, env)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    }

    /// Today's Linux answers, byte for byte: existing users' data and exports stay where they are.
    #[test]
    fn linux_paths_are_byte_for_byte_what_they_were() {
        let l = Platform::Linux;
        let home = Given::vars(&[("HOME", "/home/ana")]);
        assert_eq!(data(l, &home), "/home/ana/.local/share/org.candor.Candor");
        assert_eq!(downloads(l, &home), "/home/ana/Downloads");
        let xdg = Given::vars(&[("HOME", "/home/ana"), ("XDG_DATA_HOME", "/data/xdg")]);
        assert_eq!(data(l, &xdg), "/data/xdg/org.candor.Candor");
        // An empty XDG_DATA_HOME counts as unset; a HOME ending in a slash gives the same path.
        let empty = Given::vars(&[("HOME", "/home/ana/"), ("XDG_DATA_HOME", "")]);
        assert_eq!(data(l, &empty), "/home/ana/.local/share/org.candor.Candor");
        let only_xdg = Given::vars(&[("XDG_DATA_HOME", "/x")]);
        assert_eq!(data(l, &only_xdg), "/x/org.candor.Candor");
        let own = Given::vars(&[("HOME", "/home/ana"), ("CANDOR_DATA_DIR", "/mnt/candor")]);
        assert_eq!(data(l, &own), "/mnt/candor");

        // Downloads from user-dirs.dirs, in ~/.config or $XDG_CONFIG_HOME.
        let fr = Given::vars(&[("HOME", "/home/ana")]).file(
            "/home/ana/.config/user-dirs.dirs",
            "XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n",
        );
        assert_eq!(downloads(l, &fr), "/home/ana/Téléchargements");
        let moved = Given::vars(&[("HOME", "/home/ana"), ("XDG_CONFIG_HOME", "/cfg")])
            .file("/cfg/user-dirs.dirs", "XDG_DOWNLOAD_DIR=\"/srv/dl\"\n")
            .file(
                "/home/ana/.config/user-dirs.dirs",
                "XDG_DOWNLOAD_DIR=\"$HOME/no\"\n",
            );
        assert_eq!(downloads(l, &moved), "/srv/dl");
        let disabled = Given::vars(&[("HOME", "/home/ana")]).file(
            "/home/ana/.config/user-dirs.dirs",
            "XDG_DOWNLOAD_DIR=\"$HOME/\"\n",
        );
        assert_eq!(downloads(l, &disabled), "/home/ana/Downloads");

        // Without HOME, the messages are today's.
        let none = Given::default();
        assert_eq!(
            data_folder(l, &none).unwrap_err().to_string(),
            CoreError::InvalidInput(
                "cannot find a data folder: set HOME or CANDOR_DATA_DIR".into()
            )
            .to_string()
        );
        assert_eq!(
            downloads_folder(l, &none).unwrap_err().to_string(),
            CoreError::InvalidInput("HOME is not set; cannot find Downloads".into()).to_string()
        );
    }

    #[test]
    fn macos_keeps_data_in_application_support_and_ignores_xdg() {
        let m = Platform::MacOs;
        let env = Given::vars(&[("HOME", "/Users/ana"), ("XDG_DATA_HOME", "/Users/ana/.xdg")])
            .file(
                "/Users/ana/.config/user-dirs.dirs",
                "XDG_DOWNLOAD_DIR=\"$HOME/elsewhere\"\n",
            );
        assert_eq!(
            data(m, &env),
            "/Users/ana/Library/Application Support/org.candor.Candor"
        );
        assert_eq!(downloads(m, &env), "/Users/ana/Downloads");
        let own = Given::vars(&[("HOME", "/Users/ana"), ("CANDOR_DATA_DIR", "/Volumes/x")]);
        assert_eq!(data(m, &own), "/Volumes/x");
        let none = Given::default();
        assert!(data_folder(m, &none)
            .unwrap_err()
            .to_string()
            .contains("set HOME or CANDOR_DATA_DIR"));
        assert_eq!(
            downloads_folder(m, &none).unwrap_err().code(),
            "InvalidInput"
        );
    }

    #[test]
    fn windows_needs_no_home_and_uses_the_roaming_appdata_folder() {
        let w = Platform::Windows;
        // HOME is normally unset on Windows.
        let env = Given::vars(&[
            ("APPDATA", r"C:\Users\ana\AppData\Roaming"),
            ("USERPROFILE", r"C:\Users\ana"),
        ]);
        assert_eq!(
            data_folder(w, &env).unwrap(),
            Path::new(r"C:\Users\ana\AppData\Roaming").join("org.candor.Candor")
        );
        assert_eq!(
            downloads_folder(w, &env).unwrap(),
            Path::new(r"C:\Users\ana").join("Downloads")
        );
        // Without APPDATA, the same folder under the profile.
        let profile_only = Given::vars(&[("USERPROFILE", r"C:\Users\ana")]);
        assert_eq!(
            data_folder(w, &profile_only).unwrap(),
            Path::new(r"C:\Users\ana")
                .join("AppData")
                .join("Roaming")
                .join("org.candor.Candor")
        );
        // A HOME set by a Unix-like shell is not used, nor XDG variables.
        let shell = Given::vars(&[
            ("HOME", "/c/Users/ana"),
            ("XDG_DATA_HOME", "/c/xdg"),
            ("USERPROFILE", r"C:\Users\ana"),
        ]);
        assert_eq!(
            downloads_folder(w, &shell).unwrap(),
            Path::new(r"C:\Users\ana").join("Downloads")
        );
        assert_eq!(
            data_folder(w, &shell).unwrap(),
            Path::new(r"C:\Users\ana")
                .join("AppData")
                .join("Roaming")
                .join("org.candor.Candor")
        );
        let own = Given::vars(&[("CANDOR_DATA_DIR", r"D:\candor")]);
        assert_eq!(data(w, &own), r"D:\candor");
        let home_only = Given::vars(&[("HOME", "/c/Users/ana")]);
        let e = data_folder(w, &home_only).unwrap_err().to_string();
        assert!(e.contains("set APPDATA or CANDOR_DATA_DIR"), "{e}");
        let e = downloads_folder(w, &home_only).unwrap_err().to_string();
        assert!(e.contains("USERPROFILE is not set"), "{e}");
    }

    #[test]
    fn reads_the_download_dir_from_user_dirs() {
        let home = Path::new("/home/ana");
        let text = "# comment\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n";
        assert_eq!(
            parse_user_dirs(text, home),
            Some(PathBuf::from("/home/ana/Téléchargements"))
        );
        assert_eq!(
            parse_user_dirs("XDG_DOWNLOAD_DIR=\"/data/dl\"", home),
            Some(PathBuf::from("/data/dl"))
        );
        assert_eq!(parse_user_dirs("XDG_DOWNLOAD_DIR=\"$HOME/\"", home), None);
        assert_eq!(parse_user_dirs("", home), None);
    }
}
