//! The shell's lock-down, checked from what the build really produced: the capability set
//! resolved by tauri-build (gen/schemas, written by build.rs before any test runs), the CSP in
//! tauri.conf.json, and the IPC bindings (no filesystem path may cross IPC).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// The names of every `#[tauri::command]` in src/commands.rs.
fn declared_commands() -> BTreeSet<String> {
    let src = read(&crate_dir().join("src/commands.rs"));
    let mut out = BTreeSet::new();
    let mut after_attr = false;
    for line in src.lines() {
        let l = line.trim();
        if l == "#[tauri::command]" {
            after_attr = true;
        } else if after_attr {
            if let Some(rest) = l
                .strip_prefix("pub async fn ")
                .or_else(|| l.strip_prefix("pub fn "))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
                after_attr = false;
            }
        }
    }
    out
}

/// Expands one permission identifier into (plugin key, command) pairs it allows, recursing
/// through permission sets; `trail` collects every identifier met on the way.
fn expand(
    manifests: &Value,
    id: &str,
    trail: &mut BTreeSet<String>,
    allowed: &mut BTreeSet<(String, String)>,
) {
    trail.insert(id.to_string());
    let (key, name) = match id.rsplit_once(':') {
        Some((k, n)) => (k.to_string(), n.to_string()),
        None => ("__app-acl__".to_string(), id.to_string()),
    };
    let m = &manifests[&key];
    assert!(!m.is_null(), "permission {id}: no ACL manifest named {key}");
    if name == "default" {
        let set = &m["default_permission"]["permissions"];
        for p in set.as_array().into_iter().flatten() {
            let p = p.as_str().unwrap_or_default();
            expand(manifests, &qualify(&key, p), trail, allowed);
        }
    } else if let Some(set) = m["permission_sets"].get(&name) {
        for p in set["permissions"].as_array().into_iter().flatten() {
            let p = p.as_str().unwrap_or_default();
            expand(manifests, &qualify(&key, p), trail, allowed);
        }
    } else if let Some(perm) = m["permissions"].get(&name) {
        for c in perm["commands"]["allow"].as_array().into_iter().flatten() {
            allowed.insert((key.clone(), c.as_str().unwrap_or_default().to_string()));
        }
    } else {
        panic!("permission {id} is not defined in the ACL manifests");
    }
}

fn qualify(key: &str, p: &str) -> String {
    if key == "__app-acl__" || p.contains(':') {
        p.to_string()
    } else {
        format!("{key}:{p}")
    }
}

/// The capability set exactly as tauri-build resolved it, expanded to commands.
fn resolved_acl() -> (BTreeSet<String>, BTreeSet<(String, String)>, Value) {
    let gen = crate_dir().join("gen/schemas");
    let caps = json(&gen.join("capabilities.json"));
    let manifests = json(&gen.join("acl-manifests.json"));
    let mut trail = BTreeSet::new();
    let mut allowed = BTreeSet::new();
    for cap in caps.as_object().into_iter().flat_map(|m| m.values()) {
        for p in cap["permissions"].as_array().into_iter().flatten() {
            let id = p
                .as_str()
                .or_else(|| p["identifier"].as_str())
                .unwrap_or_default();
            expand(&manifests, id, &mut trail, &mut allowed);
        }
    }
    (trail, allowed, caps)
}

#[test]
fn every_command_is_allowed_and_nothing_else() {
    let (trail, allowed, _) = resolved_acl();
    // The allow-list: Candor's own commands only. No core:* (window, event, path, webview,
    // menu, tray...), no plugin permission (window-state's JS API, shell, http, fs...).
    let foreign: Vec<_> = trail
        .iter()
        .filter(|id| id.contains(':') || !id.starts_with("allow-"))
        .collect();
    assert!(
        foreign.is_empty(),
        "the window is granted permissions outside Candor's own commands: {foreign:?}"
    );
    let app: BTreeSet<String> = allowed
        .iter()
        .filter(|(k, _)| k == "__app-acl__")
        .map(|(_, c)| c.clone())
        .collect();
    assert_eq!(allowed.len(), app.len(), "only app commands may be allowed");
    let declared = declared_commands();
    assert!(declared.len() >= 40, "commands.rs parse found {declared:?}");
    let missing: Vec<_> = declared.difference(&app).collect();
    let extra: Vec<_> = app.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "commands with no permission (add them to build.rs COMMANDS and to \
         capabilities/default.json as \"allow-<name-with-dashes>\"): {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "permissions for commands that do not exist: {extra:?}"
    );
}

