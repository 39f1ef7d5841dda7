//! candor-cli: Candor's core from a terminal (devices, record, recover, analyze, bank, stats,
//! export, backup, restore, transcribe, pushback, share, import-opinion).

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use candor_core::app::data::ExportFormat;
use candor_core::app::recording::{LevelSink, TakeRequest};
use candor_core::app::transcriber::Step;
use candor_core::app::Candor;
use candor_core::audio::{list_inputs, silence_warning, CaptureOptions, LevelMeter, Recording};
use candor_core::data_dir::DataDir;
use candor_core::platform::Platform;
use candor_core::store::Store;
use candor_core::{analysis, bank, sample_history, CoreError};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod output;
use output::Failure;

#[derive(Parser)]
#[command(name = "candor-cli", version, about = "Candor's core from a terminal")]
struct Cli {
    /// Data folder (default: $CANDOR_DATA_DIR, else ~/.local/share/org.candor.Candor on Linux,
    /// ~/Library/Application Support/org.candor.Candor on macOS, %APPDATA%\org.candor.Candor on
    /// Windows).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List input devices (stable id, name, default marked, default config).
    Devices {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Record from an input device to a WAV file, or as a take in the data folder.
    ///
    /// Exits with status 3 when audio was lost (the computer could not keep up); the recording
    /// is kept, and what was lost and where is printed.
    Record {
        /// Stop after this many seconds of audio (counted in frames). Without it, Enter stops.
        #[arg(long)]
        seconds: Option<f64>,
        /// Write this WAV file instead of a take in the data folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Input device id (see `devices`); for a take, the device chosen in the settings if absent.
        #[arg(long)]
        device: Option<String>,
        /// Rate of the WAV written (with --out; a take uses the rate chosen in the settings).
        #[arg(long)]
        rate: Option<u32>,
        /// The question the take answers: an id from your library (`candor-cli questions`).
        #[arg(long, required_unless_present_any = ["out", "prompt"], conflicts_with = "prompt")]
        question: Option<String>,
        /// A one-off question of your own, asked by its text (it is added to your library).
        #[arg(long, conflicts_with = "out")]
        prompt: Option<String>,
        /// The category of a --prompt question.
        #[arg(long, default_value = "behavioral", requires = "prompt")]
        category: String,
    },
    /// List the questions of your library (id, category, prompt).
    Questions,
    /// Repair and keep takes a crash left unfinished (only while no other Candor uses the folder).
    Recover,
    /// Measure the speech in a WAV file: speaking time, pauses, time to first word, peaks.
    Analyze {
        /// The WAV file.
        file: PathBuf,
        /// Print every metric as JSON.
        #[arg(long)]
        json: bool,
        /// Include the waveform peaks (100 a second) in the JSON.
        #[arg(long, requires = "json")]
        peaks: bool,
    },
    /// A short summary of your practice: answers, reviews, scores of the last 4 weeks, due today
    /// and the streak (the same figures as the window's Home; days are UTC days).
    Stats {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a generated practice history into an empty data folder (benchmarks and tests).
    #[command(hide = true)]
    GenHistory {
        /// Days of daily practice, ending today.
        #[arg(long, default_value_t = 1095)]
        days: u32,
        /// Instead of --days: this many calendar weeks (Monday to Sunday, UTC), this one included.
        #[arg(long)]
        weeks: Option<u32>,
        /// Answers in all.
        #[arg(long, default_value_t = 10_000)]
        takes: u32,
        /// Seed of the pseudo-random choices.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write a short replayable WAV for every take.
        #[arg(long)]
        audio: bool,
        /// Practise only the first N questions of the bank (many answers per question).
        #[arg(long)]
        questions: Option<usize>,
    },
    /// Question bank tools.
    Bank {
        #[command(subcommand)]
        command: BankCommand,
    },
    /// Export saved ratings and markers (schema: docs/export-schema.md), to stdout by default.
    Export {
        /// CSV, one row per saved rating.
        #[arg(long, conflicts_with = "json", required_unless_present = "json")]
        csv: bool,
        /// JSON, one object per take.
        #[arg(long)]
        json: bool,
        /// Write to this file instead (never over an existing one).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Back up the database and every recording into one archive file (never over an existing one).
    Backup {
        /// The archive to write, e.g. candor-backup-2026-11-27.candorbackup.
        file: PathBuf,
    },
    /// Replace the data with a backup, after checking every file in it; a damaged backup or one
    /// from a newer Candor is refused and nothing is changed. Works over a damaged database too.
    Restore {
        /// The archive to restore.
        file: PathBuf,
    },
    /// Transcribe speech on this machine, verbatim: a WAV file (printed), or a take (stored).
    Transcribe {
        /// The WAV file to transcribe (or give --take).
        file: Option<PathBuf>,
        /// Transcribe this take of the data folder and store its transcript.
        #[arg(long, conflicts_with = "file")]
        take: Option<String>,
        /// Transcribe every take still without a transcript, newest first (what the app does
        /// in the background), with the model chosen for the data folder.
        #[arg(long, conflicts_with_all = ["file", "take", "model", "json"])]
        pending: bool,
        /// With --pending: first put the takes whose transcription failed back in the queue.
        #[arg(long, requires = "pending")]
        retry: bool,
        /// The whisper.cpp model file (default: $CANDOR_MODEL, else a model added with `model import`).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print JSON: the text, `words` (word, start_s, end_s, p), `fillers`, `hedges`, segments, model.
        #[arg(long)]
        json: bool,
        /// CPU threads to use for a FILE (default: all but one, as the app does).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Speech models: list those added, add one, or check a file.
    Model {
        #[command(subcommand)]
        command: ModelCommand,
    },
    /// The push-back the interviewer asks after an answer, chosen from its words by the rules in
    /// assets/pushbacks.toml: prints it, the rule that chose it and why.
    Pushback {
        /// The question answered (with --transcript).
        #[arg(long, requires = "transcript")]
        question: Option<String>,
        /// The answer's transcript, as `candor-cli transcribe --json` prints it.
        #[arg(long, requires = "question", conflicts_with = "take")]
        transcript: Option<PathBuf>,
        /// A stored answer (or one of its replies): the push-back asked next, from its words and
        /// its replies'.
        #[arg(long, required_unless_present = "transcript")]
        take: Option<String>,
        /// Print JSON: {"text", "rule", "reason"}, or null when nothing is left to ask.
        #[arg(long)]
        json: bool,
    },
    /// Search every transcript for words; prints the take and the words around the match.
    Search {
        /// The words to find (the last may be the start of a word).
        words: Vec<String>,
    },
    /// Write answers (each with its replies) into one page a friend or coach opens in any
    /// browser, offline, to rate them and save an answer file (your own scores are never in it).
    Share {
        /// The answers' take ids (a mock round's answers make one page for a coach).
        #[arg(required = true)]
        take_ids: Vec<String>,
        /// The page to write (never over an existing file).
        #[arg(long)]
        out: PathBuf,
    },
    /// Bring back the answer file a rater saved from a shared page: checked against the page
    /// and the audio as it is now, then kept as their opinion of each answer it rates.
    ImportOpinion {
        /// The answer file (JSON, as the page saved it).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ModelCommand {
    /// The models added to the data folder: name, size, SHA-256.
    List,
    /// Check a whisper.cpp model file loads, then copy it into the data folder.
    Import {
        /// The model file (ggml), e.g. ggml-base.bin.
        file: PathBuf,
    },
    /// Check a model file loads, and print its SHA-256.
    Verify {
        /// The model file.
        file: PathBuf,
    },
    /// The models Candor offers to download: file name, size, whether it is here.
    Offered,
    /// Download an offered model from its pinned address (the one network connection Candor
    /// makes), check it and add it; an interrupted download goes on where it stopped.
    Download {
        /// The model's file name, as `model offered` prints it (e.g. ggml-base.bin).
        name: String,
    },
    /// Choose which added model transcribes (by file name); without a name, the default.
    Use {
        /// The model's file name, as `model list` prints it.
        name: Option<String>,
    },
}

/// The model to transcribe with: the one named, else `$CANDOR_MODEL`, else the one chosen for
/// the data folder (`model use`), else the default among those added.
fn model_for(app: &Candor, given: Option<PathBuf>) -> Result<PathBuf, CoreError> {
    if let Some(p) = given.or_else(|| std::env::var_os("CANDOR_MODEL").map(PathBuf::from)) {
        return Ok(p);
    }
    let pick = app.current_model()?.ok_or_else(|| {
        CoreError::NotFound(
            "a speech model: give --model FILE, or add one with `candor-cli model import FILE`"
                .into(),
        )
    })?;
    app.model_path(&pick.name)
}

/// A transcript as text: the words, then the fillers and the uncertainty said out loud.
fn transcript_text(t: &candor_core::transcribe::Transcript) -> String {
    let mut out = format!("{}\n", t.text);
    out.push_str(&format!(
        "\n{} words, {} fillers, {} times uncertainty said out loud (model {}).\n",
        t.words.len(),
        t.fillers.len(),
        t.hedges.len(),
        t.model.name
    ));
    for h in &t.hedges {
        out.push_str(&format!("  {:>7.2} s  {}\n", h.start_s, h.text));
    }
    out
}

#[derive(Subcommand)]
enum BankCommand {
    /// Check a questions or rubric TOML file (a rubric is told by its [[criteria]] tables);
    /// lists every error with its line and column.
    Validate {
        /// The TOML file.
        file: PathBuf,
    },
}

/// Opens Candor on the data folder; a folder that cannot be opened is an error here.
fn open(cli_dir: Option<PathBuf>) -> Result<Candor, CoreError> {
    let dir = data_dir(cli_dir);
    if let Ok(d) = &dir {
        candor_core::log_file::install(d.log_file());
    }
    let app = Candor::open(dir);
    if let Some(problem) = app.startup().problem {
        return Err(problem);
    }
    for t in app.recovered() {
        eprintln!(
            "Recovered take {} that a crash left unfinished ({:?}).",
            t.id, t.status
        );
    }
    Ok(app)
}

fn data_dir(cli_dir: Option<PathBuf>) -> Result<DataDir, CoreError> {
    match cli_dir {
        Some(d) => Ok(DataDir::at(d)),
        None => DataDir::resolve(),
    }
}

fn wait_for_enter() {
    eprintln!("Recording... press Enter to stop.");
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Devices { json } => {
            let devices = list_inputs()?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&devices).unwrap_or_default()
                );
            } else if devices.is_empty() {
                return Err(CoreError::NoInputDevice.into());
            } else {
                for d in devices {
                    let mark = if d.is_default { "*" } else { " " };
                    let cfg = d
                        .default_config
                        .map_or("(no usable configuration)".into(), |c| {
                            format!(
                                "{} Hz, {} ch, {}",
                                c.sample_rate, c.channels, c.sample_format
                            )
                        });
                    say!("{mark} {:<40} {:<40} {cfg}", d.id, d.name);
                }
            }
        }
        Command::Record {
            seconds,
            out,
            device,
            rate,
            question,
            prompt,
            category,
        } => {
            /// Exit status of a recording that was kept but lost audio on the way.
            const LOST_AUDIO_EXIT: i32 = 3;
            match out {
                Some(path) => {
                    let opts = CaptureOptions {
                        device_id: device,
                        sample_rate: rate.unwrap_or(16_000),
                        max_seconds: seconds,
                    };
                    let level = Arc::new(LevelMeter::default());
                    let rec = Recording::start(&opts, &path, level)?;
                    if rec.device().fell_back {
                        eprintln!("The requested device is missing; using the default input.");
                    }
                    eprintln!("Recording from {} to {}", rec.device().name, path.display());
                    if seconds.is_some() {
                        rec.wait();
                    } else {
                        wait_for_enter();
                    }
                    let summary = rec.stop();
                    eprintln!(
                        "Wrote {:.2} s ({} frames at {} Hz), {} overruns, {} xruns",
                        summary.duration_s(),
                        summary.frames,
                        summary.sample_rate,
                        summary.overruns,
                        summary.xruns
                    );
                    if let Some(lost) = summary.lost.describe() {
                        eprintln!("{lost}");
                    }
                    if let Some(e) = summary.fault {
                        return Err(e.into());
                    }
                    if summary.lost.any() {
                        std::process::exit(LOST_AUDIO_EXIT);
                    }
                }
                None => {
                    let app = open(cli.data_dir)?;
                    let question_id = match (question, prompt) {
                        (Some(id), _) => app.question(&id)?.id,
                        (None, Some(text)) => {
                            let q = app.add_one_off_question(&text, &category)?;
                            eprintln!("Added your question to the library as {}.", q.id);
                            q.id
                        }
                        (None, None) => {
                            return Err(CoreError::InvalidInput(
                                "Say which question the take answers: --question ID (see `candor-cli questions`) or --prompt TEXT.".into(),
                            ).into())
                        }
                    };
                    // Said once when the input stays silent, as the window says it: on macOS
                    // and Windows it names the microphone permission.
                    let mut warned = false;
                    let silence: LevelSink = Box::new(move |u| {
                        if u.silent && !warned {
                            warned = true;
                            eprintln!("{}", silence_warning(Platform::this()));
                        }
                        true
                    });
                    let started = app.start_recording_with(
                        TakeRequest {
                            question_id,
                            ..TakeRequest::default()
                        },
                        Some(silence),
                        |o| {
                            if device.is_some() {
                                o.device_id = device;
                            }
                            if seconds.is_some() {
                                o.max_seconds = seconds;
                            }
                            if let Some(r) = rate {
                                o.sample_rate = r;
                            }
                        },
                    )?;
                    eprintln!(
                        "Recording take {} from {}",
                        started.take_id, started.device_name
                    );
                    if seconds.is_some() {
                        app.wait_for_recording()?;
                    } else {
                        wait_for_enter();
                    }
                    let stopped = app.stop_recording()?;
                    say!("{}", stopped.take.id);
                    if let Some(lost) = stopped.take.lost.describe() {
                        eprintln!("{lost}");
                    }
                    if let Some(e) = stopped.problem {
                        return Err(e.into());
                    }
                    if stopped.take.lost.any() {
                        // The take is kept; the folder is closed properly before leaving.
                        drop(app);
                        std::process::exit(LOST_AUDIO_EXIT);
                    }
                }
            }
        }
        Command::Questions => {
            for e in open(cli.data_dir)?.library()? {
                let mark = if e.hidden { " (hidden)" } else { "" };
                say!(
                    "{:<28} {:<24} {}{mark}",
                    e.question.id,
                    e.question.category,
                    e.question.prompt
                );
            }
        }
        Command::Recover => {
            let app = Candor::open_alone(data_dir(cli.data_dir)?, "recover unfinished takes")?;
            let recovered = app.recovered().to_vec();
            if recovered.is_empty() {
                say!("Nothing to recover.");
            }
            for t in recovered {
                let secs = t.frames as f64 / f64::from(t.sample_rate.max(1));
                say!("{} {:?} {:.2} s", t.id, t.status, secs);
            }
        }
        Command::Analyze { file, json, peaks } => {
            let mut m =
                analysis::analyze_file(&file, &analysis::AnalysisParams::default(), &mut |_| {})?;
            if json && peaks {
                use std::io::Write;
                // Streamed: the peaks of a long take are a large array.
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                serde_json::to_writer(&mut out, &m)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out))
                    .and_then(|()| out.flush())
                    .map_err(output::failure)?;
            } else if json {
                // Without --peaks the peaks array is left out, to keep the output readable.
                m.peaks = Vec::new();
                let mut v = serde_json::to_value(&m).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.remove("peaks");
                }
                say!("{v}");
            } else {
                let name = candor_core::input_file::display_name(&file);
                put!("{name}: {}", m.summary());
            }
        }
        Command::Export { csv, json: _, out } => {
            let format = if csv {
                ExportFormat::Csv
            } else {
                ExportFormat::Json
            };
            let text = open(cli.data_dir)?.export_text(format)?;
            match out {
                Some(path) => candor_core::downloads::write_new_file(&path, text.as_bytes())?,
                None => output::put(&text)?,
            }
        }
        Command::Backup { file } => {
            let summary = open(cli.data_dir)?.backup_to(&file, &mut |_| {})?;
            say!(
                "Backed up the database and {} recording(s) to {} ({:.1} MB).",
                summary.recordings,
                file.display(),
                summary.bytes as f64 / 1e6
            );
        }
        Command::Restore { file } => {
            // Not opened first: the folder is taken alone at once (or the restore refused), and
            // a damaged or newer database is replaced unread.
            let summary = Candor::restore_unopened(data_dir(cli.data_dir)?, &file, &mut |_| {})?;
            say!(
                "Restored the backup made {}: the database and {} recording(s).",
                summary.created_at,
                summary.recordings
            );
        }
        Command::Stats { json } => {
            let sum = open(cli.data_dir)?.overview()?;
            if json {
                say!("{}", serde_json::to_string_pretty(&sum).unwrap_or_default());
            } else {
                put!("{}", stats_text(&sum, &candor_core::rubric::builtin()?));
            }
        }
        Command::GenHistory {
            days,
            weeks,
            takes,
            seed,
            audio,
            questions,
        } => {
            let dir = data_dir(cli.data_dir)?;
            dir.ensure()?;
            let store = Store::open(&dir.database())?;
            if !store.list_takes()?.is_empty() {
                return Err(CoreError::InvalidInput(format!(
                    "{} already holds takes; give an empty data folder (--data-dir) so nothing is mixed in",
                    dir.root().display()
                )).into());
            }
            let end = chrono_now();
            let days = match weeks {
                Some(w) => {
                    use chrono::Datelike;
                    end.weekday().num_days_from_monday() + 7 * w.saturating_sub(1) + 1
                }
                None => days,
            };
            let spec = sample_history::HistorySpec {
                days,
                takes,
                seed,
                end,
                with_audio: audio,
            };
            // The questions a user with no role set is offered (no other role's wording).
            let offered = candor_core::practice::for_role(bank::builtin()?.questions, None);
            let asked = &offered[..questions.unwrap_or(usize::MAX).min(offered.len())];
            let g = sample_history::generate(
                &dir,
                &store,
                asked,
                &candor_core::rubric::builtin()?,
                &spec,
            )?;
            say!(
                "{}: {} takes, {} ratings, {} scores, {} checks, {} markers",
                dir.database().display(),
                g.takes,
                g.ratings,
                g.scores,
                g.checks,
                g.markers
            );
        }
        Command::Transcribe {
            pending: true,
            retry,
            ..
        } => {
            let app = open(cli.data_dir)?;
            if retry {
                app.retry_transcriptions(None)?;
            }
            let stored = app.transcribe_pending(|step| match step {
                // A closed or full output shows at the summary line below.
                Step::Stored(id) => drop(output::put(&format!("{id}  transcribed\n"))),
                Step::Failed(id, why) => drop(output::put(&format!("{id}  failed: {why}\n"))),
                Step::GaveWay | Step::Wait => {}
            })?;
            let failed = app.transcript_failures()?.len();
            say!("{stored} transcribed; {failed} failed (retry with --pending --retry).");
        }
        Command::Transcribe {
            file,
            take,
            model,
            json,
            threads,
            ..
        } => {
            let t = match (file, take) {
                (_, Some(take)) => {
                    let app = open(cli.data_dir)?;
                    let model = model_for(&app, model)?;
                    app.transcribe_take(&take, &model)?
                }
                (Some(file), None) => {
                    let model = match model
                        .or_else(|| std::env::var_os("CANDOR_MODEL").map(PathBuf::from))
                    {
                        Some(m) => m,
                        None => model_for(&open(cli.data_dir)?, None)?,
                    };
                    let m = candor_core::transcribe::Model::load(&model)?;
                    let cues = candor_core::transcribe::cues::builtin()?;
                    candor_core::transcribe::transcribe_file(
                        &m,
                        &file,
                        &cues,
                        threads.unwrap_or_else(candor_core::transcribe::default_threads),
                    )?
                }
                (None, None) => {
                    return Err(CoreError::InvalidInput(
                        "give a WAV file to transcribe, or --take ID".into(),
                    )
                    .into())
                }
            };
            if json {
                say!("{}", serde_json::to_string_pretty(&t).unwrap_or_default());
            } else {
                put!("{}", transcript_text(&t));
            }
        }
        Command::Model { command } => match command {
            ModelCommand::List => {
                let models = open(cli.data_dir)?.model_list()?;
                if models.is_empty() {
                    say!("No speech model added yet: `candor-cli model import FILE` adds one.");
                }
                for m in models {
                    let speed = match m.times_real_time {
                        Some(x) => format!("  {x:.1}x real time here"),
                        None => String::new(),
                    };
                    let heard = if m.minutes_heard > 0.0 {
                        format!(" ({:.1} min heard)", m.minutes_heard)
                    } else {
                        String::new()
                    };
                    let in_use = if m.in_use { "  in use" } else { "" };
                    say!(
                        "{}  {:.1} MB  {}{speed}{heard}{in_use}",
                        m.name,
                        m.megabytes,
                        m.sha256
                    );
                }
            }
            ModelCommand::Import { file } => {
                let m = open(cli.data_dir)?.import_model(&file)?;
                say!(
                    "Added {} ({:.1} MB, SHA-256 {}).",
                    m.name,
                    m.bytes as f64 / 1e6,
                    m.sha256
                );
            }
            ModelCommand::Offered => {
                for m in open(cli.data_dir)?.offered_models()? {
                    let o = &m.offered;
                    let state = match (m.added, m.partial_mb) {
                        (true, _) => "added".to_string(),
                        (false, Some(mb)) => format!("{mb} MB downloaded so far"),
                        (false, None) => String::new(),
                    };
                    let default = if o.default { " (recommended)" } else { "" };
                    say!("{}  {} MiB  {}{default}  {state}", o.name, o.mib, o.title);
                }
            }
            ModelCommand::Download { name } => {
                let app = open(cli.data_dir)?;
                let mut last = std::time::Instant::now();
                let info = app.download_model(&name, &mut |p| {
                    if last.elapsed().as_millis() >= 500 {
                        last = std::time::Instant::now();
                        match p.total {
                            Some(t) => {
                                eprint!("\r{:.0} of {:.0} MB", p.done as f64 / 1e6, t as f64 / 1e6)
                            }
                            None => eprint!("\r{:.0} MB", p.done as f64 / 1e6),
                        }
                    }
                })?;
                eprintln!();
                say!(
                    "Added {} ({:.1} MB, SHA-256 {}).",
                    info.name,
                    info.bytes as f64 / 1e6,
                    info.sha256
                );
            }
            ModelCommand::Use { name } => {
                let app = open(cli.data_dir)?;
                app.choose_model(name.as_deref())?;
                match app.current_model()? {
                    Some(m) => say!("Transcripts are made with {}.", m.name),
                    None => {
                        say!("No speech model added yet: `candor-cli model import FILE` adds one.")
                    }
                }
            }
            ModelCommand::Verify { file } => {
                let m = candor_core::transcribe::Model::load(&file)?.info;
                say!(
                    "{}: loads; {:.1} MB, SHA-256 {}",
                    m.name,
                    m.bytes as f64 / 1e6,
                    m.sha256
                );
            }
        },
        Command::Pushback {
            question,
            transcript,
            take,
            json,
        } => {
            let app = open(cli.data_dir)?;
            let chosen = match (question, transcript, take) {
                (Some(q), Some(file), _) => app.pushback_for_transcript_file(&q, &file)?,
                (_, _, Some(id)) => app.next_pushback(&id)?,
                _ => {
                    return Err(CoreError::InvalidInput(
                        "give --take ID, or --question ID with --transcript FILE.json".into(),
                    )
                    .into())
                }
            };
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&chosen)
                        .map_err(|e| CoreError::InvalidInput(e.to_string()))?
                );
            } else {
                match chosen {
                    Some(c) => say!("{}\n  rule: {}\n  why:  {}", c.text, c.rule, c.reason),
                    None => say!("Nothing is left to ask after this answer."),
                }
            }
        }
        Command::Share { take_ids, out } => {
            let page = open(cli.data_dir)?.share_to(&take_ids, &out)?;
            say!(
                "Wrote {} ({} answer(s), {:.1} MB, of which audio {:.1} MB). Send it yourself; the \
                 rater saves an answer file for `candor-cli import-opinion`.",
                out.display(),
                page.takes,
                page.bytes as f64 / 1e6,
                page.audio_bytes as f64 / 1e6
            );
        }
        Command::ImportOpinion { file } => {
            let got = open(cli.data_dir)?.import_opinion(&file)?;
            say!(
                "Imported {}'s rating of {} answer(s): {}",
                candor_core::text::printable(&got.rater),
                got.take_ids.len(),
                got.take_ids.join(", ")
            );
        }
        Command::Search { words } => {
            let hits = open(cli.data_dir)?.search_transcripts(&words.join(" "))?;
            if hits.is_empty() {
                say!("No transcript holds those words.");
            }
            for h in hits {
                say!("{}  {}", h.take_id, h.snippet);
            }
        }
        Command::Bank {
            command: BankCommand::Validate { file },
        } => {
            // Read once (a regular file, bounded); a rubric is told by its [[criteria]] tables.
            let checked = bank::check_file(&file)?;
            let name = candor_core::input_file::display_name(&file);
            say!("{name}: {}", checked.summary());
        }
    }
    Ok(())
}

