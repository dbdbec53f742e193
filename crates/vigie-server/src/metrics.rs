//! Prometheus metrics, written by hand in the text exposition format (version 0.0.4): a
//! request counter and latency histogram by route and status, the scans, syncs and
//! re-audits run, and
//! the ages of the knowledge index and of the last snapshot. The time and outcome of the
//! last scan and sync are kept too, for the administration's schedules panel. A dozen series do not need a metrics crate's
//! global recorder; what is counted and how it is printed stays in this one file.
//!
//! Routes are the router's patterns (`/`, `/login`), never raw paths, so the number of
//! series is bounded by the route list; a request that matched no route is `unmatched`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    /// Per bucket, the requests at or under its bound (not cumulated: printing does).
    buckets: [u64; BUCKETS.len()],
}

/// The server's counters.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), Series>>,
    scans_ok: AtomicU64,
    scans_failed: AtomicU64,
    syncs_ok: AtomicU64,
    syncs_failed: AtomicU64,
    reaudits_ok: AtomicU64,
    reaudits_failed: AtomicU64,
    last_scan: Mutex<Option<Run>>,
    last_sync: Mutex<Option<Run>>,
}

/// When a scheduled job last ran, and whether it succeeded.
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct Run {
    /// When it ended (RFC 3339).
    pub(crate) at: String,
    pub(crate) ok: bool,
}

