//! Running the server: listen, open the store in the background (ready once migrated),
//! scan the given folders at start and on the schedule, refresh the knowledge index on its
//! schedule (then re-audit the latest snapshot with it), and stop gracefully on SIGINT or
//! SIGTERM. With
//! `server.tls-cert` and `server.tls-key`, HTTPS only (`tls.rs`).

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use vigie_app::checks::{CheckFamily, Estate};
use vigie_app::config::LifecycleOptions;
use vigie_app::reaudit::{ReauditRequest, reaudit_into};
use vigie_app::scan::{ScanRequest, scan_into};

use crate::state::{AppState, ServerConfig};

/// What the server tells its front (the terminal), outside the logs.
#[derive(Debug)]
pub enum Notice {
    /// Listening at this address.
    Listening(SocketAddr),
    /// The first admin was created with this generated password: show it once. It never
    /// goes to the logs.
    AdminPassword(String),
    /// The store already had users: log in as one of them.
    ExistingUsers,
    /// There is no knowledge index: the folders cannot be scanned and audited until one is
    /// built; the server tries to build one from the network now.
    NoIndex,
    /// The knowledge index was built (after [`Notice::NoIndex`]); the folders are scanned.
    IndexBuilt,
    /// The knowledge index could not be built (no network?): this says why.
    IndexFailed(String),
}

/// The front's receiver of [`Notice`]s.
pub type Notify = Arc<dyn Fn(Notice) + Send + Sync>;

/// Serves until SIGINT or SIGTERM. A certificate or key that cannot serve is an error before
/// anything listens.
pub async fn run(config: ServerConfig, notify: Notify) -> anyhow::Result<()> {
    let tls = match &config.settings.tls {
        Some((cert, key)) => Some(crate::tls::acceptor(cert, key)?),
        None => None,
    };
    let listener = TcpListener::bind(config.settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.settings.listen))?;
    notify(Notice::Listening(listener.local_addr()?));
    let state = AppState::new(config);
    let (fatal_tx, fatal_rx) = tokio::sync::oneshot::channel::<anyhow::Error>();
    let background = state.clone();
    tokio::spawn(async move {
        match background.open_store().await {
            Ok(password) => {
                // The location's Display: never a URL's password.
                let store = background.config().store.to_string();
                tracing::info!(store, "store open and migrated: ready");
                notify(match password {
                    Some(p) => Notice::AdminPassword(p),
                    None => Notice::ExistingUsers,
                });
                // The analysis and the pages' estate of the latest snapshot are computed
                // now, not by the first person to open a page.
                tokio::spawn(background.clone().warm());
                schedules(background, notify).await;
            }
            Err(e) => {
                let _ = fatal_tx.send(e);
            }
        }
    });
    let app = crate::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let serve: Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>> = match tls {
        None => Box::pin(
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown())
                .into_future(),
        ),
        Some(acceptor) => {
            // `tap_io` also gives the TLS listener axum's `ConnectInfo<SocketAddr>`.
            let listener = crate::tls::TlsListener::new(listener, acceptor).tap_io(|tls| {
                let _ = tls.get_ref().0.set_nodelay(true);
            });
            Box::pin(
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown())
                    .into_future(),
            )
        }
    };
    tokio::select! {
        served = serve => served.context("serving")?,
        Ok(e) = fatal_rx => return Err(e.context("opening the store")),
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// The scans (at start, then every `scan-every`) and the syncs (every `sync-every`, each
/// followed by a re-audit of the latest snapshot: every project's stored components, the
/// ones CI pushed included, matched against the new index without reading a file), one at
/// a time. A scan needs the knowledge index: without one, the
/// server first builds it from the network, then scans; when that fails, the folders are
/// scanned at the next `scan-every` (if set) that finds an index (`vigie sync --mirror DIR`).
async fn schedules(state: AppState, notify: Notify) {
    let lock = Arc::new(tokio::sync::Mutex::new(()));
    let no_index = state.index_created().await.is_none();
    if no_index {
        notify(Notice::NoIndex);
        let (state, lock) = (state.clone(), lock.clone());
        tokio::spawn(async move {
            let _one = lock.lock().await;
            match sync_once(&state).await {
                Ok(()) => {
                    notify(Notice::IndexBuilt);
                    state.forget_index_age();
                    if !state.config().paths.is_empty() {
                        scan_once(&state).await;
                    }
                }
                Err(why) => notify(Notice::IndexFailed(why)),
            }
        });
    }
    if let Some(every) = state.config().settings.sync_every {
        let (state, lock) = (state.clone(), lock.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(poll(every)).await;
                if !claim(&state, "sync", every).await {
                    continue;
                }
                let _one = lock.lock().await;
                if sync_once(&state).await.is_ok() {
                    state.forget_index_age();
                    reaudit_once(&state).await;
                }
                finish(&state, "sync", every).await;
            }
        });
    }
    if state.config().paths.is_empty() {
        return;
    }
    // The scan at start is this server's own (its folders); the scans of `scan-every` are a
    // job of the store, run once across the servers on it. Without an index, the task above
    // scans once it has built one.
    if !no_index {
        let _one = lock.lock().await;
        scan_once(&state).await;
    }
    let Some(every) = state.config().settings.scan_every else {
        return;
    };
    loop {
        tokio::time::sleep(poll(every)).await;
        if !claim(&state, "scan", every).await {
            continue;
        }
        let _one = lock.lock().await;
        scan_once(&state).await;
        finish(&state, "scan", every).await;
    }
}

