//! `uj doctor`: one line per check, ✓ or ✗, with what to do. It reads and
//! asks; it never creates or changes anything (not even the store).

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use super::{CliError, Global, settings};
use crate::api::retry::RetryPolicy;
use crate::api::{HttpOptions, HttpSource, Source};
use crate::config::{KeySource, Settings};
use crate::store::schema;
use crate::text::sanitize_line;

struct Check {
    ok: bool,
    text: String,
}

fn pass(text: impl Into<String>) -> Check {
    Check {
        ok: true,
        text: text.into(),
    }
}

fn fail(text: impl Into<String>) -> Check {
    Check {
        ok: false,
        text: text.into(),
    }
}

pub(super) async fn run(global: &Global) -> Result<(), CliError> {
    let mut checks = Vec::new();
    match settings(global) {
        Ok(s) => {
            checks.push(match &s.config_file {
                Some(p) => pass(format!("config: {} is valid", p.display())),
                None => pass("config: no config file; the defaults and the environment apply"),
            });
            checks.extend(s.warnings.iter().map(|w| fail(format!("config: {w}"))));
            checks.push(base_url(&s));
            checks.push(match crate::app::keymap::KeyTable::with_config(&s.keys) {
                Ok(_) if s.keys.is_empty() => pass("keys: the default bindings"),
                Ok(_) => pass("keys: the config's [keys] are valid (`uj keys` prints them)"),
                Err(e) => fail(format!("keys: {e}")),
            });
            if let Some(found) = key(&s, &mut checks) {
                checks.push(api(&s, &found).await);
            }
            checks.extend(store(&s));
            // Every other profile of the config, each checked the same way.
            for name in s.profiles.iter().filter(|n| s.profile.as_ref() != Some(*n)) {
                let mut other = global.clone();
                other.profile = Some(name.clone());
                match settings(&other) {
                    Ok(p) => {
                        let mut these = vec![base_url(&p)];
                        if let Some(found) = key(&p, &mut these) {
                            these.push(api(&p, &found).await);
                        }
                        these.extend(store(&p));
                        checks.extend(these.into_iter().map(|c| Check {
                            ok: c.ok,
                            text: format!("profile {name}: {}", c.text),
                        }));
                    }
                    Err(e) => checks.push(fail(format!("profile {name}: {e}"))),
                }
            }
        }
        Err(e) => checks.push(fail(format!("config: {e}"))),
    }
    checks.extend(terminal());
    let mut all_ok = true;
    for c in &checks {
        all_ok &= c.ok;
        println!(
            "{} {}",
            if c.ok { "✓" } else { "✗" },
            sanitize_line(&c.text)
        );
    }
    if all_ok {
        Ok(())
    } else {
        Err(CliError::Runtime(String::new()))
    }
}

fn base_url(s: &Settings) -> Check {
    let how = if s.base_url.scheme() == "https" {
        "https"
    } else {
        "plain http, allowed for loopback only"
    };
    pass(format!("base URL: {} ({how})", s.base_url))
}

/// Where the key comes from (never the key itself); runs
/// `api_key_command` to see that it works.
fn key(s: &Settings, checks: &mut Vec<Check>) -> Option<crate::api::ApiKey> {
    let from = match &s.key {
        KeySource::Env(_) => "the environment (USERJOURNEYS_API_KEY)",
        KeySource::Command(_) => "api_key_command in the config",
        KeySource::File(_) => "api_key in the config file",
        KeySource::None => {
            checks.push(fail(
                "key: none is configured: set USERJOURNEYS_API_KEY, or api_key_command in the config",
            ));
            return None;
        }
    };
    match s.resolve_key() {
        Ok(Some(k)) => {
            checks.push(pass(format!("key: from {from}")));
            Some(k)
        }
        Ok(None) => None,
        Err(e) => {
            checks.push(fail(format!("key: {e}")));
            None
        }
    }
}

