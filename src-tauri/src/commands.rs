//! Tauri commands: one-line translations between IPC and candor-core.

use tauri::ipc::{Channel, Response};
use tauri::{AppHandle, Manager, State};

use candor_core::app::Candor;
use candor_core::CoreError;

use crate::ipc::{
    AnchoredScore, CriterionCalibration, DroppedOpinion, ImportedOpinion, Opinion, SharedPage,
};
use crate::ipc::{
    AppError, BankInfo, Device, Home, LevelUpdate, LibraryEntry, Marker, MicCheck, ProgressPeriod,
    Question, QuestionDraft, Rating, RatingInput, RatingKind, RecordingStarted, RecordingStopped,
    Round, Rubric, Settings, Startup, Take, TakeRequest, TakeReview, WeekDelivery,
};
use crate::ipc::{
    ChosenPushback, DownloadProgress, EvidenceHints, ModelEntry, OfferedModel, Spoken, Transcript,
    TranscriptFailure, TranscriptMatch, TranscriptionStatus,
};
use crate::ipc::{
    HistoryTake, Position, PositionItem, ProgressOverview, QuestionHistory, TakePage,
};

type Res<T> = Result<T, AppError>;

/// Runs a use case that may block (device I/O, waiting for audio, file reads) off the async
/// runtime, so a slow microphone never stalls IPC or the level channel; translates its result.
async fn blocking<T, U, F>(app: AppHandle, f: F) -> Res<U>
where
    T: Into<U>,
    U: Send + 'static,
    F: FnOnce(&Candor) -> Result<T, CoreError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        f(&app.state::<Candor>())
            .map(Into::into)
            .map_err(AppError::from)
    })
    .await
    .map_err(|e| AppError::internal(format!("a background task failed: {e}")))?
}

/// Runs a quick use case on the calling thread and translates its result.
fn now<T: Into<U>, U>(r: Result<T, CoreError>) -> Res<U> {
    r.map(Into::into).map_err(AppError::from)
}

/// Level updates from the core, sent on to the window's channel (false once it is gone).
fn level_sink(levels: Channel<LevelUpdate>) -> candor_core::app::recording::LevelSink {
    Box::new(move |u| levels.send(u).is_ok())
}

/// Progress passed on to a channel at most ~30 times a second, and always the last report.
fn throttled<P, T>(channel: Channel<T>, finished: fn(&P) -> bool) -> impl FnMut(P)
where
    T: tauri::ipc::IpcResponse + From<P>,
{
    let mut last: Option<std::time::Instant> = None;
    move |p| {
        let now = std::time::Instant::now();
        let every = candor_core::audio::level::LEVEL_INTERVAL;
        if finished(&p) || last.is_none_or(|t| now - t >= every) {
            last = Some(now);
            let _ = channel.send(p.into());
        }
    }
}

/// Backup and restore progress, throttled; the last report always goes.
fn backup_progress(
    channel: Channel<crate::ipc::BackupProgress>,
) -> impl FnMut(candor_core::backup::Progress) {
    throttled(channel, |p: &candor_core::backup::Progress| {
        p.done >= p.total
    })
}

/// The file the user picked in the system's chooser, as a path (it stays in Rust).
fn chosen_path(chosen: tauri_plugin_dialog::FilePath) -> Res<std::path::PathBuf> {
    chosen.into_path().map_err(|e| {
        AppError::from(CoreError::InvalidInput(format!(
            "That file cannot be opened ({e}). Choose another."
        )))
    })
}

/// Start-up facts: recovered takes and whether the data folder is usable.
#[tauri::command]
#[specta::specta]
pub fn startup(state: State<'_, Candor>) -> Startup {
    state.startup().into()
}

/// Every take of one question (answers and follow-ups), newest first.
#[tauri::command]
#[specta::specta]
pub async fn question_takes(app: AppHandle, question_id: String) -> Res<Vec<Take>> {
    blocking(app, move |s| {
        s.question_takes(&question_id)
            .map(|t| t.into_iter().map(Take::from).collect::<Vec<_>>())
    })
    .await
}

