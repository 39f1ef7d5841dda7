//! candor-cli: Candor's core from a terminal (devices, record, recover, analyze, bank).

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use candor_core::audio::{list_inputs, CaptureOptions, LevelMeter, Recording};
use candor_core::data_dir::DataDir;
use candor_core::takes::{TakePlan, Takes};
use candor_core::{analysis, bank, CoreError};
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
    /// Question bank tools.
    Bank {
        #[command(subcommand)]
        command: BankCommand,
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

/// Whether a TOML file is a rubric rather than a question bank (it has `[[criteria]]` tables).
fn is_rubric(file: &std::path::Path) -> bool {
    std::fs::read_to_string(file)
        .map(|t| {
            t.lines()
                .any(|l| l.trim_start().starts_with("[[criteria]]"))
        })
        .unwrap_or(false)
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
                print!("{}: {}", file.display(), m.summary());
            }
        }
        Command::Bank {
            command: BankCommand::Validate { file },
        } if is_rubric(&file) => {
            let r = candor_core::rubric::load(&file)?;
            println!(
                "{}: {} criteria, {} red flags, {} feelings, {} exemplars, all valid",
                file.display(),
                r.criteria.len(),
                r.red_flags.len(),
                r.feelings.len(),
                r.exemplars.len()
            );
        }
        Command::Bank {
            command: BankCommand::Validate { file },
        } => {
            let b = bank::load(&file)?;
            println!(
                "{}: {} questions in {} categories, all valid",
                file.display(),
                b.questions.len(),
                b.categories.len()
            );
        }
    }
    Ok(())
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
