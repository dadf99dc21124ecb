//! The browser's runtime as the tests drive it: it counts the effects it
//! starts and their answers, so a test can wait until all I/O is done
//! (the production runtime keeps no such count).

use std::ops::{Deref, DerefMut};

use ratatui::backend::TestBackend;
use uj::app::msg::{Effect, Msg};
use uj::app::update::update;
use uj::runtime::{Control, Runtime};

pub struct Harness {
    rt: Runtime<TestBackend>,
    /// Effects started whose answer has not come back yet.
    outstanding: usize,
}

impl Harness {
    pub fn new(rt: Runtime<TestBackend>) -> Harness {
        Harness { rt, outstanding: 0 }
    }

    /// Starts effects, counting those that will be answered.
    pub fn start(&mut self, effects: Vec<Effect>) -> Control {
        self.outstanding += effects.iter().filter(|e| e.answered()).count();
        self.rt.start(effects)
    }

    /// Feeds one message through `update` and starts its effects.
    pub fn handle(&mut self, msg: Msg) -> Control {
        if msg.is_answer() && !matches!(msg, Msg::SyncEnded { .. }) {
            self.outstanding = self.outstanding.saturating_sub(1);
        }
        let effects = update(&mut self.rt.state, msg);
        self.start(effects)
    }

    /// Waits for the next I/O result and handles it.
    pub async fn next_io(&mut self) -> Option<Control> {
        let msg = self.rt.next_message().await?;
        Some(self.handle(msg))
    }

    /// Handles I/O results until every effect is answered and no sync
    /// runs (under a paused clock, timers pass at once).
    pub async fn settle(&mut self) {
        while self.outstanding > 0 || self.rt.state.sync.running {
            if self.next_io().await.is_none() {
                break;
            }
        }
    }
}

impl Deref for Harness {
    type Target = Runtime<TestBackend>;

    fn deref(&self) -> &Self::Target {
        &self.rt
    }
}

impl DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.rt
    }
}
