//! The user's recording settings, kept in the database.

use crate::audio::CaptureOptions;
use crate::error::{CoreError, Result};
use crate::store::Store;

/// Rates a take can be recorded at; 16 kHz is plenty for speech (about 1.9 MB a minute).
pub const SAMPLE_RATES: [u32; 3] = [16_000, 24_000, 48_000];

/// Recording and practice settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct Settings {
    /// Stable id of the chosen input; `None` follows the system default.
    pub device_id: Option<String>,
    /// Rate of new takes.
    pub sample_rate: u32,
    /// Seconds to think before recording starts; 0 turns the countdown off (the default).
    pub think_time_s: u32,
    /// Soft target length of an answer: the clock changes colour from here...
    pub target_min_s: u32,
    /// ...to here; never a hard stop.
    pub target_max_s: u32,
    /// Length of a mock round, in minutes.
    pub round_minutes: u32,
    /// Questions in a mock round.
    pub round_questions: u32,
    /// The user's role (`bank::ROLES`): questions worded for it are preferred; `None`: any.
    pub role: Option<String>,
    /// Seconds of silence after speaking that end a take by itself; 0 turns it off (the
    /// default; 4 s is offered when it is turned on).
    pub auto_stop_s: u32,
    /// The interviewer speaks the questions and push-backs aloud.
    pub voice_on: bool,
    /// The system voice it speaks with; `None`: the system's default.
    pub voice_name: Option<String>,
    /// How fast it speaks, from -100 (slowest) to 100 (fastest); 0 is the voice's own pace.
    pub voice_rate: i32,
    /// Listen only: the question's text stays hidden until asked for, as on a call.
    pub listen_only: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            device_id: None,
            sample_rate: SAMPLE_RATES[0],
            think_time_s: 0,
            target_min_s: 120,
            target_max_s: 180,
            round_minutes: 45,
            round_questions: 5,
            role: None,
            auto_stop_s: 0,
            voice_on: false,
            voice_name: None,
            voice_rate: 0,
            listen_only: false,
        }
    }
}

const DEVICE_KEY: &str = "input_device";
const RATE_KEY: &str = "sample_rate";
const THINK_KEY: &str = "think_time_s";
const TARGET_MIN_KEY: &str = "target_min_s";
const TARGET_MAX_KEY: &str = "target_max_s";
const ROUND_MINUTES_KEY: &str = "round_minutes";
const ROUND_QUESTIONS_KEY: &str = "round_questions";
const ROLE_KEY: &str = "role";
const AUTO_STOP_KEY: &str = "auto_stop_s";
const VOICE_ON_KEY: &str = "voice_on";
const VOICE_NAME_KEY: &str = "voice_name";
const VOICE_RATE_KEY: &str = "voice_rate";
const LISTEN_ONLY_KEY: &str = "listen_only";

