//! Input devices: listing them by stable id, and opening the chosen one or the default.

use cpal::traits::{DeviceTrait, HostTrait};

use crate::error::{CoreError, Result};

/// An input device as shown to the user and kept in settings (by its stable id).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InputDevice {
    /// cpal's stable id, e.g. `alsa:default`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Whether this is the system's default input.
    pub is_default: bool,
    /// The device's default capture configuration, if it could be read.
    pub default_config: Option<DeviceConfig>,
}

/// The format a device delivers, as reported by cpal.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeviceConfig {
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channel count.
    pub channels: u16,
    /// Sample format name, e.g. `f32`.
    pub sample_format: String,
}

/// Serializes device enumeration and stream set-up: ALSA's configuration loading is not
/// thread-safe, and enumerating while another thread opens a stream can hang both.
pub(crate) fn device_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Maps a cpal error met while opening a device to what the user can act on.
pub(crate) fn open_error(e: &cpal::Error) -> CoreError {
    match e.kind() {
        // A default device that cannot capture (playback-only, no card, no server) means no microphone.
        cpal::ErrorKind::DeviceNotAvailable
        | cpal::ErrorKind::HostUnavailable
        | cpal::ErrorKind::UnsupportedOperation => CoreError::NoInputDevice,
        _ => CoreError::DeviceError(e.to_string()),
    }
}

fn config_of(device: &cpal::Device) -> Option<DeviceConfig> {
    let c = device.default_input_config().ok()?;
    Some(DeviceConfig {
        sample_rate: c.sample_rate(),
        channels: c.channels(),
        sample_format: c.sample_format().to_string(),
    })
}

fn id_of(device: &cpal::Device) -> Option<String> {
    device.id().ok().map(|id| id.to_string())
}

fn name_of(device: &cpal::Device) -> String {
    device
        .description()
        .map(|d| d.name().to_string())
        .or_else(|_| device.id().map(|id| id.to_string()))
        .unwrap_or_else(|_| "Unnamed input".to_string())
}

/// Lists every input device of the default host, the default one marked.
pub fn list_inputs() -> Result<Vec<InputDevice>> {
    let _guard = device_lock();
    let host = cpal::default_host();
    let default_id = host.default_input_device().as_ref().and_then(id_of);
    let devices = host.input_devices().map_err(|e| open_error(&e))?;
    let mut out: Vec<InputDevice> = devices
        .filter_map(|d| {
            let id = id_of(&d)?;
            let is_default = Some(&id) == default_id.as_ref();
            // Plugins that cannot capture here (rate converters, JACK without a server...) are
            // not microphones: list only devices with a usable input configuration.
            let default_config = config_of(&d);
            if default_config.is_none() && !is_default {
                return None;
            }
            Some(InputDevice {
                is_default,
                name: name_of(&d),
                default_config,
                id,
            })
        })
        .collect();
    if let (Some(id), false) = (&default_id, out.iter().any(|d| d.is_default)) {
        if let Some(d) = host.default_input_device() {
            out.insert(
                0,
                InputDevice {
                    id: id.clone(),
                    name: name_of(&d),
                    is_default: true,
                    default_config: config_of(&d),
                },
            );
        }
    }
    Ok(out)
}

/// The device a recording will use, and whether the requested one was missing.
pub(crate) struct Opened {
    pub device: cpal::Device,
    pub id: String,
    pub name: String,
    pub fell_back: bool,
}

/// Opens the requested input by id, else the default (saying that it fell back).
pub(crate) fn open_input(requested: Option<&str>) -> Result<Opened> {
    let host = cpal::default_host();
    let chosen = requested.and_then(|id| {
        let parsed: cpal::DeviceId = id.parse().ok()?;
        host.device_by_id(&parsed)
    });
    let fell_back = requested.is_some() && chosen.is_none();
    let device = match chosen {
        Some(d) => d,
        None => host
            .default_input_device()
            .ok_or(CoreError::NoInputDevice)?,
    };
    Ok(Opened {
        id: id_of(&device).unwrap_or_else(|| "unknown".to_string()),
        name: name_of(&device),
        device,
        fell_back,
    })
}
