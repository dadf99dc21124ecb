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

use crate::app::{Effect, Msg, State, update};
use crate::mirror::Mirror;
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

/// The background sync that is running, so a new one can stop it.
struct RunningSync {
    task: tokio::task::AbortHandle,
}

/// The browser: state, terminal, and the channel I/O tasks report on.
pub struct Runtime<B: Backend> {
    pub terminal: Terminal<B>,
    pub state: State,
    mirror: Mirror,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    sync: Option<RunningSync>,
    /// Writes of the user's work on their way to the store: quitting waits
    /// for them, so a tag typed just before `q` is kept.
    writes: Vec<tokio::task::JoinHandle<()>>,
    /// Where copies go (the terminal, as OSC 52); tests read them.
    clipboard: Box<dyn FnMut(&str) + Send>,
}

impl<B: Backend> Runtime<B> {
    pub fn new(terminal: Terminal<B>, mirror: Mirror, state: State) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Runtime {
            terminal,
            state,
            mirror,
            tx,
            rx,
            sync: None,
            writes: Vec::new(),
            clipboard: Box::new(|_| {}),
        }
    }

    /// Sends copies (`y`, `Y`) to `sink`.
    pub fn with_clipboard(mut self, sink: impl FnMut(&str) + Send + 'static) -> Self {
        self.clipboard = Box::new(sink);
        self
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
                Effect::Copy { text } => (self.clipboard)(&text),
                Effect::RememberStudy { id } => {
                    let mirror = self.mirror.clone();
                    tokio::spawn(async move { mirror.remember_study(id).await });
                }
                Effect::Sync { study_id } => {
                    self.stop_sync();
                    self.sync = Some(spawn_sync(study_id, self.mirror.clone(), self.tx.clone()));
                }
                other => {
                    let writes = other.writes();
                    let task = spawn(other, self.mirror.clone(), self.tx.clone());
                    if writes {
                        self.writes.retain(|w| !w.is_finished());
                        self.writes.push(task);
                    }
                }
            }
        }
        control
    }

    /// Waits for the user's writes still on their way to the store.
    pub async fn finish_writes(&mut self) {
        for task in self.writes.drain(..) {
            let _ = task.await;
        }
    }

    /// Stops the running sync.
    fn stop_sync(&mut self) {
        if let Some(running) = self.sync.take() {
            running.task.abort();
        }
    }

    pub fn draw(&mut self) -> Result<(), B::Error> {
        let state = &self.state;
        self.terminal.draw(|frame| view(frame, state)).map(|_| ())
    }

    /// A sender for messages from outside the loop (signals).
    pub fn sender(&self) -> mpsc::UnboundedSender<Msg> {
        self.tx.clone()
    }

    /// Waits for the next message from the I/O tasks, without handling it
    /// (a caller that drives the loop itself: `handle` it).
    pub async fn next_message(&mut self) -> Option<Msg> {
        let msg = self.rx.recv().await?;
        self.received(&msg);
        Some(msg)
    }

    /// A sync that ended no longer needs stopping.
    fn received(&mut self, msg: &Msg) {
        if matches!(msg, Msg::SyncEnded { .. }) {
            self.sync = None;
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
        let watch = watch_store(self.mirror.clone(), self.tx.clone());
        let result = self.run_loop(&mut events, &mut suspend).await;
        watch.abort();
        result
    }

    async fn run_loop<E>(
        &mut self,
        events: &mut E,
        suspend: &mut impl FnMut(&mut Terminal<B>) -> io::Result<()>,
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
                Control::Quit => {
                    self.finish_writes().await;
                    return Ok(());
                }
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

/// A terminal event as a message; key releases and focus changes are
/// dropped.
pub fn translate(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// How often the browser asks whether another process wrote to the store.
/// One PRAGMA on an open connection: microseconds, and no message (so no
/// redraw) unless something changed.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Watches the store for commits by other connections (`uj marks import`,
/// a second browser, `uj sync`) and says so when there is one.
fn watch_store(mirror: Mirror, tx: mpsc::UnboundedSender<Msg>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(mut seen) = mirror.data_version().await else {
            return;
        };
        loop {
            tokio::time::sleep(WATCH_EVERY).await;
            let Some(now) = mirror.data_version().await else {
                return;
            };
            if now != seen {
                seen = now;
                if tx.send(Msg::StoreChangedElsewhere).is_err() {
                    return;
                }
            }
        }
    })
}

/// Runs one effect in a task that sends exactly one message back.
fn spawn(
    effect: Effect,
    mirror: Mirror,
    tx: mpsc::UnboundedSender<Msg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Some(msg) = answer(effect, &mirror).await {
            // The receiver is gone only when the browser is closing.
            let _ = tx.send(msg);
        }
    })
}

