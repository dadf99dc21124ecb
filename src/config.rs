//! Settings from flags, the environment and the config file, in that order
//! of precedence (docs/CONTRACT.md "Configuration").

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;
use url::{Host, Url};

use crate::api::ApiKey;

pub const DEFAULT_BASE_URL: &str = "https://app.userjourneys.ai/api/v1";
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const DEFAULT_SYNC_CONCURRENCY: usize = 4;
pub const ENV_KEY: &str = "USERJOURNEYS_API_KEY";
pub const ENV_BASE_URL: &str = "USERJOURNEYS_BASE_URL";
pub const ENV_STUDY: &str = "UJ_STUDY";
pub const ENV_PROFILE: &str = "UJ_PROFILE";

/// A configuration problem; the binary exits with code 2 for each.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    #[error("no profile is named {name:?}: {known}")]
    UnknownProfile { name: String, known: String },
    /// A bad entry of `[keys]`, named.
    #[error("the config's key bindings: {0}")]
    Keys(String),
    #[error(
        "the config file {path} could not be read ({detail}): check the path given to --config"
    )]
    Unreadable { path: String, detail: String },
    #[error("the config file {path} is not valid ({detail}): fix it or move it away")]
    Invalid { path: String, detail: String },
    #[error("the base URL {url:?} is not a valid URL: give one like {DEFAULT_BASE_URL}")]
    BadUrl { url: String },
    #[error(
        "the base URL {url} uses plain http to a host that is not loopback, which would send the key in clear: use https"
    )]
    InsecureUrl { url: String },
    #[error("page_size {0} is out of range: use a number from 1 to 100")]
    PageSize(i64),
    #[error("api_key_command failed ({detail}): check the command in the config file")]
    KeyCommand { detail: String },
    #[error("sync_concurrency {0} is out of range: use a number from 1 to 16")]
    SyncConcurrency(i64),
    #[error(
        "max_age \"{0}\" is not a duration: use a number with s, m, h or d (\"10m\", \"2h\"), or 0 to always sync first"
    )]
    MaxAge(String),
}

/// How old a stored study may be before commands sync it first.
pub const DEFAULT_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// `"10m"`, `"90s"`, `"2h"`, `"1d"`, `"0"`: a duration.
pub fn parse_age(text: &str) -> Option<std::time::Duration> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = digits.parse().ok()?;
    let secs = match unit.trim() {
        "" if n == 0 => 0,
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(std::time::Duration::from_secs(secs))
}

/// The config file's keys. Unknown keys are refused so typos surface.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    api_key: Option<String>,
    api_key_command: Option<String>,
    base_url: Option<String>,
    default_study: Option<String>,
    page_size: Option<i64>,
    theme: Option<String>,
    store: Option<bool>,
    data_dir: Option<PathBuf>,
    background_sync: Option<bool>,
    sync_concurrency: Option<i64>,
    max_age: Option<toml::Value>,
    /// Saved views: a name for a query (`triage = "is:unreviewed"`).
    views: Option<std::collections::BTreeMap<String, String>>,
    /// Keys rebound: context → action → keys.
    keys: Option<KeysConfig>,
    /// Named sets of connection settings (`--profile NAME`, `UJ_PROFILE`).
    profiles: Option<std::collections::BTreeMap<String, ProfileConfig>>,
}

/// One `[profiles.NAME]` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileConfig {
    base_url: Option<String>,
    api_key_command: Option<String>,
    api_key: Option<String>,
    default_study: Option<String>,
    data_dir: Option<PathBuf>,
}

/// The config's `[keys]`: context → action → keys (read by the browser's
/// key table, which names a bad entry).
pub type KeysConfig =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>;

/// Where the key will come from; a command runs only when a key is needed.
#[derive(Debug, Clone)]
pub enum KeySource {
    Env(ApiKey),
    Command(String),
    File(ApiKey),
    None,
}

