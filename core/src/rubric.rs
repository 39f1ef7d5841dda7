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
    /// A few sentences of guidance shown in the rating step (what a strong reply sounds like).
    pub guide: String,
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
    /// What it sounds like in an answer, as a short quote.
    pub sounds_like: String,
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

/// What an example answer is: an answer (strong or weak) or a reply to a push-back.
pub const EXEMPLAR_KINDS: [&str; 6] = ["strong", "weak", "update", "hold", "collapse", "defensive"];

/// The kinds of exemplar that earn credit (they cite evidence); the others show red flags.
const CREDITED_KINDS: [&str; 3] = ["strong", "update", "hold"];

/// The words of an exemplar that earn it credit on one criterion.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The criterion credited.
    pub criterion: String,
    /// The exemplar's own words that show it (a verbatim part of its text).
    pub quote: String,
}

/// The words of an exemplar that show one red flag.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct FlagEvidence {
    /// The red flag's key.
    pub flag: String,
    /// The exemplar's own words that show it (a verbatim part of its text).
    pub quote: String,
}

/// An example answer, or reply to a push-back, for one category (shown after a review is
/// saved), with the words that earn it credit or show its red flags.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(
    feature = "ipc",
    derive(specta::Type),
    serde(rename = "RubricExemplar")
)]
pub struct Exemplar {
    /// Question category it illustrates.
    pub category: String,
    /// One of `EXEMPLAR_KINDS`.
    pub kind: String,
    /// A one-line title.
    pub title: String,
    /// For a reply: the push-back it answers (empty for an answer).
    pub pushback: String,
    /// What the candidate says.
    pub text: String,
    /// Why it works, or does not.
    pub why: String,
    /// What earns credit (strong answers and good replies).
    pub evidence: Vec<Evidence>,
    /// Which red flags show (weak answers and poor replies).
    pub flags: Vec<FlagEvidence>,
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
    #[serde(default)]
    guide: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRedFlag {
    key: Spanned<String>,
    label: Spanned<String>,
    description: String,
    sounds_like: Spanned<String>,
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
    kind: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    pushback: Option<Spanned<String>>,
    text: Spanned<String>,
    why: Spanned<String>,
    #[serde(default)]
    evidence: Vec<Evidence>,
    #[serde(default)]
    flags: Vec<FlagEvidence>,
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

/// What is wrong with one exemplar: its kind, category, and that every quote it cites is its
/// own words, credit only from strong answers and good replies, red flags only from the others.
fn exemplar_problems(e: &RawExemplar, categories: &[&str], flag_keys: &[String]) -> Vec<String> {
    let cat = quoted(e.category.get_ref());
    let kind = e.kind.get_ref().as_str();
    let text = e.text.get_ref();
    let mut out = Vec::new();
    if !categories.contains(&e.category.get_ref().as_str()) {
        out.push(format!("exemplar has unknown category '{cat}'"));
    }
    if !EXEMPLAR_KINDS.contains(&kind) {
        out.push(format!(
            "exemplar for '{cat}' has kind '{}' (expected one of {})",
            quoted(kind),
            EXEMPLAR_KINDS.join(", ")
        ));
        return out;
    }
    if text.trim().is_empty()
        || e.title.get_ref().trim().is_empty()
        || e.why.get_ref().trim().is_empty()
    {
        out.push(format!(
            "exemplar '{kind}' for '{cat}' needs a title, a text and a why"
        ));
    }
    let is_reply = !["strong", "weak"].contains(&kind);
    let has_pushback = e
        .pushback
        .as_ref()
        .is_some_and(|p| !p.get_ref().trim().is_empty());
    if is_reply != has_pushback {
        out.push(format!(
            "exemplar '{kind}' for '{cat}': a reply (update, hold, collapse, defensive) names the push-back it answers, an answer does not"
        ));
    }
    let credited = CREDITED_KINDS.contains(&kind);
    if credited && (e.evidence.is_empty() || !e.flags.is_empty()) {
        out.push(format!(
            "exemplar '{kind}' for '{cat}' cites evidence for what it earns, and no red flags"
        ));
    }
    if !credited && (e.flags.is_empty() || !e.evidence.is_empty()) {
        out.push(format!(
            "exemplar '{kind}' for '{cat}' cites the red flags it shows, and no evidence"
        ));
    }
    for ev in &e.evidence {
        if !CRITERIA.contains(&ev.criterion.as_str()) {
            out.push(format!(
                "exemplar '{kind}' for '{cat}' credits unknown criterion '{}'",
                quoted(&ev.criterion)
            ));
        }
        if ev.quote.trim().is_empty() || !text.contains(&ev.quote) {
            out.push(format!(
                "exemplar '{kind}' for '{cat}' quotes words not in its text: '{}'",
                crate::text::printable_clipped(&ev.quote, 60)
            ));
        }
    }
    for f in &e.flags {
        if !flag_keys.contains(&normalize_id(&f.flag)) {
            out.push(format!(
                "exemplar '{kind}' for '{cat}' shows unknown red flag '{}'",
                quoted(&f.flag)
            ));
        }
        if f.quote.trim().is_empty() || !text.contains(&f.quote) {
            out.push(format!(
                "exemplar '{kind}' for '{cat}' quotes words not in its text: '{}'",
                crate::text::printable_clipped(&f.quote, 60)
            ));
        }
    }
    out
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
    let flag_keys: Vec<String> = raw
        .red_flags
        .iter()
        .map(|f| normalize_id(f.key.get_ref()))
        .collect();
    for f in &raw.red_flags {
        if f.sounds_like.get_ref().trim().is_empty() {
            at(
                f.sounds_like.span(),
                format!(
                    "red flag '{}' needs what it sounds like (sounds_like)",
                    quoted(f.key.get_ref())
                ),
            );
        }
    }
    for e in &raw.exemplars {
        for problem in exemplar_problems(e, categories, &flag_keys) {
            at(e.kind.span(), problem);
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
                guide: c.guide,
            })
            .collect(),
        red_flags: raw
            .red_flags
            .into_iter()
            .map(|f| RedFlag {
                key: normalize_id(f.key.get_ref()),
                label: f.label.into_inner(),
                description: f.description,
                sounds_like: f.sounds_like.into_inner(),
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
                kind: e.kind.into_inner(),
                title: e.title.into_inner(),
                pushback: e.pushback.map(Spanned::into_inner).unwrap_or_default(),
                text: e.text.into_inner(),
                why: e.why.into_inner(),
                evidence: e.evidence,
                flags: e.flags,
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
        s.push_str("[[red_flags]]\nkey = \"framework\"\nlabel = \"L\"\ndescription = \"D\"\nsounds_like = \"Q\"\n\n");
        s.push_str("[[feelings]]\nkey = \"calm\"\nlabel = \"Calm\"\n\n");
        s.push_str(
            "[[exemplars]]\ncategory = \"rsp\"\nkind = \"strong\"\ntitle = \"T\"\ntext = \"I do not know the cadence.\"\nwhy = \"y\"\nevidence = [{ criterion = \"gaps\", quote = \"I do not know\" }]\n",
        );
        s
    }

    #[test]
    fn builtin_rubric_is_valid_and_complete() {
        let r = builtin().unwrap();
        let keys: Vec<_> = r.criteria.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, CRITERIA);
        assert!(r.criteria.iter().all(|c| c.levels.len() == 5));
        assert_eq!(r.red_flags.len(), 13);
        assert_eq!(r.feelings.len(), 10);
        assert_eq!(r.criteria[3].scored_on, "followups");
        assert!(!r.criteria[3].guide.is_empty());
        assert!(r.red_flags.iter().all(|f| !f.sounds_like.is_empty()));
    }

    #[test]
    fn an_exemplar_cites_only_its_own_words_and_credit_only_where_it_earns_it() {
        let src = good().replace("quote = \"I do not know\"", "quote = \"I know exactly\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(
            e.contains("quotes words not in its text: 'I know exactly'"),
            "{e}"
        );
        let src = good().replace("kind = \"strong\"", "kind = \"weak\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(
            e.contains("cites the red flags it shows, and no evidence"),
            "{e}"
        );
        let src = good().replace("kind = \"strong\"", "kind = \"hold\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(e.contains("names the push-back it answers"), "{e}");
        let src = good().replace("kind = \"strong\"", "kind = \"brilliant\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(e.contains("has kind 'brilliant'"), "{e}");
        let src = good().replace("criterion = \"gaps\"", "criterion = \"charm\"");
        let e = parse(&src, "r.toml", &["rsp"]).unwrap_err().to_string();
        assert!(e.contains("credits unknown criterion 'charm'"), "{e}");
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
