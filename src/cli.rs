//! Command-line definitions and the scriptable commands.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use thiserror::Error;

use crate::api::walk::{CursorWalk, all_studies};
use crate::api::{
    ApiError, HttpOptions, HttpSource, InterviewFilters, SharedSource, SnapshotSource,
};
use crate::config::{ConfigError, Flags, Settings};
use crate::output;
use crate::text::sanitize_line;

/// `uj` — a keyboard-first terminal browser for userjourneys.ai interviews.
#[derive(Debug, Parser)]
#[command(name = "uj", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command honours.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Use the bundled demo dataset (no network, no key).
    #[arg(long, global = true, conflicts_with = "offline")]
    pub demo: bool,
    /// Use a local snapshot directory (same format as the demo).
    #[arg(long, global = true, value_name = "DIR")]
    pub offline: Option<PathBuf>,
    /// The study to open or list (else UJ_STUDY, else the config's default_study).
    #[arg(long, global = true, value_name = "ID")]
    pub study: Option<String>,
    /// The API's base URL (else USERJOURNEYS_BASE_URL, else the config, else the default).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The config file (default: $XDG_CONFIG_HOME/uj/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Write a log here (level from UJ_LOG, e.g. debug). Never to the terminal.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Simulated latency of the demo or snapshot source, in milliseconds.
    #[arg(long, global = true, value_name = "N", default_value_t = 0)]
    pub demo_latency_ms: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the project's studies.
    Studies {
        /// JSON Lines: one API object per line.
        #[arg(long)]
        json: bool,
    },
    /// Print a study's interviews, one a line.
    Interviews(InterviewsArgs),
    /// Print one interview with its transcript and answers.
    Show {
        /// The interview id.
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Show the English translation instead of the original.
        #[arg(long)]
        translated: bool,
    },
}

#[derive(Debug, Args)]
pub struct InterviewsArgs {
    /// Only interviews with this status (completed, started, processing).
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Only interviews of this quality (insightful, successful, unsuccessful).
    #[arg(long, value_name = "Q")]
    pub quality: Option<String>,
    /// Only the interviews of this reference id.
    #[arg(long, value_name = "R")]
    pub reference_id: Option<String>,
    /// Print at most N interviews (default: the config's page_size).
    #[arg(long, value_name = "N", conflicts_with = "all", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Print every interview, walking all pages.
    #[arg(long)]
    pub all: bool,
    /// JSON Lines: one API object per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// A failure of a command, with the exit code it maps to.
#[derive(Debug, Error)]
pub enum CliError {
    /// Usage or configuration: exit code 2.
    #[error("{0}")]
    Usage(String),
    /// Network or API: exit code 1.
    #[error("{0}")]
    Runtime(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Runtime(_) => 1,
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Snapshot { .. } => CliError::Usage(e.to_string()),
            e => CliError::Runtime(e.to_string()),
        }
    }
}

/// Where data comes from for this run, and what the user should be told
/// about it.
pub struct Opened {
    pub source: SharedSource,
    /// Set when no key is configured and the demo stands in for the API.
    pub demo_banner: bool,
}

/// The settings, read once.
pub fn settings(global: &Global) -> Result<Settings, CliError> {
    let flags = Flags {
        config: global.config.clone(),
        base_url: global.base_url.clone(),
    };
    Ok(Settings::load(&flags, &|k| std::env::var(k).ok())?)
}

/// Opens the data source the flags and settings ask for. With
/// `demo_without_key`, a missing key opens the demo (the browser's rule)
/// instead of failing (the commands' rule).
pub fn open_source(
    global: &Global,
    settings: &Settings,
    demo_without_key: bool,
) -> Result<Opened, CliError> {
    let latency = Duration::from_millis(global.demo_latency_ms);
    let snapshot = |s: SnapshotSource, demo_banner| Opened {
        source: Arc::new(s.with_latency(latency)),
        demo_banner,
    };
    if global.demo {
        return Ok(snapshot(SnapshotSource::demo()?, false));
    }
    if let Some(dir) = &global.offline {
        return Ok(snapshot(SnapshotSource::open(dir)?, false));
    }
    match settings.resolve_key()? {
        Some(key) => {
            let http = HttpSource::new(settings.base_url.clone(), &key, HttpOptions::default())?;
            Ok(Opened {
                source: Arc::new(http),
                demo_banner: false,
            })
        }
        None if demo_without_key => Ok(snapshot(SnapshotSource::demo()?, true)),
        None => Err(CliError::Usage(
            "no API key is configured: set USERJOURNEYS_API_KEY (or api_key_command in the config file), or add --demo".into(),
        )),
    }
}

