//! The rubric the user grades against: criteria with checks and anchored levels, red flags,
//! feelings and exemplars, loaded from TOML and validated with positions a person can find.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::bank::{
    self, id_refusal, normalize_id, quoted, used_twice, LineIndex, Problems, CRITERIA,
};
use crate::error::Result;

/// The rubric shipped with Candor, validated at start-up.
pub const BUILTIN_RUBRIC: &str = include_str!("../../assets/rubric.toml");

/// One criterion: what it means, the checks, and five anchored levels.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(
    feature = "ipc",
    derive(specta::Type),
    serde(rename = "RubricCriterion")
)]
pub struct Criterion {
    /// Stable key (one of `bank::CRITERIA`).
    pub key: String,
    /// Full name.
    pub name: String,
    /// Short label.
    pub short: String,
    /// Colour for markers and charts (`#RRGGBB`).
    pub color: String,
    /// What is scored: `answer` (the whole take), `first_answer` (the answer alone, before any
    /// push-back: unprompted) or `followups` (the replies to push-backs).
    pub scored_on: String,
    /// What the criterion means.
    pub definition: String,
    /// Concrete yes/partly/no checks (3 to 5).
    pub checks: Vec<String>,
    /// Descriptions of scores 1 to 5, in order.
    pub levels: Vec<String>,
}

/// A red flag on the review checklist.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type), serde(rename = "RubricRedFlag"))]
pub struct RedFlag {
    /// Stable key.
    pub key: String,
    /// Checklist label.
    pub label: String,
    /// What it looks like.
    pub description: String,
}

/// A feeling one may have had while answering.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type), serde(rename = "RubricFeeling"))]
pub struct Feeling {
    /// Stable key.
    pub key: String,
    /// Display label.
    pub label: String,
}

/// A strong and a weak example answer for one category (shown only after a review is saved).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(
    feature = "ipc",
    derive(specta::Type),
    serde(rename = "RubricExemplar")
)]
pub struct Exemplar {
    /// Question category it illustrates.
    pub category: String,
    /// A strong answer.
    pub strong: String,
    /// A weak answer.
    pub weak: String,
    /// Why one is stronger than the other.
    pub why: String,
}

