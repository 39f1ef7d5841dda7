//! The question bank: loaded from TOML, validated with positions a person can find.

mod ids;
mod problems;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{CoreError, Result};
use crate::input_file::{self, megabytes, InputFileError};
use crate::rubric::{self, Rubric};

use ids::key_of;
pub use ids::{id_key, id_refusal, normalize_id};
pub(crate) use problems::{quoted, used_twice, LineIndex, Problems};
pub use problems::{render_problems, Problem, MAX_LISTED};
pub(crate) use problems::{toml_error, utf8, whole_file};

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
    /// The user keeps a written position on this reading item (My positions).
    pub position: bool,
}

/// One follow-up an interviewer may ask, and what kind it is. In a file it is either plain text
/// or a table `{ text = "…", counter = true, presumes = true }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(from = "PushbackRepr", into = "PushbackRepr")]
pub struct Pushback {
    /// What the interviewer says.
    pub text: String,
    /// A counter-claim: the interviewer disagrees confidently, so holding or updating is tested.
    pub counter: bool,
    /// It refers to what the answer may have said, so it never opens a chain of push-backs.
    pub presumes: bool,
}

impl Pushback {
    /// A plain push-back (neither a counter-claim nor presuming).
    pub fn plain(text: impl Into<String>) -> Pushback {
        Pushback {
            text: text.into(),
            counter: false,
            presumes: false,
        }
    }
}

/// How a push-back is written: plain text, or a table with its marks.
#[derive(Clone, serde::Serialize, Deserialize)]
#[serde(untagged)]
enum PushbackRepr {
    Text(String),
    Marked(MarkedPushback),
}

#[derive(Clone, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkedPushback {
    text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    counter: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    presumes: bool,
}

impl From<PushbackRepr> for Pushback {
    fn from(r: PushbackRepr) -> Self {
        match r {
            PushbackRepr::Text(text) => Pushback::plain(text),
            PushbackRepr::Marked(m) => Pushback {
                text: m.text,
                counter: m.counter,
                presumes: m.presumes,
            },
        }
    }
}

impl From<Pushback> for PushbackRepr {
    fn from(p: Pushback) -> Self {
        if !p.counter && !p.presumes {
            PushbackRepr::Text(p.text)
        } else {
            PushbackRepr::Marked(MarkedPushback {
                text: p.text,
                counter: p.counter,
                presumes: p.presumes,
            })
        }
    }
}

/// The roles a question may be worded for; the round itself is the same for all of them.
pub const ROLES: [&str; 4] = ["pm", "engineer", "researcher", "sales"];

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
    pub pushbacks: Vec<Pushback>,
    /// The roles this wording is for (`ROLES`); empty: every role.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// The question this one rewords for other roles, if it is such a variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_of: Option<String>,
}

impl Question {
    /// Whether answering it asks how the candidate felt (the `feeling` criterion is scored only then).
    pub fn asks_feeling(&self) -> bool {
        self.criteria.iter().any(|c| c == "feeling")
    }

    /// The push-backs' texts, in file order.
    pub fn pushback_texts(&self) -> Vec<String> {
        self.pushbacks.iter().map(|p| p.text.clone()).collect()
    }
}

/// A validated question bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Bank {
    /// Categories in file order.
    pub categories: Vec<Category>,
    /// Questions in file order.
    pub questions: Vec<Question>,
    /// Push-backs that fit any question.
    pub general_pushbacks: Vec<Pushback>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    version: u32,
    #[serde(default)]
    general_pushbacks: Option<Spanned<Vec<Pushback>>>,
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
    #[serde(default)]
    position: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    category: Spanned<String>,
    reading: Spanned<String>,
    prompt: Spanned<String>,
    criteria: Spanned<Vec<String>>,
    pushbacks: Spanned<Vec<Pushback>>,
    #[serde(default)]
    roles: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    variant_of: Option<Spanned<String>>,
}

/// Longest prompt or push-back accepted, so an absurd import cannot bloat the database.
pub const MAX_TEXT: usize = 2_000;

/// Largest question-bank file read, so an absurd file is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 5_000_000;

/// Most questions one file may hold (the shipped bank has a few dozen).
pub const MAX_QUESTIONS: usize = 2_000;

/// Most categories one file may hold.
pub const MAX_CATEGORIES: usize = 100;

