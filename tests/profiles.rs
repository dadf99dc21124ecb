//! Profiles: two projects side by side, each with its base URL, key,
//! study and store.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use support::standin::StandIn;
use support::synthetic::{SYNTHETIC, synthetic};
use uj::api::SnapshotSource;
use uj::store::database_path_for;

const KEY_A: &str = "uj_live_alpha_1111";
const KEY_B: &str = "uj_live_beta_2222";

fn uj(
    home: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_uj"));
    cmd.env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TZ", "UTC")
        .args(args)
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn two_profiles_two_servers_two_stores() {
    let a = StandIn::start_in_thread(SnapshotSource::demo().expect("demo"), KEY_A);
    let b = StandIn::start_in_thread(synthetic(12), KEY_B);
    let home = tempfile::tempdir().expect("tmp");
    let config = home.path().join("config").join("uj");
    std::fs::create_dir_all(&config).expect("dir");
    let file = config.join("config.toml");
    std::fs::write(
        &file,
        format!(
            "# top level: no key\n\n[profiles.alpha]\nbase_url = \"{}\"\napi_key = \"{KEY_A}\"\n\n[profiles.beta]\nbase_url = \"{}\"\napi_key = \"{KEY_B}\"\ndefault_study = \"{SYNTHETIC}\"\n",
            a.base_url(),
            b.base_url()
        ),
    )
    .expect("config");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");

    let (code, alpha, err) = uj(home.path(), &["--profile", "alpha", "studies"], &[]);
    assert_eq!(code, Some(0), "{err}");
    let (code, beta, err) = uj(home.path(), &["studies"], &[("UJ_PROFILE", "beta")]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        !alpha.contains(SYNTHETIC) && beta.contains(SYNTHETIC),
        "{alpha}\n{beta}"
    );
    // Each key went to its own server only.
    assert!(a.requests().iter().all(|r| !r.contains(KEY_B)));
    // Beta's default study, synced into beta's own store.
    let (code, _, err) = uj(home.path(), &["--profile", "beta", "sync"], &[]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = uj(home.path(), &["--profile", "alpha", "sync", "--all"], &[]);
    assert_eq!(code, Some(0), "{err}");
    let data = home.path().join("data").join("uj");
    let db_a = database_path_for(&data, &a.base_url().parse().expect("url"), Some("alpha"));
    let db_b = database_path_for(&data, &b.base_url().parse().expect("url"), Some("beta"));
    assert!(db_a.is_file() && db_b.is_file() && db_a != db_b);
    // Two profiles on one base URL would still have two files.
    let same = a.base_url().parse().expect("url");
    assert_ne!(
        database_path_for(&data, &same, Some("one")),
        database_path_for(&data, &same, Some("two"))
    );
    // Offline, each profile reads its own store.
    let (code, out, err) = uj(
        home.path(),
        &["--profile", "beta", "--offline", "interviews", "--all"],
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 12);
    // An unknown profile names the known ones.
    let (code, _, err) = uj(home.path(), &["--profile", "gamma", "studies"], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("alpha") && err.contains("beta"), "{err}");
    // doctor checks every profile.
    let (_, out, _) = uj(home.path(), &["--profile", "alpha", "doctor"], &[]);
    assert!(
        out.contains("profile beta: API:") || out.contains("profile beta: "),
        "{out}"
    );
    assert!(
        !out.contains(KEY_A) && !out.contains(KEY_B),
        "no key on screen: {out}"
    );
}
