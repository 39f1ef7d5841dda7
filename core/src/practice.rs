//! Choosing what to practice: the next question, a mock round's questions, and push-backs.

use std::collections::HashMap;

use crate::bank::Question;

/// When each question was last practised: question id -> `started_at` of its newest take (ISO
/// timestamps compare as text); from [`Store::last_practiced`](crate::store::Store::last_practiced).
pub type LastPracticed = HashMap<String, String>;

/// The least recently practiced question (never-practiced ones first, in library order).
pub fn next_question<'a>(questions: &'a [Question], last: &LastPracticed) -> Option<&'a Question> {
    questions
        .iter()
        .enumerate()
        .min_by_key(|(i, q)| (last.get(&q.id), *i))
        .map(|(_, q)| q)
}

/// Why a question is suggested next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", rename = "SuggestionReason")]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub enum Suggestion {
    /// Its spaced-repetition card is due.
    Due,
    /// It was never practised.
    New,
    /// Nothing is due and everything was practised: the least recently practised one.
    LeastRecent,
}

/// The next question: due ones first (those probing `weakest` before others, then the longest
/// overdue), then never-practised ones (those probing `weakest` first, then library order), then
/// the least recently practised. `due` lists the cards due now, earliest first.
pub fn choose_next<'a>(
    questions: &'a [Question],
    last: &LastPracticed,
    due: &[crate::schedule::QuestionCard],
    weakest: Option<&str>,
) -> Option<(&'a Question, Suggestion)> {
    let probes = |q: &Question| weakest.is_some_and(|w| q.criteria.iter().any(|c| c == w));
    let due_pick = due
        .iter()
        .enumerate()
        .filter_map(|(rank, c)| {
            questions
                .iter()
                .find(|q| q.id == c.question_id)
                .map(|q| (q, rank))
        })
        .min_by_key(|(q, rank)| (!probes(q), *rank));
    if let Some((q, _)) = due_pick {
        return Some((q, Suggestion::Due));
    }
    let fresh = questions
        .iter()
        .enumerate()
        .filter(|(_, q)| !last.contains_key(&q.id))
        .min_by_key(|(i, q)| (!probes(q), *i));
    if let Some((_, q)) = fresh {
        return Some((q, Suggestion::New));
    }
    next_question(questions, last).map(|q| (q, Suggestion::LeastRecent))
}

/// Home's suggestion from the schedule (cards due now) and the weakest criterion of the last
/// four weeks; see `choose_next`. `None` when no question is visible.
pub fn suggest<'a>(
    store: &crate::store::Store,
    questions: &'a [Question],
) -> crate::Result<Option<(&'a Question, Suggestion)>> {
    use crate::{progress, schedule};
    let due_now = schedule::due_cards(store, chrono::Utc::now())?;
    let weakest = progress::weakest(store, progress::Period::FourWeeks)?.map(|w| w.criterion);
    Ok(choose_next(
        questions,
        &store.last_practiced()?,
        &due_now,
        weakest.as_deref(),
    ))
}

/// `n` questions for a mock round, spread across categories, least recently practiced first.
pub fn round_questions<'a>(
    questions: &'a [Question],
    last: &LastPracticed,
    n: usize,
) -> Vec<&'a Question> {
    let mut ranked: Vec<(usize, &Question)> = questions.iter().enumerate().collect();
    ranked.sort_by_key(|(i, q)| (last.get(&q.id), *i));
    let mut picked: Vec<&Question> = Vec::new();
    // One per category first, then fill up from what is left.
    for (_, q) in &ranked {
        if picked.len() == n {
            break;
        }
        if !picked.iter().any(|p| p.category == q.category) {
            picked.push(q);
        }
    }
    for (_, q) in &ranked {
        if picked.len() == n {
            break;
        }
        if !picked.iter().any(|p| p.id == q.id) {
            picked.push(q);
        }
    }
    picked
}

