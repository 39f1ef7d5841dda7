//! Question and category ids from a file: normalised, compared without regard to case, and
//! refused when they hold characters that have no place in an id.

use unicode_normalization::UnicodeNormalization;

use crate::text::is_bidi_or_invisible;

use super::problems::quoted;

/// An id as Candor keeps it: surrounding white space removed, in Unicode NFC (so an "é" typed as
/// one character or as "e" and an accent is the same id).
pub fn normalize_id(raw: &str) -> String {
    raw.trim().nfc().collect()
}

/// The key ids are compared by: normalised and lower-cased, so "RSP-1", "rsp-1" and " rsp-1 "
/// are one id.
pub fn id_key(raw: &str) -> String {
    key_of(&normalize_id(raw))
}

/// [`id_key`] of an id already normalised.
pub(crate) fn key_of(normalized: &str) -> String {
    normalized.to_lowercase().nfc().collect()
}

/// Why `id` cannot be an id (naming it as a `what` id, "question" or "category"), or `None`.
///
/// Refused: control characters (terminal escapes, newlines), direction overrides and other
/// invisible characters (they make an id read differently from what it is), `/` and `\` (an id
/// is never a path), and the ids `.` and `..`.
pub fn id_refusal(what: &str, id: &str) -> Option<String> {
    let shown = quoted(id);
    let why = if let Some(c) = id.chars().find(|c| c.is_control()) {
        format!("a control character (U+{:04X})", u32::from(c))
    } else if let Some(c) = id.chars().find(|&c| is_bidi_or_invisible(c)) {
        format!(
            "an invisible or direction-changing character (U+{:04X})",
            u32::from(c)
        )
    } else if let Some(c) = id.chars().find(|&c| c == '/' || c == '\\') {
        format!("'{c}'")
    } else if id == "." || id == ".." {
        "only dots".to_string()
    } else {
        return None;
    };
    Some(format!(
        "{what} id '{shown}' contains {why}; an id may use letters, digits, '-' and '_', but no control or invisible characters, '/' or '\\'"
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

    use super::*;

    #[test]
    fn ids_are_trimmed_and_composed_and_keys_ignore_case() {
        assert_eq!(normalize_id("  caf\u{65}\u{301} "), "caf\u{e9}");
        assert_eq!(id_key("Caf\u{e9}"), id_key(" cafe\u{301}"));
        assert_eq!(id_key("RSP-1"), "rsp-1");
    }

    #[test]
    fn odd_characters_are_refused() {
        assert!(id_refusal("question", "rsp-asl_levels-2").is_none());
        assert!(id_refusal("question", "café").is_none());
        for bad in [
            "a\u{1b}[31m",
            "a\nb",
            "\u{202E}abc",
            "../x",
            "a/b",
            "a\\b",
            "..",
            "a\u{200B}",
        ] {
            let why = id_refusal("question", bad).unwrap();
            assert!(why.starts_with("question id '"), "{why}");
            assert!(
                !why.contains('\u{1b}') && !why.contains('\u{202E}'),
                "{why}"
            );
        }
        assert!(id_refusal("category", "\u{202E}x")
            .unwrap()
            .contains("(U+202E)"));
    }
}