fn number(store: &Store, key: &str, default: u32) -> Result<u32> {
    Ok(store
        .setting(key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(default))
}

impl Settings {
    /// Reads the settings, falling back to defaults for anything missing or unreadable.
    pub fn load(store: &Store) -> Result<Settings> {
        let d = Settings::default();
        let sample_rate = store
            .setting(RATE_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|r| SAMPLE_RATES.contains(r))
            .unwrap_or(d.sample_rate);
        let loaded = Settings {
            device_id: store.setting(DEVICE_KEY)?.filter(|v| !v.is_empty()),
            sample_rate,
            think_time_s: number(store, THINK_KEY, d.think_time_s)?,
            target_min_s: number(store, TARGET_MIN_KEY, d.target_min_s)?,
            target_max_s: number(store, TARGET_MAX_KEY, d.target_max_s)?,
            round_minutes: number(store, ROUND_MINUTES_KEY, d.round_minutes)?,
            round_questions: number(store, ROUND_QUESTIONS_KEY, d.round_questions)?,
            role: store
                .setting(ROLE_KEY)?
                .filter(|r| crate::bank::ROLES.contains(&r.as_str())),
            auto_stop_s: number(store, AUTO_STOP_KEY, d.auto_stop_s)?,
            voice_on: store.setting(VOICE_ON_KEY)?.as_deref() == Some("1"),
            voice_name: store.setting(VOICE_NAME_KEY)?.filter(|v| !v.is_empty()),
            voice_rate: store
                .setting(VOICE_RATE_KEY)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(d.voice_rate),
            listen_only: store.setting(LISTEN_ONLY_KEY)?.as_deref() == Some("1"),
        };
        // A hand-edited or damaged value never breaks practice: fall back to the defaults.
        Ok(if loaded.validate().is_ok() {
            loaded
        } else {
            Settings {
                device_id: loaded.device_id,
                sample_rate: loaded.sample_rate,
                role: loaded.role,
                voice_on: loaded.voice_on,
                listen_only: loaded.listen_only,
                ..d
            }
        })
    }

    /// Checks and stores the settings.
    pub fn save(&self, store: &Store) -> Result<()> {
        self.validate()?;
        store.set_setting(DEVICE_KEY, self.device_id.as_deref().unwrap_or(""))?;
        store.set_setting(RATE_KEY, &self.sample_rate.to_string())?;
        store.set_setting(THINK_KEY, &self.think_time_s.to_string())?;
        store.set_setting(TARGET_MIN_KEY, &self.target_min_s.to_string())?;
        store.set_setting(TARGET_MAX_KEY, &self.target_max_s.to_string())?;
        store.set_setting(ROUND_MINUTES_KEY, &self.round_minutes.to_string())?;
        store.set_setting(ROUND_QUESTIONS_KEY, &self.round_questions.to_string())?;
        store.set_setting(ROLE_KEY, self.role.as_deref().unwrap_or(""))?;
        store.set_setting(AUTO_STOP_KEY, &self.auto_stop_s.to_string())?;
        let flag = |on: bool| if on { "1" } else { "0" };
        store.set_setting(VOICE_ON_KEY, flag(self.voice_on))?;
        store.set_setting(VOICE_NAME_KEY, self.voice_name.as_deref().unwrap_or(""))?;
        store.set_setting(VOICE_RATE_KEY, &self.voice_rate.to_string())?;
        store.set_setting(LISTEN_ONLY_KEY, flag(self.listen_only))
    }

    /// Refuses rates Candor does not offer and absurd device ids.
    pub fn validate(&self) -> Result<()> {
        if !SAMPLE_RATES.contains(&self.sample_rate) {
            return Err(CoreError::InvalidInput(format!(
                "{} Hz is not offered; choose 16, 24 or 48 kHz",
                self.sample_rate
            )));
        }
        if let Some(role) = self
            .role
            .as_deref()
            .filter(|r| !crate::bank::ROLES.contains(r))
        {
            return Err(CoreError::InvalidInput(format!(
                "'{}' is not a role Candor knows; choose one of {}",
                crate::text::printable_clipped(role, 40),
                crate::bank::ROLES.join(", ")
            )));
        }
        if self.device_id.as_ref().is_some_and(|d| d.len() > 512) {
            return Err(CoreError::InvalidInput("that device id is too long".into()));
        }
        if self.think_time_s > 300 {
            return Err(CoreError::InvalidInput(
                "think time is at most 300 seconds (0 turns it off)".into(),
            ));
        }
        if self.target_min_s < 10
            || self.target_max_s > 1800
            || self.target_min_s > self.target_max_s
        {
            return Err(CoreError::InvalidInput(
                "the target length must run from at least 10 s to at most 30 min, shortest first"
                    .into(),
            ));
        }
        if !(1..=180).contains(&self.round_minutes) {
            return Err(CoreError::InvalidInput(
                "a mock round lasts 1 to 180 minutes".into(),
            ));
        }
        if !(1..=20).contains(&self.round_questions) {
            return Err(CoreError::InvalidInput(
                "a mock round has 1 to 20 questions".into(),
            ));
        }
        if self.auto_stop_s != 0 && !(2..=60).contains(&self.auto_stop_s) {
            return Err(CoreError::InvalidInput(
                "a take stops by itself after 2 to 60 seconds of silence (0 turns it off)".into(),
            ));
        }
        if !(-100..=100).contains(&self.voice_rate) {
            return Err(CoreError::InvalidInput(
                "the voice's speed runs from -100 to 100".into(),
            ));
        }
        if self.voice_name.as_ref().is_some_and(|v| v.len() > 200) {
            return Err(CoreError::InvalidInput(
                "that voice name is too long".into(),
            ));
        }
        Ok(())
    }

    /// Capture options for a take or a mic check under these settings.
    pub fn capture_options(&self) -> CaptureOptions {
        CaptureOptions {
            device_id: self.device_id.clone(),
            sample_rate: self.sample_rate,
            max_seconds: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_round_trip() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(Settings::load(&store).unwrap(), Settings::default());
        let s = Settings {
            device_id: Some("alsa:pulse".into()),
            sample_rate: 48_000,
            think_time_s: 15,
            target_min_s: 60,
            target_max_s: 90,
            round_minutes: 2,
            round_questions: 2,
            role: Some("engineer".into()),
            auto_stop_s: 4,
            voice_on: true,
            voice_name: Some("English (America)".into()),
            voice_rate: -20,
            listen_only: true,
        };
        s.save(&store).unwrap();
        assert_eq!(Settings::load(&store).unwrap(), s);
        Settings::default().save(&store).unwrap();
        assert_eq!(Settings::load(&store).unwrap().device_id, None);
        assert_eq!(Settings::load(&store).unwrap().role, None);
        let unknown = Settings {
            role: Some("astronaut".into()),
            ..Settings::default()
        };
        assert!(unknown.save(&store).is_err());
        for bad in [
            Settings {
                auto_stop_s: 1,
                ..Settings::default()
            },
            Settings {
                voice_rate: 101,
                ..Settings::default()
            },
        ] {
            assert!(bad.save(&store).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn refuses_rates_not_offered() {
        let store = Store::open_in_memory().unwrap();
        let bad = Settings {
            sample_rate: 44_100,
            ..Settings::default()
        };
        assert_eq!(bad.save(&store).unwrap_err().code(), "InvalidInput");
        let bad = Settings {
            target_min_s: 200,
            target_max_s: 100,
            ..Settings::default()
        };
        assert_eq!(bad.save(&store).unwrap_err().code(), "InvalidInput");
        let bad = Settings {
            round_questions: 0,
            ..Settings::default()
        };
        assert_eq!(bad.save(&store).unwrap_err().code(), "InvalidInput");
        store.set_setting(RATE_KEY, "7").unwrap();
        assert_eq!(Settings::load(&store).unwrap().sample_rate, 16_000);
    }
}
