//! Where files the user exports from the window are saved: their Downloads folder, never over
//! an existing file.

use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// The user's Downloads folder: `XDG_DOWNLOAD_DIR` from `user-dirs.dirs`, else `~/Downloads`.
pub fn downloads_dir() -> Result<PathBuf> {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| CoreError::InvalidInput("HOME is not set; cannot find Downloads".into()))?;
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".config"));
    let from_user_dirs = std::fs::read_to_string(config.join("user-dirs.dirs"))
        .ok()
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

/// A path for `file_name` in `dir` that does not exist yet: `name.ext`, `name (1).ext`, ...
pub fn unique_path(dir: &Path, file_name: &str) -> PathBuf {
    let base = Path::new(file_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "download".to_string());
    let first = dir.join(&base);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match base.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (base.clone(), String::new()),
    };
    (1..)
        .map(|i| dir.join(format!("{stem} ({i}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Saves `bytes` as a new file named like `file_name` in `dir` (created if missing), never over
/// an existing file, even one that appears meanwhile; returns the path it got.
pub fn save_new(dir: &Path, file_name: &str, bytes: &[u8]) -> Result<PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir)
        .map_err(|e| CoreError::io(format!("creating {}", dir.display()), e))?;
    for _ in 0..100 {
        let path = unique_path(dir, file_name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(bytes)
                    .map_err(|e| CoreError::io(format!("saving {}", path.display()), e))?;
                return Ok(path);
            }
            // Taken between the check and the creation: try the next name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(CoreError::io(format!("saving {}", path.display()), e)),
        }
    }
    Err(CoreError::InvalidInput(format!(
        "could not find a free name for {file_name} in {}",
        dir.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn never_overwrites_and_never_leaves_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let p = unique_path(dir.path(), "candor-questions.toml");
        assert_eq!(p, dir.path().join("candor-questions.toml"));
        std::fs::write(&p, "x").unwrap();
        assert_eq!(
            unique_path(dir.path(), "candor-questions.toml"),
            dir.path().join("candor-questions (1).toml")
        );
        assert_eq!(
            unique_path(dir.path(), "../../etc/passwd"),
            dir.path().join("passwd")
        );
        assert_eq!(unique_path(dir.path(), ".."), dir.path().join("download"));
    }

    #[test]
    fn save_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("Downloads");
        let a = save_new(&sub, "candor-ratings.csv", b"one").unwrap();
        let b = save_new(&sub, "candor-ratings.csv", b"two").unwrap();
        assert_eq!(a, sub.join("candor-ratings.csv"));
        assert_eq!(b, sub.join("candor-ratings (1).csv"));
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        assert_eq!(std::fs::read(&b).unwrap(), b"two");
    }
}