/// How long a server may hold a scheduled job it never finishes (it died in the middle)
/// before another server on the store takes it.
const JOB_LEASE: Duration = Duration::from_secs(3600);

/// How often a server looks whether a job of period `every` is due: at most a minute late.
fn poll(every: Duration) -> Duration {
    every.min(Duration::from_secs(60))
}

/// This server's name among those on the store: host, process and start.
fn holder() -> &'static str {
    static HOLDER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HOLDER.get_or_init(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_owned())
            .unwrap_or_else(|_| "host".into());
        format!(
            "{host}:{}:{}",
            std::process::id(),
            jiff::Timestamp::now().as_millisecond()
        )
    })
}

/// An RFC 3339 UTC time of fixed length (compared as text by the store).
fn stamp(t: jiff::Timestamp) -> String {
    format!("{t:.0}")
}

fn later(by: Duration) -> jiff::Timestamp {
    let by = jiff::SignedDuration::try_from(by).unwrap_or(jiff::SignedDuration::MAX);
    jiff::Timestamp::now()
        .checked_add(by)
        .unwrap_or(jiff::Timestamp::MAX)
}

/// Takes the job `name` (period `every`) when it is due and no other server holds it; a
/// job never run is first due one period after this server starts looking.
async fn claim(state: &AppState, name: &'static str, every: Duration) -> bool {
    let Ok(stores) = state.stores().cloned() else {
        return false;
    };
    let claimed = stores
        .bookkeep(move |s| {
            let (now, lease_until) = (stamp(jiff::Timestamp::now()), stamp(later(JOB_LEASE)));
            let first_due = stamp(later(every.saturating_sub(poll(every))));
            Ok(s.claim_job(&vigie_store::JobClaim {
                name,
                holder: holder(),
                now: &now,
                lease_until: &lease_until,
                first_due: &first_due,
            })?)
        })
        .await;
    match claimed {
        Ok(taken) => taken,
        Err(e) => {
            tracing::warn!(job = name, error = %format!("{e:#}"), "scheduled job not claimed");
            false
        }
    }
}

/// Ends this server's run of job `name`: next due one period from now.
async fn finish(state: &AppState, name: &'static str, every: Duration) {
    let Ok(stores) = state.stores().cloned() else {
        return;
    };
    let done = stores
        .bookkeep(move |s| Ok(s.finish_job(name, holder(), &stamp(later(every)))?))
        .await;
    match done {
        Ok(true) => {}
        Ok(false) => tracing::warn!(job = name, "scheduled job taken over by another server"),
        Err(e) => tracing::warn!(job = name, error = %format!("{e:#}"), "scheduled job not ended"),
    }
}

/// Long work's warnings go to the logs.
pub(crate) struct Logged;

impl vigie_app::Progress for Logged {
    fn warn(&self, message: &str) {
        tracing::warn!("{message}");
    }
}