/// The push-back for round `index` (0-based): the question's own first, then the general ones.
pub fn pushback<'a>(
    question: &'a Question,
    general: &'a [String],
    index: usize,
) -> Option<&'a str> {
    question
        .pushbacks
        .iter()
        .chain(general.iter())
        .nth(index)
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, cat: &str) -> Question {
        Question {
            id: id.into(),
            category: cat.into(),
            reading: "R".into(),
            prompt: "P".into(),
            criteria: vec!["gaps".into()],
            pushbacks: vec![format!("{id}-own")],
        }
    }

    /// Questions last practised at these times.
    fn last(at: &[(&str, &str)]) -> LastPracticed {
        at.iter()
            .map(|(q, t)| ((*q).to_string(), (*t).to_string()))
            .collect()
    }

    #[test]
    fn next_is_never_practiced_then_oldest() {
        let qs = [q("a", "x"), q("b", "x"), q("c", "y")];
        assert_eq!(next_question(&qs, &last(&[])).unwrap().id, "a");
        let takes = last(&[("a", "2026-01-02"), ("b", "2026-01-01")]);
        assert_eq!(next_question(&qs, &takes).unwrap().id, "c");
        let takes = last(&[
            ("a", "2026-01-02"),
            ("b", "2026-01-01"),
            ("c", "2026-01-03"),
        ]);
        assert_eq!(next_question(&qs, &takes).unwrap().id, "b");
    }

    fn q_probing(id: &str, criteria: &[&str]) -> Question {
        Question {
            criteria: criteria.iter().map(|c| (*c).to_string()).collect(),
            ..q(id, "x")
        }
    }

    fn due(id: &str, at: &str) -> crate::schedule::QuestionCard {
        crate::schedule::QuestionCard {
            question_id: id.into(),
            due: at.into(),
            scheduled_days: 1,
            reps: 1,
            lapses: 0,
            last_grade: crate::schedule::ReviewGrade::Good,
            last_review: "2026-01-01T00:00:00.000Z".into(),
        }
    }

    #[test]
    fn due_questions_come_first_those_probing_the_weakest_criterion_before_others() {
        let qs = [
            q_probing("a", &["gaps"]),
            q_probing("b", &["honesty"]),
            q_probing("c", &["feeling", "gaps"]),
            q_probing("new", &["honesty"]),
        ];
        let takes = last(&[
            ("a", "2026-01-01"),
            ("b", "2026-01-01"),
            ("c", "2026-01-01"),
        ]);
        let cards = [
            due("a", "2026-01-02"),
            due("b", "2026-01-03"),
            due("c", "2026-01-04"),
        ];
        // No weakest criterion known: the longest overdue.
        let (pick, why) = choose_next(&qs, &takes, &cards, None).unwrap();
        assert_eq!((pick.id.as_str(), why), ("a", Suggestion::Due));
        // Honesty is weakest: b probes it, though a is more overdue.
        let (pick, _) = choose_next(&qs, &takes, &cards, Some("honesty")).unwrap();
        assert_eq!(pick.id, "b");
        let (pick, _) = choose_next(&qs, &takes, &cards, Some("feeling")).unwrap();
        assert_eq!(pick.id, "c");
        // A due card of a question no longer in the library is skipped.
        let (pick, _) = choose_next(&qs, &takes, &[due("gone", "2026-01-01")], None).unwrap();
        assert_eq!(
            (pick.id.as_str(), pick.criteria[0].as_str()),
            ("new", "honesty")
        );
    }

    #[test]
    fn without_due_cards_never_practised_then_least_recent() {
        let qs = [
            q_probing("a", &["gaps"]),
            q_probing("b", &["gaps"]),
            q_probing("c", &["honesty"]),
        ];
        let none = last(&[]);
        let (pick, why) = choose_next(&qs, &none, &[], Some("honesty")).unwrap();
        assert_eq!((pick.id.as_str(), why), ("c", Suggestion::New));
        let (pick, why) = choose_next(&qs, &none, &[], None).unwrap();
        assert_eq!((pick.id.as_str(), why), ("a", Suggestion::New));
        let takes = last(&[
            ("a", "2026-01-03"),
            ("b", "2026-01-01"),
            ("c", "2026-01-02"),
        ]);
        let (pick, why) = choose_next(&qs, &takes, &[], Some("honesty")).unwrap();
        assert_eq!((pick.id.as_str(), why), ("b", Suggestion::LeastRecent));
        assert!(choose_next(&[], &takes, &[], None).is_none());
    }

    #[test]
    fn round_spreads_across_categories() {
        let qs = [q("a1", "a"), q("a2", "a"), q("b1", "b"), q("c1", "c")];
        let ids: Vec<_> = round_questions(&qs, &last(&[]), 3)
            .iter()
            .map(|q| q.id.clone())
            .collect();
        assert_eq!(ids, ["a1", "b1", "c1"]);
        let ids: Vec<_> = round_questions(&qs, &last(&[]), 4)
            .iter()
            .map(|q| q.id.clone())
            .collect();
        assert_eq!(ids, ["a1", "b1", "c1", "a2"]);
        assert_eq!(round_questions(&qs, &last(&[]), 10).len(), 4);
    }

    #[test]
    fn pushbacks_come_own_first_then_general() {
        let general = vec!["What would change your mind?".to_string()];
        let question = q("a", "x");
        assert_eq!(pushback(&question, &general, 0), Some("a-own"));
        assert_eq!(
            pushback(&question, &general, 1),
            Some("What would change your mind?")
        );
        assert_eq!(pushback(&question, &general, 2), None);
    }
}
