//! The question bank: loaded from TOML, validated with positions a person can find.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{CoreError, Result};

/// The keys of the four scored criteria and the feelings check.
pub const CRITERIA: [&str; 5] = ["complexity", "gaps", "second_order", "honesty", "feeling"];

/// The bank shipped with Candor, validated at start-up.
pub const BUILTIN_QUESTIONS: &str = include_str!("../../../assets/questions.toml");

/// A category of questions, following the reading the round assigns.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Category {
    /// Stable key.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The reading it comes from.
    pub reading: String,
    /// What the category practices.
    pub blurb: String,
}

/// One question with its push-backs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Question {
    /// Stable id (kebab-case).
    pub id: String,
    /// Category key.
    pub category: String,
    /// The reading it comes from.
    pub reading: String,
    /// The question as asked.
    pub prompt: String,
    /// Criteria the question mostly probes.
    pub criteria: Vec<String>,
    /// Follow-ups an interviewer would use.
    pub pushbacks: Vec<String>,
}

/// A validated question bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Bank {
    /// Categories in file order.
    pub categories: Vec<Category>,
    /// Questions in file order.
    pub questions: Vec<Question>,
    /// Push-backs that fit any question.
    pub general_pushbacks: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    version: u32,
    #[serde(default)]
    general_pushbacks: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    categories: Vec<RawCategory>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    name: String,
    reading: String,
    #[serde(default)]
    blurb: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    category: Spanned<String>,
    reading: Spanned<String>,
    prompt: Spanned<String>,
    criteria: Spanned<Vec<String>>,
    pushbacks: Spanned<Vec<String>>,
}

/// Longest prompt or push-back accepted, so an absurd import cannot bloat the database.
pub const MAX_TEXT: usize = 2_000;

/// Largest question-bank file read, so an absurd file is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 5_000_000;

/// Most questions one file may hold (the shipped bank has a few dozen).
pub const MAX_QUESTIONS: usize = 2_000;

/// Most categories one file may hold.
pub const MAX_CATEGORIES: usize = 100;

/// Most problems listed for one file; the rest are counted.
const MAX_LISTED: usize = 50;

/// An id as quoted in a message: a very long one is cut, so messages stay readable.
fn quoted(id: &str) -> String {
    const KEEP: usize = 40;
    match id.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}…", &id[..cut]),
        None => id.to_string(),
    }
}

/// The size limit, said in words.
fn too_big(name: &str, bytes: u64) -> CoreError {
    CoreError::BadBank(format!(
        "{name}: the file is {:.1} MB; a question file is at most {} MB",
        bytes as f64 / 1_000_000.0,
        MAX_FILE_BYTES / 1_000_000
    ))
}