/// Starts recording an answer or a follow-up; levels stream over `levels`.
#[tauri::command]
#[specta::specta]
pub async fn start_recording(
    app: AppHandle,
    request: TakeRequest,
    levels: Channel<LevelUpdate>,
) -> Res<RecordingStarted> {
    blocking(app, move |s| {
        s.start_recording(request, Some(level_sink(levels)))
    })
    .await
}

/// Stops the running take and stores it.
#[tauri::command]
#[specta::specta]
pub async fn stop_recording(app: AppHandle) -> Res<RecordingStopped> {
    blocking(app, |s| s.stop_recording()).await
}

/// What Home shows: the suggested question and the review queue.
#[tauri::command]
#[specta::specta]
pub async fn home(app: AppHandle) -> Res<Home> {
    blocking(app, |s| s.home()).await
}

/// Says a question or push-back in the interviewer's voice; returns once it was heard to its
/// end (or cut short by `stop_speaking`), so the take recorded next holds none of it.
#[tauri::command]
#[specta::specta]
pub async fn speak(app: AppHandle, text: String) -> Res<Spoken> {
    blocking(app, move |s| s.speak(&text)).await
}

/// Cuts the interviewer's voice short.
#[tauri::command]
#[specta::specta]
pub fn stop_speaking(state: State<'_, Candor>) {
    state.stop_speaking();
}

/// The voices the computer's speech service offers.
#[tauri::command]
#[specta::specta]
pub async fn voices(app: AppHandle) -> Res<Vec<String>> {
    blocking(app, |s| s.voices()).await
}

/// One question by id.
#[tauri::command]
#[specta::specta]
pub fn question(state: State<'_, Candor>, id: String) -> Res<Question> {
    now(state.question(&id))
}

/// The push-back at `index` after the answer `answer_id`, chosen from its words, with the rule
/// and the reason; none once everything was asked. It may wait a few seconds for the words.
#[tauri::command]
#[specta::specta]
pub async fn pushback(
    app: AppHandle,
    question_id: String,
    answer_id: String,
    index: u32,
) -> Res<Option<ChosenPushback>> {
    blocking(app, move |s| s.pushback(&question_id, &answer_id, index)).await
}

/// Every reading item that takes a position, with the user's position on it.
#[tauri::command]
#[specta::specta]
pub async fn positions(app: AppHandle) -> Res<Vec<PositionItem>> {
    blocking(app, |s| s.positions()).await
}

/// The user's position on the reading item a question is about, if written.
#[tauri::command]
#[specta::specta]
pub async fn position_for(app: AppHandle, question_id: String) -> Res<Option<Position>> {
    blocking(app, move |s| s.position_for(&question_id)).await
}

/// Writes the user's position on one reading item; returns it as stored.
#[tauri::command]
#[specta::specta]
pub async fn save_position(app: AppHandle, position: Position) -> Res<Position> {
    blocking(app, move |s| s.save_position(&position)).await
}

/// Categories, criteria and general push-backs.
#[tauri::command]
#[specta::specta]
pub fn bank_info(state: State<'_, Candor>) -> Res<BankInfo> {
    now(state.bank_info())
}

/// Every question in the library.
#[tauri::command]
#[specta::specta]
pub async fn library(app: AppHandle) -> Res<Vec<LibraryEntry>> {
    blocking(app, |s| s.library()).await
}

/// Adds one of the user's questions.
#[tauri::command]
#[specta::specta]
pub fn add_question(state: State<'_, Candor>, draft: QuestionDraft) -> Res<Question> {
    now(state.add_question(draft))
}

/// Edits one of the user's questions.
#[tauri::command]
#[specta::specta]
pub fn update_question(
    state: State<'_, Candor>,
    id: String,
    draft: QuestionDraft,
) -> Res<Question> {
    now(state.update_question(&id, draft))
}

