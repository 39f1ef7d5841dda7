//! candor-cli: Candor's core from a terminal (devices, record, recover, analyze, bank, stats,
//! export, backup, restore).

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use candor_core::audio::{list_inputs, CaptureOptions, LevelMeter, Recording};
use candor_core::data_dir::DataDir;
use candor_core::store::Store;
use candor_core::takes::{TakePlan, Takes};
use candor_core::{analysis, backup, bank, progress, sample_history, schedule, CoreError};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "candor-cli", version, about = "Candor's core from a terminal")]
struct Cli {
    /// Data folder (default: $CANDOR_DATA_DIR, else ~/.local/share/org.candor.Candor).
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
    Record {
        /// Stop after this many seconds of audio (counted in frames). Without it, Enter stops.
        #[arg(long)]
        seconds: Option<f64>,
        /// Write this WAV file instead of a take in the data folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Input device id (see `devices`); the default input if absent.
        #[arg(long)]
        device: Option<String>,
        /// Rate of the WAV written.
        #[arg(long, default_value_t = 16_000)]
        rate: u32,
        /// Question the take answers (takes only).
        #[arg(long, default_value = "cli")]
        question: String,
    },
    /// Repair and keep takes a crash left unfinished.
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
    /// A short summary of your practice: takes, reviews, scores of the last 4 weeks, due today.
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
    /// from a newer Candor is refused and nothing is changed.
    Restore {
        /// The archive to restore.
        file: PathBuf,
    },
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

fn data_dir(cli_dir: Option<PathBuf>) -> Result<DataDir, CoreError> {
    match cli_dir {
        Some(d) => Ok(DataDir::at(d)),
        None => DataDir::resolve(),
    }
}

/// Writes a new file; an existing file is never replaced.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> Result<(), CoreError> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => CoreError::InvalidInput(format!(
                "{} already exists; choose another name",
                path.display()
            )),
            _ => CoreError::io(format!("Could not create {}", path.display()), e),
        })?;
    f.write_all(bytes)
        .map_err(|e| CoreError::io(format!("Could not write {}", path.display()), e))
}

fn wait_for_enter() {
    eprintln!("Recording... press Enter to stop.");
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
}

fn run(cli: Cli) -> Result<(), CoreError> {
    match cli.command {
        Command::Devices { json } => {
            let devices = list_inputs()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&devices).unwrap_or_default()
                );
            } else if devices.is_empty() {
                return Err(CoreError::NoInputDevice);
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
                    println!("{mark} {:<40} {:<40} {cfg}", d.id, d.name);
                }
            }
        }
        Command::Record {
            seconds,
            out,
            device,
            rate,
            question,
        } => {
            let opts = CaptureOptions {
                device_id: device,
                sample_rate: rate,
                max_seconds: seconds,
            };
            let level = Arc::new(LevelMeter::default());
            match out {
                Some(path) => {
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
                    if let Some(e) = summary.fault {
                        return Err(e);
                    }
                }
                None => {
                    let (mut takes, _) = Takes::open(data_dir(cli.data_dir)?)?;
                    let started = takes.start(&TakePlan::answer(question.clone()), &opts, level)?;
                    eprintln!(
                        "Recording take {} from {}",
                        started.take_id, started.device.name
                    );
                    if seconds.is_some() {
                        takes.wait();
                    } else {
                        wait_for_enter();
                    }
                    let stopped = takes.stop()?;
                    println!("{}", stopped.take.id);
                    if let Some(e) = stopped.fault {
                        return Err(e);
                    }
                }
            }
        }
        Command::Recover => {
            let (_, recovered) = Takes::open(data_dir(cli.data_dir)?)?;
            if recovered.is_empty() {
                println!("Nothing to recover.");
            }
            for t in recovered {
                let secs = t.frames as f64 / f64::from(t.sample_rate.max(1));
                println!("{} {:?} {:.2} s", t.id, t.status, secs);
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
                    .map_err(|e| CoreError::io("Could not write the JSON", e))?;
            } else if json {
                // Without --peaks the peaks array is left out, to keep the output readable.
                m.peaks = Vec::new();
                let mut v = serde_json::to_value(&m).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.remove("peaks");
                }
                println!("{v}");
            } else {
                let name = candor_core::input_file::display_name(&file);
                print!("{name}: {}", m.summary());
            }
        }
        Command::Export { csv, json: _, out } => {
            let (takes, _) = Takes::open(data_dir(cli.data_dir)?)?;
            let e = backup::export::collect(takes.store())?;
            let text = if csv {
                backup::export::to_csv(&e)?
            } else {
                backup::export::to_json(&e)? + "\n"
            };
            match out {
                Some(path) => write_new(&path, text.as_bytes())?,
                None => {
                    use std::io::Write;
                    std::io::stdout()
                        .lock()
                        .write_all(text.as_bytes())
                        .map_err(|e| CoreError::io("Could not write the export", e))?;
                }
            }
        }
        Command::Backup { file } => {
            let summary = backup::create(&data_dir(cli.data_dir)?, &file, &mut |_| {})?;
            println!(
                "Backed up the database and {} recording(s) to {} ({:.1} MB).",
                summary.recordings,
                file.display(),
                summary.bytes as f64 / 1e6
            );
        }
        Command::Restore { file } => {
            let (mut takes, _) = Takes::open(data_dir(cli.data_dir)?)?;
            let summary = backup::restore_into(&mut takes, &file, &mut |_| {})?;
            println!(
                "Restored the backup made {}: the database and {} recording(s).",
                summary.created_at, summary.recordings
            );
        }
        Command::Stats { json } => {
            let dir = data_dir(cli.data_dir)?;
            dir.ensure()?;
            let store = Store::open(&dir.database())?;
            let sum = progress::summary(&store, schedule::end_of_today())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&sum).unwrap_or_default());
            } else {
                print!("{}", stats_text(&sum, &candor_core::rubric::builtin()?));
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
                )));
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
            let b = bank::builtin()?;
            let asked = &b.questions[..questions.unwrap_or(usize::MAX).min(b.questions.len())];
            let g = sample_history::generate(
                &dir,
                &store,
                asked,
                &candor_core::rubric::builtin()?,
                &spec,
            )?;
            println!(
                "{}: {} takes, {} ratings, {} scores, {} checks, {} markers",
                dir.database().display(),
                g.takes,
                g.ratings,
                g.scores,
                g.checks,
                g.markers
            );
        }
        Command::Bank {
            command: BankCommand::Validate { file },
        } => {
            // Read once (a regular file, bounded); a rubric is told by its [[criteria]] tables.
            let checked = bank::check_file(&file)?;
            let name = candor_core::input_file::display_name(&file);
            println!("{name}: {}", checked.summary());
        }
    }
    Ok(())
}

/// Now, for the generator (the core takes the end of the history as an argument).
fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// The text `stats` prints: one fact a line, criteria by their short names.
fn stats_text(sum: &progress::Summary, rubric: &candor_core::rubric::Rubric) -> String {
    let name = |k: &str| {
        rubric
            .criteria
            .iter()
            .find(|c| c.key == k)
            .map_or(k.to_string(), |c| c.short.clone())
    };
    let mut out = format!("Answers: {} ({} reviewed)\n", sum.takes, sum.reviewed);
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

fn main() -> ExitCode {
    candor_core::error::survive_file_size_limit();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line a person can act on; bank errors list one problem per line.
            eprintln!("candor-cli: {e}");
            ExitCode::FAILURE
        }
    }
}