/// The resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: Url,
    pub key: KeySource,
    pub default_study: Option<String>,
    pub page_size: u32,
    pub theme: Option<String>,
    /// Keep a local store on disk (`store = false` keeps it in memory).
    pub store: bool,
    /// Where the store lives: `data_dir`, else `$XDG_DATA_HOME/uj`, else
    /// `~/.local/share/uj`; `None` when no home is known.
    pub data_dir: Option<PathBuf>,
    /// Refresh the open study in the background while browsing.
    pub background_sync: bool,
    /// Detail requests a sync keeps in flight at once (1–16).
    pub sync_concurrency: usize,
    /// How old a stored study's last complete sync may be before a command
    /// syncs it first (`max_age`, default 10 minutes; zero: always).
    pub max_age: std::time::Duration,
    /// The config file that was read, if one was.
    pub config_file: Option<PathBuf>,
    /// Where the config file is or would be (saving a view writes it).
    pub config_path: Option<PathBuf>,
    /// Saved views: name → query.
    pub views: std::collections::BTreeMap<String, String>,
    /// Keys rebound (`[keys.CONTEXT] action = ["key", …]`).
    pub keys: KeysConfig,
    /// The profile in force, if one was chosen.
    pub profile: Option<String>,
    /// Every profile the config names.
    pub profiles: Vec<String>,
    /// Things the user should hear about but that do not stop `uj`.
    pub warnings: Vec<String>,
}

/// What flags say.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub base_url: Option<String>,
    /// `--profile NAME` (else `UJ_PROFILE`).
    pub profile: Option<String>,
}

impl Settings {
    /// Resolves settings. `env` looks up an environment variable (tests pass
    /// a map instead of touching the process environment).
    pub fn load(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let (path, explicit) = match &flags.config {
            Some(p) => (Some(p.clone()), true),
            None => (default_path(&env), false),
        };
        let mut warnings = Vec::new();
        let file = match &path {
            Some(p) => read_file(p, explicit)?,
            None => None,
        };
        // A profile lays its settings over the file's top level.
        let profile = flags.profile.clone().or_else(|| env(ENV_PROFILE));
        let overlaid = match &profile {
            None => file.as_ref().map(|(c, _)| c.clone()),
            Some(name) => {
                let top = file.as_ref().map(|(c, _)| c.clone()).unwrap_or_default();
                let known: Vec<String> = top
                    .profiles
                    .as_ref()
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                let Some(p) = top.profiles.as_ref().and_then(|p| p.get(name)).cloned() else {
                    return Err(ConfigError::UnknownProfile {
                        name: name.clone(),
                        known: if known.is_empty() {
                            "the config has no [profiles.NAME] sections".into()
                        } else {
                            format!("the config's profiles are {}", known.join(", "))
                        },
                    });
                };
                let mut c = top;
                // A profile's key replaces the top level's, whichever form.
                if p.api_key_command.is_some() || p.api_key.is_some() {
                    c.api_key_command = p.api_key_command;
                    c.api_key = p.api_key;
                }
                c.base_url = p.base_url.or(c.base_url);
                c.default_study = p.default_study.or(c.default_study);
                c.data_dir = p.data_dir.or(c.data_dir);
                Some(c)
            }
        };
        let file_cfg = overlaid.as_ref();

        let url_text = flags
            .base_url
            .clone()
            .or_else(|| env(ENV_BASE_URL))
            .or_else(|| file_cfg.and_then(|c| c.base_url.clone()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = check_base_url(&url_text)?;

        let key = if let Some(k) = env(ENV_KEY) {
            KeySource::Env(ApiKey::new(k.trim()))
        } else if let Some(cmd) = file_cfg.and_then(|c| c.api_key_command.clone()) {
            KeySource::Command(cmd)
        } else if let Some(k) = file_cfg.and_then(|c| c.api_key.clone()) {
            if let (Some(p), Some((_, true))) = (&path, &file) {
                warnings.push(format!(
                    "the config file {} holds api_key and is readable by group or others: run chmod 600 on it, or use api_key_command",
                    p.display()
                ));
            }
            KeySource::File(ApiKey::new(k.trim()))
        } else {
            KeySource::None
        };

        let page_size = match file_cfg.and_then(|c| c.page_size) {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if (1..=100).contains(&n) => n as u32,
            Some(n) => return Err(ConfigError::PageSize(n)),
        };

        let sync_concurrency = match file_cfg.and_then(|c| c.sync_concurrency) {
            None => DEFAULT_SYNC_CONCURRENCY,
            Some(n) if (1..=16).contains(&n) => n as usize,
            Some(n) => return Err(ConfigError::SyncConcurrency(n)),
        };
        let data_dir = file_cfg
            .and_then(|c| c.data_dir.clone())
            .or_else(|| default_data_dir(&env));
        let max_age = match file_cfg.and_then(|c| c.max_age.as_ref()) {
            None => DEFAULT_MAX_AGE,
            Some(toml::Value::Integer(0)) => std::time::Duration::ZERO,
            Some(toml::Value::String(s)) => {
                parse_age(s).ok_or_else(|| ConfigError::MaxAge(s.clone()))?
            }
            Some(other) => return Err(ConfigError::MaxAge(other.to_string())),
        };

        Ok(Settings {
            base_url,
            key,
            store: file_cfg.and_then(|c| c.store).unwrap_or(true),
            data_dir,
            background_sync: file_cfg.and_then(|c| c.background_sync).unwrap_or(true),
            sync_concurrency,
            max_age,
            config_file: file.as_ref().and(path.clone()),
            config_path: path.clone(),
            views: file_cfg.and_then(|c| c.views.clone()).unwrap_or_default(),
            keys: file_cfg.and_then(|c| c.keys.clone()).unwrap_or_default(),
            profiles: file_cfg
                .and_then(|c| c.profiles.as_ref())
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default(),
            profile,
            default_study: env(ENV_STUDY)
                .or_else(|| file_cfg.and_then(|c| c.default_study.clone())),
            page_size,
            theme: file_cfg.and_then(|c| c.theme.clone()),
            warnings,
        })
    }

    /// The key, running `api_key_command` if that is its source.
    /// `Ok(None)` means no key is configured at all.
    pub fn resolve_key(&self) -> Result<Option<ApiKey>, ConfigError> {
        match &self.key {
            KeySource::Env(k) | KeySource::File(k) => Ok(Some(k.clone())),
            KeySource::Command(cmd) => run_key_command(cmd).map(Some),
            KeySource::None => Ok(None),
        }
    }

    pub fn has_key(&self) -> bool {
        !matches!(self.key, KeySource::None)
    }
}

fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("uj").join("config.toml"))
}

