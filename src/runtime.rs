//! The only async code of the browser: it turns terminal events into
//! messages, runs each [`Effect`] in a task that reports back with a
//! message, and redraws after changes. Generic over the ratatui backend and
//! the event stream, so tests drive it with a `TestBackend` and scripted
//! keys.

use std::io;
use std::time::Duration;

use crossterm::event::{Event, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;

use crate::api::SharedSource;
use crate::api::walk::all_studies;
use crate::app::{Effect, Msg, State, update};
use crate::ui::view;

/// How often the spinner turns while something loads.
const TICK: Duration = Duration::from_millis(120);

/// What the loop should do after a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Suspend,
    Quit,
}

/// The browser: state, terminal, and the channel I/O tasks report on.
pub struct Runtime<B: Backend> {
    pub terminal: Terminal<B>,
    pub state: State,
    source: SharedSource,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    /// Effects started whose message has not come back yet.
    outstanding: usize,
}

impl<B: Backend> Runtime<B> {
    pub fn new(terminal: Terminal<B>, source: SharedSource, state: State) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Runtime {
            terminal,
            state,
            source,
            tx,
            rx,
            outstanding: 0,
        }
    }

    /// Feeds one message through `update` and starts its effects.
    pub fn handle(&mut self, msg: Msg) -> Control {
        let effects = update(&mut self.state, msg);
        self.start(effects)
    }

    /// Starts effects; returns whether one asked to quit or suspend.
    pub fn start(&mut self, effects: Vec<Effect>) -> Control {
        let mut control = Control::Continue;
        for fx in effects {
            match fx {
                Effect::Quit => control = Control::Quit,
                Effect::Suspend => control = Control::Suspend,
                other => {
                    self.outstanding += 1;
                    spawn(other, self.source.clone(), self.tx.clone());
                }
            }
        }
        if self.state.quit {
            control = Control::Quit;
        }
        control
    }

    pub fn draw(&mut self) -> Result<(), B::Error> {
        let state = &self.state;
        self.terminal.draw(|frame| view(frame, state)).map(|_| ())
    }

    /// A sender for messages from outside the loop (signals).
    pub fn sender(&self) -> mpsc::UnboundedSender<Msg> {
        self.tx.clone()
    }

    /// Whether effects are still out.
    pub fn busy(&self) -> bool {
        self.outstanding > 0
    }

    /// Waits for the next I/O result and handles it.
    pub async fn next_io(&mut self) -> Option<Control> {
        let msg = self.rx.recv().await?;
        self.received(&msg);
        Some(self.handle(msg))
    }

    /// Counts an effect's answer in (signals are not answers).
    fn received(&mut self, msg: &Msg) {
        if !matches!(msg, Msg::Terminate) {
            self.outstanding = self.outstanding.saturating_sub(1);
        }
    }

    /// Handles I/O results until none are outstanding (tests; under a paused
    /// clock debounce timers pass at once).
    pub async fn settle(&mut self) {
        while self.busy() {
            if self.next_io().await.is_none() {
                break;
            }
        }
    }

    /// The loop: draw on change, then wait for input, an I/O result or (only
    /// while loading) a spinner tick.
    pub async fn run<E>(
        &mut self,
        mut events: E,
        mut suspend: impl FnMut(&mut Terminal<B>) -> io::Result<()>,
    ) -> io::Result<()>
    where
        E: Stream<Item = io::Result<Event>> + Unpin,
    {
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut dirty = true;
        loop {
            if dirty {
                self.draw().map_err(|e| io::Error::other(e.to_string()))?;
                dirty = false;
            }
            let loading = self.state.is_loading();
            let control = tokio::select! {
                // Input first: a key or resize must never wait behind a burst
                // of I/O results, and quitting must work while requests stall.
                biased;
                event = events.next() => match event {
                    Some(Ok(event)) => match translate(event) {
                        Some(msg) => self.handle(msg),
                        None => continue,
                    },
                    Some(Err(e)) => return Err(e),
                    None => Control::Quit,
                },
                Some(msg) = self.rx.recv() => {
                    self.received(&msg);
                    self.handle(msg)
                },
                _ = ticker.tick(), if loading => self.handle(Msg::Tick),
            };
            // Take every result that is already here before drawing once.
            let mut control = control;
            while control == Control::Continue {
                match self.rx.try_recv() {
                    Ok(msg) => {
                        self.received(&msg);
                        control = self.handle(msg);
                    }
                    Err(_) => break,
                }
            }
            dirty = true;
            match control {
                Control::Continue => {}
                Control::Quit => return Ok(()),
                Control::Suspend => {
                    suspend(&mut self.terminal)?;
                    self.terminal
                        .clear()
                        .map_err(|e| io::Error::other(e.to_string()))?;
                    self.handle(Msg::Resumed);
                }
            }
        }
    }
}

/// A terminal event as a message; key releases and focus/paste are dropped.
pub fn translate(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// Runs one effect in a task that sends exactly one message back.
fn spawn(effect: Effect, source: SharedSource, tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let msg = match effect {
            Effect::LoadStudies => Msg::StudiesLoaded(
                all_studies(source.as_ref())
                    .await
                    .map(|(studies, _)| studies),
            ),
            Effect::LoadStudy { id } => {
                let result = source.get_study(&id).await;
                Msg::StudyLoaded { id, result }
            }
            Effect::LoadPage {
                generation,
                filters,
                cursor,
                limit,
            } => {
                let result = source
                    .list_interviews(&filters, cursor.as_deref(), Some(limit))
                    .await;
                Msg::PageLoaded { generation, result }
            }
            Effect::LoadDetail { id } => {
                let result = source.get_interview(&id).await;
                Msg::DetailLoaded { id, result }
            }
            Effect::Debounce { token, delay } => {
                tokio::time::sleep(delay).await;
                Msg::SelectionRested { token }
            }
            // Handled by the runtime itself.
            Effect::Quit | Effect::Suspend => return,
        };
        // The receiver is gone only when the browser is closing.
        let _ = tx.send(msg);
    });
}
