//! Builds the app's ACL: each Candor command gets its own `allow-<command>` permission, so the
//! window's capability (capabilities/default.json) must name every command it may call, and
//! nothing else is reachable. A command missing here is refused at run time; the test
//! `acl::every_command_is_allowed_and_nothing_else` keeps this list, commands.rs and the
//! capability in step.
const COMMANDS: &[&str] = &[
    "startup",
    "next_question",
    "question_takes",
    "start_recording",
    "stop_recording",
    "home",
    "question",
    "pushback",
    "bank_info",
    "library",
    "add_question",
    "update_question",
    "delete_question",
    "set_question_hidden",
    "import_questions",
    "export_questions",
    "start_round",
    "end_round",
    "review_queue",
    "take_review",
    "delivery_by_week",
    "discard_take",
    "list_devices",
    "get_settings",
    "set_settings",
    "start_mic_check",
    "stop_mic_check",
    "take_audio",
    "rubric",
    "rating_draft",
    "save_rating_draft",
    "finalize_rating",
    "take_ratings",
    "previous_rating",
    "question_commitment",
    "reviewed_answers",
    "add_marker",
    "update_marker",
    "delete_marker",
    "markers",
    "data_overview",
    "recordings",
    "export_ratings",
    "create_backup",
    "restore_backup",
    "restore_chosen_backup",
    "delete_take_audio",
    "progress_overview",
    "history",
    "question_history",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo::error=could not build the app's manifest and ACL: {e:#}");
        std::process::exit(1);
    }
}