/// 1-based line and column of a byte offset in `src`.
fn position(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Parses and validates a bank; every problem is listed as `name:line:column: message`.
pub fn parse(src: &str, name: &str) -> Result<Bank> {
    parse_with(src, name, &[], &HashSet::new())
}

/// What is wrong with one question's fields, in words (empty when it is valid).
pub fn question_problems(q: &Question, categories: &[&str]) -> Vec<String> {
    let id = &quoted(&q.id);
    let mut out = Vec::new();
    if q.id.trim().is_empty() || q.id.len() > 100 {
        out.push("a question id must have 1 to 100 characters".to_string());
    }
    if !categories.contains(&q.category.as_str()) {
        out.push(format!(
            "question '{id}' has unknown category '{}'",
            quoted(&q.category)
        ));
    }
    if q.reading.trim().is_empty() || q.reading.len() > 200 {
        out.push(format!(
            "question '{id}' needs a reading of 1 to 200 characters"
        ));
    }
    if q.prompt.trim().is_empty() {
        out.push(format!("question '{id}' has an empty prompt"));
    } else if q.prompt.len() > MAX_TEXT {
        out.push(format!(
            "question '{id}' has a prompt of {} characters (at most {MAX_TEXT})",
            q.prompt.len()
        ));
    }
    if q.criteria.is_empty() {
        out.push(format!("question '{id}' names no criteria"));
    } else if q.criteria.len() > CRITERIA.len() {
        out.push(format!(
            "question '{id}' names {} criteria; there are {}",
            q.criteria.len(),
            CRITERIA.len()
        ));
    }
    for c in q.criteria.iter().take(CRITERIA.len()) {
        if !CRITERIA.contains(&c.as_str()) {
            out.push(format!(
                "question '{id}' has unknown criterion '{}' (known: {})",
                quoted(c),
                CRITERIA.join(", ")
            ));
        }
    }
    if q.pushbacks.is_empty() || q.pushbacks.iter().any(|p| p.trim().is_empty()) {
        out.push(format!(
            "question '{id}' has an empty push-back list or an empty push-back"
        ));
    }
    if q.pushbacks.len() > 20 || q.pushbacks.iter().any(|p| p.len() > MAX_TEXT) {
        out.push(format!(
            "question '{id}' has more than 20 push-backs or one over {MAX_TEXT} characters"
        ));
    }
    out
}

/// Parses a bank whose questions may also use `known_categories`, refusing ids in `taken_ids`.
pub fn parse_with(
    src: &str,
    name: &str,
    known_categories: &[Category],
    taken_ids: &HashSet<String>,
) -> Result<Bank> {
    if src.len() > MAX_FILE_BYTES {
        return Err(too_big(name, src.len() as u64));
    }
    let raw: RawBank = toml::from_str(src).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| position(src, s.start));
        CoreError::BadBank(format!("{name}:{line}:{col}: {}", e.message()))
    })?;
    let mut issues = Vec::new();
    let mut at = |span: std::ops::Range<usize>, msg: String| {
        let (line, col) = position(src, span.start);
        issues.push(format!("{name}:{line}:{col}: {msg}"));
    };
    if raw.version != 1 {
        at(
            0..0,
            format!("version {} is not supported (expected 1)", raw.version),
        );
    }
    if let Some(general) = raw
        .general_pushbacks
        .as_ref()
        .filter(|g| g.get_ref().len() > 50 || g.get_ref().iter().any(|p| p.len() > MAX_TEXT))
    {
        at(
            general.span(),
            format!(
                "general_pushbacks has more than 50 push-backs or one over {MAX_TEXT} characters"
            ),
        );
    }
    if let Some(c) = raw.categories.get(MAX_CATEGORIES) {
        at(
            c.id.span(),
            format!("the file has more than {MAX_CATEGORIES} categories"),
        );
    }
    if let Some(q) = raw.questions.get(MAX_QUESTIONS) {
        // Checking each of an absurd number of questions would only bury this one problem.
        let (line, col) = position(src, q.id.span().start);
        return Err(CoreError::BadBank(format!(
            "{name}:{line}:{col}: the file has {} questions; one file holds at most {MAX_QUESTIONS} (split it into smaller files)",
            raw.questions.len()
        )));
    }
    let mut cat_ids: HashSet<&str> = known_categories.iter().map(|c| c.id.as_str()).collect();
    for c in raw.categories.iter().take(MAX_CATEGORIES) {
        if c.id.get_ref().len() > 100
            || c.name.len() > 200
            || c.reading.len() > 200
            || c.blurb.len() > MAX_TEXT
        {
            at(
                c.id.span(),
                format!(
                    "category '{}' needs an id of at most 100 characters, a name and a reading of at most 200, and a blurb of at most {MAX_TEXT}",
                    quoted(c.id.get_ref())
                ),
            );
        }
        if c.id.get_ref().trim().is_empty() {
            at(c.id.span(), "a category id is empty".into());
        } else if !cat_ids.insert(c.id.get_ref().as_str())
            && !known_categories.iter().any(|k| &k.id == c.id.get_ref())
        {
            at(
                c.id.span(),
                format!("category id '{}' is used twice", quoted(c.id.get_ref())),
            );
        }
    }
    let cats: Vec<&str> = cat_ids.iter().copied().collect();
    let mut ids = HashSet::new();
    for q in &raw.questions {
        let id = q.id.get_ref();
        if !ids.insert(id.as_str()) {
            at(
                q.id.span(),
                format!("question id '{}' is used twice", quoted(id)),
            );
        } else if taken_ids.contains(id) {
            at(
                q.id.span(),
                format!("question id '{}' is already in your library", quoted(id)),
            );
        }
        let question = Question {
            id: id.clone(),
            category: q.category.get_ref().clone(),
            reading: q.reading.get_ref().clone(),
            prompt: q.prompt.get_ref().clone(),
            criteria: q.criteria.get_ref().clone(),
            pushbacks: q.pushbacks.get_ref().clone(),
        };
        for problem in question_problems(&question, &cats) {
            // Point at the field the problem is about.
            let span = if problem.contains("category") {
                q.category.span()
            } else if problem.contains("reading") {
                q.reading.span()
            } else if problem.contains("prompt") {
                q.prompt.span()
            } else if problem.contains("criteri") {
                q.criteria.span()
            } else if problem.contains("push-back") {
                q.pushbacks.span()
            } else {
                q.id.span()
            };
            at(span, problem);
        }
    }
    if !issues.is_empty() {
        let more = issues.len().saturating_sub(MAX_LISTED);
        issues.truncate(MAX_LISTED);
        if more > 0 {
            issues.push(format!("{name}: and {more} more problems"));
        }
        return Err(CoreError::BadBank(issues.join("\n")));
    }
    Ok(Bank {
        categories: raw
            .categories
            .into_iter()
            .map(|c| Category {
                id: c.id.into_inner(),
                name: c.name,
                reading: c.reading,
                blurb: c.blurb,
            })
            .collect(),
        questions: raw
            .questions
            .into_iter()
            .map(|q| Question {
                id: q.id.into_inner(),
                category: q.category.into_inner(),
                reading: q.reading.into_inner(),
                prompt: q.prompt.into_inner(),
                criteria: q.criteria.into_inner(),
                pushbacks: q.pushbacks.into_inner(),
            })
            .collect(),
        general_pushbacks: raw
            .general_pushbacks
            .map(Spanned::into_inner)
            .unwrap_or_default(),
    })
}