/// The size limit of a `what` file ("question", "rubric") of at most `limit` bytes, in words;
/// `size` is the file's size when known (a file read up to the limit only tells it is larger).
pub(crate) fn too_big_message(size: Option<u64>, what: &str, limit: usize) -> String {
    let most = limit / 1_000_000;
    match size {
        Some(bytes) => format!(
            "the file is {}; a {what} file is at most {most} MB",
            megabytes(bytes)
        ),
        None => format!("the file is larger than {most} MB; a {what} file is at most {most} MB"),
    }
}

/// Reads a user's TOML file: only a regular file (a FIFO or a device is refused at once), and at
/// most `limit` bytes actually read; a larger file is a `BadBank` error in the file's own words.
pub(crate) fn read_toml_file(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>> {
    input_file::read_limited(path, limit as u64).map_err(|e| match e {
        InputFileError::TooLarge { size, .. } => problems::whole_file(
            &path.display().to_string(),
            too_big_message(size, what, limit),
        ),
        other => other.into(),
    })
}

/// Which field of a question a problem is about, so its position points there.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Id,
    Category,
    Reading,
    Prompt,
    Criteria,
    Pushbacks,
    Roles,
    VariantOf,
}

/// What is wrong with one question's fields, each with the field it is about.
fn question_checks(q: &Question, categories: &[&str]) -> Vec<(Field, String)> {
    let id = &quoted(&q.id);
    let mut out = Vec::new();
    if q.id.trim().is_empty() || q.id.len() > 100 {
        out.push((
            Field::Id,
            "a question id must have 1 to 100 characters".to_string(),
        ));
    } else if let Some(why) = id_refusal("question", &q.id) {
        out.push((Field::Id, why));
    }
    if !categories.contains(&q.category.as_str()) {
        out.push((
            Field::Category,
            format!(
                "question '{id}' has unknown category '{}'",
                quoted(&q.category)
            ),
        ));
    }
    if q.reading.len() > 200 {
        out.push((
            Field::Reading,
            format!("question '{id}' has a reading of more than 200 characters"),
        ));
    }
    if q.prompt.trim().is_empty() {
        out.push((
            Field::Prompt,
            format!("question '{id}' has an empty prompt"),
        ));
    } else if q.prompt.len() > MAX_TEXT {
        out.push((
            Field::Prompt,
            format!(
                "question '{id}' has a prompt of {} characters (at most {MAX_TEXT})",
                q.prompt.len()
            ),
        ));
    }
    if q.criteria.is_empty() {
        out.push((
            Field::Criteria,
            format!("question '{id}' names no criteria"),
        ));
    } else if q.criteria.len() > CRITERIA.len() {
        out.push((
            Field::Criteria,
            format!(
                "question '{id}' names {} criteria; there are {}",
                q.criteria.len(),
                CRITERIA.len()
            ),
        ));
    }
    for c in q.criteria.iter().take(CRITERIA.len()) {
        if !CRITERIA.contains(&c.as_str()) {
            out.push((
                Field::Criteria,
                format!(
                    "question '{id}' has unknown criterion '{}' (known: {})",
                    quoted(c),
                    CRITERIA.join(", ")
                ),
            ));
        }
    }
    if q.pushbacks.is_empty() || q.pushbacks.iter().any(|p| p.text.trim().is_empty()) {
        out.push((
            Field::Pushbacks,
            format!("question '{id}' has an empty push-back list or an empty push-back"),
        ));
    } else if q.pushbacks.iter().all(|p| p.presumes) {
        out.push((
            Field::Pushbacks,
            format!(
                "question '{id}' has only push-backs marked presumes; one must fit any answer, to be asked first"
            ),
        ));
    }
    if q.pushbacks.len() > 20 || q.pushbacks.iter().any(|p| p.text.len() > MAX_TEXT) {
        out.push((
            Field::Pushbacks,
            format!(
                "question '{id}' has more than 20 push-backs or one over {MAX_TEXT} characters"
            ),
        ));
    }
    for r in &q.roles {
        if !ROLES.contains(&r.as_str()) {
            out.push((
                Field::Roles,
                format!(
                    "question '{id}' has unknown role '{}' (known: {})",
                    quoted(r),
                    ROLES.join(", ")
                ),
            ));
        }
    }
    if q.variant_of.is_some() && q.roles.is_empty() {
        out.push((
            Field::VariantOf,
            format!("question '{id}' is a variant for other roles but names no roles"),
        ));
    }
    out
}

