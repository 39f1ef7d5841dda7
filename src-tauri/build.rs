//! Builds the app's ACL: each Candor command gets its own `allow-<command>` permission, so the
//! window's capability (capabilities/default.json) must name every command it may call, and
//! nothing else is reachable. The commands are read from src/commands.rs (every
//! `#[tauri::command]` function), so they are listed nowhere else for the ACL; the test
//! `every_command_is_allowed_and_nothing_else` keeps the capability in step.

/// The names of the `#[tauri::command]` functions in `source`, in order.
fn commands_in(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut marked = false;
    for line in source.lines().map(str::trim) {
        if line == "#[tauri::command]" {
            marked = true;
            continue;
        }
        if marked {
            let name = line
                .strip_prefix("pub async fn ")
                .or_else(|| line.strip_prefix("pub fn "))
                .and_then(|rest| rest.split(['(', '<']).next());
            if let Some(name) = name {
                out.push(name.trim().to_string());
                marked = false;
            }
        }
    }
    out
}

fn main() {
    println!("cargo::rerun-if-changed=src/commands.rs");
    let source = match std::fs::read_to_string("src/commands.rs") {
        Ok(s) => s,
        Err(e) => {
            println!("cargo::error=could not read src/commands.rs: {e}");
            std::process::exit(1);
        }
    };
    // The manifest wants 'static names; a build script lives only as long as this build.
    let commands: &'static [&'static str] = Box::leak(
        commands_in(&source)
            .into_iter()
            .map(|c| &*Box::leak(c.into_boxed_str()))
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo::error=could not build the app's manifest and ACL: {e:#}");
        std::process::exit(1);
    }
}
