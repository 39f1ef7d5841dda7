//! The shipped content, read as a careful interviewer would: push-backs that press, feelings
//! asked where they are scored, "unprompted" that can be observed, facts that age well, and
//! example answers credited only for what is in them.

use std::collections::{HashMap, HashSet};

use crate::bank::{self, Bank, Question};
use crate::practice::{self, CLOSING_QUESTION, ROUND_MUST_HAVE};
use crate::rubric::{self, Rubric};

fn shipped() -> (Bank, Rubric) {
    (bank::builtin().unwrap(), rubric::builtin().unwrap())
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

#[test]
fn every_category_has_a_counter_claim_pushback() {
    let (bank, _) = shipped();
    for c in &bank.categories {
        let counters = bank
            .questions
            .iter()
            .filter(|q| q.category == c.id)
            .flat_map(|q| &q.pushbacks)
            .filter(|p| p.counter)
            .count();
        assert!(
            counters >= 1,
            "category {} has no counter-claim push-back",
            c.id
        );
    }
    assert!(bank.general_pushbacks.iter().any(|p| p.counter));
}

#[test]
fn at_least_eight_prompts_ask_how_the_candidate_felt() {
    let (bank, _) = shipped();
    let feeling: Vec<&Question> = bank.questions.iter().filter(|q| q.asks_feeling()).collect();
    assert!(
        feeling.len() >= 8,
        "{} prompts ask for feelings",
        feeling.len()
    );
    // They ask it in words: a feeling question mentions feeling.
    for q in feeling {
        let p = q.prompt.to_lowercase();
        assert!(
            p.contains("feel") || p.contains("felt"),
            "{} is tagged feeling: {}",
            q.id,
            q.prompt
        );
    }
}

/// Phrases by which a prompt asks for the downstream effect itself.
const DOWNSTREAM_CUES: [&str; 15] = [
    "what does that break",
    "what would that break",
    "what breaks",
    "break elsewhere",
    "downstream",
    "knock-on",
    "second-order",
    "second order",
    "what happens next",
    "what would that change",
    "what else would",
    "ripple",
    "side effect",
    "consequences",
    "elsewhere",
];

#[test]
fn no_prompt_scored_on_unprompted_effects_asks_for_them() {
    let (bank, _) = shipped();
    for q in bank
        .questions
        .iter()
        .filter(|q| q.criteria.iter().any(|c| c == "second_order"))
    {
        let p = q.prompt.to_lowercase();
        for cue in DOWNSTREAM_CUES {
            assert!(
                !p.contains(cue),
                "{} is scored on unprompted effects but asks '{cue}'",
                q.id
            );
        }
    }
}

#[test]
fn readings_name_documents_and_version_specific_facts_are_framed_as_such() {
    let (bank, _) = shipped();
    let sections = [
        "Contestable positions",
        "The three research pillars",
        "The emotional check",
        "How to disagree well",
        "Viable versus lovable",
    ];
    for q in &bank.questions {
        assert!(
            !sections.contains(&q.reading.as_str()),
            "{} names a section: {}",
            q.id,
            q.reading
        );
    }
    for c in &bank.categories {
        assert!(
            !sections.contains(&c.reading.as_str()),
            "{} names a section",
            c.id
        );
    }
    for q in bank.questions.iter().filter(|q| q.category == "behavioral") {
        assert_eq!(
            q.reading, "",
            "{} is about the candidate's own experience",
            q.id
        );
    }
    let rsp = bank.categories.iter().find(|c| c.id == "rsp").unwrap();
    assert!(
        rsp.blurb.to_lowercase().contains("current version"),
        "{}",
        rsp.blurb
    );
    for q in bank.questions.iter().filter(|q| q.category == "rsp") {
        let p = q.prompt.to_lowercase();
        let versioned = ["asl-2", "asl-3", "six-month", "six months"]
            .iter()
            .any(|f| p.contains(f));
        if versioned {
            assert!(
                p.contains("version"),
                "{} states a version-specific fact as current: {}",
                q.id,
                q.prompt
            );
        }
    }
}

#[test]
fn positions_roles_and_the_closing_question_are_in_place() {
    let (bank, _) = shipped();
    let positions: Vec<&str> = bank
        .categories
        .iter()
        .filter(|c| c.position)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(positions.len(), 9, "{positions:?}");
    assert!(bank.questions.iter().any(|q| q.id == CLOSING_QUESTION));
    // Every PM-worded question has a wording for each other role.
    let pm: Vec<&Question> = bank
        .questions
        .iter()
        .filter(|q| q.roles == ["pm"] && q.variant_of.is_none())
        .collect();
    assert!(pm.len() >= 8, "{} PM-worded questions", pm.len());
    for base in pm {
        for role in ["engineer", "researcher", "sales"] {
            assert!(
                bank.questions
                    .iter()
                    .any(|v| v.variant_of.as_deref() == Some(base.id.as_str())
                        && v.roles.iter().any(|r| r == role)),
                "{} has no {role} wording",
                base.id
            );
        }
    }
}

#[test]
fn every_mock_round_holds_a_story_a_disagreement_and_the_closing_question() {
    let (bank, _) = shipped();
    for role in [
        None,
        Some("pm"),
        Some("engineer"),
        Some("researcher"),
        Some("sales"),
    ] {
        let questions = practice::for_role(bank.questions.clone(), role);
        for n in [2, 5, 8] {
            let round = practice::round_questions(&questions, &HashMap::new(), n);
            for must in ROUND_MUST_HAVE {
                assert!(
                    round.iter().any(|q| q.category == must),
                    "{role:?} {n}: no {must}"
                );
            }
            assert_eq!(round.last().map(|q| q.id.as_str()), Some(CLOSING_QUESTION));
        }
    }
}

#[test]
fn no_shipped_chain_opens_with_a_presuming_pushback_and_each_meets_a_counter_claim_early() {
    let (bank, _) = shipped();
    for q in &bank.questions {
        for seed in 0..20 {
            let chain = practice::pushback_chain(q, &bank.general_pushbacks, seed);
            assert!(
                !chain[0].presumes,
                "{} opens with a presuming push-back",
                q.id
            );
            assert!(
                chain.iter().take(3).any(|p| p.counter),
                "{}: no counter-claim early",
                q.id
            );
            let texts: HashSet<&str> = chain.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(texts.len(), chain.len(), "{} repeats a push-back", q.id);
        }
    }
}

#[test]
fn exemplars_are_full_length_varied_and_credited_only_for_what_is_in_them() {
    let (bank, rubric) = shipped();
    let named = |c: &rubric::Criterion| -> Vec<String> {
        let mut n = vec![c.name.to_lowercase(), c.short.to_lowercase()];
        n.extend(match c.key.as_str() {
            "gaps" => vec!["knowledge gaps".to_string()],
            "second_order" => vec!["second-order effects".into(), "second order".into()],
            "honesty" => vec![
                "honesty under push-back".into(),
                "intellectual honesty".into(),
            ],
            "feeling" => vec!["real feeling".into()],
            _ => vec![],
        });
        n
    };
    for e in &rubric.exemplars {
        let why = e.why.to_lowercase();
        for c in &rubric.criteria {
            let credited = e.evidence.iter().any(|ev| ev.criterion == c.key);
            for n in named(c) {
                assert!(
                    credited || !why.contains(&n),
                    "{} {}: why names '{n}' without evidence for it",
                    e.category,
                    e.kind
                );
            }
        }
        if e.evidence.iter().any(|ev| ev.criterion == "honesty") {
            assert!(
                ["update", "hold"].contains(&e.kind.as_str()),
                "{} {}: honesty is shown in replies",
                e.category,
                e.kind
            );
        }
    }
    for c in &bank.categories {
        for kind in ["strong", "weak"] {
            assert!(
                rubric
                    .exemplars
                    .iter()
                    .any(|e| e.category == c.id && e.kind == kind),
                "{}: no {kind} exemplar",
                c.id
            );
        }
    }
    for e in rubric.exemplars.iter().filter(|e| e.kind == "strong") {
        let n = words(&e.text);
        assert!(
            (230..=400).contains(&n),
            "{}: a strong answer of {n} words (about 2 minutes is 260–360)",
            e.category
        );
    }
    for kind in ["update", "hold", "collapse", "defensive"] {
        assert!(
            rubric.exemplars.iter().any(|e| e.kind == kind),
            "no {kind} reply"
        );
    }
    // Strong answers are not one template: few lean on "I don't know".
    let template = rubric
        .exemplars
        .iter()
        .filter(|e| e.kind == "strong" && e.text.to_lowercase().contains("i don't know"))
        .count();
    assert!(
        template <= 4,
        "{template} strong answers use \"I don't know\""
    );
}