impl Metrics {
    /// One request answered.
    pub(crate) fn observe(&self, route: &str, status: u16, took: Duration) {
        let Ok(mut map) = self.requests.lock() else {
            return;
        };
        let s = map.entry((route.to_owned(), status)).or_default();
        let secs = took.as_secs_f64();
        s.count += 1;
        s.sum += secs;
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            s.buckets[i] += 1;
        }
    }

    /// One scan done (`ok`) or failed.
    pub(crate) fn scan(&self, ok: bool) {
        let c = if ok {
            &self.scans_ok
        } else {
            &self.scans_failed
        };
        c.fetch_add(1, Ordering::Relaxed);
        Metrics::ran(&self.last_scan, ok);
    }

    /// One sync done (`ok`) or failed.
    pub(crate) fn sync(&self, ok: bool) {
        let c = if ok {
            &self.syncs_ok
        } else {
            &self.syncs_failed
        };
        c.fetch_add(1, Ordering::Relaxed);
        Metrics::ran(&self.last_sync, ok);
    }

    /// One re-audit (after a sync) done (`ok`) or failed.
    pub(crate) fn reaudit(&self, ok: bool) {
        let c = if ok {
            &self.reaudits_ok
        } else {
            &self.reaudits_failed
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    fn ran(last: &Mutex<Option<Run>>, ok: bool) {
        if let Ok(mut l) = last.lock() {
            *l = Some(Run {
                at: vigie_app::access::now(),
                ok,
            });
        }
    }

    /// The last scan (or push) and the last sync of this process, when there was one.
    pub(crate) fn last_runs(&self) -> (Option<Run>, Option<Run>) {
        let get = |m: &Mutex<Option<Run>>| m.lock().ok().and_then(|l| l.clone());
        (get(&self.last_scan), get(&self.last_sync))
    }

    /// The exposition text; ages in seconds when known.
    pub(crate) fn render(&self, index_age: Option<f64>, snapshot_age: Option<f64>) -> String {
        let mut out = String::new();
        out.push_str("# HELP vigie_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE vigie_http_requests_total counter\n");
        let map = self.requests.lock().map(|m| {
            m.iter()
                .map(|(k, s)| (k.clone(), s.count, s.sum, s.buckets))
                .collect::<Vec<_>>()
        });
        let rows = map.unwrap_or_default();
        for ((route, status), count, _, _) in &rows {
            let _ = writeln!(
                out,
                "vigie_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                label(route)
            );
        }
        out.push_str("# HELP vigie_http_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE vigie_http_request_duration_seconds histogram\n");
        for ((route, status), count, sum, buckets) in &rows {
            let l = format!("route=\"{}\",status=\"{status}\"", label(route));
            let mut cumulated = 0;
            for (bound, n) in BUCKETS.iter().zip(buckets) {
                cumulated += n;
                let _ = writeln!(
                    out,
                    "vigie_http_request_duration_seconds_bucket{{{l},le=\"{bound}\"}} {cumulated}"
                );
            }
            let _ = writeln!(
                out,
                "vigie_http_request_duration_seconds_bucket{{{l},le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(out, "vigie_http_request_duration_seconds_sum{{{l}}} {sum}");
            let _ = writeln!(
                out,
                "vigie_http_request_duration_seconds_count{{{l}}} {count}"
            );
        }
        out.push_str("# HELP vigie_scans_total Scans run by the server.\n");
        out.push_str("# TYPE vigie_scans_total counter\n");
        let _ = writeln!(
            out,
            "vigie_scans_total{{outcome=\"ok\"}} {}",
            self.scans_ok.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "vigie_scans_total{{outcome=\"failed\"}} {}",
            self.scans_failed.load(Ordering::Relaxed)
        );
        out.push_str("# HELP vigie_syncs_total Knowledge syncs run by the server.\n");
        out.push_str("# TYPE vigie_syncs_total counter\n");
        let _ = writeln!(
            out,
            "vigie_syncs_total{{outcome=\"ok\"}} {}",
            self.syncs_ok.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "vigie_syncs_total{{outcome=\"failed\"}} {}",
            self.syncs_failed.load(Ordering::Relaxed)
        );
        out.push_str(
            "# HELP vigie_reaudits_total Re-audits of the latest snapshot run after a sync.\n",
        );
        out.push_str("# TYPE vigie_reaudits_total counter\n");
        let _ = writeln!(
            out,
            "vigie_reaudits_total{{outcome=\"ok\"}} {}",
            self.reaudits_ok.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "vigie_reaudits_total{{outcome=\"failed\"}} {}",
            self.reaudits_failed.load(Ordering::Relaxed)
        );
        for (name, help, value) in [
            (
                "vigie_knowledge_index_age_seconds",
                "Age of the knowledge index (absent: no index).",
                index_age,
            ),
            (
                "vigie_last_snapshot_age_seconds",
                "Age of the latest snapshot (absent: none).",
                snapshot_age,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
            if let Some(v) = value {
                let _ = writeln!(out, "{name} {v}");
            }
        }
        out
    }
}

/// A label value escaped as the format asks (backslash, quote, newline).
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Seconds from the RFC 3339 time `at` to now, if it parses.
pub(crate) fn age(at: &str) -> Option<f64> {
    let t: jiff::Timestamp = at.parse().ok()?;
    Some(
        jiff::Timestamp::now()
            .duration_since(t)
            .as_secs_f64()
            .max(0.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_is_cumulative_and_labels_escaped() {
        let m = Metrics::default();
        m.observe("/a\"b", 200, Duration::from_millis(3));
        m.observe("/a\"b", 200, Duration::from_millis(30));
        m.scan(true);
        let text = m.render(Some(5.0), None);
        assert!(text.contains("vigie_http_requests_total{route=\"/a\\\"b\",status=\"200\"} 2"));
        assert!(text.contains("le=\"0.0025\"} 0\n"));
        assert!(text.contains("le=\"0.005\"} 1\n"));
        assert!(text.contains("le=\"0.05\"} 2\n"));
        assert!(text.contains("le=\"+Inf\"} 2\n"));
        assert!(text.contains("vigie_scans_total{outcome=\"ok\"} 1"));
        m.sync(false);
        assert!(
            m.render(None, None)
                .contains("vigie_syncs_total{outcome=\"failed\"} 1")
        );
        let (scan, sync) = m.last_runs();
        assert!(scan.is_some_and(|r| r.ok) && sync.is_some_and(|r| !r.ok));
        assert!(text.contains("vigie_knowledge_index_age_seconds 5\n"));
        assert!(!text.contains("vigie_last_snapshot_age_seconds 0"));
    }
}
