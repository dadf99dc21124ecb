//! `--log-file PATH` with the level from `UJ_LOG`. Never the terminal.

use std::fs::OpenOptions;
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::cli::CliError;

/// Starts logging to `path` if given. Without a path nothing is logged.
pub fn init(path: Option<&Path>) -> Result<(), CliError> {
    let Some(path) = path else {
        return Ok(());
    };
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        // It may hold respondents' words: private whatever the umask.
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| {
        CliError::Usage(format!(
            "the log file {} could not be opened ({e}): check --log-file",
            path.display()
        ))
    })?;
    let filter = EnvFilter::try_from_env("UJ_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| CliError::Usage(format!("logging could not start ({e})")))
}