/// Deletes one of the user's questions.
#[tauri::command]
#[specta::specta]
pub fn delete_question(state: State<'_, Candor>, id: String) -> Res<()> {
    now(state.delete_question(&id))
}

/// Hides a shipped question from practice, or shows it again.
#[tauri::command]
#[specta::specta]
pub fn set_question_hidden(state: State<'_, Candor>, id: String, hidden: bool) -> Res<()> {
    now(state.set_question_hidden(&id, hidden))
}

/// Imports questions from the text of a TOML file the user picked; all or nothing.
#[tauri::command]
#[specta::specta]
pub async fn import_questions(
    app: AppHandle,
    file_name: String,
    text: String,
) -> Res<Vec<Question>> {
    blocking(app, move |s| s.import_questions(&file_name, &text)).await
}

/// The user's questions as TOML text.
#[tauri::command]
#[specta::specta]
pub async fn export_questions(app: AppHandle) -> Res<String> {
    blocking(app, |s| s.export_questions()).await
}

/// Starts a mock round.
#[tauri::command]
#[specta::specta]
pub async fn start_round(app: AppHandle) -> Res<Round> {
    blocking(app, |s| s.start_round()).await
}

/// Ends a mock round.
#[tauri::command]
#[specta::specta]
pub fn end_round(state: State<'_, Candor>, id: String) -> Res<()> {
    now(state.end_round(&id))
}

/// A page of the answers waiting for review, oldest first, and how many there are.
#[tauri::command]
#[specta::specta]
pub async fn review_queue(app: AppHandle, offset: u32, limit: u32) -> Res<TakePage> {
    blocking(app, move |s| s.review_queue(offset, limit)).await
}

/// The review of one answer, with delivery metrics measured from its audio.
#[tauri::command]
#[specta::specta]
pub async fn take_review(app: AppHandle, answer_id: String) -> Res<TakeReview> {
    blocking(app, move |s| s.take_review(&answer_id)).await
}

/// Practice and delivery per week (time to first word, long pauses per minute).
#[tauri::command]
#[specta::specta]
pub async fn delivery_by_week(app: AppHandle, period: ProgressPeriod) -> Res<Vec<WeekDelivery>> {
    blocking(app, move |s| s.delivery_by_week(period)).await
}

/// Deletes a take and its follow-ups (a re-take).
#[tauri::command]
#[specta::specta]
pub async fn discard_take(app: AppHandle, id: String) -> Res<()> {
    blocking(app, move |s| s.discard_take(&id)).await
}

/// Input devices (call again to refresh).
#[tauri::command]
#[specta::specta]
pub async fn list_devices(app: AppHandle) -> Res<Vec<Device>> {
    blocking(app, |s| {
        s.devices()
            .map(|d| d.into_iter().map(Device::from).collect::<Vec<_>>())
    })
    .await
}

/// The recording settings.
#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, Candor>) -> Res<Settings> {
    now(state.settings())
}

/// Changes the recording settings.
#[tauri::command]
#[specta::specta]
pub fn set_settings(state: State<'_, Candor>, settings: Settings) -> Res<()> {
    now(state.set_settings(&settings))
}

