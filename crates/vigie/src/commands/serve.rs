//! `vigie serve`: the settings resolved (`[server]` of vigie.toml, with `--listen`), then
//! `vigie_server::run` on a tokio runtime. The first admin's generated password is printed
//! here, once, on standard error; it never goes to the logs.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use vigie_app::config::Config;
use vigie_app::store::StoreLocation;
use vigie_server::{Notice, ServerConfig};

use crate::cli::ServeArgs;

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    // Resolved once: every scheduled scan stores the same project paths.
    let paths = args
        .paths
        .iter()
        .map(|p| {
            vigie_app::estate::scan_root(p)
                .with_context(|| format!("{}: cannot be scanned", p.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let first_dir = paths.first().filter(|p| p.is_dir());
    let config = Config::load(args.config.as_deref(), first_dir.map(|p| p.as_path()))?;
    let settings = config.server(args.listen.as_deref())?;
    let scheme = if settings.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let store =
        StoreLocation::new(args.db.given()?, &config, args.data.data_dir.clone())?.location()?;
    let server = ServerConfig {
        settings,
        store,
        paths,
        data_dir: args.data.data_dir.clone(),
        config_file: args.config,
        admin_password: std::env::var("VIGIE_ADMIN_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty()),
    };
    vigie_server::init_tracing();
    let notify: vigie_server::Notify = Arc::new(move |notice| match notice {
        Notice::Listening(addr) => {
            eprintln!("vigie: serving on {scheme}://{addr}/ (Ctrl-C to stop)");
        }
        Notice::AdminPassword(password) => {
            eprintln!(
                "vigie: first start: log in as user `admin` with password {password}\n       \
                 (shown once; set VIGIE_ADMIN_PASSWORD to choose it)"
            );
        }
        Notice::ExistingUsers => {
            eprintln!(
                "vigie: log in with an existing user (`vigie user list`; \
                 `vigie user add NAME --role admin` adds one)"
            );
        }
        Notice::NoIndex => {
            eprintln!(
                "vigie: no knowledge index: the folders are scanned once there is one; \
                 building it from the network (`vigie sync`; offline: `vigie sync --mirror DIR`)"
            );
        }
        Notice::IndexBuilt => {
            eprintln!("vigie: knowledge index built; scanning the folders");
        }
        Notice::IndexFailed(why) => {
            eprintln!(
                "vigie: the knowledge index could not be built ({why}).\n       \
                 Build it from a copied mirror (`vigie sync --mirror DIR`, same data directory), \
                 then start `vigie serve` again (or let `[server] scan-every` find it)."
            );
        }
    });
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // A blocking thread that computed something large (the analysis, a page of the
        // estate) keeps the memory it freed in its allocator heap while it lives: let idle
        // ones end soon, so that memory goes back to the system.
        .thread_keep_alive(std::time::Duration::from_millis(250))
        .build()?
        .block_on(vigie_server::run(server, notify))?;
    Ok(ExitCode::SUCCESS)
}