/// Now, for the generator (the core takes the end of the history as an argument).
fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// The text `stats` prints: one fact a line, criteria by their short names.
fn stats_text(
    sum: &candor_core::app::progress::Overview,
    rubric: &candor_core::rubric::Rubric,
) -> String {
    let name = |k: &str| {
        rubric
            .criteria
            .iter()
            .find(|c| c.key == k)
            .map_or(k.to_string(), |c| c.short.clone())
    };
    let mut out = format!(
        "Answers: {} ({} reviewed, {} waiting for review)\n",
        sum.takes, sum.reviewed, sum.waiting_for_review
    );
    out += "Last 4 weeks, mean review score (1-5):\n";
    for c in &sum.last_four_weeks {
        let v = c.mean.map_or("no reviews".to_string(), |m| {
            format!("{m:.1} ({} scored)", c.scored)
        });
        out += &format!("  {:<14}{v}\n", name(&c.criterion));
    }
    out += &match &sum.weakest {
        Some(w) => format!("Weakest: {}\n", name(w)),
        None => "Weakest: not known yet (no reviews in the last 4 weeks)\n".to_string(),
    };
    out += &format!(
        "Due today: {} question{}\n",
        sum.due_today,
        if sum.due_today == 1 { "" } else { "s" }
    );
    out += &format!(
        "Days in a row: {}\n",
        match sum.streak_days {
            0 => "0 (answer a question today to start a streak)".to_string(),
            n => n.to_string(),
        }
    );
    out
}

/// The command as parsed, for the note other processes name this one by ("candor-cli restore",
/// "candor-cli model import"): the subcommands only, never the values of options before them.
fn command_name(matches: &clap::ArgMatches) -> String {
    let mut name = "candor-cli".to_string();
    let mut at = matches;
    while let Some((sub, inner)) = at.subcommand() {
        name.push(' ');
        name.push_str(sub);
        at = inner;
    }
    name
}

fn main() -> ExitCode {
    candor_core::error::survive_file_size_limit();
    let matches = Cli::command().get_matches();
    candor_core::data_dir::lock::set_process_name(&command_name(&matches));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match run(cli) {
        Ok(()) | Err(Failure::ClosedPipe) => ExitCode::SUCCESS,
        Err(Failure::Core(e)) => {
            // One line a person can act on; bank errors list one problem per line.
            eprintln!("candor-cli: {e}");
            ExitCode::FAILURE
        }
    }
}