/// Starts a mic check; levels stream over `levels`.
#[tauri::command]
#[specta::specta]
pub async fn start_mic_check(app: AppHandle, levels: Channel<LevelUpdate>) -> Res<MicCheck> {
    blocking(app, move |s| s.start_mic_check(level_sink(levels))).await
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

/// The rubric: criteria, checks, levels, red flags, feelings, exemplars.
#[tauri::command]
#[specta::specta]
pub fn rubric(state: State<'_, Candor>) -> Res<Rubric> {
    now(state.rubric())
}

/// The draft of a take's rating of one kind, if one was left.
#[tauri::command]
#[specta::specta]
pub async fn rating_draft(
    app: AppHandle,
    take_id: String,
    kind: RatingKind,
) -> Res<Option<Rating>> {
    blocking(app, move |s| s.rating_draft(&take_id, kind)).await
}

/// Saves a rating's draft; returns its id.
#[tauri::command]
#[specta::specta]
pub async fn save_rating_draft(app: AppHandle, input: RatingInput) -> Res<String> {
    blocking(app, move |s| s.save_rating_draft(&input)).await
}

/// Saves a rating for good (a review then leaves the queue).
#[tauri::command]
#[specta::specta]
pub async fn finalize_rating(app: AppHandle, input: RatingInput) -> Res<Rating> {
    blocking(app, move |s| s.finalize_rating(&input)).await
}

/// The saved ratings of a take.
#[tauri::command]
#[specta::specta]
pub async fn take_ratings(app: AppHandle, take_id: String) -> Res<Vec<Rating>> {
    blocking(app, move |s| s.take_ratings(&take_id)).await
}

/// The previous answer's saved review on the same question, for comparison.
#[tauri::command]
#[specta::specta]
pub async fn previous_rating(app: AppHandle, take_id: String) -> Res<Option<Rating>> {
    blocking(app, move |s| s.previous_rating(&take_id)).await
}

/// The last "one thing to do differently" for a question.
#[tauri::command]
#[specta::specta]
pub async fn question_commitment(app: AppHandle, question_id: String) -> Res<Option<String>> {
    blocking(app, move |s| s.question_commitment(&question_id)).await
}

/// A page of the answers already reviewed, newest first, and how many there are.
#[tauri::command]
#[specta::specta]
pub async fn reviewed_answers(app: AppHandle, offset: u32, limit: u32) -> Res<TakePage> {
    blocking(app, move |s| s.reviewed_answers(offset, limit)).await
}

/// Adds a marker at a moment of a take.
#[tauri::command]
#[specta::specta]
pub async fn add_marker(
    app: AppHandle,
    take_id: String,
    at_s: f64,
    tag: Option<String>,
    note: String,
) -> Res<Marker> {
    blocking(app, move |s| {
        s.add_marker(&take_id, at_s, tag.as_deref(), &note)
    })
    .await
}

/// Changes a marker's tag and note.
#[tauri::command]
#[specta::specta]
pub async fn update_marker(
    app: AppHandle,
    id: String,
    tag: Option<String>,
    note: String,
) -> Res<()> {
    blocking(app, move |s| s.update_marker(&id, tag.as_deref(), &note)).await
}

/// Deletes a marker.
#[tauri::command]
#[specta::specta]
pub async fn delete_marker(app: AppHandle, id: String) -> Res<()> {
    blocking(app, move |s| s.delete_marker(&id)).await
}

/// The markers of a take.
#[tauri::command]
#[specta::specta]
pub async fn markers(app: AppHandle, take_id: String) -> Res<Vec<Marker>> {
    blocking(app, move |s| s.markers(&take_id)).await
}

// ---------------------------------------------------------------- your data: export, backup, restore, recordings

/// Disk use of the recordings, and the backups found in Downloads.
#[tauri::command]
#[specta::specta]
pub async fn data_overview(app: AppHandle) -> Res<crate::ipc::DataOverview> {
    blocking(app, |s| s.data_overview()).await
}

/// The room recordings use, and a page of takes with theirs (newest first).
#[tauri::command]
#[specta::specta]
pub async fn recordings(
    app: AppHandle,
    offset: u32,
    limit: u32,
) -> Res<crate::ipc::RecordingsPage> {
    blocking(app, move |s| s.recordings(offset, limit)).await
}

/// Writes the ratings export to Downloads; returns the file name it got.
#[tauri::command]
#[specta::specta]
pub async fn export_ratings(app: AppHandle, format: crate::ipc::ExportFormat) -> Res<String> {
    blocking(app, move |s| s.export_to_downloads(format)).await
}

/// Backs everything up into Downloads; progress streams over `progress`.
#[tauri::command]
#[specta::specta]
pub async fn create_backup(
    app: AppHandle,
    progress: Channel<crate::ipc::BackupProgress>,
) -> Res<crate::ipc::BackupMade> {
    blocking(app, move |s| {
        s.backup_to_downloads(&mut backup_progress(progress))
    })
    .await
}

/// Restores the backup with this file name from Downloads; progress streams over `progress`.
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(
    app: AppHandle,
    file_name: String,
    progress: Channel<crate::ipc::BackupProgress>,
) -> Res<crate::ipc::Restored> {
    blocking(app, move |s| {
        s.restore_from_downloads(&file_name, &mut backup_progress(progress))
    })
    .await
}

/// Restores a backup the user picks in the system's file chooser (the path stays in Rust);
/// `null` if the chooser was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn restore_chosen_backup(
    app: AppHandle,
    progress: Channel<crate::ipc::BackupProgress>,
) -> Res<Option<crate::ipc::Restored>> {
    use tauri_plugin_dialog::DialogExt;
    let mut picker = app
        .dialog()
        .file()
        .set_title("Choose a Candor backup")
        .add_filter("Candor backup", &[candor_core::backup::BACKUP_EXTENSION]);
    if let Ok(dir) = candor_core::downloads::downloads_dir() {
        picker = picker.set_directory(dir);
    }
    let Some(chosen) = picker.blocking_pick_file() else {
        return Ok(None);
    };
    let path = chosen_path(chosen)?;
    blocking(app, move |s| {
        s.restore(&path, &mut backup_progress(progress))
            .map(|r| Some(crate::ipc::Restored::from(r)))
    })
    .await
}

