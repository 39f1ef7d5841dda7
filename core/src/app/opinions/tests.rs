#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing loudly is the point

//! A take sent out as a page, rated as the page would, and brought back: kept when it is the
//! page's own file for the audio Candor still has; refused with nothing kept otherwise. Anchored
//! and outside ratings never grade a question and count in the calibration.

use super::*;
use crate::data_dir::DataDir;
use crate::store::{
    CheckAnswer, CheckMark, CriterionRating, NewTake, RatingInput, RatingKind, Store, TakeStatus,
};

fn open(dir: &Path) -> Candor {
    Candor::open(Ok(DataDir::at(dir)))
}

/// A finished take of a second of tone (a reply when `parent` is given).
fn take(dir: &DataDir, store: &Store, question: &str, parent: Option<&str>) -> String {
    let id = crate::data_dir::new_take_id();
    let new = match parent {
        None => NewTake::answer(&id, question, 16_000),
        Some(p) => NewTake {
            parent_id: Some(p),
            pushback: Some("What don't you know?"),
            ..NewTake::answer(&id, question, 16_000)
        },
    };
    store.insert_recording(&new).unwrap();
    let mut w = hound::WavWriter::create(
        dir.take_file(&id).unwrap(),
        crate::audio::wav::take_spec(16_000),
    )
    .unwrap();
    for i in 0..16_000 {
        w.write_sample(((i % 80) as i16 - 40) * 300).unwrap();
    }
    w.finalize().unwrap();
    store
        .finish(&id, TakeStatus::Complete, 16_000, None, None)
        .unwrap();
    id
}

/// The page's data, read back from the HTML.
fn page_data(html: &str) -> serde_json::Value {
    let start = html.find("id=\"candor-share\">").unwrap() + "id=\"candor-share\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// What the page saves when a rater scores every criterion of every take `score`.
fn rate_as_the_page_would(data: &serde_json::Value, rater: &str, score: u8) -> String {
    let takes: Vec<serde_json::Value> = data["takes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let scores: Vec<serde_json::Value> = t["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| serde_json::json!({"criterion": c, "score": score, "note": "heard it"}))
                .collect();
            serde_json::json!({
                "take_id": t["id"], "audio_sha256": t["audio_sha256"], "scores": scores,
                "checks": [{"criterion": "gaps", "index": 0, "answer": "no"}],
                "red_flags": ["sanitized_star"], "note": "Tell me more next time.",
            })
        })
        .collect();
    let payload =
        serde_json::json!({"rater": rater, "saved_at": "2026-11-30T09:00:00.000Z", "takes": takes})
            .to_string();
    let seal = crate::share::seal(data["secret"].as_str().unwrap(), &payload);
    serde_json::json!({"candor_opinion": 1, "share_id": data["share_id"], "payload": payload, "seal": seal}).to_string()
}

struct Fixture {
    _tmp: tempfile::TempDir,
    app: Candor,
    dir: DataDir,
    answer: String,
    reply: String,
    html: String,
    out: std::path::PathBuf,
}

fn shared() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(&tmp.path().join("data"));
    let dir = DataDir::at(tmp.path().join("data"));
    let (answer, reply) = {
        let folder = app.folder().unwrap();
        let a = take(&dir, folder.store(), "cv-which-world", None);
        let r = take(&dir, folder.store(), "cv-which-world", Some(&a));
        (a, r)
    };
    let out = tmp.path().join("page.html");
    let page = app.share_to(std::slice::from_ref(&answer), &out).unwrap();
    assert_eq!(page.takes, 1);
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(page.bytes, html.len() as u64);
    Fixture {
        _tmp: tmp,
        app,
        dir,
        answer,
        reply,
        html,
        out,
    }
}

fn import(f: &Fixture, text: &str) -> Result<ImportedOpinion> {
    let file = f
        .out
        .with_file_name(format!("opinion-{}.json", crate::share::random_hex(8)));
    std::fs::write(&file, text).unwrap();
    f.app.import_opinion(&file)
}

fn refused(r: Result<ImportedOpinion>, why: &str) {
    match r {
        Err(CoreError::BadOpinion(m)) => {
            assert!(m.contains(why), "{m}");
            assert!(m.contains("Nothing was imported."), "{m}");
        }
        other => panic!("{why}: {other:?}"),
    }
}

