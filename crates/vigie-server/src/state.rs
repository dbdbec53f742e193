//! What every handler shares: the settings, the store once open, readiness, the metrics,
//! the login limiter and the templates.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use vigie_app::config::ServerSettings;

use crate::limit::LoginLimiter;
use crate::metrics::Metrics;
use crate::stores::Stores;

/// What `vigie serve` was told.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// `[server]` validated, with the flags.
    pub settings: ServerSettings,
    /// The store: a database file, or a database server's URL (printed without its
    /// password).
    pub store: vigie_store::Location,
    /// The folders scanned at start and on the schedule.
    pub paths: Vec<PathBuf>,
    /// vigie's data directory given, if any (the knowledge index).
    pub data_dir: Option<PathBuf>,
    /// The configuration file given, if any (else `vigie.toml` of the first folder).
    pub config_file: Option<PathBuf>,
    /// The first admin's password (`VIGIE_ADMIN_PASSWORD`), else a random one is made.
    pub admin_password: Option<String>,
}

impl ServerConfig {
    /// The store and data directory as the application core names them.
    pub(crate) fn store_location(&self) -> vigie_app::store::StoreLocation {
        vigie_app::store::StoreLocation {
            db: Some(self.store.clone()),
            data_dir: self.data_dir.clone(),
        }
    }
}

/// The state of the server, cheap to clone.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) config: ServerConfig,
    pub(crate) stores: OnceLock<Arc<Stores>>,
    pub(crate) ready: AtomicBool,
    pub(crate) metrics: Metrics,
    pub(crate) limiter: LoginLimiter,
    pub(crate) templates: minijinja::Environment<'static>,
    pub(crate) analysis: crate::analysis::AnalysisCache,
    pub(crate) oidc: Option<Arc<crate::oidc::Oidc>>,
    pub(crate) checks: crate::ingest::Checks,
    pub(crate) pages: crate::pages::cache::PageCache,
    pub(crate) estate: crate::api::estate::EstateCache,
    /// The answers kept and replayed.
    pub(crate) replay: crate::replay::Replay,
    /// The markers of the per-request values of a kept page.
    pub(crate) markers: crate::replay::Markers,
    /// Held by the large readings (the analysis, the pages' estate), one at a time, so that
    /// the server's peak memory is the largest of them, not their sum.
    pub(crate) heavy: tokio::sync::Mutex<()>,
}

impl AppState {
    /// A server not yet ready: the store is opened by [`AppState::open_store`].
    pub fn new(config: ServerConfig) -> AppState {
        let oidc = config
            .settings
            .oidc
            .clone()
            .map(|o| Arc::new(crate::oidc::Oidc::new(o)));
        AppState(Arc::new(Inner {
            config,
            oidc,
            stores: OnceLock::new(),
            ready: AtomicBool::new(false),
            metrics: Metrics::default(),
            limiter: LoginLimiter::default(),
            templates: crate::pages::templates(),
            analysis: Default::default(),
            checks: crate::ingest::Checks::default(),
            pages: Default::default(),
            estate: Default::default(),
            replay: Default::default(),
            markers: crate::replay::Markers::new(),
            heavy: tokio::sync::Mutex::new(()),
        }))
    }

    /// Opens and migrates the store, creates the first admin when there is no user, and
    /// makes the server ready. Returns the admin's password when one was generated (for the
    /// front to show once; it is never logged).
    pub async fn open_store(&self) -> anyhow::Result<Option<String>> {
        let location = self.0.config.store.clone();
        let stores = Arc::new(tokio::task::spawn_blocking(move || Stores::open(location)).await??);
        let given = self.0.config.admin_password.clone();
        let made = stores
            .write(move |s| vigie_app::access::ensure_admin(s, given.as_deref()))
            .await?;
        let _ = self.0.stores.set(stores);
        self.0.ready.store(true, Ordering::Release);
        Ok(made.and_then(|(_, password)| password))
    }

    /// True once the store is open and migrated.
    pub fn ready(&self) -> bool {
        self.0.ready.load(Ordering::Acquire)
    }

    /// The settings.
    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    pub(crate) fn stores(&self) -> Result<&Arc<Stores>, crate::error::AppError> {
        self.0.stores.get().ok_or(crate::error::AppError::NotReady)
    }
}
