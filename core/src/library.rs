//! The question library: the shipped bank, the user's own questions, and hidden ones;
//! adding, editing, import and export.

use std::collections::HashSet;

use serde::Serialize;

use crate::bank::{self, Bank, Pushback, Question};
use crate::error::{CoreError, Result};
use crate::store::{CustomQuestion, Store};

/// A question as the library shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The question.
    pub question: Question,
    /// True for the user's own questions (editable); false for shipped ones.
    pub custom: bool,
    /// True for shipped questions the user hid from practice.
    pub hidden: bool,
}

/// The fields of a question the user writes; the id is made by Candor.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Category key.
    pub category: String,
    /// The reading it comes from.
    pub reading: String,
    /// The question as asked.
    pub prompt: String,
    /// Criteria it mostly probes.
    pub criteria: Vec<String>,
    /// Interviewer follow-ups (at least one).
    pub pushbacks: Vec<String>,
}

fn to_question(c: CustomQuestion) -> Question {
    Question {
        id: c.id,
        category: c.category,
        reading: c.reading,
        prompt: c.prompt,
        criteria: c.criteria,
        pushbacks: c.pushbacks,
        roles: Vec::new(),
        variant_of: None,
    }
}

fn to_custom(q: &Question) -> CustomQuestion {
    CustomQuestion {
        id: q.id.clone(),
        category: q.category.clone(),
        reading: q.reading.clone(),
        prompt: q.prompt.clone(),
        criteria: q.criteria.clone(),
        pushbacks: q.pushbacks.clone(),
    }
}

/// Every question: shipped ones first (hidden ones marked), then the user's.
pub fn entries(bank: &Bank, store: &Store) -> Result<Vec<Entry>> {
    let hidden: HashSet<String> = store.hidden_questions()?.into_iter().collect();
    let mut out: Vec<Entry> = bank
        .questions
        .iter()
        .map(|q| Entry {
            hidden: hidden.contains(&q.id),
            question: q.clone(),
            custom: false,
        })
        .collect();
    out.extend(store.custom_questions()?.into_iter().map(|c| Entry {
        question: to_question(c),
        custom: true,
        hidden: false,
    }));
    Ok(out)
}

/// The questions offered for practice (hidden ones left out).
pub fn practice_questions(bank: &Bank, store: &Store) -> Result<Vec<Question>> {
    Ok(entries(bank, store)?
        .into_iter()
        .filter(|e| !e.hidden)
        .map(|e| e.question)
        .collect())
}

/// One question by id, shipped or the user's.
pub fn find(bank: &Bank, store: &Store, id: &str) -> Result<Question> {
    crate::limits::check_id("question", id)?;
    entries(bank, store)?
        .into_iter()
        .map(|e| e.question)
        .find(|q| q.id == id)
        .ok_or_else(|| CoreError::NotFound(format!("question '{id}'")))
}

fn category_ids(bank: &Bank) -> Vec<&str> {
    bank.categories.iter().map(|c| c.id.as_str()).collect()
}

/// The question a draft makes; a push-back whose text is unchanged from `before` keeps its marks
/// (counter-claim, presumes), which the form does not show.
fn checked(bank: &Bank, id: String, d: Draft, before: &[Pushback]) -> Result<Question> {
    let q = Question {
        id,
        category: d.category,
        reading: d.reading.trim().to_string(),
        prompt: d.prompt.trim().to_string(),
        criteria: d.criteria,
        pushbacks: d
            .pushbacks
            .into_iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .map(|text| {
                before
                    .iter()
                    .find(|b| b.text == text)
                    .cloned()
                    .unwrap_or_else(|| Pushback::plain(text))
            })
            .collect(),
        roles: Vec::new(),
        variant_of: None,
    };
    let problems = bank::question_field_problems(&q, &category_ids(bank));
    if problems.is_empty() {
        Ok(q)
    } else {
        Err(CoreError::InvalidQuestion { problems })
    }
}

/// Adds one of the user's own questions.
pub fn add(bank: &Bank, store: &Store, draft: Draft) -> Result<Question> {
    let id = format!("my-{}", &crate::data_dir::new_take_id()[..12]);
    let q = checked(bank, id, draft, &[])?;
    store.insert_custom_questions(&[to_custom(&q)])?;
    Ok(q)
}