#[test]
fn the_page_carries_the_answer_and_its_reply_in_order_and_none_of_the_users_scores() {
    let f = shared();
    let data = page_data(&f.html);
    let t = &data["takes"][0];
    assert_eq!(t["id"], f.answer.as_str());
    let parts = t["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["kind"], "answer");
    assert_eq!(parts[1]["kind"], "reply");
    assert_eq!(parts[1]["pushback"], "What don't you know?");
    // The audio is each WAV file, whole.
    use base64::Engine as _;
    let wav = base64::engine::general_purpose::STANDARD
        .decode(parts[1]["audio_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        wav,
        std::fs::read(f.dir.take_file(&f.reply).unwrap()).unwrap()
    );
    // Without a feeling question, no feeling criterion; no score of the user's anywhere.
    assert_eq!(
        t["criteria"],
        serde_json::json!(["complexity", "gaps", "second_order", "honesty"])
    );
    assert!(!f.html.contains("\"mean\"") && !f.html.contains("\"kind\":\"reviewed\""));
    assert!(!f.html.to_lowercase().contains("http:") && !f.html.to_lowercase().contains("https:"));
}

#[test]
fn a_rating_saved_by_the_page_is_kept_with_the_raters_name_and_replaced_when_saved_again() {
    let f = shared();
    let data = page_data(&f.html);
    let got = import(&f, &rate_as_the_page_would(&data, "Sam Coach", 4)).unwrap();
    assert_eq!(got.rater, "Sam Coach");
    assert_eq!(got.take_ids, std::slice::from_ref(&f.answer));
    let ops = f.app.take_opinions(&f.answer).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].rater, "Sam Coach");
    assert_eq!(ops[0].scores.len(), 4);
    assert!(ops[0].scores.iter().all(|s| s.score == Some(4)));
    let gaps = ops[0]
        .scores
        .iter()
        .find(|s| s.criterion == "gaps")
        .unwrap();
    assert_eq!(
        gaps.checks,
        [CheckMark {
            index: 0,
            answer: CheckAnswer::No
        }]
    );
    assert_eq!(ops[0].red_flags, ["sanitized_star"]);
    // Saved again with other scores: the same rater's opinion is replaced; another rater adds one.
    import(&f, &rate_as_the_page_would(&data, "Sam Coach", 2)).unwrap();
    import(&f, &rate_as_the_page_would(&data, "Ana", 5)).unwrap();
    let ops = f.app.take_opinions(&f.answer).unwrap();
    assert_eq!(ops.len(), 2);
    assert_eq!(
        ops.iter().find(|o| o.rater == "Sam Coach").unwrap().scores[0].score,
        Some(2)
    );
}

#[test]
fn a_changed_a_foreign_or_an_out_of_date_answer_file_is_refused_and_nothing_is_kept() {
    let f = shared();
    let data = page_data(&f.html);
    let good = rate_as_the_page_would(&data, "Sam", 3);
    // Edited after saving: the seal no longer holds.
    let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
    let edited = v["payload"]
        .as_str()
        .unwrap()
        .replace("\"score\":3", "\"score\":5");
    v["payload"] = serde_json::Value::String(edited);
    refused(
        import(&f, &v.to_string()),
        "changed after the page saved it",
    );
    // A page this Candor did not make.
    let mut other = data.clone();
    other["share_id"] = serde_json::Value::String(crate::share::random_hex(32));
    refused(
        import(&f, &rate_as_the_page_would(&other, "Sam", 3)),
        "did not make",
    );
    // Another answer's id slipped in (sealed with the right secret, as a page cannot do).
    let mut foreign = data.clone();
    foreign["takes"][0]["id"] = serde_json::Value::String(f.reply.clone());
    refused(
        import(&f, &rate_as_the_page_would(&foreign, "Sam", 3)),
        "did not carry",
    );
    // The feeling check on a question that does not ask it.
    let mut feeling = data.clone();
    feeling["takes"][0]["criteria"] = serde_json::json!(["gaps", "feeling"]);
    refused(
        import(&f, &rate_as_the_page_would(&feeling, "Sam", 3)),
        "felt",
    );
    // Damaged.
    refused(import(&f, &good[..good.len() / 2]), "Candor can read");
    // The reply re-recorded since it was sent: the rating is about other audio.
    let wav = f.dir.take_file(&f.reply).unwrap();
    let mut bytes = std::fs::read(&wav).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(&wav, bytes).unwrap();
    refused(import(&f, &good), "not the one Candor has now");
    assert!(f.app.take_opinions(&f.answer).unwrap().is_empty());
}

