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
    general_pushbacks: Vec<String>,
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
    let id = &q.id;
    let mut out = Vec::new();
    if id.trim().is_empty() || id.len() > 100 {
        out.push("a question id must have 1 to 100 characters".to_string());
    }
    if !categories.contains(&q.category.as_str()) {
        out.push(format!(
            "question '{id}' has unknown category '{}'",
            q.category
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
    }
    for c in &q.criteria {
        if !CRITERIA.contains(&c.as_str()) {
            out.push(format!(
                "question '{id}' has unknown criterion '{c}' (known: {})",
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
    if src.len() > 5_000_000 {
        return Err(CoreError::BadBank(format!(
            "{name}: the file is {} MB; a question bank is at most 5 MB",
            src.len() / 1_000_000
        )));
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
    let mut cat_ids: HashSet<&str> = known_categories.iter().map(|c| c.id.as_str()).collect();
    for c in &raw.categories {
        if c.id.get_ref().trim().is_empty() {
            at(c.id.span(), "a category id is empty".into());
        } else if !cat_ids.insert(c.id.get_ref().as_str())
            && !known_categories.iter().any(|k| &k.id == c.id.get_ref())
        {
            at(
                c.id.span(),
                format!("category id '{}' is used twice", c.id.get_ref()),
            );
        }
    }
    let cats: Vec<&str> = cat_ids.iter().copied().collect();
    let mut ids = HashSet::new();
    for q in &raw.questions {
        let id = q.id.get_ref();
        if !ids.insert(id.as_str()) {
            at(q.id.span(), format!("question id '{id}' is used twice"));
        } else if taken_ids.contains(id) {
            at(
                q.id.span(),
                format!("question id '{id}' is already in your library"),
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
        general_pushbacks: raw.general_pushbacks,
    })
}

/// Reads and validates a bank file from disk.
pub fn load(path: &std::path::Path) -> Result<Bank> {
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

    #[test]
    fn absurd_prompt_is_refused() {
        let huge = "x".repeat(MAX_TEXT + 1);
        let e = parse(&GOOD.replace("What breaks first?", &huge), "t.toml").unwrap_err();
        assert!(e.to_string().contains("at most"), "{e}");
    }
}