/// Edits one of the user's own questions (shipped ones cannot be edited, only hidden).
pub fn update(bank: &Bank, store: &Store, id: &str, draft: Draft) -> Result<Question> {
    if bank.questions.iter().any(|q| q.id == id) {
        return Err(CoreError::InvalidInput(
            "questions that come with Candor cannot be edited; hide it and add your own version"
                .into(),
        ));
    }
    let before = store
        .custom_questions()?
        .into_iter()
        .find(|c| c.id == id)
        .map(|c| c.pushbacks)
        .unwrap_or_default();
    let q = checked(bank, id.to_string(), draft, &before)?;
    store.update_custom_question(&to_custom(&q))?;
    Ok(q)
}

/// Deletes one of the user's own questions; takes that answered it are kept.
pub fn delete(bank: &Bank, store: &Store, id: &str) -> Result<()> {
    if bank.questions.iter().any(|q| q.id == id) {
        return Err(CoreError::InvalidInput(
            "questions that come with Candor cannot be deleted; hide it instead".into(),
        ));
    }
    store.delete_custom_question(id)
}

/// Hides a shipped question from practice, or shows it again.
pub fn set_hidden(bank: &Bank, store: &Store, id: &str, hidden: bool) -> Result<()> {
    if !bank.questions.iter().any(|q| q.id == id) {
        return Err(CoreError::NotFound(format!("shipped question '{id}'")));
    }
    store.set_hidden(id, hidden)
}

/// Imports questions from TOML text: all of them, or none if the file has any error.
///
/// Errors name the file, line and column of each problem.
pub fn import_toml(
    bank: &Bank,
    store: &Store,
    text: &str,
    file_name: &str,
) -> Result<Vec<Question>> {
    let taken: HashSet<String> = entries(bank, store)?
        .into_iter()
        .map(|e| e.question.id)
        .collect();
    let parsed = bank::parse_with(text, file_name, &bank.categories, &taken)?;
    if parsed.questions.is_empty() {
        return Err(bank::whole_file(
            file_name,
            "holds no [[questions]] to import".into(),
        ));
    }
    let unknown: Vec<&str> = parsed
        .categories
        .iter()
        .filter(|c| !bank.categories.iter().any(|k| k.id == c.id))
        .map(|c| c.id.as_str())
        .collect();
    if !unknown.is_empty() {
        return Err(bank::whole_file(
            file_name,
            format!(
                "new categories ({}) cannot be imported; use one of Candor's: {}",
                crate::text::printable_clipped(&unknown.join(", "), 200),
                category_ids(bank).join(", ")
            ),
        ));
    }
    let customs: Vec<CustomQuestion> = parsed.questions.iter().map(to_custom).collect();
    store.insert_custom_questions(&customs)?;
    Ok(parsed.questions)
}

#[derive(Serialize)]
struct ExportFile<'a> {
    version: u32,
    questions: Vec<&'a Question>,
}

