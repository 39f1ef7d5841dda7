//! Bounds on what the window (or any caller) may hand the core: id and text lengths (question
//! files have their own 5 MB bound in the bank parser). Checked
//! here, not in the shell, so the app and the CLI refuse the same input with the same words.

use crate::error::{CoreError, Result};

/// Longest id accepted anywhere (takes, markers, ratings and rounds use 32 hex digits;
/// question ids are at most 100 characters).
pub const MAX_ID_CHARS: usize = 100;
/// Longest marker note, in characters.
pub const MAX_MARKER_NOTE_CHARS: usize = 2_000;
/// Longest note on one criterion of a review, in characters.
pub const MAX_CRITERION_NOTE_CHARS: usize = 10_000;

/// Most rows one page of a long list holds (the history, the review lists); a larger request
/// gets this many.
pub const MAX_PAGE: u32 = 200;

/// Refuses an id that cannot be one of Candor's: empty, too long, or with control characters.
/// `what` names the thing ("take", "marker") for the message.
pub fn check_id(what: &str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(CoreError::InvalidInput(format!("no {what} was given")));
    }
    if id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
        return Err(CoreError::NotFound(format!("that {what}")));
    }
    Ok(())
}

/// Refuses a text longer than `max` characters, saying which field and by how much.
pub fn check_text(what: &str, text: &str, max: usize) -> Result<()> {
    let n = text.chars().count();
    if n > max {
        return Err(CoreError::InvalidInput(format!(
            "{what} is too long ({n} characters; at most {max}). Shorten it and save again."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bounded_and_printable() {
        assert!(check_id("take", "0123456789abcdef0123456789abcdef").is_ok());
        assert!(check_id("question", "rsp-asl-levels").is_ok());
        assert_eq!(check_id("take", "").unwrap_err().code(), "InvalidInput");
        let long = "a".repeat(MAX_ID_CHARS + 1);
        let e = check_id("take", &long).unwrap_err();
        assert_eq!(e.code(), "NotFound");
        // The message never echoes a huge or odd id back.
        assert_eq!(e.to_string(), "that take was not found.");
        assert_eq!(check_id("marker", "ab\ncd").unwrap_err().code(), "NotFound");
    }

    #[test]
    fn texts_are_bounded_in_characters_not_bytes() {
        assert!(check_text("The note", &"é".repeat(10), 10).is_ok());
        let e = check_text("The note", &"x".repeat(11), 10).unwrap_err();
        assert_eq!(e.code(), "InvalidInput");
        assert!(e.to_string().contains("at most 10"), "{e}");
    }
}