/// One thing wrong with a question a person wrote, and the field of the form it is about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct FieldProblem {
    /// The field: `id`, `category`, `reading`, `prompt`, `criteria`, `pushbacks`, `roles` or
    /// `variant_of`.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
}

impl Field {
    /// The field's name as the question's file and form name it.
    fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Category => "category",
            Field::Reading => "reading",
            Field::Prompt => "prompt",
            Field::Criteria => "criteria",
            Field::Pushbacks => "pushbacks",
            Field::Roles => "roles",
            Field::VariantOf => "variant_of",
        }
    }
}

/// What is wrong with one question's fields, each with its field (empty when it is valid).
pub fn question_field_problems(q: &Question, categories: &[&str]) -> Vec<FieldProblem> {
    question_checks(q, categories)
        .into_iter()
        .map(|(field, message)| FieldProblem {
            field: field.name().to_string(),
            message,
        })
        .collect()
}

/// What is wrong with one question's fields, in words (empty when it is valid).
pub fn question_problems(q: &Question, categories: &[&str]) -> Vec<String> {
    question_checks(q, categories)
        .into_iter()
        .map(|(_, message)| message)
        .collect()
}

/// Parses and validates a bank; every problem is listed as `name:line:column: message`.
pub fn parse(src: &str, name: &str) -> Result<Bank> {
    parse_with(src, name, &[], &HashSet::new())
}

/// [`parse`] on the bytes of a file: text that is not UTF-8 is refused at the line and column
/// of its first invalid byte.
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Bank> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(problems::whole_file(
            name,
            too_big_message(Some(bytes.len() as u64), "question", MAX_FILE_BYTES),
        ));
    }
    parse(problems::utf8(bytes, name)?, name)
}

