//! One file per subcommand.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

mod formats;
mod inventory;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Inventory(args) => inventory::run(args),
        Command::Formats(args) => formats::run(args),
    }
}
