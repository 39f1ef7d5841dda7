//! The Candor desktop shell: thin commands over candor-core, typed bindings, one window.

pub mod commands;
pub mod ipc;

use tauri::{generate_handler, Manager};

/// Every command the window may call, in one list, handed to the macro `$m` (after `$extra`):
/// Tauri's `generate_handler` makes the app's handler, tauri-specta's `collect_commands` the
/// bindings' builder. The release binary carries no bindings code (about 140 kB of it).
macro_rules! with_commands {
    ($m:ident $(, $extra:path)*) => {
        $m![
            $($extra,)*
            commands::startup,
            commands::question_takes,
            commands::start_recording,
            commands::stop_recording,
            commands::list_devices,
            commands::get_settings,
            commands::set_settings,
            commands::start_mic_check,
            commands::stop_mic_check,
            commands::home,
            commands::question,
            commands::pushback,
            // The interviewer's voice.
            commands::speak,
            commands::stop_speaking,
            commands::voices,
            commands::positions,
            commands::position_for,
            commands::save_position,
            commands::bank_info,
            commands::library,
            commands::add_question,
            commands::update_question,
            commands::delete_question,
            commands::set_question_hidden,
            commands::import_questions,
            commands::export_questions,
            commands::start_round,
            commands::end_round,
            commands::review_queue,
            commands::discard_take,
            commands::take_review,
            commands::delivery_by_week,
            commands::rubric,
            commands::rating_draft,
            commands::save_rating_draft,
            commands::finalize_rating,
            commands::take_ratings,
            commands::previous_rating,
            commands::question_commitment,
            commands::reviewed_answers,
            commands::add_marker,
            commands::update_marker,
            commands::delete_marker,
            commands::markers,
            // Your data: export, backup, restore, recordings.
            commands::data_overview,
            commands::recordings,
            commands::export_ratings,
            commands::create_backup,
            commands::restore_backup,
            commands::restore_chosen_backup,
            commands::delete_take_audio,
            // Progress over weeks and history.
            commands::progress_overview,
            commands::history,
            commands::question_history,
            // Closing the window while a take records or a round runs asks first.
            commands::watch_close,
            commands::set_leave_guard,
            commands::close_window,
            // The words: transcripts, models, the background transcriber.
            commands::transcript,
            commands::evidence_hints,
            commands::find_in_transcripts,
            commands::model_list,
            commands::choose_model,
            commands::import_chosen_model,
            commands::retry_transcriptions,
            commands::transcript_failures,
            commands::watch_transcription,
            // The one network connection, when the user asks: a speech model's download.
            commands::offered_models,
            commands::download_model,
            commands::cancel_download,
            // Second opinions: a page for a friend or coach, their answer file back, the comparison.
            commands::share_for_opinion,
            commands::opinions_in_downloads,
            commands::import_opinion,
            commands::import_chosen_opinion,
            commands::watch_dropped_opinions,
            commands::take_opinions,
            commands::anchored_scores,
            commands::save_anchored,
            commands::criterion_calibration,
        ]
    };
}

/// The generated-bindings builder: every command and type that crosses IPC (the tests export
/// the TypeScript bindings with it).
#[cfg(test)]
fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use tauri_specta::collect_commands;
    tauri_specta::Builder::<tauri::Wry>::new().commands(with_commands!(collect_commands))
}

/// Where the TypeScript bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/lib/bindings.ts";

/// Files the window exports (question TOML) go to the user's Downloads folder, never over an
/// existing file; without this WebKitGTK may drop them in the working directory.
fn save_downloads_in_downloads_folder(
    _webview: tauri::Webview,
    event: tauri::webview::DownloadEvent<'_>,
) -> bool {
    if let tauri::webview::DownloadEvent::Requested { destination, .. } = event {
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "candor-export.toml".into());
        match candor_core::downloads::downloads_dir() {
            Ok(dir) if std::fs::create_dir_all(&dir).is_ok() => {
                *destination = candor_core::downloads::unique_path(&dir, &name);
            }
            // No usable Downloads folder: refuse rather than write somewhere surprising.
            _ => return false,
        }
    }
    true
}

