use std::process::ExitCode;

use clap::Parser;
use uj::cli::{Cli, CliError, run_command};
use uj::text::sanitize_line;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let not_utf8 = std::env::args_os().any(|a| a.to_str().is_none());
            if not_utf8 || e.kind() == clap::error::ErrorKind::InvalidUtf8 {
                eprintln!(
                    "uj: an argument is not valid UTF-8: give names, ids and queries as UTF-8 text"
                );
                return ExitCode::from(2);
            }
            if let Some(dir) = old_offline_dir() {
                eprintln!(
                    "uj: `--offline DIR` is now `--snapshot DIR` (`--offline` alone reads the local store): run uj --snapshot {}",
                    sanitize_line(&dir)
                );
                return ExitCode::from(2);
            }
            e.exit()
        }
    };
    if let Err(e) = uj::logging::init(cli.global.log_file.as_deref()) {
        return report(&e);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "uj: could not start the async runtime ({e}): check the system's thread limits"
            );
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async {
        match &cli.command {
            Some(command) => match run_command(&cli.global, command).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => report(&e),
            },
            None => match uj::browser::run(&cli.global).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => report_browser(&e),
            },
        }
    })
}

/// The directory of an `--offline DIR` from before `--snapshot` existed.
fn old_offline_dir() -> Option<String> {
    // args_os: an argument that is not UTF-8 must not panic here.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let at = args.iter().position(|a| a == "--offline")?;
    let next = args.get(at + 1)?;
    std::path::Path::new(next)
        .is_dir()
        .then(|| next.to_string_lossy().into_owned())
}

fn report_browser(e: &uj::browser::BrowserError) -> ExitCode {
    match e {
        uj::browser::BrowserError::Setup(e) => report(e),
        e => {
            eprintln!("uj: {}", sanitize_line(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

fn report(e: &CliError) -> ExitCode {
    let message = e.to_string();
    if !message.is_empty() {
        eprintln!("uj: {}", sanitize_line(&message));
    }
    ExitCode::from(e.exit_code())
}
