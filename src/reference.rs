//! The reference tables the README and the man page share: configuration,
//! environment, files and exit status. Each is written once here; the
//! README's copies are generated from them (`UJ_WRITE_README=1 cargo test
//! --test keys` rewrites them, and a test fails when they drift), and `uj
//! man` renders them as its own sections, with the key bindings.

/// What can be configured, and how (Markdown: backticks mark names).
pub const CONFIGURATION: &[(&str, &str)] = &[
    (
        "API key",
        "`USERJOURNEYS_API_KEY`; or `api_key_command = \"pass show uj\"` in the config (run with `sh -c`, stdout trimmed); or `api_key = \"…\"` in the config (`uj` warns if the file is readable by group/others). There is no `--api-key` flag: it would show in process lists.",
    ),
    (
        "base URL",
        "`--base-url`, `USERJOURNEYS_BASE_URL`, config `base_url`; default `https://app.userjourneys.ai/api/v1`. Plain `http://` is accepted only for loopback hosts (exit code 2 otherwise).",
    ),
    (
        "config file",
        "`$XDG_CONFIG_HOME/uj/config.toml` (default `~/.config/uj/config.toml`), or `--config PATH`. Unknown keys are refused, so typos surface.",
    ),
    (
        "study",
        "`--study ID`, else `UJ_STUDY`, else config `default_study`.",
    ),
    ("page size", "config `page_size` (1–100, default 50)."),
    (
        "theme",
        "config `theme`: `\"default\"` (colour) or `\"mono\"` (bold, reverse and markers only, like `NO_COLOR`).",
    ),
    (
        "log",
        "`--log-file PATH` (created 0600), level from `UJ_LOG` (e.g. `debug`). Never to the terminal.",
    ),
    (
        "freshness",
        "config `max_age` (default `\"10m\"`; `s`, `m`, `h` or `d`; `0` always syncs first): a stored study whose last complete sync is younger is read from the store without a request; older, it is synced first. `--refresh` always syncs first; `--offline` never touches the network.",
    ),
    (
        "store",
        "config `store` (default `true`; `false` or `--no-store` keeps nothing on disk), `data_dir` (default `$XDG_DATA_HOME/uj`), `background_sync` (default `true`; `false`: the browser walks the list but fetches a transcript only when opened), `sync_concurrency` (1–16, default 4).",
    ),
    (
        "views",
        "`[views]` maps names to queries (`triage = \"is:unreviewed quality:insightful\"`; the language: docs/search.md). `V` in the browser lists them with their counts and saves the list as one; `uj interviews --view NAME`, `uj export --view NAME`.",
    ),
    (
        "keys",
        "`[keys.CONTEXT]` rebinds actions by name: `open = [\"Enter\", \"o\"]` under `[keys.list]`, `quit = [\"q\"]` under `[keys.every_pane]`. The names are in the key tables below; `uj keys` prints the keys in force. An unknown context, action or key, an action left with no key, or a key bound twice in one context is refused by name (exit 2).",
    ),
    (
        "profiles",
        "`[profiles.NAME]` holds `base_url`, `api_key_command` or `api_key`, `default_study` and `data_dir`; `--profile NAME` or `UJ_PROFILE` chooses one, and its values replace the top level's (flags and the environment still win). Each profile has its own store file; the top bar names it; `uj doctor` checks every profile.",
    ),
];

/// The environment variables `uj` reads.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "`USERJOURNEYS_API_KEY`",
        "the API key (never shown, logged or printed)",
    ),
    ("`USERJOURNEYS_BASE_URL`", "the API's base URL"),
    (
        "`UJ_STUDY`",
        "the study to open or read when `--study` is not given",
    ),
    (
        "`UJ_PROFILE`",
        "the config's profile when `--profile` is not given",
    ),
    (
        "`UJ_LOG`",
        "the log level for `--log-file` (`info` by default)",
    ),
    ("`NO_COLOR`", "any non-empty value turns colour off"),
    (
        "`XDG_CONFIG_HOME`",
        "where the config lives (`~/.config` by default)",
    ),
    (
        "`XDG_DATA_HOME`",
        "where the local store lives (`~/.local/share` by default)",
    ),
];

/// The files `uj` reads and writes.
pub const FILES: &[(&str, &str)] = &[
    (
        "`~/.config/uj/config.toml`",
        "the configuration (`$XDG_CONFIG_HOME/uj/config.toml`)",
    ),
    (
        "`~/.local/share/uj/*.sqlite3`",
        "the local store, one database per API base URL (directory 0700, files 0600): the mirror, the sync state and your marks",
    ),
    (
        "`.uj-export`",
        "the marker an export directory carries; `--force` replaces only a directory that has it",
    ),
];

/// What the exit code says.
pub const EXIT_STATUS: &[(&str, &str)] = &[
    (
        "`0`",
        "success (also when a reader such as `head` closes the pipe early)",
    ),
    (
        "`1`",
        "a runtime failure: the network, the API, the store, a sync that did not store everything",
    ),
    (
        "`2`",
        "a usage or configuration error: a wrong flag or value, a target that exists",
    ),
    ("`130`", "interrupted by Ctrl-c (what was done is kept)"),
];

/// The README's generated reference block, in Markdown.
pub fn readme_block() -> String {
    let mut out = String::from("\n| what | how |\n|---|---|\n");
    for (what, how) in CONFIGURATION {
        out.push_str(&format!("| {what} | {how} |\n"));
    }
    for (title, head, rows) in [
        ("Environment", "variable", ENVIRONMENT),
        ("Files", "file", FILES),
        ("Exit status", "code", EXIT_STATUS),
    ] {
        out.push_str(&format!(
            "\n**{title}**\n\n| {head} | meaning |\n|---|---|\n"
        ));
        for (name, meaning) in rows {
            out.push_str(&format!("| {name} | {meaning} |\n"));
        }
    }
    out
}

/// Markdown's code marks taken away, for the man page's plain text.
pub fn plain(text: &str) -> String {
    text.replace('`', "")
}
