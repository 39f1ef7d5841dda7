//! The desktop systems Candor is built for, as a value: what differs between them (where the
//! voices are, where the microphone is allowed, where the data and Downloads folders are) is
//! chosen from it by plain functions that are tested on Linux for all three.

pub mod folders;
pub(crate) mod processes;
pub(crate) mod rename;

/// A desktop system Candor is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Linux (and the other Unix desktops, which are treated alike).
    Linux,
    /// macOS.
    MacOs,
    /// Windows.
    Windows,
}

impl Platform {
    /// The system this build runs on.
    pub const fn this() -> Platform {
        if cfg!(target_os = "macos") {
            Platform::MacOs
        } else if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Linux
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_build_knows_its_system() {
        let expected = if cfg!(target_os = "macos") {
            Platform::MacOs
        } else if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Linux
        };
        assert_eq!(Platform::this(), expected);
        #[cfg(target_os = "linux")]
        assert_eq!(Platform::this(), Platform::Linux);
    }
}
