//! candor-core: everything in Candor that is not a window. It knows nothing of Tauri.

pub mod analysis;
pub mod app;
pub mod audio;
pub mod backup;
pub mod bank;
#[cfg(test)]
mod content_tests;
pub mod data_dir;
pub mod downloads;
pub mod error;
pub mod folder;
pub mod fuzz_checks;
pub mod input_file;
pub mod interviewer;
pub mod library;
pub mod limits;
pub mod log_file;
pub mod memory;
pub mod platform;
pub mod practice;
pub mod progress;
pub mod recordings;
pub mod review;
pub mod rubric;
pub mod sample_history;
pub mod schedule;
pub mod settings;
pub mod share;
pub mod store;
pub mod text;
pub mod transcribe;
pub mod voice;

pub use error::{CoreError, Result};