/// What an effect comes to: the I/O it asks for, done, as the one message
/// that answers it (`None` for those the runtime does on the spot).
pub async fn answer(effect: Effect, mirror: &Mirror) -> Option<Msg> {
    let msg = match effect {
        Effect::LoadStudies => {
            let (result, offline) = match mirror.studies().await {
                Ok((studies, offline)) => (Ok(studies), offline),
                Err(e) => (Err(e), false),
            };
            Msg::StudiesLoaded {
                result,
                counts: mirror.study_counts().await,
                offline,
            }
        }
        Effect::LoadStudy { id } => {
            let result = mirror.study(&id).await;
            Msg::StudyLoaded { id, result }
        }
        Effect::LoadWindow {
            generation,
            query,
            start,
            len,
            follow,
        } => Msg::WindowLoaded {
            generation,
            result: mirror.window(query, start, len, follow).await,
        },
        Effect::LoadQuestions { query } => Msg::QuestionsLoaded(mirror.questions(query).await),
        Effect::LoadTags { study_id } => Msg::TagsLoaded(mirror.tags(study_id).await),
        Effect::LoadLanguages { study_id } => Msg::LanguagesLoaded {
            result: mirror.languages(study_id.clone()).await,
            study_id,
        },
        Effect::LoadOverview { read, query } => Msg::OverviewLoaded {
            read,
            result: mirror.overview(query).await,
        },
        Effect::LoadHits { id, query } => Msg::HitsLoaded {
            result: mirror.hits(id.clone(), query.clone()).await,
            id,
            query,
        },
        Effect::Mark {
            id,
            study_id,
            change,
        } => {
            let result = mirror.mark(id.clone(), study_id, change).await;
            Msg::Marked { id, result }
        }
        Effect::Coding(request) => coding(mirror, request).await,
        Effect::BulkMark { query, change } => {
            Msg::BulkMarked(mirror.call(move |s| s.bulk_marks(&query, &change)).await)
        }
        Effect::CountViews { queries } => {
            let result = mirror
                .call(move |s| {
                    let mut out = Vec::with_capacity(queries.len());
                    for q in queries {
                        let total = s.count_of(&q)?;
                        let mut unreviewed = q.clone();
                        unreviewed.marks.reviewed = Some(false);
                        out.push((total, s.count_of(&unreviewed)?));
                    }
                    Ok(out)
                })
                .await;
            Msg::ViewsCounted(result)
        }
        Effect::SaveView { path, name, query } => {
            let (n, q) = (name.clone(), query.clone());
            let result =
                tokio::task::spawn_blocking(move || crate::config::save_view(&path, &n, &q))
                    .await
                    .unwrap_or_else(|e| Err(crate::config::SaveViewError::Stopped(e.to_string())));
            Msg::ViewSaved {
                name,
                query,
                result,
            }
        }
        Effect::LoadDetail { id, fresh } => {
            let result = mirror.detail(&id, fresh).await;
            Msg::DetailLoaded { id, result }
        }
        Effect::RefreshSoon { delay } => {
            tokio::time::sleep(delay).await;
            Msg::RefreshDue
        }
        Effect::Debounce { token, delay } => {
            tokio::time::sleep(delay).await;
            Msg::SelectionRested { token }
        }
        // Handled by the runtime itself.
        Effect::Quit
        | Effect::Suspend
        | Effect::Sync { .. }
        | Effect::Copy { .. }
        | Effect::RememberStudy { .. } => return None,
    };
    Some(msg)
}

