//! Problems found in a question-bank or rubric file, located by line and column.
//!
//! Positions come from an index of line starts built once per file, looked up by binary search,
//! and columns are counted only for the problems that are listed, so validating a file stays
//! linear in its size however many problems it has.

use crate::error::CoreError;
use crate::text::{printable, printable_clipped};

/// One thing wrong in a question-bank or rubric file, where a person can find it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type), serde(rename = "BankProblem"))]
pub struct Problem {
    /// Line of the problem, from 1; 0 when it concerns the whole file (its size, its count).
    pub line: u32,
    /// Column of the problem in characters, from 1; 0 with line 0.
    pub column: u32,
    /// What is wrong, in words; text quoted from the file is escaped.
    pub message: String,
}

/// Most problems listed for one file; the rest are counted in a last line.
pub const MAX_LISTED: usize = 50;

/// Longest piece of a file quoted in a message, in characters.
const QUOTE_CHARS: usize = 40;

/// A value from the file as quoted in a message: escaped, and cut when long.
pub(crate) fn quoted(s: &str) -> String {
    printable_clipped(s, QUOTE_CHARS)
}

/// A duplicate id in words: `what` ("question id") `id` is used twice; when the first use was
/// spelled differently in the file (case, spaces, how an accent is encoded), that spelling and its
/// line are named. Both are the ids as written in the file.
pub(crate) fn used_twice(what: &str, id: &str, first: &str, first_line: u32) -> String {
    if id == first {
        format!("{what} '{}' is used twice", quoted(id))
    } else {
        format!(
            "{what} '{}' is used twice (as '{}' on line {first_line}; ids are compared ignoring case, surrounding spaces and how accents are encoded)",
            quoted(id),
            quoted(first)
        )
    }
}

/// The problems as the CLI prints them: `file:line:column: message`, one a line
/// (`file: message` for a problem of the whole file). The file name is escaped.
pub fn render_problems(file: &str, problems: &[Problem]) -> String {
    let file = printable(file);
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if p.line == 0 {
            out.push_str(&format!("{file}: {}", p.message));
        } else {
            out.push_str(&format!("{file}:{}:{}: {}", p.line, p.column, p.message));
        }
    }
    out
}

/// A `BadBank` error about the whole file (no line).
pub(crate) fn whole_file(file: &str, message: String) -> CoreError {
    CoreError::BadBank {
        file: file.to_string(),
        problems: vec![Problem {
            line: 0,
            column: 0,
            message,
        }],
    }
}

/// Where each line of a text starts, so a byte offset becomes a line by binary search.
pub(crate) struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `src` in one pass.
    pub(crate) fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { src, starts }
    }

    /// 1-based line of a byte offset (clamped to the text).
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// 1-based line and column (in characters) of a byte offset (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.src.len());
        while !self.src.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.src[start..offset].chars().count() + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

/// Collects the problems of one file as byte offsets, keeping the first [`MAX_LISTED`] and
/// counting the rest; positions are worked out once, at the end, for the kept ones only.
pub(crate) struct Problems {
    file: String,
    listed: Vec<(Option<usize>, String)>,
    more: usize,
}

impl Problems {
    /// No problems yet, in the file named `file`.
    pub(crate) fn new(file: &str) -> Self {
        Problems {
            file: file.to_string(),
            listed: Vec::new(),
            more: 0,
        }
    }

    /// A problem at byte `offset` of the file.
    pub(crate) fn at(&mut self, offset: usize, message: String) {
        self.push(Some(offset), message);
    }

    fn push(&mut self, offset: Option<usize>, message: String) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push((offset, message));
        } else {
            self.more += 1;
        }
    }

    /// True when nothing was found.
    pub(crate) fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// The `BadBank` error listing the problems, or `Ok` when there are none.
    pub(crate) fn finish(self, index: &LineIndex<'_>) -> Result<(), CoreError> {
        if self.listed.is_empty() {
            return Ok(());
        }
        let mut problems: Vec<Problem> = self
            .listed
            .into_iter()
            .map(|(offset, message)| {
                let (line, column) = offset.map_or((0, 0), |o| index.position(o));
                Problem {
                    line,
                    column,
                    message,
                }
            })
            .collect();
        if self.more > 0 {
            problems.push(Problem {
                line: 0,
                column: 0,
                message: format!("and {} more problems", self.more),
            });
        }
        Err(CoreError::BadBank {
            file: self.file,
            problems,
        })
    }
}

/// `bytes` as UTF-8 text, or a `BadBank` error at the line and column of the first invalid byte.
pub(crate) fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, CoreError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // The bytes before the first invalid one are valid UTF-8 by definition.
        let before = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, column) = LineIndex::new(before).position(good);
        CoreError::BadBank {
            file: file.to_string(),
            problems: vec![Problem {
                line,
                column,
                message: format!(
                    "the file is not UTF-8 text here (byte 0x{:02X}); save it as UTF-8",
                    bytes[good]
                ),
            }],
        }
    })
}

/// A TOML syntax or shape error, located and escaped (serde quotes values from the file).
pub(crate) fn toml_error(e: &toml::de::Error, index: &LineIndex<'_>, file: &str) -> CoreError {
    let (line, column) = e.span().map_or((1, 1), |s| index.position(s.start));
    CoreError::BadBank {
        file: file.to_string(),
        problems: vec![Problem {
            line,
            column,
            message: printable_clipped(e.message().trim(), 300),
        }],
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

    use super::*;

    #[test]
    fn positions_from_the_line_index() {
        let src = "ab\ncdé\n\nx";
        let ix = LineIndex::new(src);
        assert_eq!(ix.position(0), (1, 1));
        assert_eq!(ix.position(2), (1, 3));
        assert_eq!(ix.position(3), (2, 1));
        assert_eq!(ix.position(7), (2, 4)); // after the two-byte é: three characters in
        assert_eq!(ix.position(8), (3, 1));
        assert_eq!(ix.position(9), (4, 1));
        assert_eq!(ix.position(99), (4, 2));
        assert_eq!(ix.line(5), 2);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = utf8(b"version = 1\nid = \"a\xFFb\"\n", "t.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:2:8: the file is not UTF-8 text here (byte 0xFF); save it as UTF-8"
        );
        assert_eq!(utf8("é\n".as_bytes(), "t.toml").unwrap(), "é\n");
    }

    #[test]
    fn whole_file_problems_have_no_line_and_the_name_is_escaped() {
        let e = whole_file("a\u{1b}b.toml", "too big".into());
        assert_eq!(e.to_string(), "a\\u{1b}b.toml: too big");
    }
}