fn review(app: &Candor, take_id: &str, score: u8) {
    let rating = RatingInput {
        take_id: take_id.into(),
        kind: RatingKind::Reviewed,
        step: 0,
        scores: crate::bank::CRITERIA
            .iter()
            .filter(|k| **k != "feeling")
            .map(|k| CriterionRating {
                criterion: (*k).into(),
                score: Some(score),
                note: String::new(),
                checks: vec![],
            })
            .collect(),
        red_flags: vec![],
        feelings: vec![],
        feelings_note: String::new(),
        commitment: String::new(),
    };
    app.finalize_rating(&rating).unwrap();
}

#[test]
fn anchored_and_outside_ratings_never_grade_the_question_and_count_in_the_calibration() {
    let f = shared();
    review(&f.app, &f.answer, 2);
    let card = || {
        f.app
            .folder()
            .unwrap()
            .store()
            .question_card("cv-which-world")
            .unwrap()
            .map(|c| format!("{c:?}"))
    };
    let before = card();
    assert!(before.is_some());
    f.app
        .save_anchored(
            &f.answer,
            &[AnchoredScore {
                criterion: "gaps".into(),
                score: 3,
                note: "The strong one names who to ask.".into(),
            }],
        )
        .unwrap();
    import(&f, &rate_as_the_page_would(&page_data(&f.html), "Sam", 4)).unwrap();
    assert_eq!(card(), before, "a second opinion graded the question");
    assert_eq!(f.app.anchored_scores(&f.answer).unwrap()[0].score, 3);
    let cal = f.app.criterion_calibration(Period::AllTime).unwrap();
    let gaps = cal.iter().find(|c| c.criterion == "gaps").unwrap();
    assert_eq!(gaps.reviewed, Some(2.0));
    assert_eq!(gaps.anchored_gap, Some(1.0));
    assert_eq!(gaps.outside_gap, Some(2.0));
    assert_eq!(gaps.regrade_gap, None);
    assert_eq!(gaps.counts, [1, 1, 0, 1]);
    let complexity = cal.iter().find(|c| c.criterion == "complexity").unwrap();
    assert_eq!(complexity.anchored_gap, None);
    assert_eq!(complexity.outside_gap, Some(2.0));
    // The anchored re-rating is checked against the rubric, and a reply is not rated.
    assert!(f
        .app
        .save_anchored(
            &f.answer,
            &[AnchoredScore {
                criterion: "charm".into(),
                score: 3,
                note: String::new()
            }]
        )
        .is_err());
    assert!(f.app.save_anchored(&f.reply, &[]).is_err());
}

#[test]
fn second_opinions_are_exported_as_their_own_kinds_and_come_back_with_a_backup() {
    let f = shared();
    f.app
        .save_anchored(
            &f.answer,
            &[AnchoredScore {
                criterion: "gaps".into(),
                score: 3,
                note: "=after the examples".into(),
            }],
        )
        .unwrap();
    import(&f, &rate_as_the_page_would(&page_data(&f.html), "Sam", 4)).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        &f.app
            .export_text(crate::app::data::ExportFormat::Json)
            .unwrap(),
    )
    .unwrap();
    let take = json["takes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["take_id"] == f.answer.as_str())
        .unwrap();
    let kinds: Vec<&str> = take["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["anchored", "outside"]);
    assert_eq!(take["ratings"][1]["rater"], "Sam");
    assert_eq!(take["ratings"][1]["rating_note"], "Tell me more next time.");
    assert_eq!(
        take["ratings"][0]["scores"][0]["note"],
        "=after the examples"
    );
    let csv = f
        .app
        .export_text(crate::app::data::ExportFormat::Csv)
        .unwrap();
    assert!(csv.contains(",'=after the examples,"), "{csv}");
    assert!(csv
        .lines()
        .any(|l| l.contains(",outside,") && l.contains(",Sam,")));

    // Backed up and restored into another folder: both are still there.
    let archive = f.out.with_file_name("b.candorbackup");
    f.app.backup_to(&archive, &mut |_| {}).unwrap();
    let other = tempfile::tempdir().unwrap();
    let restored = open(&other.path().join("data"));
    restored.restore(&archive, &mut |_| {}).unwrap();
    assert_eq!(
        restored.take_opinions(&f.answer).unwrap(),
        f.app.take_opinions(&f.answer).unwrap()
    );
    assert_eq!(restored.anchored_scores(&f.answer).unwrap()[0].score, 3);
}
