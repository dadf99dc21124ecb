//! Command-line definitions and the scriptable commands.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use thiserror::Error;

use crate::api::model::{Quality, Status};
use crate::api::{ApiError, HttpOptions, HttpSource, SharedSource, SnapshotSource};
use crate::config::{ConfigError, Flags, Settings};
use crate::output;
use crate::store::{ListQuery, Store, StoreError};
use crate::text::sanitize_line;

mod answers;
mod coding;
pub use coding::citation;
mod doctor;
mod export;
mod man;
mod marks;
mod read;
mod search;
mod sync;

/// `uj` — a keyboard-first terminal browser for userjourneys.ai interviews.
#[derive(Debug, Parser)]
#[command(name = "uj", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command honours. Under their own heading, so a
/// subcommand's `--help` shows its own options apart from these.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Use the bundled demo dataset (no network, no key; kept in memory).
    #[arg(long, global = true, conflicts_with_all = ["snapshot", "offline"])]
    pub demo: bool,
    /// Use a local snapshot directory (same format as the demo; kept in memory).
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "offline")]
    pub snapshot: Option<PathBuf>,
    /// Use the local store only: no network request at all.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Sync a stored study before reading it, however recent its last sync (else only when older than max_age).
    #[arg(long, global = true, conflicts_with = "offline")]
    pub refresh: bool,
    /// Keep nothing on disk: an in-memory store for this run.
    #[arg(long, global = true)]
    pub no_store: bool,
    /// The study to open or list (else UJ_STUDY, else the config's
    /// default_study); `uj sync` takes it several times.
    #[arg(long, global = true, value_name = "ID", action = clap::ArgAction::Append)]
    pub study: Vec<String>,
    /// The API's base URL (else USERJOURNEYS_BASE_URL, else the config, else the default).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The config file (default: $XDG_CONFIG_HOME/uj/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Write a log here (level from UJ_LOG, e.g. debug). Never to the terminal.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// A profile of the config ([profiles.NAME]: its base URL, key, study and store) (else UJ_PROFILE).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Simulated latency of the demo or snapshot source, in milliseconds.
    #[arg(long, global = true, value_name = "N", default_value_t = 0)]
    pub demo_latency_ms: u64,
}