/// Deletes a take's audio only; its ratings, markers and metrics stay.
#[tauri::command]
#[specta::specta]
pub async fn delete_take_audio(app: AppHandle, take_id: String) -> Res<()> {
    blocking(app, move |s| s.delete_take_audio(&take_id)).await
}

/// Everything the progress screen shows for a period.
#[tauri::command]
#[specta::specta]
pub async fn progress_overview(app: AppHandle, period: ProgressPeriod) -> Res<ProgressOverview> {
    blocking(app, move |s| s.progress_overview(period)).await
}

/// The history: every question answered, latest first, with its newest `per_question` answers.
#[tauri::command]
#[specta::specta]
pub async fn history(app: AppHandle, per_question: u32) -> Res<Vec<QuestionHistory>> {
    blocking(app, move |s| s.history(per_question)).await
}

/// A further page of one question's answers in the history, newest first.
#[tauri::command]
#[specta::specta]
pub async fn question_history(
    app: AppHandle,
    question_id: String,
    offset: u32,
    limit: u32,
) -> Res<Vec<HistoryTake>> {
    blocking(app, move |s| {
        s.question_history(&question_id, offset, limit)
    })
    .await
}

// ---------------------------------------------------------------- closing the window

/// Whether closing the window must ask first (a take records or a round runs), and where to
/// tell the window that the user asked to close it.
#[derive(Default)]
pub struct CloseGuard {
    active: std::sync::atomic::AtomicBool,
    channel: std::sync::Mutex<Option<Channel<()>>>,
}

impl CloseGuard {
    /// Called when the user asks to close the window: true when the window was told and
    /// closing must wait for its answer; false to close now (nothing under way, or no page
    /// listening, so a hung page can never keep the window open).
    pub fn intercept(&self) -> bool {
        use std::sync::atomic::Ordering;
        if !self.active.load(Ordering::Acquire) {
            return false;
        }
        let channel = self.channel.lock().unwrap_or_else(|p| p.into_inner());
        channel.as_ref().is_some_and(|c| c.send(()).is_ok())
    }
}

/// Tells the window over `on_close` when the user asks to close it while something is under way.
#[tauri::command]
#[specta::specta]
pub fn watch_close(guard: State<'_, CloseGuard>, on_close: Channel<()>) {
    *guard.channel.lock().unwrap_or_else(|p| p.into_inner()) = Some(on_close);
}