/// The study for commands: `--study`, else UJ_STUDY / default_study.
fn study_id(global: &Global, settings: &Settings) -> Result<String, CliError> {
    global
        .study
        .clone()
        .or_else(|| settings.default_study.clone())
        .ok_or_else(|| {
            CliError::Usage(
                "no study given: pass --study ID (see `uj studies`), or set UJ_STUDY or default_study in the config".into(),
            )
        })
}

/// Writes a line to stdout; a closed pipe (`uj … | head`) ends quietly.
fn emit(out: &mut impl Write, line: &str) -> Result<(), CliError> {
    match writeln!(out, "{line}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Runtime(String::new()))
        }
        Err(e) => Err(CliError::Runtime(format!(
            "could not write the output ({e})"
        ))),
        Ok(()) => Ok(()),
    }
}

fn warn(line: &str) {
    eprintln!("warning: {}", sanitize_line(line));
}

/// Runs one scriptable command.
pub async fn run_command(global: &Global, command: &Command) -> Result<(), CliError> {
    let settings = settings(global)?;
    for w in &settings.warnings {
        warn(w);
    }
    let opened = open_source(global, &settings, false)?;
    let source = opened.source;
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    match command {
        Command::Studies { json } => {
            if tty && !json {
                emit(&mut out, &output::study_header())?;
            }
            let (lines, stop) = all_studies(source.as_ref()).await?;
            for s in &lines {
                emit(
                    &mut out,
                    &if *json {
                        json_line(s)?
                    } else {
                        output::study_row(s)
                    },
                )?;
            }
            if let Some(stop) = stop {
                warn(&stop.to_string());
            }
        }
        Command::Interviews(args) => {
            let filters = InterviewFilters {
                study_id: study_id(global, &settings)?,
                status: args.status.clone(),
                quality: args.quality.clone(),
                reference_id: args.reference_id.clone(),
            };
            let want = if args.all {
                None
            } else {
                Some(args.limit.unwrap_or(settings.page_size) as usize)
            };
            let page_size = if args.all {
                100
            } else {
                want.unwrap_or(100).min(100) as u32
            };
            if tty && !args.json {
                emit(&mut out, &output::interview_header())?;
            }
            let mut w = CursorWalk::default();
            let mut printed = 0usize;
            let mut write_error = None;
            loop {
                if !w.has_more() || want.is_some_and(|n| printed >= n) {
                    break;
                }
                let page = source
                    .list_interviews(&filters, w.cursor(), Some(page_size))
                    .await?;
                for i in w.accept(page) {
                    if want.is_some_and(|n| printed >= n) {
                        break;
                    }
                    let line = if args.json {
                        json_line(&i)?
                    } else {
                        output::interview_row(&i)
                    };
                    if let Err(e) = emit(&mut out, &line) {
                        write_error = Some(e);
                        break;
                    }
                    printed += 1;
                }
                if let Some(e) = write_error {
                    return Err(e);
                }
            }
            if let crate::api::walk::WalkState::Stopped(stop) = w.state() {
                warn(&stop.to_string());
            } else if !args.all && w.has_more() {
                eprintln!("{printed} shown; there are more: use --all, or --limit N");
            }
        }
        Command::Show {
            id,
            format,
            translated,
        } => {
            let detail = source.get_interview(id).await?;
            let mode = output::mode_for(&detail, *translated);
            let text = match format {
                Format::Json => json_line(&detail)?,
                Format::Text => output::show_text(&detail, mode),
                Format::Markdown => output::show_markdown(&detail, mode),
            };
            emit(&mut out, text.trim_end_matches('\n'))?;
        }
    }
    out.flush().ok();
    Ok(())
}

fn json_line<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    output::json_line(value).map_err(|e| CliError::Runtime(format!("could not encode JSON ({e})")))
}
