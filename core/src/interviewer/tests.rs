use super::*;
use crate::transcribe::cues;
use crate::transcribe::timed_words;

const OWN: [&str; 2] = ["Why that order?", "Who pays for it?"];

/// Each answer for the test: what it shows, and the rule that must fire on it (alone among the
/// rules that come after the ones it also triggers, see `each_rule_fires_on_its_case`).
const HEDGED: &str = "I'm not sure, so I would check the data first.";
const CONSEQUENCE: &str = "That means the review queue doubles within a month.";

fn said(text: &str) -> Vec<Word> {
    timed_words(text, 0.5, 0.4)
}

fn pick(answer: &str, replies: &[&str], asked: &[Asked]) -> Option<ChosenPushback> {
    let rules = builtin().unwrap();
    let cues = cues::builtin().unwrap();
    let words: Vec<Vec<Word>> = std::iter::once(answer)
        .chain(replies.iter().copied())
        .map(said)
        .collect();
    let said: Vec<Said<'_>> = words
        .iter()
        .enumerate()
        .map(|(i, w)| Said {
            take_id: "t",
            reply: i as u32,
            words: w,
        })
        .collect();
    choose(&rules, &cues, &said, asked, &OWN, 0)
}

fn rule_of(answer: &str) -> String {
    pick(answer, &[], &[]).unwrap().rule
}

#[test]
fn the_shipped_rules_are_valid_and_in_the_stated_order() {
    let keys: Vec<String> = builtin()
        .unwrap()
        .rules
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(
        keys,
        [
            "no_uncertainty",
            "no_consequences",
            "agreement",
            "vindicated",
            "counter_claim"
        ]
    );
}

#[test]
fn each_rule_fires_on_its_case_and_on_no_other() {
    // Each case voices uncertainty and follows a consequence, so the earlier rules stay quiet,
    // and shows exactly one thing more.
    let base = format!("{HEDGED} {CONSEQUENCE}");
    assert_eq!(
        rule_of("We shipped it. That means the queue grows."),
        "no_uncertainty"
    );
    assert_eq!(rule_of(HEDGED), "no_consequences");
    assert_eq!(
        rule_of(&format!("{base} I'm passionate about the mission.")),
        "agreement"
    );
    assert_eq!(
        rule_of(&format!("{base} Great question, I completely agree.")),
        "agreement"
    );
    assert_eq!(
        rule_of(&format!("{base} In the end everyone was happy.")),
        "vindicated"
    );
    assert_eq!(
        rule_of(&format!("{base} Once they saw it, everyone came round.")),
        "vindicated"
    );
    assert_eq!(
        rule_of(&format!("{base} The cadence clearly breaks first.")),
        "counter_claim"
    );
    // Nothing stands out: the question's own.
    let plain = pick(&base, &[], &[]).unwrap();
    assert_eq!(plain.rule, QUESTION_RULE);
    assert_eq!(plain.text, OWN[0]);
    assert!(
        plain.reason.contains("nothing the rules look for"),
        "{}",
        plain.reason
    );
}

