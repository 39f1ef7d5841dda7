//! Text from a user's file made safe to show: control characters, terminal escape sequences and
//! bidirectional overrides are written out visibly (`\u{1b}`), so a hostile file cannot drive the
//! terminal or reorder what a message says.

use std::borrow::Cow;

/// True for the invisible characters that change how the text around them is shown: the
/// bidirectional embeddings, overrides and isolates, the direction marks, zero-width characters,
/// the byte-order mark and the line and paragraph separators.
pub fn is_bidi_or_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// True for a character that [`printable`] writes out as an escape.
fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_or_invisible(c)
}

/// `s` as it may be printed to a terminal or shown in a message: every control character
/// (escape, newline, DEL, the C1 range), bidirectional control and invisible format character
/// is replaced by its Rust-style escape, e.g. `\u{1b}`; everything else is left as it is.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`printable`], cut to at most `max` characters (an ellipsis marks the cut), for quoting a
/// value from a file in a message without repeating megabytes of it.
pub fn printable_clipped(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", printable(&s[..cut])),
        None => printable(s).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_left_alone_and_borrowed() {
        assert!(matches!(printable("rsp-asl é 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_controls_and_bidi_are_written_out() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(printable("x\ny\r\t"), "x\\u{a}y\\u{d}\\u{9}");
        assert_eq!(printable("\u{202E}gnp.exe"), "\\u{202e}gnp.exe");
        assert_eq!(printable("\u{9b}2J\u{7f}"), "\\u{9b}2J\\u{7f}");
        assert_eq!(printable("a\u{2066}b\u{200B}"), "a\\u{2066}b\\u{200b}");
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(printable_clipped("ééééé", 3), "ééé…");
        assert_eq!(printable_clipped("ab", 3), "ab");
        assert_eq!(
            printable_clipped("\u{1b}\u{1b}\u{1b}\u{1b}", 2),
            "\\u{1b}\\u{1b}…"
        );
    }
}
