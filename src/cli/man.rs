//! `uj man`: one page, uj(1). clap_mangen renders the title, synopsis,
//! description and global options; the commands, keys, configuration,
//! environment, files and exit status are rendered here from the tables
//! the README is made from, and no page it names is missing (the commands
//! are sections of this page, not uj-COMMAND(1) pages).

use clap::CommandFactory;
use clap_mangen::roff::{Roff, bold, roman};

use super::{Cli, CliError};
use crate::app::keymap::{BINDINGS, Context};
use crate::reference::{CONFIGURATION, ENVIRONMENT, EXIT_STATUS, FILES, plain};

/// The whole page, in roff.
pub fn page() -> Result<Vec<u8>, CliError> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    let fail =
        |e: std::io::Error| CliError::Runtime(format!("could not render the man page ({e})"));
    man.render_title(&mut out).map_err(fail)?;
    man.render_name_section(&mut out).map_err(fail)?;
    man.render_synopsis_section(&mut out).map_err(fail)?;
    man.render_description_section(&mut out).map_err(fail)?;
    man.render_options_section(&mut out).map_err(fail)?;

    let mut roff = Roff::default();
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("uj {}", sub.get_name());
        roff.control("TP", []).text([bold(name)]);
        roff.text([roman(
            sub.get_about().map(|a| a.to_string()).unwrap_or_default(),
        )]);
        for arg in sub
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_global_set())
        {
            let flag = match (arg.get_long(), arg.get_short()) {
                (Some(l), _) => format!("--{l}"),
                (None, Some(s)) => format!("-{s}"),
                (None, None) => arg.get_id().to_string().to_uppercase(),
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            roff.control("RS", []);
            roff.control("TP", []).text([bold(flag)]);
            roff.text([roman(help)]);
            roff.control("RE", []);
        }
        for nested in sub.get_subcommands() {
            roff.control("RS", []);
            roff.control("TP", []).text([bold(format!(
                "uj {} {}",
                sub.get_name(),
                nested.get_name()
            ))]);
            roff.text([roman(
                nested
                    .get_about()
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
            )]);
            roff.control("RE", []);
        }
    }

    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "The browser's keys, by where they apply (the same table drives the help and the README).",
    )]);
    for c in Context::ALL {
        roff.control("SS", [c.title()]);
        for b in BINDINGS.iter().filter(|b| b.context == c) {
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            roff.control("TP", []).text([bold(keys.join(" "))]);
            roff.text([roman(b.help)]);
        }
    }
    for (title, rows) in [
        ("CONFIGURATION", CONFIGURATION),
        ("ENVIRONMENT", ENVIRONMENT),
        ("FILES", FILES),
        ("EXIT STATUS", EXIT_STATUS),
    ] {
        roff.control("SH", [title]);
        if title == "CONFIGURATION" {
            roff.text([roman(
                "Precedence: flags > environment > config file > defaults.",
            )]);
        }
        for (name, meaning) in rows {
            roff.control("TP", []).text([bold(plain(name))]);
            roff.text([roman(plain(meaning))]);
        }
    }
    roff.to_writer(&mut out).map_err(fail)?;
    man.render_version_section(&mut out).map_err(fail)?;
    Ok(out)
}
