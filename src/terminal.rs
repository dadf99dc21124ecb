//! Taking the terminal and always giving it back: on normal exit, on error,
//! on panic, on SIGINT/SIGTERM/SIGHUP, and around `Ctrl-z`.

use std::io::{self, Write};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::DefaultTerminal;

/// Holds the terminal in raw mode on the alternate screen with mouse
/// capture and bracketed paste; dropping it restores everything.
pub struct TerminalGuard(());

impl TerminalGuard {
    /// Enters the UI. The panic hook restores the terminal before the panic
    /// message prints, so the message is readable.
    pub fn enter() -> io::Result<(DefaultTerminal, TerminalGuard)> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        let terminal = ratatui::try_init()?;
        execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
        Ok((terminal, TerminalGuard(())))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Bracketed paste and mouse capture off, cursor shown, main screen, raw mode off. Safe to call
/// more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        cursor::Show,
        LeaveAlternateScreen
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// `Ctrl-z`: give the terminal back, stop until `fg`, then take it again.
/// The caller redraws everything afterwards.
pub fn suspend() -> io::Result<()> {
    restore();
    // SAFETY: raise only sends a signal to this process; SIGTSTP's default
    // action stops it and execution continues here after SIGCONT.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    Ok(())
}