/// A second `candor` start lands here (in the running app) and brings its window forward.
fn focus_main_window(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        // Best effort: a window manager may refuse focus; the second process exits either way.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// What is remembered of the window between starts: where it was and how big (not visibility,
/// so a window closed while hidden still opens).
fn remembered_window_state() -> tauri_plugin_window_state::StateFlags {
    use tauri_plugin_window_state::StateFlags;
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// Writes the window's size and position shortly after it moves or is resized (at most about
/// twice a second), not only at a clean exit: a session ended by a signal, a crash or a logout
/// still opens where it was left.
fn save_window_state_on_change(window: &tauri::WebviewWindow) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use tauri_plugin_window_state::AppHandleExt;
    let pending = Arc::new(AtomicBool::new(false));
    let app = window.app_handle().clone();
    window.on_window_event(move |event| {
        let changed = matches!(
            event,
            tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)
        );
        if changed && !pending.swap(true, Ordering::SeqCst) {
            let (app, pending) = (app.clone(), pending.clone());
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(400));
                pending.store(false, Ordering::SeqCst);
                // Best effort: a window that cannot be saved opens at its default size.
                let _ = app.save_window_state(remembered_window_state());
            });
        }
    });
}

/// Starts the desktop app.
pub fn run() -> Result<(), tauri::Error> {
    candor_core::error::survive_file_size_limit();
    tauri::Builder::default()
        // First, so that a second start hands over to the running app before anything opens.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            focus_main_window(app)
        }))
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(remembered_window_state())
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            // Opened only now, after the single-instance plugin let this process go on: a
            // second start never opens (or repairs takes in) the database the first one uses.
            let dir = candor_core::data_dir::DataDir::resolve();
            if let Ok(d) = &dir {
                candor_core::log_file::install(d.log_file());
            }
            app.manage(candor_core::app::Candor::open(dir));
            // The background transcriber: one thread, one transcription at a time, for as long
            // as the app runs.
            let worker = app.handle().clone();
            std::thread::Builder::new()
                .name("candor-transcriber".into())
                .spawn(move || {
                    worker
                        .state::<candor_core::app::Candor>()
                        .serve_transcriptions()
                })?;
            app.manage(commands::CloseGuard::default());
            app.manage(commands::DroppedOpinions::default());
            // The window is built here (not from the config alone) to decide where exports go.
            let config = app
                .config()
                .app
                .windows
                .first()
                .cloned()
                .ok_or("tauri.conf.json declares no window")?;
            let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .on_download(save_downloads_in_downloads_folder)
                .build()?;
            save_window_state_on_change(&window);
            let handle = app.handle().clone();
            window.on_window_event(move |event| match event {
                tauri::WindowEvent::CloseRequested { api, .. }
                    if handle.state::<commands::CloseGuard>().intercept() =>
                {
                    api.prevent_close();
                }
                // A second opinion's answer file dropped on the window is imported.
                tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                    commands::import_dropped(handle.clone(), paths.clone());
                }
                _ => {}
            });
            Ok(())
        })
        // take_audio answers with the recording's bytes, not JSON: it has no typed binding.
        .invoke_handler(with_commands!(generate_handler, commands::take_audio))
        .run(tauri::generate_context!())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed TypeScript bindings are what Rust generates. To bring them up to date after
    /// changing a command or a type that crosses IPC, run
    /// `CANDOR_UPDATE_BINDINGS=1 cargo test -p candor export_bindings`.
    #[test]
    fn export_bindings() {
        let fresh = std::env::temp_dir().join(format!("candor-bindings-{}.ts", std::process::id()));
        specta_builder()
            .export(
                specta_typescript::Typescript::default().header(
                    "// Generated from Rust by tauri-specta (cargo test -p candor). Do not edit.\n",
                ),
                &fresh,
            )
            .expect("bindings export");
        let generated = std::fs::read_to_string(&fresh).expect("generated bindings");
        let _ = std::fs::remove_file(&fresh);
        if std::env::var_os("CANDOR_UPDATE_BINDINGS").is_some() {
            std::fs::write(BINDINGS_PATH, &generated).expect("writing the bindings");
            return;
        }
        let committed = std::fs::read_to_string(BINDINGS_PATH).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/lib/bindings.ts differs from what Rust generates; run \
             `CANDOR_UPDATE_BINDINGS=1 cargo test -p candor export_bindings` and commit the result"
        );
    }
}
