//! `candor-cli share` and `candor-cli import-opinion`: answers written into one page, a rating
//! saved as the page would save it, brought back; a changed file refused with nothing kept.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

use std::path::Path;
use std::process::{Command, Output};

const CLI: &str = env!("CARGO_BIN_EXE_candor-cli");

fn cli(data: &Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(CLI)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the page saves when its rater gives every criterion of every answer a 3.
fn answer_file(page: &str, payload_edit: impl Fn(String) -> String) -> String {
    let start = page.find("id=\"candor-share\">").unwrap() + "id=\"candor-share\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    let takes: Vec<serde_json::Value> = data["takes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let scores: Vec<serde_json::Value> = t["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| serde_json::json!({"criterion": c, "score": 3, "note": ""}))
                .collect();
            serde_json::json!({"take_id": t["id"], "audio_sha256": t["audio_sha256"],
                "scores": scores, "checks": [], "red_flags": [], "note": ""})
        })
        .collect();
    let payload = serde_json::json!({"rater": "Coach \u{202E}Kim", "saved_at": "2026-11-30T09:00:00Z", "takes": takes}).to_string();
    use sha2_free::seal;
    let sealed = seal(data["secret"].as_str().unwrap(), &payload);
    serde_json::json!({"candor_opinion": 1, "share_id": data["share_id"], "payload": payload_edit(payload), "seal": sealed}).to_string()
}

/// SHA-256 by the system's sha256sum (the test keeps to the crates the CLI tests already use).
mod sha2_free {
    pub fn seal(secret: &str, payload: &str) -> String {
        use std::io::Write;
        let mut child = std::process::Command::new("sha256sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(secret.as_bytes()).unwrap();
        stdin.write_all(payload.as_bytes()).unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout).unwrap()[..64].to_owned()
    }
}

#[test]
fn a_round_of_answers_goes_out_as_one_page_and_its_rating_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&cli(
        &data,
        &[
            "gen-history".as_ref(),
            "--takes".as_ref(),
            "3".as_ref(),
            "--audio".as_ref(),
        ],
    ));
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    let ids: Vec<String> = db
        .prepare("SELECT id FROM takes WHERE parent_id IS NULL ORDER BY started_at")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids.len(), 3);
    let page = dir.path().join("round.html");
    let mut args: Vec<&std::ffi::OsStr> = vec!["share".as_ref()];
    args.extend(ids.iter().map(std::ffi::OsStr::new));
    args.extend(["--out".as_ref(), page.as_os_str()]);
    let said = ok(&cli(&data, &args));
    assert!(said.contains("3 answer(s)"), "{said}");
    // Never over an existing file.
    assert!(!cli(&data, &args).status.success());
    let html = std::fs::read_to_string(&page).unwrap();

    // A changed rating is refused and nothing is kept.
    let file = dir.path().join("opinion.json");
    std::fs::write(
        &file,
        answer_file(&html, |p| p.replace("\"score\":3", "\"score\":5")),
    )
    .unwrap();
    let out = cli(&data, &["import-opinion".as_ref(), file.as_os_str()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("changed after the page saved it") && err.contains("Nothing was imported."),
        "{err}"
    );
    let n: u32 = db
        .query_row("SELECT count(*) FROM opinions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);

    // The file as the page saved it: one opinion per answer, the rater's name printed escaped.
    std::fs::write(&file, answer_file(&html, |p| p)).unwrap();
    let said = ok(&cli(&data, &["import-opinion".as_ref(), file.as_os_str()]));
    assert!(said.contains("rating of 3 answer(s)"), "{said}");
    assert!(!said.contains('\u{202E}'), "{said:?}");
    let n: u32 = db
        .query_row("SELECT count(*) FROM opinions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
}

#[test]
fn a_page_weighs_at_most_one_and_a_half_times_its_audio() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&cli(
        &data,
        &[
            "gen-history".as_ref(),
            "--takes".as_ref(),
            "1".as_ref(),
            "--audio".as_ref(),
        ],
    ));
    let db = rusqlite::Connection::open(data.join("candor.db")).unwrap();
    let id: String = db
        .query_row("SELECT id FROM takes WHERE parent_id IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    // The answer becomes three minutes of 16 kHz speech-like sound (the size a real take has).
    let seconds = 180u32;
    let wav = data.join("recordings").join(format!("{id}.wav"));
    let mut w = hound::WavWriter::create(
        &wav,
        hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        },
    )
    .unwrap();
    let mut x: u32 = 1;
    for _ in 0..16_000 * seconds {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        w.write_sample(((x >> 16) as i16) / 8).unwrap();
    }
    w.finalize().unwrap();
    db.execute(
        "UPDATE takes SET frames = ?1 WHERE id = ?2",
        rusqlite::params![16_000 * seconds, id],
    )
    .unwrap();
    let page = dir.path().join("page.html");
    ok(&cli(
        &data,
        &[
            "share".as_ref(),
            id.as_ref(),
            "--out".as_ref(),
            page.as_os_str(),
        ],
    ));
    let html = std::fs::metadata(&page).unwrap().len() as f64;
    let audio = std::fs::metadata(&wav).unwrap().len() as f64;
    let ratio = html / audio;
    println!(
        "page {:.2} MB for {:.2} MB of WAV ({} s at 16 kHz): {ratio:.3}x, {:.2} MB a minute",
        html / 1e6,
        audio / 1e6,
        seconds,
        html / 1e6 / (f64::from(seconds) / 60.0)
    );
    assert!(ratio <= 1.5, "the page is {ratio:.3} times its audio");
}
