//! `uj`: a keyboard-first terminal browser for userjourneys.ai interviews.
//!
//! The map:
//! - [`api`]: the API's model, the [`api::Source`] trait with its HTTP and
//!   snapshot implementations, retries and the cursor walker. No UI here.
//! - [`config`]: flags > environment > config file > defaults.
//! - [`text`]: the sanitiser every untrusted string passes, and measuring.
//! - [`present`]: how API values are named, shared by commands and browser.
//! - [`output`]: text, Markdown and JSON for the scriptable commands.
//! - [`cli`]: argument definitions and the scriptable commands (`uj sync`
//!   among them).
//! - [`app`], [`ui`], [`runtime`], [`browser`], [`terminal`]: the browser —
//!   state and update, view, the async loop, the real terminal.
//! - [`logging`]: `--log-file`, never the terminal.
//! - [`clipboard`]: OSC 52 copies; [`crash`]: the kill-after-N-writes test hook.
//! - [`store`]: the local SQLite mirror (schema, migrations, reads, writes).
//! - [`sync`]: the engine that walks the API and writes the store.
//! - [`export`]: a study from the store to Markdown, CSV, JSON Lines or a snapshot.
//! - [`mirror`]: the browser's reads: the store first, the API behind it.
//! - [`reference`]: the configuration, environment, files and exit status tables the README and `uj man` share.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod app;
pub mod browser;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod crash;
pub mod export;
pub mod logging;
pub mod mirror;
pub mod output;
pub mod palette;
pub mod present;
pub mod reference;
pub mod runtime;
pub mod store;
pub mod sync;
pub mod terminal;
pub mod text;
pub mod ui;
