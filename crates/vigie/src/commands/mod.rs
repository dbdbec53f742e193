//! One file per subcommand.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

mod audit;
mod catalog;
mod diff;
mod formats;
mod hit;
mod inventory;
mod knowledge;
mod licence_tables;
pub(crate) mod licences;
mod lifecycle;
mod notice;
mod reaudit;
pub(crate) mod report;
mod scan;
mod serve;
mod show;
mod store_io;
mod sync;
mod token;
mod triage;
mod user;
mod who_uses;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Inventory(args) => inventory::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Reaudit(args) => reaudit::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Lifecycle(args) => lifecycle::run(args),
        Command::Catalog(cmd) => catalog::run(cmd),
        Command::Licences(args) => licences::run(args),
        Command::Notice(args) => notice::run(args),
        Command::Formats(args) => formats::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Triage(args) => triage::run(args),
        Command::WhoUses(args) => who_uses::run(args),
        Command::Hit(args) => hit::run(args),
        Command::Knowledge(args) => knowledge::run(args),
        Command::Show(args) => show::run(args),
        Command::Report(args) => report::run(args),
        Command::Export(args) => store_io::export(args),
        Command::Import(args) => store_io::import(args),
        Command::Store(cmd) => store_io::store(cmd),
        Command::Serve(args) => serve::run(args),
        Command::Token(cmd) => token::run(cmd),
        Command::User(cmd) => user::run(cmd),
    }
}
