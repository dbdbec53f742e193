//! The risk analysis of the latest snapshot (risks, actions, trend, and the executive
//! report's model), computed once and shared by every page and API call that shows it.
//!
//! Analysing the 10,000-repository estate takes seconds; a page must answer in milliseconds.
//! So the analysis is kept, keyed by what it depends on ([`Key`]): the latest snapshot (a
//! scan or an ingest makes a new one), the day (triage acceptances expire, dates age), and
//! the store's triage mark, which moves with every decision, whether the server or
//! `vigie triage` on the same store recorded it. Nothing else changes it, so it is never
//! computed again for nothing. One computation runs at a time: concurrent requests wait
//! for it rather than each starting one, and the analysis it replaces is let go first (two
//! analyses of the estate at once would double the server's memory).

use std::sync::{Arc, Mutex};

use vigie_app::report::{Analyses, analyse_scope, scope};
use vigie_report::ReportModel;
use vigie_store::SnapshotId;

use crate::error::AppError;
use crate::state::AppState;

/// One analysis of a snapshot, with its report model.
pub(crate) struct Analysis {
    /// The risk analysis and the trend.
    pub(crate) analyses: Analyses,
    /// The executive report's model of it.
    pub(crate) model: ReportModel,
    /// The known-exploited vulnerabilities in use, by id, with the number of projects using
    /// them (the overview's list, counted once here rather than on every page view).
    pub(crate) exploited: Vec<(String, usize)>,
    /// The active findings' keys hashed, with their position, sorted: a risk's findings
    /// are found without building a map of every finding per request.
    by_key: Vec<(u64, u32)>,
    /// Every finding of the snapshot, active or set aside, in key order: (set aside, its
    /// position in its list). The findings API and the project pages read the findings with
    /// their triage from here rather than from a second copy of them all.
    order: Vec<(bool, u32)>,
    /// The risks as the API lists them (made on first ask).
    pub(crate) risk_items: std::sync::OnceLock<Keyed>,
    /// The actions as the API lists them (made on first ask).
    pub(crate) action_items: std::sync::OnceLock<Keyed>,
}

/// Items as JSON with their sort keys, sorted, or why they could not be written.
pub(crate) type Keyed = Result<Vec<(String, serde_json::Value)>, String>;

fn key_hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(key)
}

impl Analysis {
    fn new(mut analyses: Analyses, model: ReportModel) -> Analysis {
        // The findings' details (a third of the analysis's memory on the 10,000-repository
        // estate: licence explanations in two languages, advisory summaries) served the
        // scoring; no page shows them, and the findings API reads those of its page from
        // the store.
        let now = &mut analyses.now;
        for f in now
            .active
            .iter_mut()
            .chain(now.set_aside.iter_mut().map(|(f, _)| f))
        {
            f.detail = vigie_findings::Detail::Unparsed(serde_json::Value::Null);
        }
        let exploited = exploited(&analyses);
        let mut by_key: Vec<(u64, u32)> = analyses
            .now
            .active
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((key_hash(&f.key), u32::try_from(i).ok()?)))
            .collect();
        by_key.sort_unstable();
        let now = &analyses.now;
        let mut order: Vec<(bool, u32)> = (0..now.active.len())
            .filter_map(|i| Some((false, u32::try_from(i).ok()?)))
            .chain((0..now.set_aside.len()).filter_map(|i| Some((true, u32::try_from(i).ok()?))))
            .collect();
        let key_of = |&(aside, i): &(bool, u32)| -> &str {
            let i = i as usize;
            if aside {
                now.set_aside.get(i).map_or("", |f| f.0.key.as_str())
            } else {
                now.active.get(i).map_or("", |f| f.key.as_str())
            }
        };
        order.sort_by(|a, b| key_of(a).cmp(key_of(b)));
        Analysis {
            analyses,
            model,
            exploited,
            by_key,
            order,
            risk_items: Default::default(),
            action_items: Default::default(),
        }
    }

    /// The active finding of key `key`.
    pub(crate) fn finding(&self, key: &str) -> Option<&vigie_store::FindingRecord> {
        let h = key_hash(key);
        let start = self.by_key.partition_point(|(k, _)| *k < h);
        self.by_key[start..]
            .iter()
            .take_while(|(k, _)| *k == h)
            .filter_map(|(_, i)| self.analyses.now.active.get(*i as usize))
            .find(|f| f.key == key)
    }
}

/// A finding with its triage as of the analysis's day.
#[derive(Clone, Copy)]
pub(crate) struct StatusRef<'a> {
    pub(crate) finding: &'a vigie_store::FindingRecord,
    pub(crate) effective: vigie_store::EffectiveState,
    pub(crate) triage: Option<&'a vigie_store::TriageRecord>,
}

impl StatusRef<'_> {
    /// An owned copy.
    pub(crate) fn owned(&self) -> vigie_store::FindingStatus {
        vigie_store::FindingStatus {
            finding: self.finding.clone(),
            triage: self.triage.cloned(),
            effective: self.effective,
        }
    }
}

impl Analysis {
    /// The snapshot analysed.
    pub(crate) fn snapshot(&self) -> SnapshotId {
        self.analyses.scope.current
    }