/// Parses a bank whose questions may also use `known_categories`, refusing ids in `taken_ids`.
///
/// Ids are kept trimmed and in Unicode NFC, and compared without regard to case: two questions
/// (or categories) whose ids differ only in case, spacing or how an accent is encoded are one id
/// used twice. A question's category is matched the same way and kept as the category spells it.
/// The work is linear in the size of the file, however many problems it has.
pub fn parse_with(
    src: &str,
    name: &str,
    known_categories: &[Category],
    taken_ids: &HashSet<String>,
) -> Result<Bank> {
    if src.len() > MAX_FILE_BYTES {
        return Err(problems::whole_file(
            name,
            too_big_message(Some(src.len() as u64), "question", MAX_FILE_BYTES),
        ));
    }
    let index = LineIndex::new(src);
    let raw: RawBank = toml::from_str(src).map_err(|e| problems::toml_error(&e, &index, name))?;
    let mut found = Problems::new(name);
    if raw.version != 1 {
        found.at(
            0,
            format!("version {} is not supported (expected 1)", raw.version),
        );
    }
    if let Some(general) = raw.general_pushbacks.as_ref().filter(|g| {
        g.get_ref().len() > 50
            || g.get_ref()
                .iter()
                .any(|p| p.text.len() > MAX_TEXT || p.text.trim().is_empty())
    }) {
        found.at(
            general.span().start,
            format!(
                "general_pushbacks has more than 50 push-backs, an empty one, or one over {MAX_TEXT} characters"
            ),
        );
    }
    if let Some(c) = raw.categories.get(MAX_CATEGORIES) {
        found.at(
            c.id.span().start,
            format!("the file has more than {MAX_CATEGORIES} categories"),
        );
    }
    if let Some(q) = raw.questions.get(MAX_QUESTIONS) {
        // Checking each of an absurd number of questions would only bury this one problem.
        let (line, column) = index.position(q.id.span().start);
        return Err(CoreError::BadBank {
            file: name.to_string(),
            problems: vec![Problem {
                line,
                column,
                message: format!(
                    "the file has {} questions; one file holds at most {MAX_QUESTIONS} (split it into smaller files)",
                    raw.questions.len()
                ),
            }],
        });
    }

    // Categories by key: the caller's first, then the file's own.
    let mut category_by_key: HashMap<String, String> = known_categories
        .iter()
        .map(|c| (id_key(&c.id), c.id.clone()))
        .collect();
    let mut first_category: HashMap<String, (usize, String)> = HashMap::new();
    let mut categories = Vec::with_capacity(raw.categories.len());
    for c in raw.categories.into_iter().take(MAX_CATEGORIES) {
        let at = c.id.span().start;
        let id = normalize_id(c.id.get_ref());
        if id.len() > 100 || c.name.len() > 200 || c.reading.len() > 200 || c.blurb.len() > MAX_TEXT
        {
            found.at(
                at,
                format!(
                    "category '{}' needs an id of at most 100 characters, a name and a reading of at most 200, and a blurb of at most {MAX_TEXT}",
                    quoted(&id)
                ),
            );
        }
        let key = key_of(&id);
        if id.is_empty() {
            found.at(at, "a category id is empty".into());
        } else if let Some(why) = id_refusal("category", &id) {
            found.at(at, why);
        } else if let Some((first, spelled)) = first_category.get(&key) {
            found.at(
                at,
                used_twice("category id", c.id.get_ref(), spelled, index.line(*first)),
            );
        } else {
            first_category.insert(key.clone(), (at, c.id.get_ref().clone()));
        }
        // A category the caller already knows keeps the caller's spelling.
        let id = category_by_key.entry(key).or_insert(id).clone();
        categories.push(Category {
            id,
            name: c.name,
            reading: c.reading,
            blurb: c.blurb,
            position: c.position,
        });
    }

    let cats: Vec<&str> = category_by_key.values().map(String::as_str).collect();
    let taken: HashSet<String> = taken_ids.iter().map(|t| id_key(t)).collect();
    let mut first_question: HashMap<String, (usize, String)> =
        HashMap::with_capacity(raw.questions.len());
    let mut questions = Vec::with_capacity(raw.questions.len());
    // Each variant's `variant_of` (where it is written, what it names), and which ids are variants.
    let mut variants: Vec<(usize, String)> = Vec::new();
    let mut is_variant: HashMap<String, bool> = HashMap::new();
    for q in raw.questions {
        let at = |field: Field| match field {
            Field::Id => q.id.span().start,
            Field::Category => q.category.span().start,
            Field::Reading => q.reading.span().start,
            Field::Prompt => q.prompt.span().start,
            Field::Criteria => q.criteria.span().start,
            Field::Pushbacks => q.pushbacks.span().start,
            Field::Roles => q
                .roles
                .as_ref()
                .map_or(q.id.span().start, |r| r.span().start),
            Field::VariantOf => q
                .variant_of
                .as_ref()
                .map_or(q.id.span().start, |v| v.span().start),
        };
        let id = normalize_id(q.id.get_ref());
        let key = key_of(&id);
        if let Some((first, spelled)) = first_question.get(&key) {
            found.at(
                at(Field::Id),
                used_twice("question id", q.id.get_ref(), spelled, index.line(*first)),
            );
        } else {
            if taken.contains(&key) {
                found.at(
                    at(Field::Id),
                    format!("question id '{}' is already in your library", quoted(&id)),
                );
            }
            first_question.insert(key, (at(Field::Id), q.id.get_ref().clone()));
        }
        let category = normalize_id(q.category.get_ref());
        let category = category_by_key
            .get(&id_key(&category))
            .cloned()
            .unwrap_or(category);
        let question = Question {
            id,
            category,
            reading: q.reading.get_ref().clone(),
            prompt: q.prompt.get_ref().clone(),
            criteria: q.criteria.get_ref().clone(),
            pushbacks: q.pushbacks.get_ref().clone(),
            roles: q
                .roles
                .as_ref()
                .map(|r| r.get_ref().clone())
                .unwrap_or_default(),
            variant_of: q.variant_of.as_ref().map(|v| normalize_id(v.get_ref())),
        };
        for (field, problem) in question_checks(&question, &cats) {
            found.at(at(field), problem);
        }
        is_variant
            .entry(id_key(&question.id))
            .or_insert(question.variant_of.is_some());
        if let Some(base) = &question.variant_of {
            variants.push((at(Field::VariantOf), base.clone()));
        }
        // Nothing of a file with problems is kept: its questions are not needed.
        if found.is_empty() {
            questions.push(question);
        }
    }
    for (at, base) in &variants {
        match is_variant.get(&id_key(base)) {
            None => found.at(
                *at,
                format!(
                    "variant_of names '{}', which is not a question of this file",
                    quoted(base)
                ),
            ),
            Some(true) => found.at(
                *at,
                format!(
                    "variant_of names '{}', itself a variant; name the question it rewords",
                    quoted(base)
                ),
            ),
            Some(false) => {}
        }
    }
    found.finish(&index)?;
    Ok(Bank {
        categories,
        questions,
        general_pushbacks: raw
            .general_pushbacks
            .map(Spanned::into_inner)
            .unwrap_or_default(),
    })
}