/// One scan of the configured folders into the store, as `vigie scan` does it, on the
/// server's writable handle: CI pushes and triage decisions wait for it rather than fail on
/// a busy store, and the projects CI pushed are carried into the new snapshot.
pub async fn scan_once(state: &AppState) -> bool {
    let config = state.config().clone();
    let stores = match state.stores() {
        Ok(s) => s.clone(),
        Err(_) => return false,
    };
    let done = stores
        .write(move |s| {
            let store = config.store_location();
            let estate = Estate {
                paths: &config.paths,
                checks: &CheckFamily::ALL,
                lifecycle: LifecycleOptions::default(),
                config_file: config.config_file.as_deref(),
                max_file_size: vigie_app::estate::DEFAULT_MAX_FILE_SIZE,
                diagnostics: false,
            };
            scan_into(
                &ScanRequest {
                    estate,
                    store: &store,
                    label: None,
                    keep: None,
                },
                s,
                &Logged,
            )
        })
        .await;
    let ok = match done {
        Ok(outcome) => match &outcome.summary {
            Some(s) => {
                tracing::info!(
                    snapshot = s.snapshot,
                    projects = s.projects,
                    pushed_kept = s.pushed_kept,
                    findings = s.findings,
                    partial = outcome.partial(),
                    "scan stored"
                );
                true
            }
            None => {
                tracing::warn!("scan: nothing could be read");
                false
            }
        },
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "scan failed");
            false
        }
    };
    state.0.metrics.scan(ok);
    if ok {
        tokio::spawn(state.clone().warm());
    }
    ok
}

/// One re-audit of the latest snapshot with the current index, as `vigie reaudit` does it,
/// on the server's writable handle; nothing to do when the store holds no snapshot yet.
pub async fn reaudit_once(state: &AppState) -> bool {
    let config = state.config().clone();
    let stores = match state.stores() {
        Ok(s) => s.clone(),
        Err(_) => return false,
    };
    let done = stores
        .write(move |s| {
            if s.latest_if_any()?.is_none() {
                return Ok(None);
            }
            let store = config.store_location();
            reaudit_into(
                &ReauditRequest {
                    store: &store,
                    config_file: config.config_file.as_deref(),
                    label: None,
                    keep: None,
                },
                s,
                &Logged,
            )
            .map(Some)
        })
        .await;
    let ok = match done {
        Ok(Some(outcome)) => {
            let s = &outcome.summary;
            tracing::info!(
                snapshot = s.snapshot,
                from = s.from,
                projects = s.projects,
                vulnerabilities = s.vulnerabilities,
                appeared = outcome.diff.findings_appeared.len(),
                resolved = outcome.diff.findings_resolved.len(),
                "re-audit stored"
            );
            true
        }
        Ok(None) => return true,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "re-audit failed");
            false
        }
    };
    state.0.metrics.reaudit(ok);
    if ok {
        tokio::spawn(state.clone().warm());
    }
    ok
}

/// One refresh of the knowledge index (online, or the configured feeds); the error says why
/// it failed.
async fn sync_once(state: &AppState) -> Result<(), String> {
    let data_dir = state.config().data_dir.clone();
    let done = tokio::task::spawn_blocking(move || {
        vigie_app::sync::sync(
            &vigie_app::sync::SyncRequest {
                data_dir,
                mirror: None,
                base_url: None,
                ecosystems: Vec::new(),
                allow_partial: false,
            },
            &vigie_sync::NoProgress,
            &Logged,
        )
    })
    .await;
    match done {
        Ok(Ok(outcome)) => {
            tracing::info!(
                generation = outcome.generation.id(),
                "knowledge index refreshed"
            );
            state.0.checks.reload().await;
            state.0.metrics.sync(true);
            Ok(())
        }
        Ok(Err(e)) => {
            let why = format!("{e:#}");
            tracing::error!(error = %why, "sync failed");
            state.0.metrics.sync(false);
            Err(why)
        }
        Err(e) => {
            tracing::error!(error = %e, "sync panicked");
            state.0.metrics.sync(false);
            Err(e.to_string())
        }
    }
}
