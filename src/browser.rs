//! Opening the interactive browser on a real terminal.

use crossterm::event::EventStream;
use thiserror::Error;

use crate::app::State;
use crate::app::update::init;
use crate::cli::{CliError, Global, open_source, open_store, settings};
use crate::mirror::Mirror;
use crate::runtime::Runtime;
use crate::store::Store;
use crate::sync::SyncOptions;
use crate::terminal::{TerminalGuard, suspend};

/// Why the browser could not run.
#[derive(Debug, Error)]
pub enum BrowserError {
    /// Before the terminal is taken: the configuration, the source, the
    /// study; as the commands report them.
    #[error(transparent)]
    Setup(#[from] CliError),
    /// The terminal could not be taken, read or drawn on.
    #[error("the terminal failed ({0}): run uj in an interactive terminal")]
    Terminal(#[source] std::io::Error),
}

impl BrowserError {
    /// The exit code: a setup problem's own, 1 for the terminal.
    pub fn exit_code(&self) -> u8 {
        match self {
            BrowserError::Setup(e) => e.exit_code(),
            BrowserError::Terminal(_) => 1,
        }
    }
}

impl From<crate::store::StoreError> for BrowserError {
    fn from(e: crate::store::StoreError) -> Self {
        BrowserError::Setup(e.into())
    }
}

/// Runs the browser until the user quits.
pub async fn run(global: &Global) -> Result<(), BrowserError> {
    let settings = settings(global)?;
    let opened = open_source(global, &settings, true)?;
    // Without a usable store the browser still works, from the network,
    // keeping nothing.
    let (store, store_problem) = match open_store(global, &settings, &opened) {
        Ok(store) => (store, None),
        Err(e) => (Store::in_memory()?, Some(e.to_string())),
    };
    let keys = crate::app::keymap::KeyTable::with_config(&settings.keys)
        .map_err(|e| crate::cli::CliError::from(crate::config::ConfigError::Keys(e)))?;
    let mut state = State::new(settings.page_size);
    state.keys = std::sync::Arc::new(keys);
    state.profile = settings.profile.clone();
    state.views = settings
        .views
        .iter()
        .map(|(n, q)| (n.clone(), q.clone()))
        .collect();
    state.config_path = settings.config_path.clone();
    state.sync.ephemeral = store.is_memory();
    if opened.source.is_none() {
        state.sync.network = crate::app::state::Network::Off;
    }
    state.demo_banner = opened.demo_banner;
    // NO_COLOR (any non-empty value) or `theme = "mono"` turn colour off.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    state.color = !no_color && settings.theme.as_deref() != Some("mono");
    state.sync.read_only = store.is_read_only();
    state.offline_label = match (&opened.label, store.is_memory()) {
        (Some(label), true) => Some(format!("{label} · marks kept this session")),
        (None, true) => Some("no store · marks kept this session".into()),
        _ if store.is_read_only() => Some("read-only store · marks cannot be saved".into()),
        (label, false) => label.clone(),
    };
    let warning = store_problem
        .map(|e| format!("nothing will be kept: {e}"))
        .or_else(|| settings.warnings.first().cloned());
    if let Some(w) = warning {
        state.notice = Some(crate::app::state::Notice {
            level: crate::app::state::Level::Warn,
            text: w,
        });
    }
    let mirror = Mirror::new(
        store,
        opened.source,
        SyncOptions {
            concurrency: settings.sync_concurrency,
            details: settings.background_sync,
            full: false,
        },
    )?;
    // The study asked for, else the one opened last with this base URL.
    let remembered = {
        let store = mirror.store.lock().unwrap_or_else(|p| p.into_inner());
        store.last_study().ok().flatten()
    };
    let study = global
        .one_study()?
        .or(settings.default_study.clone())
        .or(remembered);

    let (terminal, guard) = TerminalGuard::enter().map_err(BrowserError::Terminal)?;
    let size = terminal.size().map_err(BrowserError::Terminal)?;
    state.width = size.width;
    state.height = size.height;
    let in_tmux = std::env::var_os("TMUX").is_some();
    let mut rt = Runtime::new(terminal, mirror, state).with_clipboard(move |text| {
        use std::io::Write;
        let bytes = crate::clipboard::osc52(text, in_tmux);
        // Between frames: the UI writes nothing else now.
        let mut out = std::io::stdout();
        let _ = out.write_all(&bytes).and_then(|()| out.flush());
    });
    let effects = init(&mut rt.state, study);
    rt.start(effects);
    watch_signals(rt.sender());
    let result = rt.run(EventStream::new(), |_| suspend()).await;
    drop(guard);
    result.map_err(BrowserError::Terminal)
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
