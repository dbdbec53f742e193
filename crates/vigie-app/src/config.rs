//! Settings resolved once: the data directory, the configuration file (`vigie.toml`), today
//! and the lifecycle policy. What a front was told (flags, form fields) wins over the file.
//!
//! ```toml
//! [audit]
//! fail-on = "high"                 # low | medium | high | critical
//!
//! [[audit.ignore]]
//! id = "RUSTSEC-2023-0071"         # an advisory id or any of its aliases
//! reason = "rsa: no network use of the private key here"
//! until = "2027-03-31"             # optional: the ignore lapses after this date
//!
//! [lifecycle]
//! horizon-days = 180               # report ends of life within this many days
//!
//! [catalog]
//! files = ["../org/teams.yaml"]     # catalog files outside the scanned folders
//!
//! [licences]                       # see licensing.rs
//! default-model = "network-service"
//!
//! [store]
//! keep = 30                        # snapshots kept by `vigie scan`
//!
//! [sync]                           # optional: where `vigie sync` downloads from
//! osv-base = "https://osv-vulnerabilities.storage.googleapis.com"
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

/// A severity threshold for `--fail-on` and `audit.fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Threshold {
    /// Low and above.
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
}

impl Threshold {
    /// The lowest rating that meets the threshold.
    pub fn rating(self) -> vigie_findings::Rating {
        use vigie_findings::Rating;
        match self {
            Threshold::Low => Rating::Low,
            Threshold::Medium => Rating::Medium,
            Threshold::High => Rating::High,
            Threshold::Critical => Rating::Critical,
        }
    }

    /// True when `rating` is at or above the threshold (`none` never is).
    pub fn met_by(self, rating: vigie_findings::Rating) -> bool {
        rating >= self.rating()
    }
}

/// vigie's data directory: the one given (`--data-dir`, `$VIGIE_DATA_DIR`), then
/// `$XDG_DATA_HOME/vigie`, then `~/.local/share/vigie`.
pub fn data_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(d) = given {
        return Ok(d.to_path_buf());
    }
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(xdg).join("vigie"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(home).join(".local/share/vigie"));
    }
    bail!("no data directory: pass --data-dir or set VIGIE_DATA_DIR")
}

/// The configuration file.
#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub audit: AuditConfig,
    #[serde(default)]
    pub sync: Option<vigie_sync::Feeds>,
    #[serde(default)]
    pub lifecycle: LifecycleConfig,
    #[serde(default)]
    pub catalog: CatalogConfig,
    /// Licence policy and distribution models (see `commands/licences.rs`).
    #[serde(default)]
    pub licences: crate::licensing::LicencesConfig,
    #[serde(default)]
    pub store: StoreConfig,
}

#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StoreConfig {
    /// Snapshots kept by `vigie scan` (default 30).
    pub keep: Option<usize>,
}

#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogConfig {
    /// Catalog files read besides those found in the scanned folders,
    /// relative to the configuration file's folder.
    #[serde(default)]
    pub files: Vec<PathBuf>,
}

#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LifecycleConfig {
    /// Report ends of life within this many days (default 180).
    pub horizon_days: Option<i32>,
}

/// Today (UTC), or the day `--today` gives (YYYY-MM-DD).
pub fn today(asked: Option<&str>) -> anyhow::Result<jiff::civil::Date> {
    match asked {
        Some(d) => d
            .parse()
            .with_context(|| format!("--today {d}: not a YYYY-MM-DD date")),
        // Without loading the system time-zone database.
        None => jiff::Timestamp::now()
            .strftime("%Y-%m-%d")
            .to_string()
            .parse()
            .context("the system clock"),
    }
}

/// What a front says about the lifecycle policy (flags win over `[lifecycle]`).
#[derive(Clone, Debug, Default)]
pub struct LifecycleOptions {
    /// Report ends of life within this many days.
    pub horizon_days: Option<i32>,
    /// Evaluate dates as of this day (YYYY-MM-DD) instead of today.
    pub today: Option<String>,
}

/// Today (UTC, or the day given) and the horizon: the lifecycle policy.
pub fn lifecycle_policy(
    args: &LifecycleOptions,
    config: &Config,
) -> anyhow::Result<vigie_lifecycle::Policy> {
    let today = today(args.today.as_deref())?;
    let mut policy = vigie_lifecycle::Policy::new(today);
    if let Some(h) = args.horizon_days.or(config.lifecycle.horizon_days) {
        policy.horizon_days = h;
    }
    Ok(policy)
}

/// The lifecycle knowledge of an index, when `vigie sync` compiled one.
pub fn load_lifecycle(index_dir: &Path) -> anyhow::Result<Option<vigie_lifecycle::Knowledge>> {
    let path = index_dir.join(vigie_knowledge::compile::LIFECYCLE_FILE);
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let k = vigie_lifecycle::Knowledge::from_json(&bytes)
        .with_context(|| format!("{}: run `vigie sync` again", path.display()))?;
    Ok(Some(k))
}

/// The current knowledge generation of the data directory.
pub fn current_generation(given: Option<&Path>) -> anyhow::Result<vigie_sync::Generation> {
    let data = data_dir(given)?;
    vigie_sync::Generations::open(&data)
        .ok()
        .and_then(|g| g.current().ok().flatten())
        .with_context(|| {
            format!(
                "no knowledge index in {}: run `vigie sync` (or `vigie sync --mirror DIR`) first",
                data.display()
            )
        })
}

#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuditConfig {
    pub fail_on: Option<Threshold>,
    #[serde(default)]
    pub ignore: Vec<Ignore>,
}

/// An advisory the audit does not report, and why.
#[allow(missing_docs)]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ignore {
    pub id: String,
    pub reason: String,
    /// The ignore lapses after this day.
    pub until: Option<jiff::civil::Date>,
}

impl Config {
    /// Reads `explicit`, else `vigie.toml` in `folder` when it exists, else
    /// the defaults. Errors name the file, line and column.
    pub fn load(explicit: Option<&Path>, folder: Option<&Path>) -> anyhow::Result<Config> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match folder.map(|f| f.join("vigie.toml")) {
                Some(p) if p.is_file() => p,
                _ => return Ok(Config::default()),
            },
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            anyhow::anyhow!("{}{at}: {}", path.display(), e.message())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Threshold;
    use vigie_findings::Rating;

    #[test]
    fn a_threshold_is_met_by_its_rating_and_above() {
        // By hand: which ratings fail a build at each --fail-on.
        let table = [
            (Threshold::Low, [false, true, true, true, true]),
            (Threshold::Medium, [false, false, true, true, true]),
            (Threshold::High, [false, false, false, true, true]),
            (Threshold::Critical, [false, false, false, false, true]),
        ];
        for (t, want) in table {
            for (r, w) in Rating::ALL.into_iter().zip(want) {
                assert_eq!(t.met_by(r), w, "{t:?} {r:?}");
            }
        }
    }
}
