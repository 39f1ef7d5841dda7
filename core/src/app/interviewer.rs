//! The interviewer's use cases: which push-back follows an answer, chosen from the words of the
//! answer and of the replies so far by the rules in `assets/pushbacks.toml`, and why, kept with
//! the reply it gets.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::transcriber::TranscriptionState;
use super::Candor;
use crate::error::Result;
use crate::interviewer::{Asked, ChosenPushback, QUESTION_RULE};
use crate::store::{PushbackChoice, TakeRow};
use crate::transcribe::Said;

/// The longest a push-back waits for the words of the answer and replies it reacts to while
/// the transcriber is still making them (ready about 2 s after Stop on a two-core laptop).
const WAIT_FOR_WORDS: Duration = Duration::from_secs(10);

/// How often the wait looks again.
const LOOK_EVERY: Duration = Duration::from_millis(100);

/// The largest transcript file read for a push-back (a 10-minute answer's JSON is ~300 kB).
pub const MAX_TRANSCRIPT_FILE_BYTES: u64 = 20_000_000;

/// Between the end of the voice and the take recorded after it: the sound service's own delay,
/// so none of the voice reaches the take.
const AFTER_THE_VOICE: Duration = Duration::from_millis(200);

/// Answers whose push-backs are remembered (the choices of older ones are chosen again, the
/// same way, from what is stored).
const REMEMBERED_ANSWERS: usize = 64;

/// The push-backs offered after each answer, in order (skipped ones too), by answer id.
pub(crate) type Offered = HashMap<String, Vec<ChosenPushback>>;

impl Candor {
    /// The push-back at `index` (0 the first) after the answer `answer_id`: chosen from the words
    /// of the answer and the replies so far (waiting up to 10 s for them while the transcriber
    /// makes them), or the question's own when there are no words or nothing stands out. The
    /// same index gives the same push-back; `None` once everything has been asked.
    pub fn pushback(
        &self,
        question_id: &str,
        answer_id: &str,
        index: u32,
    ) -> Result<Option<ChosenPushback>> {
        crate::limits::check_id("question", question_id)?;
        crate::limits::check_id("take", answer_id)?;
        let index = index as usize;
        let before: Vec<ChosenPushback> = {
            let offered = self.offered_pushbacks();
            let so_far = offered.get(answer_id).map_or(&[][..], Vec::as_slice);
            if let Some(c) = so_far.get(index) {
                return Ok(Some(c.clone()));
            }
            so_far.to_vec()
        };
        let (own, takes) = {
            let folder = self.folder()?;
            let bank = self.bank()?;
            let q = crate::library::find(bank, folder.store(), question_id)?;
            let own: Vec<String> = crate::practice::pushback_chain(
                &q,
                &bank.general_pushbacks,
                crate::practice::seed_of(answer_id),
            )
            .into_iter()
            .map(|p| p.text.clone())
            .collect();
            let mut takes = vec![folder.store().take(answer_id)?];
            takes.extend(folder.store().followups(answer_id)?);
            (own, takes)
        };
        self.wait_for_words(&takes);
        let words = {
            let folder = self.folder()?;
            let mut words = Vec::new();
            for t in &takes {
                words.push(folder.store().transcript(&t.id)?.map(|tr| tr.words));
            }
            words
        };
        // The answer's words and the replies' after it; a reply without words ends them (what
        // follows would be read out of order).
        let said: Vec<Said<'_>> = takes
            .iter()
            .zip(&words)
            .enumerate()
            .map_while(|(n, (t, w))| {
                w.as_ref().map(|w| Said {
                    take_id: &t.id,
                    reply: n as u32,
                    words: w,
                })
            })
            .collect();
        let mut asked: Vec<Asked> = before
            .iter()
            .map(|c| Asked {
                rule: c.rule.clone(),
                text: c.text.clone(),
            })
            .collect();
        for t in &takes[1..] {
            if let Some(text) = &t.pushback {
                if !asked.iter().any(|a| &a.text == text) {
                    asked.push(Asked {
                        rule: t
                            .pushback_choice
                            .as_ref()
                            .map_or_else(|| QUESTION_RULE.to_string(), |c| c.rule.clone()),
                        text: text.clone(),
                    });
                }
            }
        }
        let own: Vec<&str> = own.iter().map(String::as_str).collect();
        let choice = crate::interviewer::choose(
            self.pushback_rules()?,
            self.cues()?,
            &said,
            &asked,
            &own,
            crate::practice::seed_of(answer_id),
        );
        if let Some(c) = &choice {
            let mut offered = self.offered_pushbacks();
            if offered.len() >= REMEMBERED_ANSWERS && !offered.contains_key(answer_id) {
                offered.clear();
            }
            let list = offered.entry(answer_id.to_string()).or_default();
            list.truncate(index);
            list.push(c.clone());
        }
        Ok(choice)
    }

    /// The push-back the interviewer asks next after the answer `take_id` (or the answer a reply
    /// `take_id` belongs to), from the words stored: what the terminal prints.
    pub fn next_pushback(&self, take_id: &str) -> Result<Option<ChosenPushback>> {
        crate::limits::check_id("take", take_id)?;
        let (question_id, answer_id, replies) = {
            let folder = self.folder()?;
            let take = folder.store().take(take_id)?;
            let answer_id = take.parent_id.unwrap_or(take.id);
            let replies = folder.store().followups(&answer_id)?.len();
            (take.question_id, answer_id, replies)
        };
        self.pushback(&question_id, &answer_id, replies as u32)
    }

