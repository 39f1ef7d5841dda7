#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

//! The page (its policy, that it holds no address, that its data survives any text) and the
//! answer file (every damaged form refused; a byte changed anywhere either leaves the rating as
//! it was or breaks the seal).

use proptest::prelude::*;

use super::*;

const SHARE: &str = "0123456789abcdef0123456789abcdef";
const TAKE: &str = "fedcba9876543210fedcba9876543210";
const SECRET: &str = "5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2";

fn audio_sha() -> String {
    "ab".repeat(32)
}

fn payload() -> String {
    serde_json::json!({
        "rater": "Sam Coach",
        "saved_at": "2026-11-30T08:00:00.000Z",
        "takes": [{
            "take_id": TAKE,
            "audio_sha256": audio_sha(),
            "scores": [
                {"criterion": "complexity", "score": 4, "note": "Named the tension."},
                {"criterion": "gaps", "score": null, "note": ""},
            ],
            "checks": [
                {"criterion": "complexity", "index": 1, "answer": "partly"},
                {"criterion": "complexity", "index": 0, "answer": "yes"},
            ],
            "red_flags": ["sanitized_star"],
            "note": "Good\nanswer.",
        }],
    })
    .to_string()
}

fn file_with(payload: &str, seal_text: &str) -> Vec<u8> {
    serde_json::json!({
        "candor_opinion": 1, "share_id": SHARE, "payload": payload, "seal": seal_text,
    })
    .to_string()
    .into_bytes()
}

fn good_file() -> Vec<u8> {
    let p = payload();
    file_with(&p, &seal(SECRET, &p))
}

fn refused(bytes: &[u8], why: &str) {
    match parse_answer_file(bytes) {
        Err(CoreError::BadOpinion(m)) => assert!(m.contains(why), "{m}"),
        other => panic!("{why}: {other:?}"),
    }
}

#[test]
fn a_good_answer_file_reads_with_its_checks_in_order_and_its_seal_holds() {
    let f = parse_answer_file(&good_file()).unwrap();
    assert_eq!(f.share_id, SHARE);
    assert_eq!(f.rater, "Sam Coach");
    assert_eq!(seal(SECRET, &f.payload), f.seal);
    let t = &f.takes[0];
    assert_eq!(t.take_id, TAKE);
    assert_eq!(t.scores[0].score, Some(4));
    assert_eq!(t.scores[1].score, None);
    let idx: Vec<u8> = t.scores[0].checks.iter().map(|m| m.index).collect();
    assert_eq!(idx, [0, 1]);
    assert_eq!(t.red_flags, ["sanitized_star"]);
    assert_eq!(t.note, "Good\nanswer.");
}

/// The payload with one field set to `value` (by a JSON pointer into the first take or the top).
fn payload_with(pointer: &str, value: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&payload()).unwrap();
    *v.pointer_mut(pointer).unwrap() = value;
    v.to_string()
}

#[test]
fn every_damaged_form_is_refused_with_why() {
    use serde_json::json;
    refused(b"", "cut short");
    refused(b"{\"candor_opinion\": 1", "cut short");
    refused(b"<html>", "not JSON");
    refused(&vec![b' '; (MAX_ANSWER_FILE_BYTES + 1) as usize], "at most");
    refused(b"[]", "wrong kind");
    let p = payload();
    let s = seal(SECRET, &p);
    let outer = |v: serde_json::Value| v.to_string().into_bytes();
    refused(
        &outer(json!({"candor_opinion": 2, "share_id": SHARE, "payload": p, "seal": s})),
        "format 2",
    );
    refused(
        &outer(json!({"candor_opinion": 1, "share_id": "../etc", "payload": p, "seal": s})),
        "share id",
    );
    refused(
        &outer(json!({"candor_opinion": 1, "share_id": SHARE, "payload": p, "seal": "x"})),
        "seal",
    );
    refused(
        &outer(
            json!({"candor_opinion": 1, "share_id": SHARE, "payload": p, "seal": s, "extra": 1}),
        ),
        "unknown",
    );
    refused(&file_with("not json", &s), "not JSON");
    let cases: Vec<(String, &str)> = vec![
        (payload_with("/rater", json!("   ")), "no rater"),
        (
            payload_with("/rater", json!("a".repeat(101))),
            "longer than 100",
        ),
        (
            payload_with("/rater", json!("Sam\u{1b}[31m")),
            "control characters",
        ),
        (payload_with("/saved_at", json!("yesterday")), "date"),
        (payload_with("/takes", json!([])), "rates 0 answers"),
        (
            payload_with("/takes/0/take_id", json!("../../x")),
            "take id",
        ),
        (
            payload_with("/takes/0/audio_sha256", json!("00")),
            "audio checksum",
        ),
        (payload_with("/takes/0/scores/0/score", json!(6)), "1 to 5"),
        (payload_with("/takes/0/scores/0/score", json!(0)), "1 to 5"),
        (
            payload_with("/takes/0/scores/0/score", json!(-1)),
            "wrong kind",
        ),
        (
            payload_with("/takes/0/scores/0/score", json!("4")),
            "wrong kind",
        ),
        (
            payload_with("/takes/0/scores/1/criterion", json!("complexity")),
            "scored twice",
        ),
        (
            payload_with("/takes/0/scores/0/criterion", json!("Drop Table")),
            "unknown",
        ),
        (
            payload_with("/takes/0/checks/0/answer", json!("maybe")),
            "yes, partly or no",
        ),
        (
            payload_with("/takes/0/checks/0/criterion", json!("honesty")),
            "no criterion rated",
        ),
        (
            payload_with("/takes/0/checks/1/index", json!(1)),
            "answered twice",
        ),
        (
            payload_with("/takes/0/red_flags", json!(["a", "a"])),
            "ticked twice",
        ),
        (
            payload_with("/takes/0/red_flags", json!(["<script>"])),
            "red flag",
        ),
        (
            payload_with("/takes/0/note", json!("x".repeat(10_001))),
            "longer than 10000",
        ),
    ];
    for (p, why) in cases {
        refused(&file_with(&p, &seal(SECRET, &p)), why);
    }
    let mut v: serde_json::Value = serde_json::from_str(&payload()).unwrap();
    let take = v["takes"][0].clone();
    v["takes"].as_array_mut().unwrap().push(take);
    let p = v.to_string();
    refused(&file_with(&p, &seal(SECRET, &p)), "one answer twice");
}