fn default_data_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".local").join("share")))?;
    Some(base.join("uj"))
}

/// The parsed file and whether others may read it. A missing default file
/// is fine; a missing explicit one is an error.
fn read_file(path: &Path, explicit: bool) -> Result<Option<(FileConfig, bool)>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(e) => {
            return Err(ConfigError::Unreadable {
                path: path.display().to_string(),
                detail: e.to_string(),
            });
        }
    };
    let cfg: FileConfig = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
        path: path.display().to_string(),
        detail: e.message().to_string(),
    })?;
    Ok(Some((cfg, readable_by_others(path))))
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

/// Accepts https anywhere, and plain http only to loopback hosts.
pub fn check_base_url(text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text.trim()).map_err(|_| ConfigError::BadUrl {
        url: crate::text::sanitize_line(text).into_owned(),
    })?;
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if url.host().as_ref().is_some_and(is_loopback) => Ok(url),
        "http" => Err(ConfigError::InsecureUrl {
            url: url.to_string(),
        }),
        _ => Err(ConfigError::BadUrl {
            url: url.to_string(),
        }),
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

fn run_key_command(cmd: &str) -> Result<ApiKey, ConfigError> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| ConfigError::KeyCommand {
            detail: format!("could not start sh: {e}"),
        })?;
    if !out.status.success() {
        return Err(ConfigError::KeyCommand {
            detail: format!("it exited with {}", out.status),
        });
    }
    let key = String::from_utf8(out.stdout).map_err(|_| ConfigError::KeyCommand {
        detail: "its output is not UTF-8".into(),
    })?;
    let key = key.trim();
    if key.is_empty() {
        return Err(ConfigError::KeyCommand {
            detail: "it printed nothing".into(),
        });
    }
    Ok(ApiKey::new(key))
}

/// Why a view was not written to the config file; each says what to do.
/// The paths are shown sanitised (they may hold any bytes).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SaveViewError {
    #[error("{path} is a link that leads nowhere ({detail}); point it at a file, or remove it")]
    BrokenLink { path: String, detail: String },
    #[error("could not read {path} ({detail})")]
    Read { path: String, detail: String },
    #[error("{path} is not valid TOML ({detail}); fix it first")]
    NotToml { path: String, detail: String },
    #[error("{path}: `views` is not a table; make it [views]")]
    ViewsNotATable { path: String },
    #[error("could not create {path} ({detail})")]
    CreateDir { path: String, detail: String },
    #[error("could not write {path} ({detail})")]
    Write { path: String, detail: String },
    #[error("could not replace {path} ({detail})")]
    Replace { path: String, detail: String },
    /// The task that wrote the file ended before it finished.
    #[error("the save stopped ({0}); try again")]
    Stopped(String),
}

