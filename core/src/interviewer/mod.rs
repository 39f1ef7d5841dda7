//! The interviewer's push-back, chosen from what the answer's words show: it presses on what the
//! answer left out (no uncertainty voiced, no consequence followed, agreement with everything, a
//! story that proves its teller right, a confident claim), by the rules in
//! `assets/pushbacks.toml`; otherwise, or without a transcript, the question's own push-backs.

mod rules;

pub use rules::{builtin, is_pushback_rules, parse, PushbackRules, Rule, When, BUILTIN_RULES};

use serde::{Deserialize, Serialize};

use crate::transcribe::cues::{find, Cues};
use crate::transcribe::evidence::{sentences, EvidenceHints, Said};
use crate::transcribe::{normalized, Word};

/// The rule key of a push-back taken from the question's own list.
pub const QUESTION_RULE: &str = "question";

/// The longest quote, in words, a counter-claim repeats back.
const QUOTE_WORDS: usize = 24;

/// A push-back asked after an answer so far (its rule and its words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Asked {
    /// The rule that chose it (`question` for the question's own list).
    pub rule: String,
    /// What was asked.
    pub text: String,
}

/// The push-back chosen, the rule that chose it and why, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct ChosenPushback {
    /// What the interviewer asks.
    pub text: String,
    /// The rule's key (`question` when the question's own list gave it).
    pub rule: String,
    /// Why, to follow "Asked because": "the answer voiced no uncertainty".
    pub reason: String,
}

/// Why a push-back came from the question's own list.
fn from_the_question(transcribed: bool) -> String {
    if transcribed {
        "nothing the rules look for stood out, so it is one of the question's own".into()
    } else {
        "there was no transcript to react to, so it is one of the question's own".into()
    }
}

/// A confident claim: the first sentence holding one of the `confident` phrases and no voiced
/// uncertainty, in the answer first, then the replies; as quoted back (fillers left out, at most
/// 24 words around the phrase, the closing stop dropped).
fn confident_claim(rules: &PushbackRules, cues: &Cues, said: &[Said<'_>]) -> Option<String> {
    for s in said {
        for r in sentences(s.words) {
            let here = &s.words[r];
            if !cues.hedges_in(here).is_empty() {
                continue;
            }
            let Some((hit, _)) = find(rules.confident.iter(), here).into_iter().next() else {
                continue;
            };
            let kept: Vec<(usize, &Word)> = here
                .iter()
                .enumerate()
                .filter(|(_, w)| !cues.fillers.contains(&normalized(&w.word)))
                .collect();
            let at = kept
                .iter()
                .position(|(i, _)| *i >= hit.word as usize)
                .unwrap_or(0);
            let from = at.saturating_sub(QUOTE_WORDS / 3);
            let to = (from + QUOTE_WORDS).min(kept.len());
            let from = to.saturating_sub(QUOTE_WORDS);
            let mut quote = kept[from..to]
                .iter()
                .map(|(_, w)| w.word.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            quote = quote
                .trim_end_matches(['.', '!', '?', ',', ';'])
                .to_string();
            if from > 0 {
                quote.insert_str(0, "… ");
            }
            if to < kept.len() {
                quote.push_str(" …");
            }
            if let Some(first) = quote.chars().next().filter(|c| c.is_lowercase()) {
                // A sentence quoted from its start reads as one.
                if from == 0 {
                    quote.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
                }
            }
            return Some(quote);
        }
    }
    None
}

/// Chooses the push-back after an answer. `said` holds the words of the answer (reply 0) and of
/// the replies so far, empty when there is no transcript; `asked` what was asked after it
/// already; `own` the question's push-backs in the order they would be asked without words;
/// `seed` fixes which wording of a rule is used. Each rule is asked at most once per answer, and
/// a wording already asked is never asked again. `None` when everything has been asked.
pub fn choose(
    rules: &PushbackRules,
    cues: &Cues,
    said: &[Said<'_>],
    asked: &[Asked],
    own: &[&str],
    seed: u64,
) -> Option<ChosenPushback> {
    let transcribed = said.iter().any(|s| !s.words.is_empty());
    let was_asked = |text: &str| asked.iter().any(|a| a.text == text);
    if transcribed {
        let hints = EvidenceHints::of(said, cues, 0);
        for rule in &rules.rules {
            if asked.iter().any(|a| a.rule == rule.key) {
                continue;
            }
            let quote = match &rule.when {
                When::NoUncertainty if hints.uncertainty.is_empty() => None,
                When::NoConsequences if hints.consequences.is_empty() => None,
                When::Flags(flags)
                    if hints
                        .flags
                        .iter()
                        .any(|h| h.flag.as_ref().is_some_and(|f| flags.contains(f))) =>
                {
                    None
                }
                When::ConfidentClaim => match confident_claim(rules, cues, said) {
                    Some(q) => Some(q),
                    None => continue,
                },
                _ => continue,
            };
            let fill = |t: &str| match &quote {
                Some(q) => t.replace("{quote}", q),
                None => t.to_string(),
            };
            let n = rule.ask.len() as u64;
            let start = (seed % n.max(1)) as usize;
            let text = (0..rule.ask.len())
                .map(|k| fill(&rule.ask[(start + k) % rule.ask.len()]))
                .find(|t| !was_asked(t));
            if let Some(text) = text {
                return Some(ChosenPushback {
                    text,
                    rule: rule.key.clone(),
                    reason: fill(&rule.reason),
                });
            }
        }
    }
    own.iter().find(|t| !was_asked(t)).map(|t| ChosenPushback {
        text: (*t).to_string(),
        rule: QUESTION_RULE.to_string(),
        reason: from_the_question(transcribed),
    })
}

#[cfg(test)]
mod tests;
