use std::process::ExitCode;

use clap::Parser;
use uj::cli::{Cli, CliError, run_command};
use uj::text::sanitize_line;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let result = runtime.block_on(async {
        match &cli.command {
            Some(command) => run_command(&cli.global, command).await,
            None => uj::browser::run(&cli.global).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

fn report(e: &CliError) -> ExitCode {
    let message = e.to_string();
    if !message.is_empty() {
        eprintln!("uj: {}", sanitize_line(&message));
    }
    ExitCode::from(e.exit_code())
}
