//! The `vigie` binary: the command-line front of the application core (`vigie-app`): it
//! parses the command line, calls the core, and renders what it returns.
//!
//! Exit codes (documented in the README and in `vigie --help`):
//! - 0: done, nothing to report over the threshold;
//! - 1: findings at or over the threshold (`audit --fail-on`);
//! - 2: error: vigie could not do the job, or some inputs could not be read
//!   (the output then covers everything else: the result is partial).

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod output;
mod progress;
mod render;

/// mimalloc, as ruff and uv use: an estate scan allocates and frees tens of millions of small
/// objects from several threads, and glibc's allocator spent over a third of the scan's time
/// in malloc, free and consolidation.
///
/// Its version 2 (feature `v2`): version 3 keeps freed memory for a second before it gives
/// it back to the system, and the server, whose threads free large analyses and pages,
/// peaked at 481–493 MiB under `bench/serve.sh`'s varied questions with it, 371 MiB with
/// version 2 (BENCHMARKS.md, session 10); the scan's time is the same with both.
///
/// Built without transparent huge pages (feature `no_thp`): each first touch of its arena
/// cleared a 2 MiB page, a millisecond of every short command (`who-uses`, `--version`),
/// and the scan and the report were no faster with them (BENCHMARKS.md, session 5).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`vigie inventory | head`) is not an error.
            if err.chain().any(|e| {
                let kind = e
                    .downcast_ref::<std::io::Error>()
                    .map(std::io::Error::kind)
                    .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
                kind == Some(std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("vigie: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
