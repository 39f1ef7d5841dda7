//! Tauri commands: one-line translations between IPC and candor-core.

use tauri::ipc::{Channel, Response};
use tauri::State;

use crate::ipc::{
    AppError, LevelUpdate, Question, RecordingStarted, RecordingStopped, Startup, Take,
};
use crate::state::AppState;

type Res<T> = Result<T, AppError>;

/// Start-up facts: recovered takes and whether the data folder is usable.
#[tauri::command]
#[specta::specta]
pub fn startup(state: State<'_, AppState>) -> Startup {
    state.startup()
}

/// The question to practice next (least recently practiced).
#[tauri::command]
#[specta::specta]
pub fn next_question(state: State<'_, AppState>) -> Res<Question> {
    state.next_question()
}

/// Every take, newest first.
#[tauri::command]
#[specta::specta]
pub fn list_takes(state: State<'_, AppState>) -> Res<Vec<Take>> {
    state.list_takes()
}

/// Starts recording an answer to a question; levels stream over `levels`.
#[tauri::command]
#[specta::specta]
pub async fn start_recording(
    state: State<'_, AppState>,
    question_id: String,
    levels: Channel<LevelUpdate>,
) -> Res<RecordingStarted> {
    state.start_recording(&question_id, levels)
}

/// Stops the running take and stores it.
#[tauri::command]
#[specta::specta]
pub async fn stop_recording(state: State<'_, AppState>) -> Res<RecordingStopped> {
    state.stop_recording()
}

/// The WAV bytes of a take, as raw binary (an ArrayBuffer in the window), for Blob-URL replay.
///
/// Registered outside the generated bindings because raw responses have no specta type;
/// `ui/src/lib/backend.ts` wraps it.
#[tauri::command]
pub async fn take_audio(state: State<'_, AppState>, take_id: String) -> Res<Response> {
    state.take_audio(&take_id).map(Response::new)
}
