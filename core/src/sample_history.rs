//! A realistic practice history written straight into a data folder: daily takes over months
//! or years, guided reviews whose scores improve over time (feeling weakest), quick ratings,
//! blind re-grades, checks, red flags, markers and spaced-repetition cards. It feeds the
//! progress benchmark (`bench/gen-history.sh`) and seeds end-to-end tests; users never see it.

use crate::bank::{Question, CRITERIA};
use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};
use crate::rubric::Rubric;
use crate::schedule::{self, iso, ReviewGrade};
use crate::store::{CheckAnswer, RatingKind, Store, StoreTx};
use chrono::{DateTime, Duration, Utc};

/// What to generate.
#[derive(Debug, Clone)]
pub struct HistorySpec {
    /// Days of practice, the last one being the day of `end`.
    pub days: u32,
    /// Answers in all (spread over the days, at least one a day while they last).
    pub takes: u32,
    /// Seed of the pseudo-random choices (same seed, same history).
    pub seed: u64,
    /// The moment the history ends (normally now).
    pub end: DateTime<Utc>,
    /// Write a short real WAV for every take (so it can be replayed).
    pub with_audio: bool,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Generated {
    /// Answers.
    pub takes: u32,
    /// Ratings of every kind.
    pub ratings: u32,
    /// Criterion scores.
    pub scores: u32,
    /// Check answers.
    pub checks: u32,
    /// Markers.
    pub markers: u32,
}

const RATE: u32 = 16_000;

/// About 3 s of speech-like sound: syllable bursts of a voiced tone with pauses between words.
fn synthetic_wav() -> Result<Vec<u8>> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    let err = |e: hound::Error| CoreError::Database(format!("writing a sample WAV: {e}"));
    {
        let mut w =
            hound::WavWriter::new(&mut cursor, crate::audio::wav::take_spec(RATE)).map_err(err)?;
        let n = RATE * 3;
        for i in 0..n {
            let t = f64::from(i) / f64::from(RATE);
            // Silence for the first 0.4 s, then 0.25 s syllables with 0.1 s gaps, a longer pause at 1.8 s.
            let voiced = t > 0.4 && !(1.8..2.2).contains(&t) && (t * 1000.0) as u32 % 350 < 250;
            let v = if voiced {
                let env = (std::f64::consts::PI * ((t * 1000.0) % 350.0) / 250.0).sin();
                env * 0.4
                    * ((2.0 * std::f64::consts::PI * 160.0 * t).sin()
                        + 0.5 * (2.0 * std::f64::consts::PI * 320.0 * t).sin())
            } else {
                0.0
            };
            w.write_sample((v * 20_000.0) as i16).map_err(err)?;
        }
        w.finalize().map_err(err)?;
    }
    Ok(cursor.into_inner())
}

fn clamp_score(v: f64) -> u8 {
    v.round().clamp(1.0, 5.0) as u8
}