/// Runs a background sync that reports progress and then its end.
fn spawn_sync(study_id: String, mirror: Mirror, tx: mpsc::UnboundedSender<Msg>) -> RunningSync {
    let task = tokio::spawn(async move {
        let progress = tx.clone();
        let end = mirror
            .sync(&study_id, move |p| {
                let _ = progress.send(Msg::SyncProgress(p));
            })
            .await;
        let _ = tx.send(Msg::SyncEnded { study_id, end });
    });
    RunningSync {
        task: task.abort_handle(),
    }
}

/// Runs a coding request on the store and says what came of it.
async fn coding(mirror: &Mirror, request: crate::app::msg::CodingRequest) -> Msg {
    use crate::app::msg::CodingRequest as R;
    match request {
        R::Load {
            read,
            study_id,
            interview_id,
            counts,
        } => {
            let id = interview_id.clone();
            let result = mirror
                .call(move |s| {
                    let highlights = match &id {
                        Some(id) => s.highlights_of_interview(id)?,
                        None => Vec::new(),
                    };
                    let book = if counts {
                        s.codebook(&study_id)?
                    } else {
                        s.codebook_names(&study_id)?
                    };
                    Ok((highlights, book))
                })
                .await;
            Msg::CodingLoaded {
                read,
                interview_id,
                result,
            }
        }
        R::Code { new, codes } => {
            Msg::Coded(mirror.call(move |s| s.code_passage(&new, &codes)).await)
        }
        R::Uncode { highlight, code } => {
            Msg::Coded(mirror.call(move |s| s.uncode(highlight, code)).await)
        }
        R::DeleteHighlight { highlight } => {
            Msg::Coded(mirror.call(move |s| s.delete_highlight(highlight)).await)
        }
        R::BulkCode { query, code } => {
            Msg::Coded(mirror.call(move |s| s.bulk_code(&query, &code)).await)
        }
        R::Comment { highlight, text } => Msg::Coded(
            mirror
                .call(move |s| s.comment_highlight(highlight, &text))
                .await,
        ),
        R::Codebook { study_id, change } => {
            use crate::app::msg::CodebookChange as C;
            Msg::Coded(
                mirror
                    .call(move |s| match change {
                        C::Rename { code, to } => s.rename_code(&study_id, &code, &to),
                        C::Merge { code, into } => s.merge_codes(&study_id, &code, &into),
                        C::Parent { code, parent } => {
                            s.move_code(&study_id, &code, parent.as_deref())
                        }
                        C::Describe { code, text } => s.describe_code(&study_id, &code, &text),
                        C::Delete { code } => s.delete_code(&study_id, &code),
                    })
                    .await,
            )
        }
        R::Restore { step, undo } => {
            let side = if undo {
                step.before.clone()
            } else {
                step.after.clone()
            };
            let result = mirror.call(move |s| s.restore(&side)).await;
            Msg::Restored { step, undo, result }
        }
        R::Board { query, code } => {
            let result = mirror
                .call(move |s| {
                    let codes = s.code_subtree(code)?;
                    let mut all = s.evidence_bare(&query, Some(&codes))?;
                    // The English of the first screens now, the rest as
                    // the cursor nears it.
                    let first = all.len().min(crate::app::coding::ENGLISH_BATCH);
                    s.fill_english(&mut all[..first])?;
                    Ok(all)
                })
                .await;
            Msg::BoardLoaded { code, result }
        }
        R::BoardEnglish {
            code,
            from,
            mut items,
        } => {
            let result = mirror
                .call(move |s| {
                    s.fill_english(&mut items)?;
                    Ok(items.into_iter().map(|e| e.english).collect())
                })
                .await;
            Msg::BoardEnglish { code, from, result }
        }
        R::Matrix { query, segment } => {
            let result = mirror.call(move |s| s.matrix(&query, segment)).await;
            Msg::MatrixLoaded { segment, result }
        }
    }
}