impl Global {
    /// The one study named by `--study`, if any; several are only for
    /// `uj sync`.
    pub fn one_study(&self) -> Result<Option<String>, CliError> {
        match self.study.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.clone())),
            _ => Err(CliError::Usage(
                "--study was given more than once: only `uj sync` takes several".into(),
            )),
        }
    }
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
        /// The interview id, or a unique start of it (as the transcript header
        /// shows: 5df3bf0a), looked up in the store or the demo/snapshot.
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Which text the transcript and the answers' excerpts show. With
        /// `--format json` the object is the API's, which holds both.
        #[command(flatten)]
        text: TextArg,
    },
    /// Mirror studies into the local store.
    Sync(SyncArgs),
    /// Every interview's answer to one question (synced first unless --offline).
    Answers {
        /// The question's number (1-based); without it, the study's questions with how many answered each.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        question: Option<u32>,
        #[arg(long, value_enum, default_value_t = AnswersFormat::Text)]
        format: AnswersFormat,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Full-text search across a study's interviews (synced first unless --offline).
    Search {
        /// Words (all must match one text; word starts match) or "a phrase".
        query: String,
        /// Print at most N hits.
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: usize,
        /// One JSON object per hit.
        #[arg(long)]
        json: bool,
    },
    /// Write a study from the store to files (Markdown, CSV, JSON Lines, snapshot).
    Export(ExportArgs),
    /// Print a shell completion script (install: see the README).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Triage marks: export them as JSON Lines, or merge a file of them in.
    Marks {
        #[command(subcommand)]
        action: MarksAction,
    },
    /// Check the set-up: config, key, base URL, API, store, terminal.
    Doctor,
    /// Print the browser's keys in force (the config's [keys] over the defaults), by context.
    Keys {
        /// JSON Lines: one binding per line.
        #[arg(long)]
        json: bool,
    },
    /// The study's codebook: list, rename, merge, move, describe or delete codes.
    Codes {
        #[command(subcommand)]
        action: CodesAction,
        /// JSON Lines.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Every highlight of the study (of --code and the codes beneath it), or `add` one.
    #[command(args_conflicts_with_subcommands = true)]
    Highlights {
        #[command(subcommand)]
        action: Option<HighlightsAction>,
        /// Only the highlights of this code or a code beneath it.
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
        #[arg(long, value_enum, default_value_t = HighlightsFormat::Text)]
        format: HighlightsFormat,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Write the study's findings as one Markdown file: themes and codes with counts and cited quotes.
    Report(ReportArgs),
    /// Codes against a segmentation: how many interviews have each code, by quality, language, …
    Matrix {
        /// The columns: quality, language, status, tag, reviewed, question, or interview (the 0/1 table).
        #[arg(long, value_enum, default_value_t = crate::store::Segment::Quality)]
        by: crate::store::Segment,
        #[arg(long, value_enum, default_value_t = MatrixFormat::Text)]
        format: MatrixFormat,
        #[command(flatten)]
        filters: FilterArgs,
    },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The Markdown file to write (must not exist yet; `-` is standard output).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Only these codes (and the codes beneath them), comma-separated.
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub codes: Vec<String>,
    /// Quotes under each code, best first (insightful, then the latest).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub quotes_per_code: usize,
    #[command(flatten)]
    pub text: TextArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Replace PATH if it is a regular file (as `uj export --force`).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum CodesAction {
    /// Every code in codebook order, with its counts (a theme's take in its codes).
    List,
    /// Rename a code.
    Rename { old: String, new: String },
    /// Merge FROM into INTO: its highlights take INTO, the descriptions are joined, FROM goes.
    Merge { from: String, into: String },
    /// Put a code under a parent (a theme), or at the top.
    Move {
        code: String,
        /// The theme to put it under.
        #[arg(long, value_name = "P", conflicts_with = "top")]
        parent: Option<String>,
        /// Make it a top-level code.
        #[arg(long)]
        top: bool,
    },
    /// Set a code's description.
    Describe { code: String, text: String },
    /// Delete a code: its highlights lose it (asks on a terminal; elsewhere needs --yes).
    Delete {
        code: String,
        /// Delete without asking.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum HighlightsAction {
    /// Code one message of a stored interview (or a part of it).
    Add(HighlightAddArgs),
}

#[derive(Debug, Args)]
pub struct HighlightAddArgs {
    /// The interview's id.
    #[arg(long, value_name = "ID")]
    pub interview: String,
    /// The message's number in the transcript, from 1 (as `uj show` prints them).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub message: u32,
    /// A code (made when the study has none of that name); give several for several codes.
    #[arg(long, value_name = "C", required = true)]
    pub code: Vec<String>,
    /// The first character of the part to highlight (from 0; default: the message's start).
    #[arg(long, value_name = "A")]
    pub start: Option<usize>,
    /// The character after the part (default: the message's end).
    #[arg(long, value_name = "B")]
    pub end: Option<usize>,
    /// A comment on the highlight.
    #[arg(long, value_name = "T")]
    pub comment: Option<String>,
    #[command(flatten)]
    pub text: TextArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HighlightsFormat {
    Text,
    Csv,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Text,
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum MarksAction {
    /// Print every mark (of --study, or of all studies) as JSON Lines.
    Export {
        /// Read the marks from this store file instead (a damaged or moved store, or another user's), read-only, saving what can be read.
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
    /// Merge marks from a JSON Lines file (`-` for stdin); importing twice changes nothing.
    Import {
        /// The file `uj marks export` wrote.
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, value_enum)]
    pub format: crate::export::Format,
    /// Where: a directory (markdown, csv, snapshot) or a file (jsonl, csv with --table) that must not exist yet; `-` is standard output for jsonl and for csv with --table.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// With csv: write only this table, as one file (or to standard output with --out -).
    #[arg(long, value_enum, value_name = "TABLE")]
    pub table: Option<crate::export::Table>,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub text: TextArg,
    /// Replace PATH if an earlier uj export wrote it (a file, or a directory with its .uj-export marker); nothing else is replaced.
    #[arg(long)]
    pub force: bool,
    /// Only interviews matching this query (as `uj interviews --query`).
    #[arg(long, value_name = "Q", conflicts_with = "view")]
    pub query: Option<String>,
    /// Only interviews of this saved view (the config's [views]).
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

/// `--text original|english|both`, with `--translated` kept as the alias
/// scripts already use for `--text english`.
#[derive(Debug, Args)]
pub struct TextArg {
    /// The words as spoken (original), the English where a translation exists (english), or both, the English under each original.
    #[arg(long, value_enum, value_name = "TEXT", default_value_t = TextChoice::Original)]
    pub text: TextChoice,
    /// The same as --text english (kept for scripts).
    #[arg(long, conflicts_with = "text")]
    pub translated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextChoice {
    Original,
    English,
    Both,
}

impl TextArg {
    pub fn mode(&self) -> crate::present::TextMode {
        use crate::present::TextMode;
        match (self.translated, self.text) {
            (true, _) | (false, TextChoice::English) => TextMode::English,
            (false, TextChoice::Both) => TextMode::Both,
            (false, TextChoice::Original) => TextMode::Original,
        }
    }
}

/// The interview filters `uj interviews` and `uj export` share.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only interviews with this status.
    #[arg(long, value_name = "S", value_parser = PossibleValuesParser::new(Status::NAMES).map(Status::from))]
    pub status: Option<Status>,
    /// Only interviews of this quality.
    #[arg(long, value_name = "Q", value_parser = PossibleValuesParser::new(Quality::NAMES).map(Quality::from))]
    pub quality: Option<Quality>,
    /// Only the interviews of this reference id.
    #[arg(long, value_name = "R")]
    pub reference_id: Option<String>,
    /// Only interviews marked reviewed (yes) or not (no); marks are local, so this reads the store.
    #[arg(long, value_name = "yes|no", value_parser = ["yes", "no"])]
    pub reviewed: Option<String>,
    /// Only starred interviews (reads the store).
    #[arg(long)]
    pub starred: bool,
    /// Only interviews with this tag (reads the store).
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
    /// Only interviews in this language, as a code like ja (reads the store: the API has no such filter).
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
}

impl FilterArgs {
    /// The filters as given, for a report's header.
    pub fn shown(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut add = |k: &str, v: Option<&str>| {
            if let Some(v) = v {
                out.push(format!("{k} {v}"));
            }
        };
        add("status", self.status.as_ref().map(|s| s.as_str()));
        add("quality", self.quality.as_ref().map(|q| q.as_str()));
        add("reference id", self.reference_id.as_deref());
        add("reviewed", self.reviewed.as_deref());
        add("tag", self.tag.as_deref());
        add("language", self.language.as_deref());
        if self.starred {
            out.push("starred".into());
        }
        out
    }

    /// The list query these filters make, for `study`.
    pub fn query(&self, study: &str) -> ListQuery {
        ListQuery {
            marks: self.marks(),
            language: self.language.clone(),
            ..ListQuery::from(self.interviews(study))
        }
    }

    /// The filters the API knows, for `study`.
    pub fn interviews(&self, study: &str) -> crate::api::InterviewFilters {
        crate::api::InterviewFilters {
            study_id: study.to_string(),
            status: self.status.clone(),
            quality: self.quality.clone(),
            reference_id: self.reference_id.clone(),
        }
    }

    /// The filters by the user's marks.
    pub fn marks(&self) -> crate::store::MarkFilters {
        crate::store::MarkFilters {
            reviewed: self.reviewed.as_deref().map(|r| r == "yes"),
            starred: self.starred,
            tag: self.tag.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Every study of the project (else the --study ones, else UJ_STUDY or default_study).
    #[arg(long)]
    pub all: bool,
    /// Detail requests in flight at once (1-16; default: the config's sync_concurrency).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    pub concurrency: Option<u16>,
    /// One JSON object per study instead of the summary line.
    #[arg(long)]
    pub json: bool,
    /// Fetch every transcript again, not only those that can have changed.
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct InterviewsArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print at most N interviews (default: the config's page_size).
    #[arg(long, value_name = "N", conflicts_with = "all", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Print every interview, walking all pages.
    #[arg(long)]
    pub all: bool,
    /// JSON Lines: one API object per line.
    #[arg(long)]
    pub json: bool,
    /// Only interviews matching this query (words, "phrases", quality:, status:, lang:, tag:, code:, is:, answered:, duration:, date:, ref:, -term, OR, parentheses; docs/search.md). Reads the store.
    #[arg(long, value_name = "Q", conflicts_with = "view")]
    pub query: Option<String>,
    /// Only interviews of this saved view (the config's [views]). Reads the store.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

/// The query a `--query` or `--view` names, if any.
pub fn chosen_query(
    settings: &Settings,
    query: Option<&str>,
    view: Option<&str>,
) -> Result<Option<String>, CliError> {
    if let Some(q) = query {
        return Ok(Some(q.to_string()));
    }
    let Some(name) = view else { return Ok(None) };
    match settings.views.get(name) {
        Some(q) => Ok(Some(q.clone())),
        None => {
            let known: Vec<&str> = settings.views.keys().map(String::as_str).collect();
            Err(CliError::Usage(format!(
                "no view is named “{}”: {}",
                sanitize_line(name),
                if known.is_empty() {
                    "the config has no [views] yet (save one with s in the browser's view picker, or add `name = \"query\"` under [views])".to_string()
                } else {
                    format!("the config's views are {}", known.join(", "))
                }
            )))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnswersFormat {
    Text,
    Csv,
    Markdown,
    Json,
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
    /// Stopped by Ctrl-c: exit code 130, like a shell.
    #[error("{0}")]
    Interrupted(String),
    /// The reader of stdout went away (`uj … | head -1`): stop quietly,
    /// exit code 0.
    #[error("")]
    ClosedPipe,
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Runtime(_) => 1,
            CliError::Interrupted(_) => 130,
            CliError::ClosedPipe => 0,
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Newer { .. } => CliError::Usage(e.to_string()),
            e => CliError::Runtime(e.to_string()),
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
    /// The API or a snapshot; `None` under `--offline`.
    pub source: Option<SharedSource>,
    /// Set when no key is configured and the demo stands in for the API.
    pub demo_banner: bool,
    /// What the data is, for the top bar: `demo`, `snapshot DIR`, `offline`.
    pub label: Option<String>,
    /// The data lives only in memory for this run (demo, snapshot).
    pub ephemeral: bool,
}

/// The settings, read once.
pub fn settings(global: &Global) -> Result<Settings, CliError> {
    let flags = Flags {
        config: global.config.clone(),
        base_url: global.base_url.clone(),
        profile: global.profile.clone(),
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
    let snapshot = |s: SnapshotSource, demo_banner, label: String| Opened {
        source: Some(Arc::new(s.with_latency(latency))),
        demo_banner,
        label: Some(label),
        ephemeral: true,
    };
    if global.demo {
        return Ok(snapshot(SnapshotSource::demo()?, false, "demo".into()));
    }
    if let Some(dir) = &global.snapshot {
        return Ok(snapshot(
            SnapshotSource::open(dir)?,
            false,
            format!("snapshot {}", dir.display()),
        ));
    }
    if global.offline {
        return Ok(Opened {
            source: None,
            demo_banner: false,
            // The sync part of the top bar says `offline · …` already.
            label: None,
            ephemeral: false,
        });
    }
    match settings.resolve_key()? {
        Some(key) => {
            let http = HttpSource::new(settings.base_url.clone(), &key, HttpOptions::default())?;
            Ok(Opened {
                source: Some(Arc::new(http)),
                demo_banner: false,
                label: None,
                ephemeral: false,
            })
        }
        None if demo_without_key => Ok(snapshot(SnapshotSource::demo()?, true, "demo".into())),
        None => Err(CliError::Usage(
            "no API key is configured: set USERJOURNEYS_API_KEY (or api_key_command in the config file), or add --demo".into(),
        )),
    }
}

/// Opens the store this run should use: in memory for the demo, a
/// snapshot, `--no-store` or `store = false`; else the file for the base
/// URL under the data directory.
pub fn open_store(
    global: &Global,
    settings: &Settings,
    opened: &Opened,
) -> Result<Store, StoreError> {
    if opened.ephemeral || global.no_store || !settings.store {
        return Store::in_memory();
    }
    let dir = settings
        .data_dir
        .clone()
        .ok_or_else(|| StoreError::Unwritable {
            path: "(no data directory)".into(),
            detail: "neither HOME nor XDG_DATA_HOME is set".into(),
        })?;
    Store::open(&crate::store::database_path_for(
        &dir,
        &settings.base_url,
        settings.profile.as_deref(),
    ))
}

/// The source, or the usage error that `--offline` leaves no network.
fn online(opened: &Opened, what: &str) -> Result<SharedSource, CliError> {
    opened.source.clone().ok_or_else(|| {
        CliError::Usage(format!(
            "{what} needs the network, and --offline allows none: drop --offline"
        ))
    })
}

/// The study for commands: `--study`, else UJ_STUDY / default_study.
fn study_id(global: &Global, settings: &Settings) -> Result<String, CliError> {
    global
        .one_study()?
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
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::ClosedPipe),
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
    match command {
        // These need no settings, key or store: they must work on a broken
        // set-up.
        Command::Completions { shell } => print_completions(*shell),
        Command::Man => print_man(),
        Command::Doctor => doctor::run(global).await,
        Command::Keys { json } => print_keys(global, *json),
        _ => run_on_data(global, command).await,
    }
}

/// The commands that read studies and interviews.
async fn run_on_data(global: &Global, command: &Command) -> Result<(), CliError> {
    let settings = settings(global)?;
    for w in &settings.warnings {
        warn(w);
    }
    let opened = open_source(global, &settings, false)?;
    match command {
        Command::Studies { json } => read::studies(global, &settings, &opened, *json).await,
        Command::Interviews(args) => {
            let study = study_id(global, &settings)?;
            read::interviews(global, &settings, &opened, &study, args).await
        }
        Command::Show { id, format, text } => {
            read::show(global, &settings, &opened, id, *format, text.mode()).await
        }
        Command::Sync(args) => {
            let source = online(&opened, "uj sync")?;
            sync::run(global, &settings, &opened, source, args).await
        }
        Command::Export(args) => {
            let study = study_id(global, &settings)?;
            export::run(global, &settings, &opened, &study, args).await
        }
        Command::Marks { action } => marks::run(global, &settings, &opened, action),
        Command::Answers {
            question,
            format,
            filters,
        } => {
            let study = study_id(global, &settings)?;
            let query = ListQuery {
                marks: filters.marks(),
                language: filters.language.clone(),
                ..ListQuery::from(filters.interviews(&study))
            };
            answers::run(
                global,
                &settings,
                &opened,
                query,
                question.map(|q| q as usize),
                *format,
            )
            .await
        }
        Command::Search { query, limit, json } => {
            if query.trim().is_empty() {
                return Err(CliError::Usage(
                    "the search is empty: give a word or a \"phrase\" to look for".into(),
                ));
            }
            let study = study_id(global, &settings)?;
            search::run(global, &settings, &opened, &study, query, *limit, *json).await
        }
        Command::Codes { action, json } => {
            let study = study_id(global, &settings)?;
            coding::codes(global, &settings, &opened, &study, action, *json)
        }
        Command::Highlights {
            action: Some(HighlightsAction::Add(args)),
            ..
        } => {
            let study = study_id(global, &settings)?;
            coding::add(global, &settings, &opened, &study, args, args.text.mode()).await
        }
        Command::Highlights {
            action: None,
            code,
            format,
            filters,
        } => {
            let study = study_id(global, &settings)?;
            coding::list(
                global,
                &settings,
                &opened,
                &filters.query(&study),
                code.as_deref(),
                *format,
            )
        }
        Command::Report(args) => {
            let study = study_id(global, &settings)?;
            coding::report(global, &settings, &opened, &study, args).await
        }
        Command::Matrix {
            by,
            format,
            filters,
        } => {
            let study = study_id(global, &settings)?;
            coding::matrix(
                global,
                &settings,
                &opened,
                filters.query(&study),
                *by,
                *format,
            )
            .await
        }
        // Answered by run_command before any data is opened.
        Command::Completions { .. } | Command::Man | Command::Doctor | Command::Keys { .. } => {
            Ok(())
        }
    }
}

/// `uj keys`: the table in force, so a rebinding can be checked.
fn print_keys(global: &Global, json: bool) -> Result<(), CliError> {
    use crate::app::keymap::{Context, KeyTable};
    let settings = settings(global)?;
    let table =
        KeyTable::with_config(&settings.keys).map_err(|e| CliError::from(ConfigError::Keys(e)))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for c in Context::ALL {
        if !json {
            emit(&mut out, &format!("[keys.{}]  {}", c.name(), c.title()))?;
        }
        for b in table.bound.iter().filter(|b| b.context == c) {
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            if json {
                emit(
                    &mut out,
                    &json_line(&serde_json::json!({
                        "context": c.name(),
                        "action": b.action.name(),
                        "keys": keys,
                        "help": b.help,
                    }))?,
                )?;
            } else {
                emit(
                    &mut out,
                    &format!(
                        "  {:<18} {:<20} {}",
                        keys.join(" "),
                        b.action.name(),
                        b.help
                    ),
                )?;
            }
        }
    }
    Ok(())
}

fn print_completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "uj", &mut out);
    write_all(&out)
}

fn print_man() -> Result<(), CliError> {
    write_all(&man::page()?)
}

/// Writes bytes to stdout; a closed pipe ends quietly.
fn write_all(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Runtime(format!(
            "could not write the output ({e})"
        ))),
        Ok(()) => Ok(()),
    }
}

fn json_line<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    output::json_line(value).map_err(|e| CliError::Runtime(format!("could not encode JSON ({e})")))
}
