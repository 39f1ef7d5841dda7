//! Where Candor keeps its data: one folder with the database and a `recordings/` folder beside it.

pub mod lock;
pub mod swap;

use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// The application identifier, also the name of the data folder (defined where the folder's
/// place is chosen, `platform::folders`).
pub use crate::platform::folders::APP_ID;

/// The data folder; recordings are addressed by take id inside it, never by a path from outside.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `$CANDOR_DATA_DIR`, else the system's place (`crate::platform::folders`): on Linux
    /// `$XDG_DATA_HOME/org.candor.Candor`, else `~/.local/share/org.candor.Candor`.
    pub fn resolve() -> Result<DataDir> {
        let root = crate::platform::folders::data_folder(
            crate::platform::Platform::this(),
            &crate::platform::folders::ThisProcess,
        )?;
        Ok(DataDir { root })
    }

    /// A data folder at an explicit place (tests, the CLI's `--data-dir`).
    pub fn at(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// Creates the folders if missing.
    pub fn ensure(&self) -> Result<()> {
        std::fs::create_dir_all(self.recordings())
            .map_err(|e| CoreError::io(format!("creating {}", self.recordings().display()), e))
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The SQLite file.
    pub fn database(&self) -> PathBuf {
        self.root.join("candor.db")
    }

    /// The folder of WAV files.
    pub fn recordings(&self) -> PathBuf {
        self.root.join("recordings")
    }

    /// The speech models the user added (never in backups; a restore leaves them).
    pub fn models(&self) -> PathBuf {
        self.root.join("models")
    }

    /// Candor's log (whisper.cpp's messages and Candor's warnings; a restore leaves it).
    pub fn log_file(&self) -> PathBuf {
        self.root.join("logs").join("candor.log")
    }

    /// The WAV file of a take; the id must be a take id (32 lowercase hex digits).
    pub fn take_file(&self, take_id: &str) -> Result<PathBuf> {
        if !is_take_id(take_id) {
            return Err(CoreError::InvalidInput(format!(
                "'{}' is not a take id",
                take_id.chars().take(40).collect::<String>()
            )));
        }
        Ok(self.recordings().join(format!("{take_id}.wav")))
    }
}

/// True for the ids Candor makes for takes, so no id can name a file outside `recordings/`.
pub fn is_take_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A fresh take id.
pub fn new_take_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_ids_cannot_escape_the_recordings_folder() {
        let d = DataDir::at("/data");
        let id = new_take_id();
        assert!(is_take_id(&id));
        assert_eq!(
            d.take_file(&id).unwrap(),
            PathBuf::from(format!("/data/recordings/{id}.wav"))
        );
        for bad in [
            "../../etc/passwd",
            "",
            "ABCDEF0123456789abcdef0123456789",
            "0123456789abcdef0123456789abcde/",
        ] {
            assert_eq!(
                d.take_file(bad).unwrap_err().code(),
                "InvalidInput",
                "{bad}"
            );
        }
    }
}
