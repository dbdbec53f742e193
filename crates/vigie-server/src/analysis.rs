//! The risk analysis of the latest snapshot (risks, actions, trend, and the executive
//! report's model), computed once and shared by every page and API call that shows it.
//!
//! Analysing the 10,000-repository estate takes about a second; a page must answer in
//! milliseconds. So the analysis is kept, keyed by what it depends on: the latest snapshot
//! (a scan or an ingest makes a new one), the day (triage acceptances expire, dates age),
//! and the writes made through the server (a triage decision changes the register). One
//! computation runs at a time: concurrent requests wait for it rather than each starting
//! one. A write made outside the server (`vigie triage` on the same file) is seen within
//! [`MAX_AGE`].

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use vigie_app::report::{Analyses, analyse_scope, scope};
use vigie_report::ReportModel;
use vigie_store::SnapshotId;

use crate::error::AppError;
use crate::state::AppState;

/// How long an analysis is kept at most, whatever its key.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(60);

/// One analysis of a snapshot, with its report model.
pub(crate) struct Analysis {
    /// The risk analysis and the trend.
    pub(crate) analyses: Analyses,
    /// The executive report's model of it.
    pub(crate) model: ReportModel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    snapshot: SnapshotId,
    day: jiff::civil::Date,
    writes: u64,
}

/// The kept analysis.
#[derive(Default)]
pub(crate) struct AnalysisCache {
    kept: Mutex<Option<(Key, Instant, Arc<Analysis>)>>,
    /// Held while one computation runs.
    computing: tokio::sync::Mutex<()>,
}

impl AnalysisCache {
    fn get(&self, key: Key) -> Option<Arc<Analysis>> {
        let kept = self.kept.lock().ok()?;
        let (k, at, a) = kept.as_ref()?;
        (*k == key && at.elapsed() < MAX_AGE).then(|| a.clone())
    }

    fn put(&self, key: Key, a: Arc<Analysis>) {
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some((key, Instant::now(), a));
        }
    }
}

impl AppState {
    /// The analysis of the latest snapshot as of today; `None` when the store has no
    /// snapshot yet.
    pub(crate) async fn analysis(&self) -> Result<Option<Arc<Analysis>>, AppError> {
        let stores = self.stores()?.clone();
        let latest = stores
            .read(|s| Ok(s.snapshots()?.last().map(|i| i.id)))
            .await?;
        let Some(snapshot) = latest else {
            return Ok(None);
        };
        let key = Key {
            snapshot,
            day: vigie_app::config::today(None)?,
            writes: stores.writes(),
        };
        let cache = &self.0.analysis;
        if let Some(a) = cache.get(key) {
            return Ok(Some(a));
        }
        let _one_at_a_time = cache.computing.lock().await;
        // Computed by the request we waited for?
        if let Some(a) = cache.get(key) {
            return Ok(Some(a));
        }
        let day = key.day.to_string();
        let analysis = stores
            .read(move |s| {
                let analyses = analyse_scope(s, scope(s, Some(snapshot), Some(&day))?)?;
                let model = analyses.model(s, None)?;
                Ok(Arc::new(Analysis { analyses, model }))
            })
            .await?;
        cache.put(key, analysis.clone());
        Ok(Some(analysis))
    }
}
