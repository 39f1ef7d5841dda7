//! Checks of the repository itself, run by `cargo test --workspace` (so by `make test`): they
//! read the sources, configs and workflows as files and hold no code of Candor's. The tests are
//! in `tests/`; this library only finds the files.

use std::path::{Path, PathBuf};

/// The workspace's root folder (where `Cargo.toml` names the members), so every check reads the
/// same files wherever cargo runs it from.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// Every file under `dir` (relative to the root, with `/` separators) whose name ends with
/// `suffix`, skipping build output and dependencies; sorted, so failures read the same each run.
pub fn files_under(dir: &str, suffix: &str) -> Vec<String> {
    let root = root();
    let mut out = Vec::new();
    let mut stack = vec![root.join(dir)];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if !matches!(name.as_str(), "target" | "node_modules" | "gen" | ".git") {
                    stack.push(p);
                }
            } else if name.ends_with(suffix) {
                if let Ok(rel) = p.strip_prefix(&root) {
                    let parts: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    out.push(parts.join("/"));
                }
            }
        }
    }
    out.sort();
    out
}
