//! Choosing what to practice: the next question, a mock round's questions, and push-backs.

use std::collections::HashMap;

use crate::bank::{Pushback, Question};

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

/// The question every mock round closes with: the candidate's own question for the interviewer.
pub const CLOSING_QUESTION: &str = "closing-your-question";

/// Categories a mock round always draws from, as the real round does: a story of the
/// candidate's own (how it felt) and disagreeing with a published position.
pub const ROUND_MUST_HAVE: [&str; 2] = ["behavioral", "disagreeing"];

/// The questions practice offers someone in `role`: of a question and its variants for other
/// roles (`variant_of`), the one worded for `role`, else the original. Without a role, the
/// originals. Questions with no variants are always offered.
pub fn for_role(questions: Vec<Question>, role: Option<&str>) -> Vec<Question> {
    let fits = |q: &Question| role.is_some_and(|r| q.roles.iter().any(|x| x == r));
    let has_fitting_variant = |base: &str| {
        questions
            .iter()
            .any(|v| v.variant_of.as_deref() == Some(base) && fits(v))
    };
    let keep: Vec<bool> = questions
        .iter()
        .map(|q| match &q.variant_of {
            Some(_) => fits(q),
            None => !has_fitting_variant(&q.id),
        })
        .collect();
    questions
        .into_iter()
        .zip(keep)
        .filter_map(|(q, k)| k.then_some(q))
        .collect()
}

/// `n` questions for a mock round, least recently practiced first: one from each category in
/// `ROUND_MUST_HAVE` that has questions, then one per other category, then the rest; the
/// closing question (`CLOSING_QUESTION`), when there is one, comes last on top of the `n`.
pub fn round_questions<'a>(
    questions: &'a [Question],
    last: &LastPracticed,
    n: usize,
) -> Vec<&'a Question> {
    let mut ranked: Vec<(usize, &Question)> = questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.id != CLOSING_QUESTION)
        .collect();
    ranked.sort_by_key(|(i, q)| (last.get(&q.id), *i));
    let mut picked: Vec<&Question> = Vec::new();
    for must in ROUND_MUST_HAVE {
        if picked.len() == n {
            break;
        }
        if let Some((_, q)) = ranked.iter().find(|(_, q)| q.category == must) {
            picked.push(q);
        }
    }
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
    if let Some(closing) = questions.iter().find(|q| q.id == CLOSING_QUESTION) {
        if !picked.is_empty() {
            picked.push(closing);
        }
    }
    picked
}