    /// The first push-back after an answer to `question_id` whose transcript is the JSON file
    /// `file` (as `candor-cli transcribe --json` prints it: its `words` are read).
    pub fn pushback_for_transcript_file(
        &self,
        question_id: &str,
        file: &std::path::Path,
    ) -> Result<Option<ChosenPushback>> {
        crate::limits::check_id("question", question_id)?;
        let own: Vec<String> = {
            let folder = self.folder()?;
            let bank = self.bank()?;
            let q = crate::library::find(bank, folder.store(), question_id)?;
            crate::practice::pushback_chain(&q, &bank.general_pushbacks, 0)
                .into_iter()
                .map(|p| p.text.clone())
                .collect()
        };
        let bytes = crate::input_file::read_limited(file, MAX_TRANSCRIPT_FILE_BYTES)?;
        let name = crate::input_file::display_name(file);
        #[derive(serde::Deserialize)]
        struct Printed {
            words: Vec<crate::transcribe::Word>,
        }
        let printed: Printed = serde_json::from_slice(&bytes).map_err(|e| {
            crate::error::CoreError::InvalidInput(format!(
                "{name} is not a transcript as `candor-cli transcribe --json` prints it (a JSON object with \"words\": [{{\"word\", \"start_s\", \"end_s\", \"p\"}}]): {e}"
            ))
        })?;
        let own: Vec<&str> = own.iter().map(String::as_str).collect();
        let said = [Said {
            take_id: "",
            reply: 0,
            words: &printed.words,
        }];
        let text: String = printed
            .words
            .iter()
            .map(|w| w.word.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(crate::interviewer::choose(
            self.pushback_rules()?,
            self.cues()?,
            &said,
            &[],
            &own,
            crate::practice::seed_of(&text),
        ))
    }

    /// Says `text` (a question or a push-back) in the interviewer's voice and speed from the
    /// settings, returning once it has been heard to its end, and a moment more so the voice's
    /// last sound is out of the take recorded next, or once `stop_speaking` cut it short.
    pub fn speak(&self, text: &str) -> Result<crate::voice::Spoken> {
        if text.len() > crate::app::recording::MAX_PUSHBACK_BYTES {
            return Err(crate::error::CoreError::InvalidInput(
                "That is too long to say.".into(),
            ));
        }
        let settings = self.folder()?.settings()?;
        let spoken = self.voice.say(&crate::voice::Utterance {
            text,
            voice: settings.voice_name.as_deref(),
            rate: settings.voice_rate,
        })?;
        if spoken == crate::voice::Spoken::Finished {
            std::thread::sleep(AFTER_THE_VOICE);
        }
        Ok(spoken)
    }

    /// Cuts the interviewer's voice short (Space pressed while it speaks).
    pub fn stop_speaking(&self) {
        self.voice.stop();
    }

    /// The voices the computer's speech service offers, by name.
    pub fn voices(&self) -> Result<Vec<String>> {
        self.voice.voices()
    }

    /// Keeps why the push-back a reply answers was asked, when it was one offered here.
    pub(crate) fn note_pushback_choice(&self, take_id: &str, parent_id: &str, pushback: &str) {
        let choice = self
            .offered_pushbacks()
            .get(parent_id)
            .and_then(|list| list.iter().find(|c| c.text == pushback).cloned());
        let Some(c) = choice else { return };
        let kept = self.folder().and_then(|f| {
            f.store().set_pushback_choice(
                take_id,
                &PushbackChoice {
                    rule: c.rule,
                    reason: c.reason,
                },
            )
        });
        if let Err(e) = kept {
            log::warn!("could not keep why push-back was asked: {e}");
        }
    }

    /// Waits, up to [`WAIT_FOR_WORDS`], until every take with audio among `takes` has a
    /// transcript or a recorded failure; at once when nothing is making them (no model, or no
    /// background transcriber, as in the terminal).
    fn wait_for_words(&self, takes: &[TakeRow]) {
        if !self.transcriber.serving() || !matches!(self.current_model(), Ok(Some(_))) {
            return;
        }
        let began = Instant::now();
        loop {
            let state = self.transcription_status().state;
            if matches!(
                state,
                TranscriptionState::NoModel | TranscriptionState::ModelProblem
            ) {
                return;
            }
            let waiting = self.folder().is_ok_and(|f| {
                let failed: Vec<String> = f
                    .store()
                    .transcript_failures()
                    .map(|v| v.into_iter().map(|x| x.take_id).collect())
                    .unwrap_or_default();
                takes.iter().any(|t| {
                    t.frames > 0
                        && !failed.contains(&t.id)
                        && f.store().transcript(&t.id).is_ok_and(|tr| tr.is_none())
                })
            });
            if !waiting || began.elapsed() >= WAIT_FOR_WORDS {
                return;
            }
            std::thread::sleep(LOOK_EVERY);
        }
    }

    fn offered_pushbacks(&self) -> std::sync::MutexGuard<'_, Offered> {
        self.offered_pushbacks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The shipped rules the interviewer chooses push-backs by.
    pub(crate) fn pushback_rules(&self) -> Result<&crate::interviewer::PushbackRules> {
        self.pushback_rules
            .as_ref()
            .map_err(crate::error::CoreError::from)
    }
}
