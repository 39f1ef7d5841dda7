//! What candor-cli prints on standard output goes through here, so a full disk is said as a full
//! disk (never a panic) and a reader that went away (`candor-cli stats | head -1`) ends the
//! command quietly.

use std::io::Write;

use candor_core::CoreError;

/// Why a command stopped: Candor's own error, or nobody reading its output any more.
#[derive(Debug)]
pub enum Failure {
    /// Said to the person on stderr.
    Core(CoreError),
    /// Standard output was closed by its reader: nothing more to say.
    ClosedPipe,
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Core(e)
    }
}

/// What a failed write to standard output means: its reader left, or a full disk (or another
/// I/O error) said in Candor's words.
pub fn failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::ClosedPipe
    } else {
        Failure::Core(CoreError::io("writing the output", e))
    }
}

/// Writes `text` to standard output and flushes it.
pub fn put(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(failure)
}

/// `print!` that returns a full disk or a closed pipe instead of panicking.
#[macro_export]
macro_rules! put {
    ($($t:tt)*) => { $crate::output::put(&format!($($t)*))? };
}

/// `println!` that returns a full disk or a closed pipe instead of panicking.
#[macro_export]
macro_rules! say {
    () => { $crate::output::put("\n")? };
    ($($t:tt)*) => { $crate::output::put(&format!("{}\n", format_args!($($t)*)))? };
}
