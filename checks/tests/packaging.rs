//! The Tauri configs, one shared (`src-tauri/tauri.conf.json`) and one per system
//! (`tauri.linux.conf.json`, `tauri.macos.conf.json`, `tauri.windows.conf.json`): each system's
//! merge (JSON Merge Patch, RFC 7396, as the Tauri CLI merges them) is valid against the config
//! schema the installed Tauri CLI ships, and holds what Candor relies on: Linux's .deb and .rpm
//! with their dependencies exactly as before the split, macOS's microphone text, entitlement,
//! hardened runtime, minimum version and dmg, Windows's NSIS installer and WebView2 mode, and
//! icon files that are what their names say.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

use serde_json::{json, Value};

fn read_json(rel: &str) -> Value {
    let path = candor_checks::root().join(rel);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

/// RFC 7396: objects merge key by key, `null` removes, anything else replaces.
fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(k);
                } else {
                    merge(b.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

/// The config Tauri builds with on `system` ("linux", "macos", "windows").
fn merged(system: &str) -> Value {
    let mut c = read_json("src-tauri/tauri.conf.json");
    merge(
        &mut c,
        &read_json(&format!("src-tauri/tauri.{system}.conf.json")),
    );
    c
}

const SYSTEMS: [&str; 3] = ["linux", "macos", "windows"];

#[test]
fn each_systems_config_is_valid_against_the_tauri_schema() {
    let schema_path = "ui/node_modules/@tauri-apps/cli/config.schema.json";
    assert!(
        candor_checks::root().join(schema_path).is_file(),
        "{schema_path} is missing: run make setup (npm ci in ui/ installs the Tauri CLI)"
    );
    let schema = read_json(schema_path);
    let validator = jsonschema::validator_for(&schema).unwrap();
    for system in SYSTEMS {
        let config = merged(system);
        let errors: Vec<String> = validator
            .iter_errors(&config)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "tauri.{system}.conf.json merged:\n{}",
            errors.join("\n")
        );
    }
    // The schema does catch a mistake (so the loop above is not vacuous).
    let mut wrong = merged("windows");
    merge(
        &mut wrong,
        &json!({"bundle": {"windows": {"webviewInstallMode": {"type": "sometimes"}}}}),
    );
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn the_merge_follows_rfc_7396() {
    let mut a = json!({"a": {"b": 1, "c": [1, 2]}, "d": 1});
    merge(&mut a, &json!({"a": {"c": [3], "e": 2}, "d": null}));
    assert_eq!(a, json!({"a": {"b": 1, "c": [3], "e": 2}}));
}

#[test]
fn linux_builds_the_deb_and_rpm_exactly_as_before() {
    let c = merged("linux");
    assert_eq!(c["bundle"]["targets"], json!(["deb", "rpm"]));
    // Byte for byte what tauri.conf.json said before the split.
    assert_eq!(
        c["bundle"]["linux"],
        json!({
            "deb": {
                "depends": ["libasound2"],
                "recommends": ["speech-dispatcher", "speech-dispatcher-espeak-ng"],
                "section": "education"
            },
            "rpm": {
                "depends": ["alsa-lib"],
                "recommends": ["speech-dispatcher", "espeak-ng"]
            }
        })
    );
    assert_eq!(c["bundle"]["category"], "Education");
    // The shared file builds nothing by itself, and no Linux setting leaks to the others.
    let base = read_json("src-tauri/tauri.conf.json");
    assert!(base["bundle"].get("targets").is_none());
    for system in ["macos", "windows"] {
        assert!(merged(system)["bundle"].get("linux").is_none(), "{system}");
    }
}

#[test]
fn every_system_is_the_same_app() {
    for system in SYSTEMS {
        let c = merged(system);
        // The identifier names the data folder (core's APP_ID): it never changes.
        assert_eq!(c["identifier"], "org.candor.Candor", "{system}");
        assert_eq!(c["productName"], "Candor", "{system}");
        assert_eq!(c["mainBinaryName"], "candor", "{system}");
        assert!(
            c["app"]["security"]["csp"]
                .as_str()
                .is_some_and(|csp| csp.contains("default-src 'self'")),
            "{system}"
        );
    }
}

fn read_text(rel: &str) -> String {
    std::fs::read_to_string(candor_checks::root().join(rel))
        .unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

/// The text of `<string>` after `<key>key</key>` in a plist, or `<true/>` as "true".
fn plist_value(plist: &str, key: &str) -> Option<String> {
    let after = plist
        .split(&format!("<key>{key}</key>"))
        .nth(1)?
        .trim_start();
    if after.starts_with("<true/>") {
        return Some("true".into());
    }
    let s = after.strip_prefix("<string>")?;
    Some(s[..s.find("</string>")?].to_string())
}

#[test]
fn macos_asks_for_the_microphone_in_candors_words_and_may_use_it_when_hardened() {
    let c = merged("macos");
    let mac = &c["bundle"]["macOS"];
    assert_eq!(c["bundle"]["targets"], json!(["app", "dmg"]));
    assert_eq!(mac["hardenedRuntime"], true);
    assert_eq!(mac["minimumSystemVersion"], "12.0");
    assert!(mac["dmg"].is_object());

    let info = read_text(&format!("src-tauri/{}", mac["infoPlist"].as_str().unwrap()));
    let why = plist_value(&info, "NSMicrophoneUsageDescription").unwrap();
    assert!(
        why.starts_with("Candor records your spoken answers"),
        "{why}"
    );
    assert!(why.contains("stay on this Mac"), "{why}");

    let ent = read_text(&format!(
        "src-tauri/{}",
        mac["entitlements"].as_str().unwrap()
    ));
    assert_eq!(
        plist_value(&ent, "com.apple.security.device.audio-input").as_deref(),
        Some("true")
    );
    // Not sandboxed: Candor reads a model file the user names, and runs `say`.
    assert!(!ent.contains("com.apple.security.app-sandbox"));
}

#[test]
fn windows_builds_an_nsis_installer_with_the_webview2_mode_stated() {
    let c = merged("windows");
    let win = &c["bundle"]["windows"];
    assert_eq!(c["bundle"]["targets"], json!(["nsis"]));
    assert_eq!(win["webviewInstallMode"]["type"], "downloadBootstrapper");
    assert_eq!(win["nsis"]["installMode"], "currentUser");
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let n = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (n(16), n(20))
}

#[test]
fn the_icons_are_what_their_names_say_and_come_from_one_source() {
    let root = candor_checks::root();
    assert!(root.join("src-tauri/icons/candor.svg").is_file());
    let base = read_json("src-tauri/tauri.conf.json");
    let icons: Vec<&str> = base["bundle"]["icon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for ext in [".png", ".icns", ".ico"] {
        assert!(icons.iter().any(|i| i.ends_with(ext)), "no {ext} icon");
    }
    for icon in icons {
        let bytes = std::fs::read(root.join("src-tauri").join(icon)).unwrap();
        match icon.rsplit_once('.').unwrap().1 {
            "icns" => assert_eq!(&bytes[..4], b"icns", "{icon}"),
            "ico" => assert_eq!(&bytes[..4], &[0, 0, 1, 0], "{icon}"),
            "png" => {
                let name = icon.rsplit('/').next().unwrap();
                let expected = match name {
                    "32x32.png" => 32,
                    "128x128.png" => 128,
                    "128x128@2x.png" => 256,
                    "icon.png" => 512,
                    other => panic!("an icon Candor does not list: {other}"),
                };
                assert_eq!(png_size(&bytes), (expected, expected), "{icon}");
            }
            other => panic!("{icon}: .{other}"),
        }
    }
}
