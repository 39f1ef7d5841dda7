//! Audio capture: devices, the real-time callback, the writer, level meter and WAV repair.

pub mod capture;
pub mod convert;
pub mod devices;
pub mod level;
pub mod lost;
pub mod pieces;
pub mod wav;

pub use capture::{ActiveDevice, CaptureOptions, Probe, Recording, Summary};
pub use devices::{list_inputs, DeviceConfig, InputDevice};
pub use level::{silence_warning, Level, LevelMeter, SilenceTracker};
pub use lost::{LostAudio, LostSpan};
pub use pieces::{piece_channel, Piece, PieceCutter, Pieces};