#[test]
fn a_confident_claim_is_answered_with_the_users_own_words() {
    let c = pick(
        &format!("{HEDGED} {CONSEQUENCE} Um, the evaluation cadence definitely breaks first."),
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(c.rule, "counter_claim");
    assert_eq!(
        c.text,
        "You said \"The evaluation cadence definitely breaks first\". I think that's wrong. \
         Convince me."
    );
    assert_eq!(
        c.reason,
        "the answer made a confident claim: \"The evaluation cadence definitely breaks first\""
    );
    // A sentence that also voices doubt is not a confident claim.
    let doubtful = format!("{CONSEQUENCE} I'm not sure, but it clearly breaks first.");
    assert_eq!(pick(&doubtful, &[], &[]).unwrap().rule, QUESTION_RULE);
    // A long claim is quoted around its confident phrase, marked as cut.
    let long = format!(
        "{HEDGED} {CONSEQUENCE} One two three four five six seven eight nine ten eleven twelve \
         the answer is the thresholds one two three four five six seven eight nine ten eleven \
         twelve thirteen fourteen fifteen sixteen."
    );
    let c = pick(&long, &[], &[]).unwrap();
    assert!(
        c.text.starts_with("You said \"… five six seven eight"),
        "{}",
        c.text
    );
    assert!(
        c.text.contains("the answer is the thresholds"),
        "{}",
        c.text
    );
    assert!(c.text.contains(" …\". I think"), "{}", c.text);
}

#[test]
fn ties_go_to_the_earlier_rule_and_the_next_push_back_looks_at_the_replies() {
    // Everything at once: no doubt, no consequence, agreement, a vindicating end, a claim.
    let answer = "I completely agree. The answer is the thresholds. In the end everyone was happy.";
    let first = pick(answer, &[], &[]).unwrap();
    assert_eq!(first.rule, "no_uncertainty");
    assert_eq!(first.reason, "the answer voiced no uncertainty");
    let asked = vec![Asked {
        rule: first.rule.clone(),
        text: first.text.clone(),
    }];
    // The reply voiced doubt and followed a consequence: the next looks further down the list.
    let second = pick(answer, &[&format!("{HEDGED} {CONSEQUENCE}")], &asked).unwrap();
    assert_eq!(second.rule, "agreement");
    // A reply that voiced nothing new: the rule already asked is not asked again.
    let again = pick(answer, &["Well."], &asked).unwrap();
    assert_eq!(again.rule, "no_consequences");
}

#[test]
fn without_a_transcript_the_questions_own_are_asked_in_order_each_once() {
    let rules = builtin().unwrap();
    let cues = cues::builtin().unwrap();
    let none: Vec<Said<'_>> = Vec::new();
    let c = choose(&rules, &cues, &none, &[], &OWN, 3).unwrap();
    assert_eq!((c.rule.as_str(), c.text.as_str()), (QUESTION_RULE, OWN[0]));
    assert!(c.reason.contains("no transcript"), "{}", c.reason);
    let asked = vec![Asked {
        rule: QUESTION_RULE.into(),
        text: OWN[0].into(),
    }];
    assert_eq!(
        choose(&rules, &cues, &none, &asked, &OWN, 3).unwrap().text,
        OWN[1]
    );
    let all: Vec<Asked> = OWN
        .iter()
        .map(|t| Asked {
            rule: QUESTION_RULE.into(),
            text: (*t).into(),
        })
        .collect();
    assert_eq!(choose(&rules, &cues, &none, &all, &OWN, 3), None);
}

#[test]
fn the_seed_picks_the_wording_and_an_answer_keeps_its_own() {
    let rules = builtin().unwrap();
    let cues = cues::builtin().unwrap();
    let words = said("We shipped it. That means the queue grows.");
    let s = [Said {
        take_id: "t",
        reply: 0,
        words: &words,
    }];
    let texts: Vec<String> = (0..2)
        .map(|seed| choose(&rules, &cues, &s, &[], &OWN, seed).unwrap().text)
        .collect();
    assert_ne!(texts[0], texts[1], "two wordings, chosen by the seed");
    assert_eq!(
        choose(&rules, &cues, &s, &[], &OWN, 2).unwrap().text,
        texts[0]
    );
}

#[test]
fn rules_file_problems_are_given_with_line_and_column() {
    let bad = r#"version = 1
confident = ["clearly"]

[[rule]]
key = "question"
when = "no_uncertainty"
reason = "r"
ask = ["a"]

[[rule]]
key = "b"
when = "sometimes"
reason = "r"
ask = ["a"]

[[rule]]
key = "c"
when = "flags"
flags = ["not_a_flag"]
reason = "r"
ask = ["a"]

[[rule]]
key = "d"
when = "confident_claim"
reason = "r"
ask = ["no quote here"]

[[rule]]
key = "e"
when = "no_consequences"
reason = "r"
ask = ["You said {quote}"]
"#;
    let e = parse(bad, "p.toml").unwrap_err().to_string();
    for expected in [
        "p.toml:5:7: key 'question'",
        "p.toml:12:8: when 'sometimes' is not one of",
        "p.toml:19:9: flag 'not_a_flag' is not one of the rubric's red flags",
        "p.toml:27:7: a counter-claim quotes the user",
        "p.toml:33:7: {quote} is only filled in",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
    let syntax = parse("version = 1\nconfident = [\n", "p.toml")
        .unwrap_err()
        .to_string();
    assert!(syntax.contains("p.toml:"), "{syntax}");
}
