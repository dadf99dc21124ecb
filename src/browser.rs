//! Opening the interactive browser on a real terminal.

use crossterm::event::EventStream;

use crate::app::State;
use crate::app::update::init;
use crate::cli::{CliError, Global, open_source, settings};
use crate::runtime::Runtime;
use crate::terminal::{TerminalGuard, suspend};

/// Runs the browser until the user quits.
pub async fn run(global: &Global) -> Result<(), CliError> {
    let settings = settings(global)?;
    let opened = open_source(global, &settings, true)?;
    let mut state = State::new(settings.page_size);
    state.demo_banner = opened.demo_banner;
    // NO_COLOR (any non-empty value) or `theme = "mono"` turn colour off.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    state.color = !no_color && settings.theme.as_deref() != Some("mono");
    state.offline_label = opened.label.clone();
    if let Some(w) = settings.warnings.first() {
        state.notice = Some(crate::app::state::Notice {
            level: crate::app::state::Level::Warn,
            text: w.clone(),
        });
    }
    let study = global.one_study()?.or(settings.default_study.clone());

    let (terminal, guard) = TerminalGuard::enter().map_err(terminal_error)?;
    let size = terminal.size().map_err(terminal_error)?;
    state.width = size.width;
    state.height = size.height;
    let mut rt = Runtime::new(
        terminal,
        opened
            .source
            .ok_or_else(|| CliError::Usage("--offline is not ready in the browser yet".into()))?,
        state,
    );
    let effects = init(&mut rt.state, study);
    rt.start(effects);
    watch_signals(rt.sender());
    let result = rt.run(EventStream::new(), |_| suspend()).await;
    drop(guard);
    result.map_err(terminal_error)
}

fn terminal_error(e: std::io::Error) -> CliError {
    CliError::Runtime(format!(
        "the terminal failed ({e}): run uj in an interactive terminal"
    ))
}

/// SIGTERM, SIGHUP and SIGINT end the loop, which restores the terminal.
fn watch_signals(tx: tokio::sync::mpsc::UnboundedSender<crate::app::Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    for kind in [
        SignalKind::terminate(),
        SignalKind::hangup(),
        SignalKind::interrupt(),
    ] {
        let tx = tx.clone();
        if let Ok(mut s) = signal(kind) {
            tokio::spawn(async move {
                if s.recv().await.is_some() {
                    let _ = tx.send(crate::app::Msg::Terminate);
                }
            });
        }
    }
}