/// Says whether closing the window must ask first (a take records or a round runs).
#[tauri::command]
#[specta::specta]
pub fn set_leave_guard(guard: State<'_, CloseGuard>, active: bool) {
    guard
        .active
        .store(active, std::sync::atomic::Ordering::Release);
}

/// Closes the window once the user has answered (the take stopped or discarded).
#[tauri::command]
#[specta::specta]
pub fn close_window(app: AppHandle, guard: State<'_, CloseGuard>) -> Res<()> {
    guard
        .active
        .store(false, std::sync::atomic::Ordering::Release);
    match app.get_webview_window("main") {
        Some(w) => w
            .close()
            .map_err(|e| AppError::internal(format!("the window could not close: {e}"))),
        None => Ok(()),
    }
}

// Transcripts: the words of takes, the models that make them, the background queue.

/// The transcript of a take, if it has one.
#[tauri::command]
#[specta::specta]
pub async fn transcript(app: AppHandle, take_id: String) -> Res<Option<Transcript>> {
    blocking(app, move |s| s.transcript(&take_id)).await
}

/// Hints for the rating steps of an answer, read from its words and its replies'.
#[tauri::command]
#[specta::specta]
pub async fn evidence_hints(app: AppHandle, answer_id: String) -> Res<EvidenceHints> {
    blocking(app, move |s| s.evidence_hints(&answer_id)).await
}

/// Takes whose transcript holds the words, each with where they are said.
#[tauri::command]
#[specta::specta]
pub async fn find_in_transcripts(app: AppHandle, words: String) -> Res<Vec<TranscriptMatch>> {
    blocking(app, move |s| s.find_in_transcripts(&words)).await
}

/// The speech models added, the one in use marked.
#[tauri::command]
#[specta::specta]
pub async fn model_list(app: AppHandle) -> Res<Vec<ModelEntry>> {
    blocking(app, |s| s.model_list()).await
}

/// Chooses the model transcripts are made with (`null`: the default).
#[tauri::command]
#[specta::specta]
pub async fn choose_model(app: AppHandle, name: Option<String>) -> Res<()> {
    blocking(app, move |s| s.choose_model(name.as_deref())).await
}

/// Adds a model file the user picks in the system's file chooser (checked, copied into the data
/// folder; the path stays in Rust); `null` if the chooser was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_chosen_model(app: AppHandle) -> Res<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let picker = app
        .dialog()
        .file()
        .set_title("Choose a whisper.cpp speech model")
        .add_filter("whisper.cpp model", &["bin"]);
    let Some(chosen) = picker.blocking_pick_file() else {
        return Ok(None);
    };
    let path = chosen_path(chosen)?;
    blocking(app, move |s| s.import_model(&path).map(|m| Some(m.name))).await
}

/// Puts takes whose transcription failed back in the queue (one, or all with `null`).
#[tauri::command]
#[specta::specta]
pub async fn retry_transcriptions(app: AppHandle, take_id: Option<String>) -> Res<u32> {
    blocking(app, move |s| {
        s.retry_transcriptions(take_id.as_deref()).map(|n| n as u32)
    })
    .await
}

/// Takes whose transcription failed, with the reason.
#[tauri::command]
#[specta::specta]
pub async fn transcript_failures(app: AppHandle) -> Res<Vec<TranscriptFailure>> {
    blocking(app, |s| s.transcript_failures()).await
}

/// Streams the background transcriber's status: now, then at every change.
#[tauri::command]
#[specta::specta]
pub fn watch_transcription(state: State<'_, Candor>, status: Channel<TranscriptionStatus>) {
    state.watch_transcription(Box::new(move |s| status.send(s.clone()).is_ok()));
}