/// The user's own questions as TOML, in the bank's format (importable again).
pub fn export_toml(bank: &Bank, store: &Store) -> Result<String> {
    let all = entries(bank, store)?;
    let questions: Vec<&Question> = all
        .iter()
        .filter(|e| e.custom)
        .map(|e| &e.question)
        .collect();
    let body = toml::to_string_pretty(&ExportFile {
        version: 1,
        questions,
    })
    .map_err(|e| CoreError::InvalidInput(format!("could not write TOML: {e}")))?;
    Ok(format!(
        "# Questions exported from Candor. Import them again from the Library.\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Bank, Store) {
        (bank::builtin().unwrap(), Store::open_in_memory().unwrap())
    }

    fn draft() -> Draft {
        Draft {
            category: "rsp".into(),
            reading: "Responsible Scaling Policy".into(),
            prompt: "  What would you measure first?  ".into(),
            criteria: vec!["gaps".into()],
            pushbacks: vec!["Why that?".into(), "  ".into()],
        }
    }

    #[test]
    fn add_edit_delete_and_hide() {
        let (bank, store) = setup();
        let q = add(&bank, &store, draft()).unwrap();
        assert!(q.id.starts_with("my-"));
        assert_eq!(q.prompt, "What would you measure first?");
        assert_eq!(q.pushback_texts(), ["Why that?"]);
        let mut d = draft();
        d.prompt = "Edited".into();
        assert_eq!(update(&bank, &store, &q.id, d).unwrap().prompt, "Edited");
        let shipped = bank.questions[0].id.clone();
        assert_eq!(
            update(&bank, &store, &shipped, draft()).unwrap_err().code(),
            "InvalidInput"
        );
        set_hidden(&bank, &store, &shipped, true).unwrap();
        assert!(!practice_questions(&bank, &store)
            .unwrap()
            .iter()
            .any(|q| q.id == shipped));
        delete(&bank, &store, &q.id).unwrap();
        assert_eq!(entries(&bank, &store).unwrap().len(), bank.questions.len());
    }

    #[test]
    fn draft_problems_are_refused() {
        let (bank, store) = setup();
        let mut d = draft();
        d.category = "astrology".into();
        d.pushbacks.clear();
        let e = add(&bank, &store, d).unwrap_err();
        assert_eq!(e.code(), "InvalidInput");
        let text = e.to_string();
        assert!(
            text.contains("unknown category") && text.contains("push-back"),
            "{text}"
        );
        // Each problem says which field of the form it is about.
        let CoreError::InvalidQuestion { problems } = e else {
            panic!("not field by field: {text}")
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["category", "pushbacks"]);
    }

    #[test]
    fn import_export_round_trip() {
        let (bank, store) = setup();
        add(&bank, &store, draft()).unwrap();
        let exported = export_toml(&bank, &store).unwrap();
        let (_, other) = setup();
        let imported = import_toml(&bank, &other, &exported, "mine.toml").unwrap();
        assert_eq!(imported.len(), 1);
        assert_eq!(
            entries(&bank, &other).unwrap().last().unwrap().question,
            entries(&bank, &store).unwrap().last().unwrap().question
        );
        // Importing the same file again collides on the ids, and nothing is added.
        let e = import_toml(&bank, &other, &exported, "mine.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("mine.toml:5:6:") && e.contains("already in your library"),
            "{e}"
        );
        assert_eq!(store.custom_questions().unwrap().len(), 1);
    }

    #[test]
    fn import_with_errors_lists_each_with_its_line_and_imports_nothing() {
        let (bank, store) = setup();
        let text = "version = 1\n\n[[questions]]\nid = \"mine-1\"\ncategory = \"rsp\"\nreading = \"RSP\"\nprompt = \"Fine\"\ncriteria = [\"gaps\"]\npushbacks = [\"Why?\"]\n\n[[questions]]\nid = \"mine-2\"\ncategory = \"nope\"\nreading = \"RSP\"\nprompt = \"Bad\"\ncriteria = [\"charm\"]\npushbacks = [\"Why?\"]\n";
        let e = import_toml(&bank, &store, text, "bad.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("bad.toml:13:12: question 'mine-2' has unknown category 'nope'"),
            "{e}"
        );
        assert!(e.contains("bad.toml:16:"), "{e}");
        assert!(store.custom_questions().unwrap().is_empty());
        let fixed = text
            .replace("\"nope\"", "\"rsp\"")
            .replace("\"charm\"", "\"honesty\"");
        assert_eq!(
            import_toml(&bank, &store, &fixed, "bad.toml")
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn duplicate_ids_or_too_many_questions_import_nothing() {
        let (bank, store) = setup();
        let q = |id: &str| {
            format!("\n[[questions]]\nid = \"{id}\"\ncategory = \"rsp\"\nreading = \"R\"\nprompt = \"p\"\ncriteria = [\"gaps\"]\npushbacks = [\"Why?\"]\n")
        };
        let dup = format!("version = 1\n{}{}{}", q("a"), q("b"), q("a"));
        let e = import_toml(&bank, &store, &dup, "dup.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "dup.toml:20:6: question id 'a' is used twice"
        );
        let many: String = (0..2_500).map(|i| q(&format!("m{i}"))).collect();
        let e = import_toml(&bank, &store, &format!("version = 1\n{many}"), "many.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("one file holds at most 2000"), "{e}");
        assert!(store.custom_questions().unwrap().is_empty());
    }

    #[test]
    fn an_absurd_import_is_refused() {
        let (bank, store) = setup();
        let text = format!("version = 1\n[[questions]]\nid = \"x\"\ncategory = \"rsp\"\nreading = \"R\"\nprompt = \"{}\"\ncriteria = [\"gaps\"]\npushbacks = [\"Why?\"]\n", "x".repeat(10_000_000));
        let e = import_toml(&bank, &store, &text, "huge.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 5 MB"), "{e}");
    }
}