    /// Every finding with its triage, in key order.
    pub(crate) fn statuses(&self) -> impl Iterator<Item = StatusRef<'_>> {
        let now = &self.analyses.now;
        self.order.iter().filter_map(move |&(aside, i)| {
            let (finding, state) = if aside {
                let (f, e) = now.set_aside.get(i as usize)?;
                (f, Some(*e))
            } else {
                (now.active.get(i as usize)?, None)
            };
            let decided = now
                .decisions
                .binary_search_by(|(key, _, _)| key.as_str().cmp(&finding.key))
                .ok()
                .and_then(|at| now.decisions.get(at));
            Some(StatusRef {
                finding,
                effective: state
                    .or(decided.map(|(_, e, _)| *e))
                    .unwrap_or(vigie_store::EffectiveState::Open),
                triage: decided.map(|(_, _, t)| t),
            })
        })
    }
}

/// The known-exploited vulnerabilities of `analyses`' active findings, by id, with the number
/// of distinct projects each is found in.
fn exploited(analyses: &Analyses) -> Vec<(String, usize)> {
    let mut by_id: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for f in analyses.now.active.iter().filter(|f| f.known_exploited) {
        by_id.entry(&f.id).or_default().insert(&f.project_path);
    }
    by_id
        .into_iter()
        .map(|(id, projects)| (id.to_owned(), projects.len()))
        .collect()
}

/// What an analysis depends on: the snapshot (never changes once written), the day
/// (acceptances expire, dates age) and the triage decisions (their mark moves with each,
/// whoever records it: the server, or `vigie triage` on the same store).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    snapshot: SnapshotId,
    day: jiff::civil::Date,
    triage: (u64, i64),
}

impl Key {
    /// The key of `snapshot` (else the latest; `None` when there is none) as of today.
    pub(crate) async fn read(
        stores: &Arc<crate::stores::Stores>,
        snapshot: Option<SnapshotId>,
    ) -> Result<Option<Key>, AppError> {
        let day = vigie_app::config::today(None)?;
        let read = stores
            .read(move |s| {
                let snapshot = match snapshot {
                    Some(id) => Some(id),
                    None => s.latest_if_any()?,
                };
                Ok(match snapshot {
                    Some(id) => Some((id, s.triage_mark()?)),
                    None => None,
                })
            })
            .await?;
        Ok(read.map(|(snapshot, triage)| Key {
            snapshot,
            day,
            triage,
        }))
    }
}

/// The kept analysis.
#[derive(Default)]
pub(crate) struct AnalysisCache {
    kept: Mutex<Option<(Key, Arc<Analysis>)>>,
    /// Held while one computation runs.
    computing: tokio::sync::Mutex<()>,
}

impl AnalysisCache {
    /// The analysis kept for `key`.
    fn get(&self, key: Key) -> Option<Arc<Analysis>> {
        let kept = self.kept.lock().ok()?;
        let (k, a) = kept.as_ref()?;
        (*k == key).then(|| a.clone())
    }

    fn put(&self, key: Key, a: Arc<Analysis>) {
        if let Ok(mut kept) = self.kept.lock() {
            // The analysis replaced is dropped here, before the next is asked for.
            *kept = Some((key, a));
        }
    }
}

impl AppState {
    /// The analysis of the latest snapshot as of today; `None` when the store has no
    /// snapshot yet.
    pub(crate) async fn analysis(&self) -> Result<Option<Arc<Analysis>>, AppError> {
        let stores = self.stores()?.clone();
        let Some(key) = Key::read(&stores, None).await? else {
            return Ok(None);
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
        self.compute(key).await.map(Some)
    }

    /// Computes and keeps what the pages read of the latest snapshot (the analysis, the
    /// pages' estate), so that nobody waits for it; a failure is logged and left for the
    /// next page to report.
    pub(crate) async fn warm(self) {
        if let Err(e) = self.analysis().await {
            tracing::warn!(error = ?e, "computing the risk analysis ahead");
        }
        if let Err(e) = self.estate().await {
            tracing::warn!(error = ?e, "reading the estate ahead");
        }
    }

    /// Computes the analysis of `key` and keeps it.
    async fn compute(&self, key: Key) -> Result<Arc<Analysis>, AppError> {
        // One large reading at a time (this and the pages' estate): their peaks do not add up.
        let _heavy = self.0.heavy.lock().await;
        if let Ok(mut kept) = self.0.analysis.kept.lock() {
            *kept = None;
        }
        let stores = self.stores()?.clone();
        let (snapshot, day) = (key.snapshot, key.day.to_string());
        let dir = self.config().data_dir.clone();
        let analysis = stores
            .read(move |s| {
                let scope = scope(s, Some(snapshot), Some(&day))?.with_knowledge(dir.as_deref());
                let analyses = analyse_scope(s, scope)?;
                let model = analyses.model(s, None)?;
                Ok(Arc::new(Analysis::new(analyses, model)))
            })
            .await?;
        self.0.analysis.put(key, analysis.clone());
        Ok(analysis)
    }
}