/// The models Candor offers to download, each marked when it is here already.
#[tauri::command]
#[specta::specta]
pub async fn offered_models(app: AppHandle) -> Res<Vec<OfferedModel>> {
    blocking(app, |s| s.offered_models()).await
}

/// Downloads an offered model (by its file name) from its pinned address, streaming progress at
/// most ~30 times a second; returns the name of the model added.
#[tauri::command]
#[specta::specta]
pub async fn download_model(
    app: AppHandle,
    name: String,
    progress: Channel<DownloadProgress>,
) -> Res<String> {
    blocking(app, move |s| {
        let finished = |p: &DownloadProgress| p.total.is_some_and(|t| p.done >= t);
        s.download_model(&name, &mut throttled(progress, finished))
            .map(|m| m.name)
    })
    .await
}

/// Stops the model download in progress (what came is kept for next time).
#[tauri::command]
#[specta::specta]
pub fn cancel_download(state: State<'_, Candor>) {
    state.cancel_download();
}

// ---------------------------------------------------------------- second opinions

/// Writes one page to Downloads on which a friend or coach hears `take_ids` (answers, each with
/// its replies) and rates them offline; returns its file name and size.
#[tauri::command]
#[specta::specta]
pub async fn share_for_opinion(app: AppHandle, take_ids: Vec<String>) -> Res<SharedPage> {
    blocking(app, move |s| s.share_to_downloads(&take_ids)).await
}

/// Imports a second opinion's answer file the user picks in the system's file chooser (the path
/// stays in Rust); `null` if the chooser was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_chosen_opinion(app: AppHandle) -> Res<Option<ImportedOpinion>> {
    use tauri_plugin_dialog::DialogExt;
    let mut picker = app
        .dialog()
        .file()
        .set_title("Import a second opinion")
        .add_filter("Second opinion", &["json"]);
    if let Ok(dir) = candor_core::downloads::downloads_dir() {
        picker = picker.set_directory(dir);
    }
    let Some(chosen) = picker.blocking_pick_file() else {
        return Ok(None);
    };
    let path = chosen_path(chosen)?;
    blocking(app, move |s| s.import_opinion(&path).map(Some)).await
}

/// The second opinions' answer files found in Downloads, by file name, newest first.
#[tauri::command]
#[specta::specta]
pub async fn opinions_in_downloads(app: AppHandle) -> Res<Vec<String>> {
    blocking(app, |s| s.opinion_files()).await
}

/// Imports the answer file with this name from Downloads (one of those `opinions_in_downloads` lists).
#[tauri::command]
#[specta::specta]
pub async fn import_opinion(app: AppHandle, file_name: String) -> Res<ImportedOpinion> {
    blocking(app, move |s| s.import_opinion_from_downloads(&file_name)).await
}

/// The outside raters' opinions of an answer, oldest import first.
#[tauri::command]
#[specta::specta]
pub async fn take_opinions(app: AppHandle, take_id: String) -> Res<Vec<Opinion>> {
    blocking(app, move |s| s.take_opinions(&take_id)).await
}

/// An answer's criteria rated again with the example answers in mind (empty when none).
#[tauri::command]
#[specta::specta]
pub async fn anchored_scores(app: AppHandle, take_id: String) -> Res<Vec<AnchoredScore>> {
    blocking(app, move |s| s.anchored_scores(&take_id)).await
}

/// Keeps an answer's re-rating with the example answers in mind (an empty list removes it).
#[tauri::command]
#[specta::specta]
pub async fn save_anchored(app: AppHandle, take_id: String, scores: Vec<AnchoredScore>) -> Res<()> {
    blocking(app, move |s| s.save_anchored(&take_id, &scores)).await
}

/// Per criterion: the mean review score and its gaps to the other ways the answers were rated.
#[tauri::command]
#[specta::specta]
pub async fn criterion_calibration(
    app: AppHandle,
    period: ProgressPeriod,
) -> Res<Vec<CriterionCalibration>> {
    blocking(app, move |s| s.criterion_calibration(period)).await
}