/// Reads and validates a bank file from disk: a regular file of at most [`MAX_FILE_BYTES`],
/// in UTF-8.
pub fn load(path: &Path) -> Result<Bank> {
    let bytes = read_toml_file(path, MAX_FILE_BYTES, "question")?;
    parse_bytes(&bytes, &path.display().to_string())
}

/// The bank shipped with Candor.
pub fn builtin() -> Result<Bank> {
    parse(BUILTIN_QUESTIONS, "assets/questions.toml")
}

/// A questions or rubric file that passed `candor-cli bank validate`.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckedFile {
    /// A question bank.
    Questions(Bank),
    /// A rubric.
    Rubric(Rubric),
    /// The cue lists transcripts are read with (fillers, voiced uncertainty).
    Cues(crate::transcribe::Cues),
    /// The speech models Candor offers to download.
    Models(Vec<crate::transcribe::download::Offered>),
    /// The interviewer's rules for choosing a push-back.
    Pushbacks(crate::interviewer::PushbackRules),
}

impl CheckedFile {
    /// What the file holds, in one line ("48 questions in 9 categories, all valid").
    pub fn summary(&self) -> String {
        match self {
            CheckedFile::Questions(b) => format!(
                "{} questions in {} categories, all valid",
                b.questions.len(),
                b.categories.len()
            ),
            CheckedFile::Cues(c) => format!(
                "{} fillers, {} phrases of voiced uncertainty, {} ways to find out, {} of \
                 consequence language, {} that may read as a red flag, all valid",
                c.fillers.len(),
                c.hedges.len(),
                c.find_out.len(),
                c.consequences.len(),
                c.flag_phrases.len()
            ),
            CheckedFile::Models(m) => format!(
                "{} models offered, each with an https address and a pinned checksum, all valid",
                m.len()
            ),
            CheckedFile::Pushbacks(p) => format!(
                "{} push-back rules ({}), {} phrases of a confident claim, all valid",
                p.rules.len(),
                p.rules
                    .iter()
                    .map(|r| r.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                p.confident.len()
            ),
            CheckedFile::Rubric(r) => format!(
                "{} criteria, {} red flags, {} feelings, {} exemplars, all valid",
                r.criteria.len(),
                r.red_flags.len(),
                r.feelings.len(),
                r.exemplars.len()
            ),
        }
    }
}

/// Reads a questions, rubric or cue TOML file once, safely (a regular file, bounded, UTF-8), and
/// validates it as what it is: a rubric is told by its `[[criteria]]` tables, cue lists by their
/// `fillers`, the interviewer's rules by their `[[rule]]` tables, the models offered for download
/// by their `[[model]]` tables.
pub fn check_file(path: &Path) -> Result<CheckedFile> {
    let limit = MAX_FILE_BYTES.max(rubric::MAX_FILE_BYTES);
    let bytes = read_toml_file(path, limit, "question or rubric")?;
    let name = path.display().to_string();
    let src = problems::utf8(&bytes, &name)?;
    if rubric::is_rubric(src) {
        rubric::parse_against_builtin(src, &name).map(CheckedFile::Rubric)
    } else if crate::transcribe::cues::is_cues(src) {
        crate::transcribe::cues::parse(src, &name).map(CheckedFile::Cues)
    } else if crate::interviewer::is_pushback_rules(src) {
        crate::interviewer::parse(src, &name).map(CheckedFile::Pushbacks)
    } else if src.lines().any(|l| l.trim() == "[[model]]") {
        crate::transcribe::download::parse_catalog(src, &name).map(CheckedFile::Models)
    } else {
        parse(src, &name).map(CheckedFile::Questions)
    }
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

    /// The problems of a `BadBank` error.
    fn problems_of(e: &CoreError) -> &[Problem] {
        match e {
            CoreError::BadBank { problems, .. } => problems,
            other => panic!("not BadBank: {other}"),
        }
    }

    #[test]
    fn problems_are_structured_and_print_as_before() {
        let src = GOOD.replace("category = \"rsp\"", "category = \"nope\"");
        let e = parse(&src, "t.toml").unwrap_err();
        assert_eq!(e.code(), "BadBank");
        assert_eq!(
            problems_of(&e),
            [Problem {
                line: 9,
                column: 12,
                message: "question 'a' has unknown category 'nope'".into()
            }]
        );
        assert_eq!(
            e.to_string(),
            "t.toml:9:12: question 'a' has unknown category 'nope'"
        );
        let json = serde_json::to_value(problems_of(&e)).unwrap();
        assert_eq!(json[0]["line"], 9);
        assert_eq!(json[0]["column"], 12);
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_line_and_column() {
        let mut bytes = GOOD.as_bytes().to_vec();
        // Line 10 is `reading = "Responsible Scaling Policy"`; break its "S".
        let at = GOOD
            .find("reading = \"Responsible Scaling Policy\"\nprompt")
            .unwrap()
            + 23;
        bytes[at] = 0xC0;
        let e = parse_bytes(&bytes, "t.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:10:24: the file is not UTF-8 text here (byte 0xC0); save it as UTF-8"
        );
        // Through the file reader as well.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("latin1.toml");
        std::fs::write(&p, &bytes).unwrap();
        let e = load(&p).unwrap_err();
        assert!(
            e.to_string().contains(":10:24: the file is not UTF-8"),
            "{e}"
        );
        assert_eq!(problems_of(&e)[0].line, 10);
    }

    #[test]
    fn ids_differing_by_case_accents_encoding_or_spaces_are_one_id() {
        for (first, second) in [
            ("a", "A"),
            ("caf\u{e9}", "cafe\u{301}"),
            ("a", "  a "),
            ("Caf\u{e9}", " CAFE\u{301}\t"),
        ] {
            let src = format!(
                "{}{}",
                GOOD.replace("id = \"a\"", &format!("id = \"{first}\"")),
                question(second, "p")
            );
            let e = parse(&src, "t.toml").unwrap_err();
            let p = problems_of(&e);
            assert_eq!(p.len(), 1, "{first:?} {second:?}: {e}");
            assert_eq!((p[0].line, p[0].column), (16, 6), "{e}");
            assert!(p[0].message.contains("is used twice (as '"), "{e}");
            assert!(p[0].message.contains("' on line 8;"), "{e}");
        }
        // Kept trimmed and composed.
        let b = parse(
            &GOOD.replace("id = \"a\"", "id = \" cafe\u{301} \""),
            "t.toml",
        )
        .unwrap();
        assert_eq!(b.questions[0].id, "caf\u{e9}");
        // A category spelled in another case is the same category, kept as the category spells it.
        let b = parse(
            &GOOD.replace("category = \"rsp\"", "category = \" RSP\""),
            "t.toml",
        )
        .unwrap();
        assert_eq!(b.questions[0].category, "rsp");
        // Twice the same category, differing by case.
        let src = GOOD.replace(
            "[[questions]]",
            "[[categories]]\nid = \"Rsp\"\nname = \"N\"\nreading = \"R\"\n\n[[questions]]",
        );
        let e = parse(&src, "t.toml").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.toml:8:6: category id 'Rsp' is used twice (as 'rsp' on line 3;"),
            "{e}"
        );
    }

    #[test]
    fn ids_already_in_the_library_are_matched_without_case() {
        let taken: HashSet<String> = ["A".to_string()].into();
        let e = parse_with(GOOD, "t.toml", &[], &taken).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml:8:6: question id 'a' is already in your library"
        );
    }

    #[test]
    fn control_bidi_and_path_characters_in_ids_are_refused_where_they_are() {
        for (id, shown) in [
            ("a\\u001b[31m", "a\\u{1b}[31m"),
            ("\\u202Egnp", "\\u{202e}gnp"),
            ("../etc", "../etc"),
            ("a/b", "a/b"),
            ("a\\\\b", "a\\b"),
            ("x\\ny", "x\\u{a}y"),
        ] {
            let src = GOOD.replace("id = \"a\"", &format!("id = \"{id}\""));
            let e = parse(&src, "t.toml").unwrap_err();
            let p = problems_of(&e);
            assert_eq!((p[0].line, p[0].column), (8, 6), "{id}: {e}");
            assert!(
                p[0].message
                    .starts_with(&format!("question id '{shown}' contains")),
                "{id}: {e}"
            );
            let text = e.to_string();
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{202E}'),
                "{text}"
            );
        }
        let src = GOOD.replace("id = \"rsp\"", "id = \"r/s\"");
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("t.toml:3:6: category id 'r/s' contains '/'"),
            "{e}"
        );
    }

    #[test]
    fn text_quoted_from_the_file_is_escaped_in_every_message() {
        let src = GOOD
            .replace(
                "category = \"rsp\"",
                "category = \"\\u001b]0;owned\\u0007\"",
            )
            .replace("[\"complexity\"]", "[\"\\u001b[2J\"]");
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(
            e.contains("unknown category '\\u{1b}]0;owned\\u{7}'"),
            "{e}"
        );
        assert!(e.contains("unknown criterion '\\u{1b}[2J'"), "{e}");
        assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e}");
        // serde quotes the offending value in a type error: escaped too, and cut short.
        let src = GOOD.replace(
            "version = 1",
            &format!("version = \"\\u001b[31m{}\"", "x".repeat(100_000)),
        );
        let e = parse(&src, "t.toml").unwrap_err().to_string();
        assert!(e.starts_with("t.toml:1:11: "), "{e}");
        assert!(e.contains("\\u{1b}[31m") && !e.contains('\u{1b}'), "{e}");
        assert!(e.len() < 400, "{} bytes", e.len());
        // The file's own name too.
        let e = parse("version = 2\n", "evil\u{1b}[31m.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("evil\\u{1b}[31m.toml:1:1: version 2"), "{e}");
    }

    /// About `bytes` of questions of 2 kB, every one with problems (as in the parsers benchmark).
    fn problem_filled(bytes: usize) -> String {
        let mut s = GOOD.to_string();
        let prompt = "x".repeat(1_900);
        let mut i = 0;
        while s.len() < bytes {
            s.push_str(&format!("\n[[questions]]\nid = \"q{}\"\ncategory = \"nope\"\nreading = \"R\"\nprompt = \"{prompt}\"\ncriteria = [\"a\", \"b\", \"c\", \"d\", \"e\"]\npushbacks = [\"\"]\n", i / 2));
            i += 1;
        }
        s
    }

    #[test]
    fn a_problem_filled_bank_of_megabytes_lists_its_first_problems_located() {
        // Counting lines from the start for each of its ~14,000 problems took minutes;
        // `bench/benches/parsers.rs` measures that the time is now linear in the size.
        let src = problem_filled(3_900_000);
        let e = parse(&src, "t.toml").unwrap_err();
        let p = problems_of(&e);
        assert_eq!(p.len(), MAX_LISTED + 1);
        assert_eq!(
            p[0],
            Problem {
                line: 17,
                column: 12,
                message: "question 'q0' has unknown category 'nope'".into()
            }
        );
        let last = p.last().unwrap();
        assert_eq!((last.line, last.column), (0, 0));
        assert!(last.message.starts_with("and ") && last.message.ends_with(" more problems"));
        let more: usize = last.message[4..last.message.len() - 14].parse().unwrap();
        assert!(more > 10_000, "{more}");
        // A single line with every problem on it is no slower: columns are counted once each.
        let one_line = format!(
            "version = 1\nquestions = [{}]\n",
            (0..1_900)
                .map(|i| format!("{{id = \"q{i}\", category = \"nope\", reading = \"R\", prompt = \"{}\", criteria = [\"a\", \"b\"], pushbacks = [\"\"]}}", "y".repeat(900)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let e = parse(&one_line, "t.toml").unwrap_err();
        let p = problems_of(&e);
        assert!(p[..MAX_LISTED].iter().all(|p| p.line == 2), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("q.toml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let e = load(&fifo).unwrap_err();
        assert_eq!(e.code(), "InvalidInput");
        assert!(
            e.to_string()
                .contains("is a named pipe (FIFO), not a regular file"),
            "{e}"
        );
        let e = load(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(e.contains("is a character device"), "{e}");
        let e = check_file(&fifo).unwrap_err().to_string();
        assert!(e.contains("named pipe"), "{e}");
    }

    #[test]
    fn check_file_tells_a_rubric_from_a_bank() {
        let dir = tempfile::tempdir().unwrap();
        let q = dir.path().join("q.toml");
        std::fs::write(&q, GOOD).unwrap();
        assert_eq!(
            check_file(&q).unwrap().summary(),
            "1 questions in 1 categories, all valid"
        );
        let r = dir.path().join("r.toml");
        std::fs::write(&r, rubric::BUILTIN_RUBRIC).unwrap();
        assert!(matches!(check_file(&r).unwrap(), CheckedFile::Rubric(_)));
    }
}