/// A stable seed from text (64-bit FNV-1a): the same answer always meets the same push-backs.
pub fn seed_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The push-backs to ask after an answer, in order: the question's own and the general ones,
/// each once (a general one with the text of an own one is left out), drawn in an order fixed
/// by `seed`, own and general taking turns. It never opens with one that presumes what the
/// answer said (the question's own come first when one fits any answer), and a counter-claim
/// comes within the first three when there is one, so holding or updating gets practised.
pub fn pushback_chain<'a>(
    question: &'a Question,
    general: &'a [Pushback],
    seed: u64,
) -> Vec<&'a Pushback> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut own: Vec<&Pushback> = question.pushbacks.iter().collect();
    rng.shuffle(&mut own);
    let mut other: Vec<&Pushback> = general
        .iter()
        .filter(|g| !question.pushbacks.iter().any(|o| o.text == g.text))
        .collect();
    rng.shuffle(&mut other);
    let mut chain = Vec::with_capacity(own.len() + other.len());
    let (mut own, mut other) = (own.into_iter(), other.into_iter());
    loop {
        match (own.next(), other.next()) {
            (None, None) => break,
            (a, b) => chain.extend(a.into_iter().chain(b)),
        }
    }
    let own_first = chain
        .iter()
        .position(|p| !p.presumes && question.pushbacks.iter().any(|o| std::ptr::eq(o, *p)));
    if let Some(i) = own_first.or_else(|| chain.iter().position(|p| !p.presumes)) {
        let first = chain.remove(i);
        chain.insert(0, first);
    }
    if !chain.iter().take(3).any(|p| p.counter) {
        if let Some(i) = chain.iter().position(|p| p.counter) {
            let counter = chain.remove(i);
            chain.insert(1.min(chain.len()), counter);
        }
    }
    chain
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
            pushbacks: vec![Pushback::plain(format!("{id}-own"))],
            roles: Vec::new(),
            variant_of: None,
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
    fn a_round_holds_a_story_and_a_disagreement_and_closes_with_the_candidates_question() {
        let qs = [
            q("a1", "a"),
            q("b1", "b"),
            q("c1", "c"),
            q("beh", "behavioral"),
            q("dis", "disagreeing"),
            q(CLOSING_QUESTION, "asking"),
        ];
        for n in [2, 3, 5] {
            let ids: Vec<_> = round_questions(&qs, &last(&[]), n)
                .iter()
                .map(|q| q.id.clone())
                .collect();
            assert_eq!(ids.len(), n + 1, "{ids:?}");
            assert!(ids.contains(&"beh".to_string()), "{ids:?}");
            assert!(ids.contains(&"dis".to_string()), "{ids:?}");
            assert_eq!(ids.last().map(String::as_str), Some(CLOSING_QUESTION));
        }
    }

    fn with_pushbacks(pushbacks: Vec<Pushback>) -> Question {
        Question {
            pushbacks,
            ..q("x", "x")
        }
    }

    fn marked(text: &str, counter: bool, presumes: bool) -> Pushback {
        Pushback {
            text: text.into(),
            counter,
            presumes,
        }
    }

    #[test]
    fn the_pushback_chain_asks_own_and_general_once_each_never_opening_with_a_presuming_one() {
        let question = with_pushbacks(vec![
            marked("If you chose A, why not B?", false, true),
            marked("own plain", false, false),
            marked("own second", false, false),
        ]);
        let general = vec![
            Pushback::plain("What would change your mind?"),
            Pushback::plain("own plain"),
            marked("I think you are wrong. Convince me.", true, false),
            Pushback::plain("Who would disagree?"),
        ];
        let mut orders = std::collections::HashSet::new();
        for seed in 0..200u64 {
            let chain = pushback_chain(&question, &general, seed);
            let texts: Vec<&str> = chain.iter().map(|p| p.text.as_str()).collect();
            // Every own one and every general one, once (the general copy of an own one is left out).
            assert_eq!(chain.len(), 6, "{texts:?}");
            let unique: std::collections::HashSet<_> = texts.iter().collect();
            assert_eq!(unique.len(), 6, "{texts:?}");
            // It opens with one of the question's own that presumes nothing.
            assert!(!chain[0].presumes, "{texts:?}");
            assert!(texts[0].starts_with("own"), "{texts:?}");
            // A counter-claim within the first three.
            assert!(chain.iter().take(3).any(|p| p.counter), "{texts:?}");
            // The same seed, the same order.
            assert_eq!(pushback_chain(&question, &general, seed), chain);
            orders.insert(texts.join("|"));
        }
        // The order is drawn, not fixed.
        assert!(orders.len() > 5, "{}", orders.len());
        assert_ne!(seed_of("take-a"), seed_of("take-b"));
        assert_eq!(seed_of("take-a"), seed_of("take-a"));
    }

    #[test]
    fn a_question_of_only_presuming_pushbacks_opens_with_a_general_one() {
        let question = with_pushbacks(vec![marked("If you said X…", false, true)]);
        let general = vec![Pushback::plain("Why?")];
        let chain = pushback_chain(&question, &general, 7);
        assert_eq!(chain[0].text, "Why?");
        assert_eq!(chain.len(), 2);
    }

    #[test]
    fn practice_offers_the_wording_for_the_users_role() {
        let base = Question {
            roles: vec!["pm".into()],
            ..q("launch", "x")
        };
        let eng = Question {
            roles: vec!["engineer".into()],
            variant_of: Some("launch".into()),
            ..q("launch-engineer", "x")
        };
        let plain = q("other", "x");
        let all = vec![base, eng, plain];
        let ids = |role: Option<&str>| -> Vec<String> {
            for_role(all.clone(), role)
                .into_iter()
                .map(|q| q.id)
                .collect()
        };
        assert_eq!(ids(None), ["launch", "other"]);
        assert_eq!(ids(Some("pm")), ["launch", "other"]);
        assert_eq!(ids(Some("engineer")), ["launch-engineer", "other"]);
        assert_eq!(ids(Some("sales")), ["launch", "other"]);
    }
}