#[test]
fn only_the_main_window_and_only_local_content_get_a_capability() {
    let (_, _, caps) = resolved_acl();
    let caps = caps.as_object().cloned().unwrap_or_default();
    assert_eq!(caps.len(), 1, "one capability expected: {:?}", caps.keys());
    for (name, cap) in caps {
        assert_eq!(cap["windows"], serde_json::json!(["main"]), "{name}");
        assert!(cap["webviews"].is_null(), "{name}: no webview-wide grants");
        assert!(
            cap["remote"].is_null(),
            "{name}: remote content must get nothing"
        );
        assert_ne!(cap["local"], Value::Bool(false), "{name}");
    }
}

/// The CSP, directive -> sources.
fn csp() -> BTreeMap<String, Vec<String>> {
    let conf = json(&crate_dir().join("tauri.conf.json"));
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("tauri.conf.json must set app.security.csp as a string")
        .to_string();
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace().map(str::to_string);
            let name = parts.next().unwrap_or_default();
            (name, parts.collect())
        })
        .collect()
}

/// The CSP loads nothing from anywhere but the app itself (and the IPC custom protocol), and
/// never runs inline or evaluated script. `style-src` keeps 'unsafe-inline' on purpose: the
/// Svelte components set `style="--c: …"` attributes and wavesurfer.js puts a `<style>` into
/// its shadow root; inline styles cannot run code.
#[test]
fn csp_allows_no_remote_origin_no_eval_and_no_inline_script() {
    let csp = csp();
    for (name, sources) in &csp {
        for s in sources {
            let remote = s.contains("://") && s != "http://ipc.localhost";
            assert!(!remote, "{name} allows a remote origin: {s}");
            assert!(
                !s.starts_with("https:") && !s.starts_with("http:") || s.contains("ipc.localhost"),
                "{name} allows a whole scheme: {s}"
            );
            assert!(
                !s.starts_with("ws") && !s.contains('*'),
                "{name} allows {s}"
            );
            assert_ne!(s, "'unsafe-eval'", "{name} allows eval");
            assert_ne!(s, "'wasm-unsafe-eval'", "{name} allows wasm eval");
            assert_ne!(s, "'unsafe-hashes'", "{name} allows inline event handlers");
        }
    }
    let script = csp
        .get("script-src")
        .expect("the CSP must set script-src (default-src alone is too easy to widen)");
    assert_eq!(script, &vec!["'self'".to_string()], "script-src");
    for d in ["default-src", "script-src"] {
        let s = &csp[d];
        assert!(
            !s.iter()
                .any(|s| s == "'unsafe-inline'" || s == "data:" || s == "blob:"),
            "{d}: {s:?}"
        );
    }
    for d in [
        "object-src",
        "base-uri",
        "frame-ancestors",
        "form-action",
        "frame-src",
        "worker-src",
    ] {
        assert_eq!(
            csp.get(d),
            Some(&vec!["'none'".to_string()]),
            "{d} must be 'none'"
        );
    }
    assert_eq!(csp["default-src"], vec!["'self'".to_string()]);
}

/// No IPC type or argument is named like a filesystem location: recordings and exports are
/// addressed by id, files the user picks arrive as text.
#[test]
fn no_path_crosses_ipc() {
    let bindings = read(&crate_dir().join("../ui/src/lib/bindings.ts"));
    // `fileName` (import_questions) is the bare name the user picked, shown in messages;
    // the shell keeps only its last component and 100 characters (state::import_questions).
    // `fileName` of restore_backup is one of the names Candor itself listed from Downloads
    // (state::restore_backup refuses any other), and `file_name` (BackupMade) is the bare name
    // Candor gave a new backup, shown so the user can find it. `fileName` of import_opinion is
    // one of the answer files Candor listed from Downloads (core refuses any other), and
    // `file_name` of SharedPage and DroppedOpinion is a bare name (a page Candor wrote to
    // Downloads; the last component of a file dropped on the window).
    let allowed = ["fileName", "file_name"];
    let mut bad = BTreeSet::new();
    let mut word = String::new();
    let chars: Vec<char> = bindings.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_alphanumeric() || *c == '_' {
            word.push(*c);
            continue;
        }
        // A field or parameter: an identifier followed by `:` or `?:`.
        let next = chars[i..].iter().find(|c| !c.is_whitespace() && **c != '?');
        if !word.is_empty() && next == Some(&':') {
            let l = word.to_lowercase();
            let pathy = ["path", "file", "dir", "folder", "directory"]
                .iter()
                .any(|w| l.contains(w));
            if pathy && !allowed.contains(&word.as_str()) {
                bad.insert(word.clone());
            }
        }
        word.clear();
    }
    assert!(bad.is_empty(), "IPC fields named like paths: {bad:?}");
    // take_audio is registered outside the bindings: it takes an id and returns bytes.
    let commands = read(&crate_dir().join("src/commands.rs"));
    assert!(commands.contains("pub async fn take_audio(app: AppHandle, take_id: String)"));
}