/// A validated rubric.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Rubric {
    /// Criteria in the order of `bank::CRITERIA`.
    pub criteria: Vec<Criterion>,
    /// Red flags in file order.
    pub red_flags: Vec<RedFlag>,
    /// Feelings in file order.
    pub feelings: Vec<Feeling>,
    /// Exemplars in file order.
    pub exemplars: Vec<Exemplar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    version: Spanned<u32>,
    #[serde(default)]
    criteria: Vec<RawCriterion>,
    #[serde(default)]
    red_flags: Vec<RawRedFlag>,
    #[serde(default)]
    feelings: Vec<RawFeeling>,
    #[serde(default)]
    exemplars: Vec<RawExemplar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    key: Spanned<String>,
    name: Spanned<String>,
    short: Spanned<String>,
    color: Spanned<String>,
    scored_on: Spanned<String>,
    definition: Spanned<String>,
    checks: Spanned<Vec<String>>,
    levels: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRedFlag {
    key: Spanned<String>,
    label: Spanned<String>,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeling {
    key: Spanned<String>,
    label: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExemplar {
    category: Spanned<String>,
    strong: Spanned<String>,
    weak: Spanned<String>,
    why: String,
}

/// Largest rubric file read (the shipped one is about 20 kB), so an absurd file is refused
/// before it is parsed.
pub const MAX_FILE_BYTES: usize = 1_000_000;

/// Whether a TOML text is a rubric rather than a question bank: it has `[[criteria]]` tables.
pub fn is_rubric(src: &str) -> bool {
    src.lines()
        .any(|l| l.trim_start().starts_with("[[criteria]]"))
}

/// Checks a red-flag or feeling key (`what`): present, a plain id, not used before in `seen`.
fn check_key(
    found: &mut Problems,
    index: &LineIndex<'_>,
    seen: &mut HashMap<String, (usize, String)>,
    what: &str,
    key: &Spanned<String>,
    label: &Spanned<String>,
) {
    let at = key.span().start;
    let id = normalize_id(key.get_ref());
    if id.is_empty() || label.get_ref().trim().is_empty() {
        found.at(at, format!("a {what} needs a key and a label"));
    } else if let Some(why) = id_refusal(what, &id) {
        found.at(at, why);
    } else if let Some((first, spelled)) = seen.get(&bank::id_key(&id)) {
        found.at(
            at,
            used_twice(
                &format!("{what} key"),
                key.get_ref(),
                spelled,
                index.line(*first),
            ),
        );
    } else {
        seen.insert(bank::id_key(&id), (at, key.get_ref().clone()));
    }
}

fn is_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Parses and validates a rubric; exemplar categories must be among `categories`.
///
/// Every problem is listed as `name:line:column: message`; the work is linear in the size of
/// the file, however many problems it has.
pub fn parse(src: &str, name: &str, categories: &[&str]) -> Result<Rubric> {
    if src.len() > MAX_FILE_BYTES {
        return Err(bank::whole_file(
            name,
            bank::too_big_message(Some(src.len() as u64), "rubric", MAX_FILE_BYTES),
        ));
    }
    let index = LineIndex::new(src);
    let raw: RawRubric = toml::from_str(src).map_err(|e| bank::toml_error(&e, &index, name))?;
    let mut found = Problems::new(name);
    let mut at = |span: std::ops::Range<usize>, msg: String| found.at(span.start, msg);
    if *raw.version.get_ref() != 1 {
        at(
            raw.version.span(),
            format!(
                "version {} is not supported (expected 1)",
                raw.version.get_ref()
            ),
        );
    }
    let keys: Vec<&str> = raw
        .criteria
        .iter()
        .map(|c| c.key.get_ref().as_str())
        .collect();
    if keys != CRITERIA {
        let span = raw.criteria.first().map_or(0..0, |c| c.key.span());
        at(
            span,
            format!(
                "the criteria must be exactly {} in that order (found: {})",
                CRITERIA.join(", "),
                crate::text::printable_clipped(&keys.join(", "), 200)
            ),
        );
    }
    for c in &raw.criteria {
        let key = quoted(c.key.get_ref());
        for (field, value) in [
            (&c.name, "name"),
            (&c.short, "short"),
            (&c.definition, "definition"),
        ] {
            if field.get_ref().trim().is_empty() {
                at(
                    field.span(),
                    format!("criterion '{key}' has an empty {value}"),
                );
            }
        }
        if !is_color(c.color.get_ref()) {
            at(
                c.color.span(),
                format!(
                    "criterion '{key}' has colour '{}' (expected #RRGGBB)",
                    quoted(c.color.get_ref())
                ),
            );
        }
        if !["answer", "first_answer", "followups"].contains(&c.scored_on.get_ref().as_str()) {
            at(
                c.scored_on.span(),
                format!(
                    "criterion '{key}' has scored_on '{}' (expected answer, first_answer or followups)",
                    quoted(c.scored_on.get_ref())
                ),
            );
        }
        let checks = c.checks.get_ref();
        if !(3..=5).contains(&checks.len()) || checks.iter().any(|s| s.trim().is_empty()) {
            at(
                c.checks.span(),
                format!(
                    "criterion '{key}' has {} checks (expected 3 to 5, none empty)",
                    checks.len()
                ),
            );
        }
        let levels = c.levels.get_ref();
        if levels.len() != 5 || levels.iter().any(|s| s.trim().is_empty()) {
            at(
                c.levels.span(),
                format!(
                    "criterion '{key}' has {} levels (expected exactly 5, none empty)",
                    levels.len()
                ),
            );
        }
    }
    if raw.red_flags.is_empty() {
        at(0..0, "the rubric lists no red flags".into());
    }
    if raw.feelings.is_empty() {
        at(0..0, "the rubric lists no feelings".into());
    }
    for e in &raw.exemplars {
        let cat = quoted(e.category.get_ref());
        if !categories.contains(&e.category.get_ref().as_str()) {
            at(
                e.category.span(),
                format!("exemplar has unknown category '{cat}'"),
            );
        }
        if e.strong.get_ref().trim().is_empty() || e.weak.get_ref().trim().is_empty() {
            at(
                e.strong.span(),
                format!("exemplar for '{cat}' needs a strong and a weak answer"),
            );
        }
    }
    // Red flags share the criteria's keys' space: "complexity" cannot be a red flag too.
    let mut seen = HashMap::new();
    for c in &raw.criteria {
        let key = c.key.get_ref();
        seen.insert(bank::id_key(key), (c.key.span().start, key.clone()));
    }
    for f in &raw.red_flags {
        check_key(&mut found, &index, &mut seen, "red flag", &f.key, &f.label);
    }
    let mut seen = HashMap::new();
    for f in &raw.feelings {
        check_key(&mut found, &index, &mut seen, "feeling", &f.key, &f.label);
    }
    found.finish(&index)?;
    Ok(Rubric {
        criteria: raw
            .criteria
            .into_iter()
            .map(|c| Criterion {
                key: c.key.into_inner(),
                name: c.name.into_inner(),
                short: c.short.into_inner(),
                color: c.color.into_inner(),
                scored_on: c.scored_on.into_inner(),
                definition: c.definition.into_inner(),
                checks: c.checks.into_inner(),
                levels: c.levels.into_inner(),
            })
            .collect(),
        red_flags: raw
            .red_flags
            .into_iter()
            .map(|f| RedFlag {
                key: normalize_id(f.key.get_ref()),
                label: f.label.into_inner(),
                description: f.description,
            })
            .collect(),
        feelings: raw
            .feelings
            .into_iter()
            .map(|f| Feeling {
                key: normalize_id(f.key.get_ref()),
                label: f.label.into_inner(),
            })
            .collect(),
        exemplars: raw
            .exemplars
            .into_iter()
            .map(|e| Exemplar {
                category: e.category.into_inner(),
                strong: e.strong.into_inner(),
                weak: e.weak.into_inner(),
                why: e.why,
            })
            .collect(),
    })
}

/// Reads and validates a rubric file against the shipped question bank's categories: a regular
/// file of at most [`MAX_FILE_BYTES`], in UTF-8.
pub fn load(path: &Path) -> Result<Rubric> {
    let bytes = bank::read_toml_file(path, MAX_FILE_BYTES, "rubric")?;
    let name = path.display().to_string();
    parse_against_builtin(bank::utf8(&bytes, &name)?, &name)
}

/// Validates a rubric text against the shipped question bank's categories.
pub fn parse_against_builtin(src: &str, name: &str) -> Result<Rubric> {
    let bank = bank::builtin()?;
    let cats: Vec<&str> = bank.categories.iter().map(|c| c.id.as_str()).collect();
    parse(src, name, &cats)
}

/// The rubric shipped with Candor, checked against the shipped question bank's categories.
pub fn builtin() -> Result<Rubric> {
    let bank = bank::builtin()?;
    let cats: Vec<&str> = bank.categories.iter().map(|c| c.id.as_str()).collect();
    parse(BUILTIN_RUBRIC, "assets/rubric.toml", &cats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(key: &str) -> String {
        format!(
            "[[criteria]]\nkey = \"{key}\"\nname = \"N\"\nshort = \"S\"\ncolor = \"#112233\"\nscored_on = \"answer\"\ndefinition = \"D\"\nchecks = [\"a\", \"b\", \"c\"]\nlevels = [\"1\", \"2\", \"3\", \"4\", \"5\"]\n\n"
        )
    }

    fn good() -> String {
        let mut s = String::from("version = 1\n\n");
        for k in CRITERIA {
            s.push_str(&criterion(k));
        }
        s.push_str("[[red_flags]]\nkey = \"framework\"\nlabel = \"L\"\ndescription = \"D\"\n\n");
        s.push_str("[[feelings]]\nkey = \"calm\"\nlabel = \"Calm\"\n\n");
        s.push_str(
            "[[exemplars]]\ncategory = \"rsp\"\nstrong = \"s\"\nweak = \"w\"\nwhy = \"y\"\n",
        );
        s
    }

    #[test]
    fn builtin_rubric_is_valid_and_complete() {
        let r = builtin().unwrap();
        let keys: Vec<_> = r.criteria.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, CRITERIA);
        assert!(r.criteria.iter().all(|c| c.levels.len() == 5));
        assert_eq!(r.red_flags.len(), 7);
        assert_eq!(r.feelings.len(), 10);
        assert_eq!(r.exemplars.len(), 12);
        assert_eq!(r.criteria[3].scored_on, "followups");
    }

    #[test]
    fn parses_a_good_rubric() {
        let r = parse(&good(), "r.toml", &["rsp"]).unwrap();
        assert_eq!(r.criteria[0].checks.len(), 3);
        assert_eq!(r.exemplars[0].category, "rsp");
    }

    #[test]
    fn wrong_level_count_is_reported_with_line_and_column() {
        let src = good().replacen(
            "levels = [\"1\", \"2\", \"3\", \"4\", \"5\"]",
            "levels = [\"1\", \"2\"]",
            1,
        );
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(
            e.starts_with("r.toml:11:10: criterion 'complexity' has 2 levels"),
            "{e}"
        );
    }

    #[test]
    fn order_checks_colour_and_category_problems_are_all_listed() {
        let src = good()
            .replacen("key = \"gaps\"", "key = \"charm\"", 1)
            .replacen("checks = [\"a\", \"b\", \"c\"]", "checks = [\"a\"]", 1)
            .replacen("#112233", "blue", 1)
            .replace("category = \"rsp\"", "category = \"nope\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(e.contains("must be exactly complexity, gaps"), "{e}");
        assert!(e.contains("has 1 checks"), "{e}");
        assert!(e.contains("colour 'blue'"), "{e}");
        assert!(e.contains("unknown category 'nope'"), "{e}");
    }

    #[test]
    fn syntax_error_names_the_position() {
        let e = parse("version = 1\n[[criteria]\n", "r.toml", &[])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("r.toml:2:"), "{e}");
    }

    #[test]
    fn a_rubric_over_its_size_limit_is_refused_before_parsing() {
        let src = format!("{}# {}\n", good(), "x".repeat(MAX_FILE_BYTES));
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert_eq!(
            e,
            "r.toml: the file is 1.0 MB; a rubric file is at most 1 MB"
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.toml");
        std::fs::File::create(&p)
            .unwrap()
            .set_len(3_000_000)
            .unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(
            e.ends_with("the file is 3.0 MB; a rubric file is at most 1 MB"),
            "{e}"
        );
    }

    #[test]
    fn values_from_the_file_are_escaped_and_keys_checked() {
        let src = good()
            .replacen("#112233", "\\u001b[31m", 1)
            .replace("key = \"framework\"", "key = \"a/\\u202Eb\"")
            .replace("key = \"calm\"", "key = \"Complexity\"")
            .replace("category = \"rsp\"", "category = \"\\u001b]0;x\\u0007\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(e.contains("colour '\\u{1b}[31m'"), "{e}");
        assert!(e.contains("red flag id 'a/\\u{202e}b' contains"), "{e}");
        assert!(e.contains("unknown category '\\u{1b}]0;x\\u{7}'"), "{e}");
        assert!(
            !e.contains('\u{1b}') && !e.contains('\u{202E}') && !e.contains('\u{7}'),
            "{e}"
        );
        // Red-flag keys are compared without case, and with the criteria's keys.
        let src = good().replace("key = \"framework\"", "key = \" Complexity\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(
            e.contains("red flag key ' Complexity' is used twice (as 'complexity' on line 4;"),
            "{e}"
        );
    }

    #[test]
    fn is_rubric_looks_for_criteria_tables() {
        assert!(is_rubric(&good()));
        assert!(!is_rubric("version = 1\n[[questions]]\n"));
    }
}