#[test]
fn an_edited_payload_no_longer_matches_its_seal() {
    let p = payload();
    let s = seal(SECRET, &p);
    let edited = p.replace("\"score\":4", "\"score\":5");
    assert_ne!(edited, p);
    let f = parse_answer_file(&file_with(&edited, &s)).unwrap();
    assert_ne!(seal(SECRET, &f.payload), f.seal);
    // Another page's secret does not make it either.
    assert_ne!(seal(&"0".repeat(64), &p), s);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_read_or_refused_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        match parse_answer_file(&bytes) {
            Ok(_) | Err(CoreError::BadOpinion(_)) => {}
            Err(e) => prop_assert!(false, "wrong error: {e}"),
        }
    }

    #[test]
    fn a_byte_changed_anywhere_keeps_the_rating_or_breaks_the_seal(at in 0usize..10_000, to in any::<u8>()) {
        let good = good_file();
        let mut bytes = good.clone();
        let at = at % bytes.len();
        bytes[at] = to;
        match parse_answer_file(&bytes) {
            Err(CoreError::BadOpinion(_)) => {}
            Err(e) => prop_assert!(false, "wrong error: {e}"),
            // Still readable: either the same rating (a change in the file's outer spacing) or
            // one whose seal no longer holds.
            Ok(f) => prop_assert!(
                seal(SECRET, &f.payload) != f.seal || f.payload == payload(),
                "a changed rating kept its seal"
            ),
        }
    }
}

fn sample_data(question: &str) -> ShareData {
    ShareData {
        format: FORMAT,
        share_id: SHARE.into(),
        secret: SECRET.into(),
        made_at: "2026-11-30T08:00:00Z".into(),
        rubric: SharedRubric::of(&crate::rubric::builtin().unwrap()),
        takes: vec![SharedTake {
            id: TAKE.into(),
            question: question.into(),
            category: "Core views".into(),
            recorded_at: "2026-11-29T10:00:00Z".into(),
            criteria: vec!["complexity".into(), "gaps".into()],
            audio_sha256: audio_sha(),
            parts: vec![SharedPart {
                kind: "answer",
                pushback: None,
                duration_s: 1.5,
                mime: "audio/wav",
                audio_base64: "UklGRg==".into(),
                transcript: Some("Hello there.".into()),
            }],
        }],
    }
}

/// The JSON between the data element's tags.
fn data_in(page: &str) -> serde_json::Value {
    let start = page.find("id=\"candor-share\">").unwrap() + "id=\"candor-share\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

#[test]
fn the_page_allows_only_its_own_script_and_style_and_names_no_address() {
    let page = render(&sample_data("What breaks first?")).unwrap();
    let csp = content_security_policy();
    assert!(page.contains(&format!("content=\"{csp}\"")));
    assert!(csp.starts_with("default-src 'none'; script-src 'sha256-"));
    assert!(csp.contains("style-src 'sha256-") && csp.contains("media-src blob:"));
    assert!(!csp.contains("unsafe"));
    let lower = page.to_lowercase();
    assert!(
        !lower.contains("http:") && !lower.contains("https:"),
        "the page names an address"
    );
    assert!(!lower.contains("//cdn") && !lower.contains("src=\"//"));
    // Exactly one script that runs, one style, and the data.
    assert_eq!(page.matches("<script>").count(), 1);
    assert_eq!(page.matches("<style>").count(), 1);
    assert!(!page.contains("{{"), "a placeholder was left");
}

#[test]
fn any_text_in_the_data_stays_data() {
    let hostile = "</script><script>alert(1)</script> {{SCRIPT}} <!-- &amp; \u{2028}";
    let page = render(&sample_data(hostile)).unwrap();
    assert_eq!(page.matches("<script>").count(), 1);
    assert_eq!(data_in(&page)["takes"][0]["question"], hostile);
    assert_eq!(data_in(&page)["secret"], SECRET);
}

#[test]
fn the_audio_checksum_follows_every_byte_of_every_part_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.wav");
    let b = dir.path().join("b.wav");
    std::fs::write(&a, b"answer audio").unwrap();
    std::fs::write(&b, b"reply audio").unwrap();
    let ab = audio_checksum(&[a.clone(), b.clone()]).unwrap();
    assert_eq!(ab.len(), 64);
    assert_ne!(ab, audio_checksum(&[b.clone(), a.clone()]).unwrap());
    std::fs::write(&b, b"reply audiO").unwrap();
    assert_ne!(ab, audio_checksum(&[a, b]).unwrap());
}