/// Writes the history into `dir`'s database (opened as `store`) in one transaction; the
/// questions come from `questions` and the checks, flags and tags from `rubric`.
pub fn generate(
    dir: &DataDir,
    store: &Store,
    questions: &[Question],
    rubric: &Rubric,
    spec: &HistorySpec,
) -> Result<Generated> {
    if questions.is_empty() || spec.days == 0 {
        return Err(CoreError::InvalidInput(
            "a history needs at least one question and one day".into(),
        ));
    }
    let wav = if spec.with_audio {
        dir.ensure()?;
        Some(synthetic_wav()?)
    } else {
        None
    };
    let frames = i64::from(RATE * 3);
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    // Midnight (UTC) of the first day; the last day is today, never past `end`.
    let first = spec.end - Duration::days(i64::from(spec.days) - 1);
    let start_day = first
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or(first, |t| t.and_utc());
    // Offsets by criterion: feeling is the weakest, gaps the strongest.
    let offset = |k: &str| match k {
        "feeling" => -0.7,
        "gaps" => 0.4,
        "honesty" => 0.2,
        "second_order" => -0.2,
        _ => 0.0,
    };
    store.write(|tx| {
        let mut w = Writer {
            tx,
            rubric,
            out: Generated::default(),
        };
        let days = i64::from(spec.days);
        for i in 0..spec.takes {
            let id = new_id(&mut rng);
            // Spread evenly: take i falls on day i * days / takes, between 7:00 and 22:00.
            let day = i64::from(i) * days / i64::from(spec.takes.max(1));
            let at =
                (start_day + Duration::days(day) + Duration::minutes(7 * 60 + rng.i64(0..15 * 60)))
                    .min(spec.end - Duration::minutes(1));
            let q = &questions[rng.usize(..questions.len())];
            tx.seed_answer(
                &id,
                &q.id,
                &iso(at),
                &iso(at + Duration::seconds(3)),
                RATE,
                frames,
            )?;
            if let Some(bytes) = &wav {
                let path = dir.take_file(&id)?;
                std::fs::write(&path, bytes)
                    .map_err(|e| CoreError::io(format!("writing {}", path.display()), e))?;
            }
            w.out.takes += 1;
            let base = 2.0 + 1.8 * (day as f64 / days as f64);
            // The feeling check only on questions that ask how the candidate felt.
            let scores: Vec<(&'static str, u8)> = CRITERIA
                .iter()
                .filter(|k| **k != "feeling" || q.asks_feeling())
                .map(|k| (*k, clamp_score(base + offset(k) + (rng.f64() - 0.5) * 1.6)))
                .collect();
            // Some answers get a quick score; most a guided review within the hour; some a
            // re-grade.
            if rng.f64() < 0.2 {
                w.rate(
                    &mut rng,
                    &id,
                    RatingKind::Immediate,
                    at + Duration::minutes(1),
                    &scores,
                    0.6,
                    false,
                )?;
            }
            if rng.f64() >= 0.85 {
                continue;
            }
            let when = at + Duration::hours(1);
            w.rate(
                &mut rng,
                &id,
                RatingKind::Reviewed,
                when,
                &scores,
                0.0,
                true,
            )?;
            tx.seed_done_review(&id, &iso(when))?;
            if rng.f64() < 0.15 {
                w.rate(
                    &mut rng,
                    &id,
                    RatingKind::Regrade,
                    at + Duration::days(7),
                    &scores,
                    -0.2,
                    false,
                )?;
            }
            if when <= spec.end {
                let mean =
                    scores.iter().map(|(_, s)| f64::from(*s)).sum::<f64>() / scores.len() as f64;
                schedule::record_review_in(tx, &q.id, ReviewGrade::from_mean_score(mean), when)?;
            }
            for m in 0..rng.usize(0..3) {
                let tag = &rubric.criteria[rng.usize(..rubric.criteria.len())].key;
                let note = if m == 0 {
                    "Reached for a framework here."
                } else {
                    ""
                };
                tx.seed_marker(
                    &format!("{id}m{m}"),
                    &id,
                    0.5 + m as f64,
                    tag,
                    note,
                    &iso(when),
                )?;
                w.out.markers += 1;
            }
        }
        Ok(w.out)
    })
}

fn new_id(rng: &mut fastrand::Rng) -> String {
    format!("{:016x}{:016x}", rng.u64(..), rng.u64(..))
}

/// Where ratings and their parts are written, and the running counts.
struct Writer<'a, 'tx> {
    tx: &'a StoreTx<'tx>,
    rubric: &'a Rubric,
    out: Generated,
}

impl Writer<'_, '_> {
    /// One saved rating of `kind`: the take's scores moved by `shift` and some noise; a guided
    /// review also answers every check and sometimes ticks a red flag.
    #[allow(clippy::too_many_arguments)]
    fn rate(
        &mut self,
        rng: &mut fastrand::Rng,
        take_id: &str,
        kind: RatingKind,
        at: DateTime<Utc>,
        scores: &[(&'static str, u8)],
        shift: f64,
        with_checks: bool,
    ) -> Result<()> {
        let rid = new_id(rng);
        let commitment = if with_checks {
            "Say how I felt at the time, not how it looks now."
        } else {
            ""
        };
        self.tx
            .seed_saved_rating(&rid, take_id, kind, commitment, &iso(at))?;
        self.out.ratings += 1;
        for (k, s) in scores {
            let v = clamp_score(f64::from(*s) + shift + (rng.f64() - 0.5));
            let note = if with_checks && v <= 2 {
                "Too tidy here."
            } else {
                ""
            };
            self.tx.seed_score(&rid, k, v, note)?;
            self.out.scores += 1;
            if !with_checks {
                continue;
            }
            let n_checks = self
                .rubric
                .criteria
                .iter()
                .find(|c| c.key == *k)
                .map_or(0, |c| c.checks.len());
            for c in 0..n_checks {
                let r = rng.f64() * 5.0;
                let answer = if r < f64::from(v) - 0.5 {
                    CheckAnswer::Yes
                } else if r < f64::from(v) + 0.5 {
                    CheckAnswer::Partly
                } else {
                    CheckAnswer::No
                };
                self.tx.seed_check(&rid, k, c as i64, answer)?;
                self.out.checks += 1;
            }
        }
        if with_checks && !self.rubric.red_flags.is_empty() && rng.f64() < 0.3 {
            let f = &self.rubric.red_flags[rng.usize(..self.rubric.red_flags.len())];
            self.tx.seed_flag(&rid, &f.key)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_replayable_history_that_the_progress_queries_read() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        data.ensure().unwrap();
        let store = Store::open(&data.database()).unwrap();
        let bank = crate::bank::builtin().unwrap();
        let rubric = crate::rubric::builtin().unwrap();
        let spec = HistorySpec {
            days: 56,
            takes: 56,
            seed: 7,
            end: Utc::now(),
            with_audio: true,
        };
        let g = generate(&data, &store, &bank.questions, &rubric, &spec).unwrap();
        assert_eq!(g.takes, 56);
        // Four criteria on every rating, the feeling check only where the question asks it.
        assert!(g.scores >= g.ratings * 4 && g.scores < g.ratings * 5 && g.checks > 0);
        let weeks = crate::progress::criteria_by_week(&store, crate::progress::Period::ThreeMonths)
            .unwrap();
        assert!((8..=9).contains(&weeks.len()), "{}", weeks.len());
        let first = store.list_takes().unwrap().pop().unwrap();
        let m = crate::analysis::analyze_file(
            &data.take_file(&first.id).unwrap(),
            &crate::analysis::AnalysisParams::default(),
            &mut |_| {},
        )
        .unwrap();
        assert!(m.speaking_s > 1.0, "{m:?}");
    }
}
