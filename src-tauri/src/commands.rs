//! Tauri commands: one-line translations between IPC and candor-core.

use tauri::ipc::{Channel, Response};
use tauri::{AppHandle, Manager, State};

use crate::ipc::{
    AppError, Device, LevelUpdate, MicCheck, Question, RecordingStarted, RecordingStopped,
    Settings, Startup, Take,
};
use crate::state::AppState;

type Res<T> = Result<T, AppError>;

/// Runs work that may block (device I/O, waiting for audio, file reads) off the async runtime,
/// so a slow microphone never stalls IPC or the level channel.
async fn blocking<T, F>(app: AppHandle, f: F) -> Res<T>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Res<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| AppError::internal(format!("a background task failed: {e}")))?
}

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
    app: AppHandle,
    question_id: String,
    levels: Channel<LevelUpdate>,
) -> Res<RecordingStarted> {
    blocking(app, move |s| s.start_recording(&question_id, levels)).await
}

/// Stops the running take and stores it.
#[tauri::command]
#[specta::specta]
pub async fn stop_recording(app: AppHandle) -> Res<RecordingStopped> {
    blocking(app, |s| s.stop_recording()).await
}

/// Input devices (call again to refresh).
#[tauri::command]
#[specta::specta]
pub async fn list_devices(app: AppHandle) -> Res<Vec<Device>> {
    blocking(app, |s| s.list_devices()).await
}

/// The recording settings.
#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Res<Settings> {
    state.settings()
}

/// Changes the recording settings.
#[tauri::command]
#[specta::specta]
pub fn set_settings(state: State<'_, AppState>, settings: Settings) -> Res<()> {
    state.set_settings(settings)
}

/// Starts a mic check; levels stream over `levels`.
#[tauri::command]
#[specta::specta]
pub async fn start_mic_check(app: AppHandle, levels: Channel<LevelUpdate>) -> Res<MicCheck> {
    blocking(app, move |s| s.start_mic_check(levels)).await
}

/// Stops the mic check.
#[tauri::command]
#[specta::specta]
pub async fn stop_mic_check(app: AppHandle) -> Res<()> {
    blocking(app, |s| s.stop_mic_check()).await
}

/// The WAV bytes of a take, as raw binary (an ArrayBuffer in the window), for Blob-URL replay.
///
/// Registered outside the generated bindings because raw responses have no specta type;
/// `ui/src/lib/backend.ts` wraps it.
#[tauri::command]
pub async fn take_audio(app: AppHandle, take_id: String) -> Res<Response> {
    blocking(app, move |s| s.take_audio(&take_id).map(Response::new)).await
}
