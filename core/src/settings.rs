//! The user's recording settings, kept in the database.

use crate::audio::CaptureOptions;
use crate::error::{CoreError, Result};
use crate::store::Store;

/// Rates a take can be recorded at; 16 kHz is plenty for speech (about 1.9 MB a minute).
pub const SAMPLE_RATES: [u32; 3] = [16_000, 24_000, 48_000];

/// Recording settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    /// Stable id of the chosen input; `None` follows the system default.
    pub device_id: Option<String>,
    /// Rate of new takes.
    pub sample_rate: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            device_id: None,
            sample_rate: SAMPLE_RATES[0],
        }
    }
}

const DEVICE_KEY: &str = "input_device";
const RATE_KEY: &str = "sample_rate";

impl Settings {
    /// Reads the settings, falling back to defaults for anything missing or unreadable.
    pub fn load(store: &Store) -> Result<Settings> {
        let d = Settings::default();
        let sample_rate = store
            .setting(RATE_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|r| SAMPLE_RATES.contains(r))
            .unwrap_or(d.sample_rate);
        Ok(Settings {
            device_id: store.setting(DEVICE_KEY)?.filter(|v| !v.is_empty()),
            sample_rate,
        })
    }

    /// Checks and stores the settings.
    pub fn save(&self, store: &Store) -> Result<()> {
        self.validate()?;
        store.set_setting(DEVICE_KEY, self.device_id.as_deref().unwrap_or(""))?;
        store.set_setting(RATE_KEY, &self.sample_rate.to_string())
    }

    /// Refuses rates Candor does not offer and absurd device ids.
    pub fn validate(&self) -> Result<()> {
        if !SAMPLE_RATES.contains(&self.sample_rate) {
            return Err(CoreError::InvalidInput(format!(
                "{} Hz is not offered; choose 16, 24 or 48 kHz",
                self.sample_rate
            )));
        }
        if self.device_id.as_ref().is_some_and(|d| d.len() > 512) {
            return Err(CoreError::InvalidInput("that device id is too long".into()));
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
        };
        s.save(&store).unwrap();
        assert_eq!(Settings::load(&store).unwrap(), s);
        Settings::default().save(&store).unwrap();
        assert_eq!(Settings::load(&store).unwrap().device_id, None);
    }

    #[test]
    fn refuses_rates_not_offered() {
        let store = Store::open_in_memory().unwrap();
        let bad = Settings {
            device_id: None,
            sample_rate: 44_100,
        };
        assert_eq!(bad.save(&store).unwrap_err().code(), "InvalidInput");
        store.set_setting(RATE_KEY, "7").unwrap();
        assert_eq!(Settings::load(&store).unwrap().sample_rate, 16_000);
    }
}