/// Where answer files dropped on the window are reported (the window registers a channel).
#[derive(Default)]
pub struct DroppedOpinions {
    channel: std::sync::Mutex<Option<Channel<DroppedOpinion>>>,
}

/// Tells the window over `on_drop` what came of each answer file dropped on it.
#[tauri::command]
#[specta::specta]
pub fn watch_dropped_opinions(drops: State<'_, DroppedOpinions>, on_drop: Channel<DroppedOpinion>) {
    *drops.channel.lock().unwrap_or_else(|p| p.into_inner()) = Some(on_drop);
}

/// What came of one file dropped on the window: a `.json` file is imported as a second
/// opinion's answer file, anything else is refused as one that is not (BadOpinion, as core
/// refuses a damaged one); only the file's bare name goes back.
pub fn dropped_outcome(candor: &Candor, path: &std::path::Path) -> DroppedOpinion {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(100).collect::<String>())
        .unwrap_or_default();
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let result = if is_json {
        candor.import_opinion(path)
    } else {
        Err(CoreError::BadOpinion(
            "Only a second opinion's answer file (the .json file its page saved) can be dropped \
             on Candor. Nothing was imported."
                .into(),
        ))
    };
    match result {
        Ok(imported) => DroppedOpinion {
            file_name,
            imported: Some(imported),
            error: None,
        },
        Err(e) => DroppedOpinion {
            file_name,
            imported: None,
            error: Some(AppError::from(e)),
        },
    }
}

/// Files dropped on the window: each is imported (off the event loop) and the window hears what
/// came of it over its channel.
pub fn import_dropped(app: AppHandle, paths: Vec<std::path::PathBuf>) {
    if paths.is_empty() {
        return;
    }
    tauri::async_runtime::spawn_blocking(move || {
        for path in paths {
            let report = dropped_outcome(&app.state::<Candor>(), &path);
            let drops = app.state::<DroppedOpinions>();
            let channel = drops.channel.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(c) = channel.as_ref() {
                // A page that is gone hears nothing; what was imported stays imported.
                let _ = c.send(report);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use candor_core::error::ErrorCode;

    /// A Candor on a data folder of its own, in a fresh temporary folder.
    fn candor() -> (Candor, std::path::PathBuf) {
        let root = std::env::temp_dir().join(format!(
            "candor-drop-{}-{}",
            std::process::id(),
            candor_core::data_dir::new_take_id()
        ));
        std::fs::create_dir_all(&root).expect("temp folder");
        let candor = Candor::open(Ok(candor_core::data_dir::DataDir::at(root.join("data"))));
        (candor, root)
    }

    #[test]
    fn a_dropped_file_is_imported_or_refused_and_only_its_name_goes_back() {
        let (candor, root) = candor();
        let other = root.join("notes.txt");
        std::fs::write(&other, "hello").expect("file");
        let d = dropped_outcome(&candor, &other);
        assert_eq!(d.file_name, "notes.txt");
        assert!(d.imported.is_none());
        let e = d.error.expect("refused");
        assert!(matches!(e.code, ErrorCode::BadOpinion));
        assert!(e.message.contains("Nothing was imported"));

        let answer = root.join("candor-opinion-sam-2026-11-30.JSON");
        std::fs::write(&answer, "{\"not\": \"an answer file\"}").expect("file");
        let d = dropped_outcome(&candor, &answer);
        assert_eq!(d.file_name, "candor-opinion-sam-2026-11-30.JSON");
        let e = d.error.expect("refused");
        assert!(matches!(e.code, ErrorCode::BadOpinion), "{e:?}");
        assert!(
            !e.message.contains(&*root.to_string_lossy()),
            "{}",
            e.message
        );

        let gone = dropped_outcome(&candor, &root.join("gone.json"));
        assert!(gone.error.is_some() && gone.imported.is_none());
        let _ = std::fs::remove_dir_all(&root);
    }
}
