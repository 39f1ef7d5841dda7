//! Choosing what to practice: the next question, a mock round's questions, and push-backs.

use std::collections::HashMap;

use crate::bank::Question;
use crate::store::TakeRow;

/// When each question was last answered (ISO timestamps compare as text).
fn last_practiced(takes: &[TakeRow]) -> HashMap<&str, &str> {
    let mut m: HashMap<&str, &str> = HashMap::new();
    for t in takes {
        let e = m
            .entry(t.question_id.as_str())
            .or_insert(t.started_at.as_str());
        if t.started_at.as_str() > *e {
            *e = t.started_at.as_str();
        }
    }
    m
}

/// The least recently practiced question (never-practiced ones first, in library order).
pub fn next_question<'a>(questions: &'a [Question], takes: &[TakeRow]) -> Option<&'a Question> {
    let last = last_practiced(takes);
    questions
        .iter()
        .enumerate()
        .min_by_key(|(i, q)| (last.get(q.id.as_str()).copied(), *i))
        .map(|(_, q)| q)
}

/// `n` questions for a mock round, spread across categories, least recently practiced first.
pub fn round_questions<'a>(
    questions: &'a [Question],
    takes: &[TakeRow],
    n: usize,
) -> Vec<&'a Question> {
    let last = last_practiced(takes);
    let mut ranked: Vec<(usize, &Question)> = questions.iter().enumerate().collect();
    ranked.sort_by_key(|(i, q)| (last.get(q.id.as_str()).copied(), *i));
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
    use crate::store::TakeStatus;

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

    fn take(qid: &str, at: &str) -> TakeRow {
        TakeRow {
            id: format!("{qid}{at}"),
            question_id: qid.into(),
            parent_id: None,
            pushback: None,
            round_id: None,
            status: TakeStatus::Complete,
            started_at: at.into(),
            sample_rate: 16000,
            frames: 1,
            device_name: None,
            error: None,
        }
    }

    #[test]
    fn next_is_never_practiced_then_oldest() {
        let qs = [q("a", "x"), q("b", "x"), q("c", "y")];
        assert_eq!(next_question(&qs, &[]).unwrap().id, "a");
        let takes = [take("a", "2026-01-02"), take("b", "2026-01-01")];
        assert_eq!(next_question(&qs, &takes).unwrap().id, "c");
        let takes = [
            take("a", "2026-01-02"),
            take("b", "2026-01-01"),
            take("c", "2026-01-03"),
        ];
        assert_eq!(next_question(&qs, &takes).unwrap().id, "b");
    }

    #[test]
    fn round_spreads_across_categories() {
        let qs = [q("a1", "a"), q("a2", "a"), q("b1", "b"), q("c1", "c")];
        let ids: Vec<_> = round_questions(&qs, &[], 3)
            .iter()
            .map(|q| q.id.clone())
            .collect();
        assert_eq!(ids, ["a1", "b1", "c1"]);
        let ids: Vec<_> = round_questions(&qs, &[], 4)
            .iter()
            .map(|q| q.id.clone())
            .collect();
        assert_eq!(ids, ["a1", "b1", "c1", "a2"]);
        assert_eq!(round_questions(&qs, &[], 10).len(), 4);
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