async fn api(s: &Settings, key: &crate::api::ApiKey) -> Check {
    // One quick try: the doctor reports, it does not wait out retries.
    let options = HttpOptions {
        connect_timeout: Some(Duration::from_secs(5)),
        read_timeout: Some(Duration::from_secs(15)),
        retry: RetryPolicy {
            attempts: 1,
            rate_limit_waits: 0,
            ..RetryPolicy::default()
        },
        ..HttpOptions::default()
    };
    let source = match HttpSource::new(s.base_url.clone(), key, options) {
        Ok(source) => source,
        Err(e) => return fail(format!("API: {e}")),
    };
    match source.list_studies(None, Some(100)).await {
        Ok(page) => pass(format!(
            "API: GET /studies answered with this key ({} studies{})",
            page.data.len(),
            if page.has_more {
                " on the first page"
            } else {
                ""
            }
        )),
        Err(e) => fail(format!("API: {e}")),
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode(_path: &Path) -> Option<u32> {
    None
}

/// The store's directory, permissions and schema, read without changing
/// anything.
fn store(s: &Settings) -> Vec<Check> {
    if !s.store {
        return vec![pass("store: off (store = false): nothing is kept on disk")];
    }
    let Some(dir) = &s.data_dir else {
        return vec![fail(
            "store: no data directory (neither HOME nor XDG_DATA_HOME is set): set data_dir in the config",
        )];
    };
    let mut out = Vec::new();
    if !dir.exists() {
        // It can be made only under a directory this user may write.
        let ancestor = dir.ancestors().skip(1).find(|a| a.exists());
        out.push(match ancestor {
            Some(a) if !a.is_dir() => fail(format!(
                "store: {} cannot be created: {} is not a directory; set data_dir in the config",
                dir.display(),
                a.display()
            )),
            Some(a) if !crate::store::dir_writable(a) => fail(format!(
                "store: {} cannot be created: {} cannot be written; set data_dir in the config, or use --no-store",
                dir.display(),
                a.display()
            )),
            _ => pass(format!(
                "store: {} does not exist yet; `uj sync` or the browser creates it",
                dir.display()
            )),
        });
        return out;
    }
    if !crate::store::dir_writable(dir) {
        out.push(fail(format!(
            "store: {} can be read but not written: the browser and commands read it, but nothing is synced or saved; check who owns it",
            dir.display()
        )));
    }
    match mode(dir) {
        Some(m) if m & 0o077 != 0 => out.push(fail(format!(
            "store: {} is readable by others (mode {m:o}): run chmod 700 on it",
            dir.display()
        ))),
        _ => out.push(pass(format!("store: directory {}", dir.display()))),
    }
    let db = crate::store::database_path_for(dir, &s.base_url, s.profile.as_deref());
    if !db.exists() {
        out.push(pass(format!(
            "store: no database for this base URL yet ({})",
            db.display()
        )));
        return out;
    }
    if let Some(m) = mode(&db).filter(|m| m & 0o077 != 0) {
        out.push(fail(format!(
            "store: {} is readable by others (mode {m:o}): run chmod 600 on it",
            db.display()
        )));
    }
    let opened = rusqlite::Connection::open_with_flags(
        &db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    );
    let checked = opened.and_then(|conn| {
        let version = schema::version(&conn)?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        Ok((version, check))
    });
    out.push(match checked {
        Ok((v, _)) if v > schema::CURRENT => fail(format!(
            "store: {} was written by a newer uj (schema {v}; this one knows {}): upgrade uj",
            db.display(),
            schema::CURRENT
        )),
        Ok((_, check)) if check != "ok" => fail(format!(
            "store: {} is damaged ({check}): save your marks with `uj marks export --from {} > marks.jsonl`, then move it away and run `uj sync`",
            db.display(),
            db.display()
        )),
        Ok((v, _)) => pass(format!(
            "store: {} (schema {v}{}; integrity ok)",
            db.display(),
            if v < schema::CURRENT {
                ", migrated when next opened"
            } else {
                ""
            }
        )),
        Err(e) => fail(format!(
            "store: {} cannot be read ({e}): save your marks with `uj marks export --from {} > marks.jsonl`, then move it away and run `uj sync`",
            db.display(),
            db.display()
        )),
    });
    out
}

fn terminal() -> Vec<Check> {
    let mut out = Vec::new();
    if !std::io::stdout().is_terminal() {
        out.push(pass(
            "terminal: the output is not a terminal (the browser needs one; commands do not)",
        ));
        return out;
    }
    match crossterm::terminal::size() {
        Ok((w, h)) if w >= 80 && h >= 24 => out.push(pass(format!("terminal: {w}×{h}"))),
        Ok((w, h)) if w >= 40 && h >= 10 => out.push(pass(format!(
            "terminal: {w}×{h} (one pane at a time below 80 columns)"
        ))),
        Ok((w, h)) => out.push(fail(format!(
            "terminal: {w}×{h} is too small for the browser: make it at least 40×10"
        ))),
        Err(e) => out.push(fail(format!("terminal: its size cannot be read ({e})"))),
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let colorterm = std::env::var("COLORTERM").unwrap_or_default();
    let term = std::env::var("TERM").unwrap_or_default();
    out.push(pass(if no_color {
        "colours: off (NO_COLOR is set); markers and bold still show everything".to_string()
    } else if colorterm.contains("truecolor") || colorterm.contains("24bit") {
        "colours: true colour".to_string()
    } else {
        format!("colours: TERM={term}")
    }));
    out.push(osc52());
    out
}

/// Whether a copy (`y`, OSC 52) is likely to reach the clipboard.
fn osc52() -> Check {
    if std::env::var_os("TMUX").is_none() {
        return pass(
            "clipboard: copies use OSC 52, which most terminals accept (some ask to allow it)",
        );
    }
    let setting = std::process::Command::new("tmux")
        .args(["show-options", "-gv", "set-clipboard"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match setting.as_deref() {
        Some(v @ ("on" | "external")) => pass(format!(
            "clipboard: tmux passes OSC 52 on (set-clipboard {v})"
        )),
        Some(other) => fail(format!(
            "clipboard: tmux has set-clipboard {other}, so copies stop at tmux: run `tmux set -g set-clipboard on`"
        )),
        None => fail("clipboard: inside tmux, but its set-clipboard option cannot be read"),
    }
}