/// Reads and validates a bank file from disk.
pub fn load(path: &std::path::Path) -> Result<Bank> {
    let name = path.display().to_string();
    let len = std::fs::metadata(path)
        .map_err(|e| CoreError::io(format!("reading {name}"), e))?
        .len();
    if len > MAX_FILE_BYTES as u64 {
        return Err(too_big(&name, len));
    }
    let src = std::fs::read_to_string(path)
        .map_err(|e| CoreError::io(format!("reading {}", path.display()), e))?;
    parse(&src, &path.display().to_string())
}

/// The bank shipped with Candor.
pub fn builtin() -> Result<Bank> {
    parse(BUILTIN_QUESTIONS, "assets/questions.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"version = 1
[[categories]]
id = "rsp"
name = "RSP"
reading = "Responsible Scaling Policy"

[[questions]]
id = "a"
category = "rsp"
reading = "Responsible Scaling Policy"
prompt = "What breaks first?"
criteria = ["complexity"]
pushbacks = ["Why?", "And then?"]
"#;

    #[test]
    fn builtin_bank_is_valid() {
        let bank = builtin().unwrap();
        assert!(!bank.questions.is_empty());
    }

    #[test]
    fn parses_a_good_bank() {
        let b = parse(GOOD, "t.toml").unwrap();
        assert_eq!(b.questions[0].pushbacks.len(), 2);
        assert_eq!(b.categories[0].id, "rsp");
    }

    #[test]
    fn duplicate_id_is_reported_with_line_and_column() {
        let src = format!("{GOOD}\n[[questions]]\nid = \"a\"\ncategory = \"rsp\"\nreading = \"R\"\nprompt = \"p\"\ncriteria = [\"gaps\"]\npushbacks = [\"x\"]\n");
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("t.toml:16:6: question id 'a' is used twice"),
            "{e}"
        );
    }

    #[test]
    fn unknown_category_criterion_and_empty_pushbacks_all_listed() {
        let src = GOOD
            .replace("category = \"rsp\"", "category = \"nope\"")
            .replace("[\"complexity\"]", "[\"charm\"]")
            .replace("[\"Why?\", \"And then?\"]", "[]");
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(
            e.contains("t.toml:9:12: question 'a' has unknown category 'nope'"),
            "{e}"
        );
        assert!(e.contains("unknown criterion 'charm'"), "{e}");
        assert!(e.contains("empty push-back"), "{e}");
        assert_eq!(e.lines().count(), 3, "{e}");
    }

    #[test]
    fn missing_field_and_syntax_errors_have_positions() {
        let e = parse(
            &GOOD.replace("prompt = \"What breaks first?\"\n", ""),
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("t.toml:") && e.contains("prompt"), "{e}");
        let e = parse("version = 1\n[[questions]\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:2:"), "{e}");
    }

    /// A valid `[[questions]]` table with this id and prompt.
    fn question(id: &str, prompt: &str) -> String {
        format!("\n[[questions]]\nid = \"{id}\"\ncategory = \"rsp\"\nreading = \"R\"\nprompt = \"{prompt}\"\ncriteria = [\"gaps\"]\npushbacks = [\"Why?\"]\n")
    }

    #[test]
    fn a_ten_megabyte_prompt_is_refused_before_parsing() {
        let src = format!("{GOOD}{}", question("big", &"x".repeat(10_000_000)));
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert_eq!(
            e,
            "t.toml: the file is 10.0 MB; a question file is at most 5 MB"
        );
    }

    #[test]
    fn a_long_prompt_within_the_file_limit_is_refused_with_its_line() {
        let src = format!("{GOOD}{}", question("long", &"y".repeat(3_000_000)));
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(
            e.starts_with(
                "t.toml:19:10: question 'long' has a prompt of 3000000 characters (at most 2000)"
            ),
            "{e}"
        );
        assert!(
            e.len() < 300,
            "the message repeats the prompt: {} bytes",
            e.len()
        );
    }

    #[test]
    fn a_hundred_thousand_questions_are_refused() {
        let many: String = (0..100_000)
            .map(|i| question(&format!("q{i}"), "p"))
            .collect();
        let e = parse(&format!("{GOOD}{many}"), "t.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 5 MB"), "{e}");
        // Small enough to pass the size limit, but too many questions: the first one over is named.
        let many: String = (0..3_000)
            .map(|i| question(&format!("q{i}"), "p"))
            .collect();
        let e = parse(&format!("{GOOD}{many}"), "t.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            e.starts_with(
                "t.toml:16008:6: the file has 3001 questions; one file holds at most 2000"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_very_long_id_is_refused_and_quoted_short() {
        let id = "i".repeat(1_000_000);
        let src = format!("{GOOD}{}{}", question(&id, "p"), question(&id, "p"));
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("t.toml:16:6: a question id must have 1 to 100 characters"),
            "{e}"
        );
        assert!(
            e.contains(&format!("question id '{}…' is used twice", "i".repeat(40))),
            "{e}"
        );
        assert!(e.len() < 2_000, "{} bytes", e.len());
    }

    #[test]
    fn a_flood_of_problems_is_listed_up_to_a_limit() {
        let bad: String = (0..500).map(|i| question(&format!("q{i}"), "")).collect();
        let e = parse(&format!("{GOOD}{bad}"), "t.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(e.lines().count(), MAX_LISTED + 1, "{e}");
        assert!(e.ends_with("t.toml: and 450 more problems"), "{e}");
    }

    #[test]
    fn oversized_categories_and_general_pushbacks_are_refused_with_lines() {
        let src = GOOD
            .replace("name = \"RSP\"", &format!("name = \"{}\"", "n".repeat(300)))
            .replace(
                "version = 1",
                &format!(
                    "version = 1\ngeneral_pushbacks = [\"{}\"]",
                    "g".repeat(MAX_TEXT + 1)
                ),
            );
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(
            e.contains("t.toml:2:21: general_pushbacks has more than 50"),
            "{e}"
        );
        assert!(
            e.contains("t.toml:4:6: category 'rsp' needs an id of at most 100"),
            "{e}"
        );
    }

    #[test]
    fn load_refuses_a_huge_file_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("huge.toml");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(50_000_000).unwrap(); // sparse: nothing is written
        let e = load(&p).unwrap_err().to_string();
        assert!(
            e.ends_with("the file is 50.0 MB; a question file is at most 5 MB"),
            "{e}"
        );
    }

    #[test]
    fn absurd_prompt_is_refused() {
        let huge = "x".repeat(MAX_TEXT + 1);
        let e = parse(&GOOD.replace("What breaks first?", &huge), "t.toml").unwrap_err();
        assert!(e.to_string().contains("at most"), "{e}");
    }
}
