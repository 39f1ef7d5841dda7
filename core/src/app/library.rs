//! Library use cases: the questions (shipped and the user's), adding, editing, hiding, and
//! import and export of the user's questions as TOML.

use serde::{Deserialize, Serialize};

use super::{Candor, Question};
use crate::error::Result;

/// A category of the bank, with what it tests.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Category {
    /// Stable key.
    pub id: String,
    /// Name for display.
    pub name: String,
    /// The reading its questions come from.
    pub reading: String,
    /// What this kind of question tests.
    pub blurb: String,
    /// The user keeps a written position on this reading item (My positions).
    pub position: bool,
}

/// The bank's categories, criteria and general push-backs (for the library's forms).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct BankInfo {
    /// Every category, in bank order.
    pub categories: Vec<Category>,
    /// Criterion keys, in rubric order.
    pub criteria: Vec<String>,
    /// Push-backs that fit any question.
    pub general_pushbacks: Vec<String>,
}

/// A question as the library lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct LibraryEntry {
    /// The question.
    pub question: Question,
    /// True for the user's own questions (editable).
    pub custom: bool,
    /// True for shipped questions hidden from practice.
    pub hidden: bool,
}

/// The fields of a question the user writes; Candor makes the id.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct QuestionDraft {
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

impl From<QuestionDraft> for crate::library::Draft {
    fn from(d: QuestionDraft) -> Self {
        crate::library::Draft {
            category: d.category,
            reading: d.reading,
            prompt: d.prompt,
            criteria: d.criteria,
            pushbacks: d.pushbacks,
        }
    }
}

/// The file name an import is reported under: the last part of what was given, never a path.
pub fn display_name(file_name: &str) -> String {
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    if name.trim().is_empty() {
        "import.toml".into()
    } else {
        name
    }
}

impl Candor {
    /// The bank's categories, criteria and general push-backs.
    pub fn bank_info(&self) -> Result<BankInfo> {
        let bank = self.bank()?;
        Ok(BankInfo {
            categories: bank
                .categories
                .iter()
                .map(|c| Category {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    reading: c.reading.clone(),
                    blurb: c.blurb.clone(),
                    position: c.position,
                })
                .collect(),
            criteria: crate::bank::CRITERIA
                .iter()
                .map(|c| c.to_string())
                .collect(),
            general_pushbacks: bank
                .general_pushbacks
                .iter()
                .map(|p| p.text.clone())
                .collect(),
        })
    }

    /// Every question, shipped and the user's.
    pub fn library(&self) -> Result<Vec<LibraryEntry>> {
        let folder = self.folder()?;
        let bank = self.bank()?;
        Ok(crate::library::entries(bank, folder.store())?
            .into_iter()
            .map(|e| LibraryEntry {
                question: Question::of(&e.question, bank),
                custom: e.custom,
                hidden: e.hidden,
            })
            .collect())
    }

    /// Adds one of the user's questions.
    pub fn add_question(&self, draft: QuestionDraft) -> Result<Question> {
        let folder = self.folder()?;
        let q = crate::library::add(self.bank()?, folder.store(), draft.into())?;
        Ok(Question::of(&q, self.bank()?))
    }

    /// Edits one of the user's questions.
    pub fn update_question(&self, id: &str, draft: QuestionDraft) -> Result<Question> {
        crate::limits::check_id("question", id)?;
        let folder = self.folder()?;
        let q = crate::library::update(self.bank()?, folder.store(), id, draft.into())?;
        Ok(Question::of(&q, self.bank()?))
    }

    /// Deletes one of the user's questions.
    pub fn delete_question(&self, id: &str) -> Result<()> {
        crate::limits::check_id("question", id)?;
        crate::library::delete(self.bank()?, self.folder()?.store(), id)
    }

    /// Hides a shipped question from practice, or shows it again.
    pub fn set_question_hidden(&self, id: &str, hidden: bool) -> Result<()> {
        crate::limits::check_id("question", id)?;
        crate::library::set_hidden(self.bank()?, self.folder()?.store(), id, hidden)
    }

    /// Imports questions from TOML text read from a file the user picked; `file_name` is only
    /// for messages (its last part is kept, never a path).
    pub fn import_questions(&self, file_name: &str, text: &str) -> Result<Vec<Question>> {
        let name = display_name(file_name);
        let folder = self.folder()?;
        let bank = self.bank()?;
        let imported = crate::library::import_toml(bank, folder.store(), text, &name)?;
        Ok(imported.iter().map(|q| Question::of(q, bank)).collect())
    }

    /// Adds a one-off question of the user's from its prompt alone (for `candor-cli record
    /// --prompt`): in `category`, probing every criterion, with the general push-backs. It
    /// lands in the library like any question of the user's, to edit or delete there.
    pub fn add_one_off_question(&self, prompt: &str, category: &str) -> Result<Question> {
        let bank = self.bank()?;
        self.add_question(QuestionDraft {
            category: category.to_string(),
            reading: "My own question".into(),
            prompt: prompt.to_string(),
            criteria: crate::bank::CRITERIA
                .iter()
                .filter(|c| **c != "feeling")
                .map(|c| c.to_string())
                .collect(),
            pushbacks: bank
                .general_pushbacks
                .iter()
                .filter(|p| !p.presumes)
                .take(3)
                .map(|p| p.text.clone())
                .collect(),
        })
    }

    /// The user's questions as TOML text.
    pub fn export_questions(&self) -> Result<String> {
        crate::library::export_toml(self.bank()?, self.folder()?.store())
    }
}
