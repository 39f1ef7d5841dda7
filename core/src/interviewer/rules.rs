//! Reading `assets/pushbacks.toml`: the interviewer's rules, checked with line and column.

use serde::Deserialize;
use toml::Spanned;

use crate::bank::{LineIndex, Problems};
use crate::error::Result;

/// The rules shipped with Candor, validated at start-up.
pub const BUILTIN_RULES: &str = include_str!("../../../assets/pushbacks.toml");

/// Largest rules file read.
pub const MAX_FILE_BYTES: usize = 100_000;

/// What the words of an answer must show for a rule to apply.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// No uncertainty voiced anywhere yet.
    NoUncertainty,
    /// No consequence language anywhere yet.
    NoConsequences,
    /// A phrase that may read as one of these red flags (the rubric's keys).
    Flags(Vec<String>),
    /// A sentence with a `confident` phrase and no voiced doubt; its words fill `{quote}`.
    ConfidentClaim,
}

/// One rule: when it applies, what is asked, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Its name, kept with the take ("no_uncertainty").
    pub key: String,
    /// What the words must show.
    pub when: When,
    /// The wordings of the push-back; one is used per answer.
    pub ask: Vec<String>,
    /// Why, in words, to follow "Asked because".
    pub reason: String,
}

/// The interviewer's rules, in the order they are tried.
#[derive(Debug, Clone, PartialEq)]
pub struct PushbackRules {
    /// The rules, first tried first.
    pub rules: Vec<Rule>,
    /// Phrases that mark a confident claim, as normalized words.
    pub confident: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    version: Spanned<u32>,
    confident: Spanned<Vec<String>>,
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    key: Spanned<String>,
    when: Spanned<String>,
    #[serde(default)]
    flags: Option<Spanned<Vec<String>>>,
    ask: Spanned<Vec<String>>,
    reason: Spanned<String>,
}

/// Whether a TOML text is a rules file (it has `[[rule]]` tables).
pub fn is_pushback_rules(src: &str) -> bool {
    src.lines().any(|l| l.trim() == "[[rule]]")
}

/// Parses and validates the interviewer's rules; every problem is given with its line and column.
pub fn parse(src: &str, name: &str) -> Result<PushbackRules> {
    if src.len() > MAX_FILE_BYTES {
        return Err(crate::bank::whole_file(
            name,
            crate::bank::too_big_message(Some(src.len() as u64), "push-back rules", MAX_FILE_BYTES),
        ));
    }
    let index = LineIndex::new(src);
    let raw: RawRules =
        toml::from_str(src).map_err(|e| crate::bank::toml_error(&e, &index, name))?;
    let mut found = Problems::new(name);
    if *raw.version.get_ref() != 1 {
        found.at(
            raw.version.span().start,
            format!(
                "version {} is not supported (expected 1)",
                raw.version.get_ref()
            ),
        );
    }
    let confident = crate::transcribe::cues::phrases(&raw.confident, "confident", &mut found);
    let red_flags: Vec<String> = crate::rubric::builtin()?
        .red_flags
        .into_iter()
        .map(|f| f.key)
        .collect();
    let mut rules: Vec<Rule> = Vec::new();
    for r in &raw.rule {
        let key = r.key.get_ref();
        let plain = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !plain || key == super::QUESTION_RULE {
            found.at(
                r.key.span().start,
                format!(
                    "key '{key}' must be lower-case letters, digits and '_', and not '{}'",
                    super::QUESTION_RULE
                ),
            );
        } else if rules.iter().any(|k| &k.key == key) {
            found.at(r.key.span().start, format!("key '{key}' is used twice"));
        }
        let when = match r.when.get_ref().as_str() {
            "no_uncertainty" => When::NoUncertainty,
            "no_consequences" => When::NoConsequences,
            "confident_claim" => When::ConfidentClaim,
            "flags" => When::Flags(Vec::new()),
            other => {
                found.at(
                    r.when.span().start,
                    format!(
                        "when '{other}' is not one of no_uncertainty, no_consequences, flags, \
                         confident_claim"
                    ),
                );
                When::NoUncertainty
            }
        };
        let when = match (when, &r.flags) {
            (When::Flags(_), Some(flags)) => {
                for f in flags.get_ref() {
                    if !red_flags.contains(f) {
                        found.at(
                            flags.span().start,
                            format!(
                                "flag '{f}' is not one of the rubric's red flags ({})",
                                red_flags.join(", ")
                            ),
                        );
                    }
                }
                if flags.get_ref().is_empty() {
                    found.at(flags.span().start, "flags must name at least one".into());
                }
                When::Flags(flags.get_ref().clone())
            }
            (When::Flags(_), None) => {
                found.at(
                    r.when.span().start,
                    "when = \"flags\" needs flags = [...] naming the red flags".into(),
                );
                When::Flags(Vec::new())
            }
            (other, Some(flags)) => {
                found.at(
                    flags.span().start,
                    "flags belongs only to a rule with when = \"flags\"".into(),
                );
                other
            }
            (other, None) => other,
        };
        let quoting = when == When::ConfidentClaim;
        let ask = r.ask.get_ref();
        if ask.is_empty() || ask.iter().any(|a| a.trim().is_empty()) {
            found.at(
                r.ask.span().start,
                "ask must hold at least one push-back, none empty".into(),
            );
        }
        for text in ask.iter().chain(std::iter::once(r.reason.get_ref())) {
            if !quoting && text.contains("{quote}") {
                found.at(
                    r.ask.span().start,
                    "{quote} is only filled in for when = \"confident_claim\"".into(),
                );
                break;
            }
        }
        if quoting && !ask.iter().all(|a| a.contains("{quote}")) {
            found.at(
                r.ask.span().start,
                "a counter-claim quotes the user: every ask needs {quote}".into(),
            );
        }
        if r.reason.get_ref().trim().is_empty() {
            found.at(r.reason.span().start, "reason must not be empty".into());
        }
        rules.push(Rule {
            key: key.clone(),
            when,
            ask: ask.clone(),
            reason: r.reason.get_ref().clone(),
        });
    }
    found.finish(&index)?;
    Ok(PushbackRules { rules, confident })
}

/// The rules shipped with Candor.
pub fn builtin() -> Result<PushbackRules> {
    parse(BUILTIN_RULES, "assets/pushbacks.toml")
}