/// Writes `name = "query"` under `[views]` in the config file, keeping
/// everything else (comments, order) as it was; the file is replaced
/// whole (written beside it, then renamed) and keeps its mode.
pub fn save_view(path: &std::path::Path, name: &str, query: &str) -> Result<(), SaveViewError> {
    use toml_edit::{DocumentMut, Item, Table, value};
    let shown = || crate::text::sanitize_line(&path.display().to_string()).into_owned();
    // A config linked from elsewhere (a dotfiles repository) is written
    // where it lives: the link stays a link.
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = std::fs::canonicalize(path).map_err(|e| SaveViewError::BrokenLink {
                path: shown(),
                detail: e.to_string(),
            })?;
            resolved.as_path()
        }
        _ => path,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(SaveViewError::Read {
                path: shown(),
                detail: e.to_string(),
            });
        }
    };
    let mut doc: DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| SaveViewError::NotToml {
                path: shown(),
                detail: e.to_string(),
            })?;
    let views = doc
        .entry("views")
        .or_insert_with(|| Item::Table(Table::new()));
    let Some(table) = views.as_table_like_mut() else {
        return Err(SaveViewError::ViewsNotATable { path: shown() });
    };
    table.insert(name, value(query));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| SaveViewError::CreateDir {
            path: crate::text::sanitize_line(&dir.display().to_string()).into_owned(),
            detail: e.to_string(),
        })?;
    }
    let tmp = path.with_extension("toml.uj-partial");
    crate::export::write_private(&tmp, doc.to_string().as_bytes()).map_err(|e| {
        SaveViewError::Write {
            path: shown(),
            detail: e.to_string(),
        }
    })?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        SaveViewError::Replace {
            path: shown(),
            detail: e.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn write_config(dir: &Path, text: &str, mode: u32) -> PathBuf {
        let path = dir.join("uj").join("config.toml");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        path
    }

    #[test]
    fn defaults_without_anything() {
        let s = Settings::load(&Flags::default(), &env_of(&[])).expect("loads");
        assert_eq!(s.base_url.as_str(), DEFAULT_BASE_URL);
        assert_eq!(s.page_size, 50);
        assert!(!s.has_key());
        assert!(s.store && s.background_sync);
        assert_eq!(s.sync_concurrency, 4);
        assert_eq!(s.max_age, DEFAULT_MAX_AGE);
        assert_eq!(s.data_dir, None);
    }

    #[test]
    fn store_settings_from_env_and_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path().to_str().expect("utf-8");
        let s = Settings::load(&Flags::default(), &env_of(&[("HOME", home)])).expect("loads");
        assert_eq!(s.data_dir, Some(dir.path().join(".local/share/uj")));
        let s = Settings::load(
            &Flags::default(),
            &env_of(&[("HOME", home), ("XDG_DATA_HOME", "/xdg/data")]),
        )
        .expect("loads");
        assert_eq!(s.data_dir, Some(PathBuf::from("/xdg/data/uj")));

        let path = write_config(
            dir.path(),
            "store = false\ndata_dir = \"/elsewhere\"\nbackground_sync = false\nsync_concurrency = 9\n",
            0o600,
        );
        let flags = Flags {
            config: Some(path.clone()),
            ..Flags::default()
        };
        let s = Settings::load(&flags, &env_of(&[("HOME", home)])).expect("loads");
        assert!(!s.store && !s.background_sync);
        assert_eq!(s.data_dir, Some(PathBuf::from("/elsewhere")));
        assert_eq!(s.sync_concurrency, 9);

        write_config(dir.path(), "sync_concurrency = 17\n", 0o600);
        assert_eq!(
            Settings::load(&flags, &env_of(&[])).err(),
            Some(ConfigError::SyncConcurrency(17))
        );
    }

    #[test]
    fn flags_beat_env_beat_file() {
        let dir = tempfile::tempdir().expect("tmp");
        write_config(
            dir.path(),
            "base_url = \"http://127.0.0.1:1\"\ndefault_study = \"file-study\"\npage_size = 20\n",
            0o600,
        );
        let xdg = dir.path().to_str().expect("utf8");
        let file_only =
            Settings::load(&Flags::default(), &env_of(&[("XDG_CONFIG_HOME", xdg)])).expect("loads");
        assert_eq!(file_only.base_url.as_str(), "http://127.0.0.1:1/");
        assert_eq!(file_only.default_study.as_deref(), Some("file-study"));
        assert_eq!(file_only.page_size, 20);

        let env = env_of(&[
            ("XDG_CONFIG_HOME", xdg),
            (ENV_BASE_URL, "http://127.0.0.1:2"),
            (ENV_STUDY, "env-study"),
        ]);
        let with_env = Settings::load(&Flags::default(), &env).expect("loads");
        assert_eq!(with_env.base_url.as_str(), "http://127.0.0.1:2/");
        assert_eq!(with_env.default_study.as_deref(), Some("env-study"));

        let flags = Flags {
            base_url: Some("http://localhost:3".into()),
            ..Flags::default()
        };
        assert_eq!(
            Settings::load(&flags, &env)
                .expect("loads")
                .base_url
                .as_str(),
            "http://localhost:3/"
        );
    }

    #[test]
    fn key_sources_in_order() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = write_config(
            dir.path(),
            "api_key = \"uj_live_file\"\napi_key_command = \"echo uj_live_cmd\"\n",
            0o600,
        );
        let flags = Flags {
            config: Some(path.clone()),
            ..Flags::default()
        };
        let from_env = Settings::load(&flags, &env_of(&[(ENV_KEY, "uj_live_env")])).expect("loads");
        assert_eq!(
            from_env.resolve_key().expect("key").expect("some").expose(),
            "uj_live_env"
        );
        let from_cmd = Settings::load(&flags, &env_of(&[])).expect("loads");
        assert_eq!(
            from_cmd.resolve_key().expect("key").expect("some").expose(),
            "uj_live_cmd"
        );
        write_config(dir.path(), "api_key = \"uj_live_file\"\n", 0o600);
        let from_file = Settings::load(&flags, &env_of(&[])).expect("loads");
        assert_eq!(
            from_file
                .resolve_key()
                .expect("key")
                .expect("some")
                .expose(),
            "uj_live_file"
        );
        assert!(from_file.warnings.is_empty());
    }

    #[test]
    fn key_in_a_world_readable_file_warns() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = write_config(dir.path(), "api_key = \"uj_live_canary\"\n", 0o644);
        let flags = Flags {
            config: Some(path),
            ..Flags::default()
        };
        let s = Settings::load(&flags, &env_of(&[])).expect("loads");
        assert_eq!(s.warnings.len(), 1);
        assert!(s.warnings[0].contains("chmod 600"));
        assert!(!format!("{s:?} {}", s.warnings[0]).contains("canary"));
    }

    #[test]
    fn failing_key_command_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = write_config(dir.path(), "api_key_command = \"exit 3\"\n", 0o600);
        let flags = Flags {
            config: Some(path),
            ..Flags::default()
        };
        let err = Settings::load(&flags, &env_of(&[]))
            .expect("loads")
            .resolve_key()
            .expect_err("fails");
        assert!(
            err.to_string()
                .starts_with("api_key_command failed (it exited with exit status: 3)"),
            "{err}"
        );
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "https://app.userjourneys.ai/api/v1",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://localhost/x",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://app.userjourneys.ai/api/v1",
            "http://10.0.0.1",
            "http://localhost.evil.com",
        ] {
            assert!(
                matches!(check_base_url(bad), Err(ConfigError::InsecureUrl { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            check_base_url("ftp://x"),
            Err(ConfigError::BadUrl { .. })
        ));
        assert!(matches!(
            check_base_url("not a url"),
            Err(ConfigError::BadUrl { .. })
        ));
    }

    #[test]
    fn bad_files_and_values_are_errors() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = write_config(dir.path(), "page_size = 500\n", 0o600);
        let flags = Flags {
            config: Some(path.clone()),
            ..Flags::default()
        };
        assert_eq!(
            Settings::load(&flags, &env_of(&[])).expect_err("range"),
            ConfigError::PageSize(500)
        );
        write_config(dir.path(), "pagesize = 5\n", 0o600);
        assert!(matches!(
            Settings::load(&flags, &env_of(&[])),
            Err(ConfigError::Invalid { .. })
        ));
        for (text, want) in [
            ("max_age = \"10m\"\n", Some(600)),
            ("max_age = \"2h\"\n", Some(7200)),
            ("max_age = 0\n", Some(0)),
            ("max_age = \"0\"\n", Some(0)),
            ("max_age = \"soon\"\n", None),
            ("max_age = 5\n", None),
        ] {
            write_config(dir.path(), text, 0o600);
            let got = Settings::load(&flags, &env_of(&[]));
            match want {
                Some(secs) => assert_eq!(
                    got.expect("valid").max_age,
                    std::time::Duration::from_secs(secs),
                    "{text}"
                ),
                None => assert!(matches!(got, Err(ConfigError::MaxAge(_))), "{text}"),
            }
        }
        let missing = Flags {
            config: Some(dir.path().join("nope.toml")),
            ..Flags::default()
        };
        assert!(matches!(
            Settings::load(&missing, &env_of(&[])),
            Err(ConfigError::Unreadable { .. })
        ));
    }
}
