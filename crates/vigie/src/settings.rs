//! Settings resolved once: the data directory and the configuration file
//! (`vigie.toml`). Command-line flags win over the file.
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
//! [sync]                           # optional: where `vigie sync` downloads from
//! osv-base = "https://osv-vulnerabilities.storage.googleapis.com"
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::cli::{DataDirArgs, Threshold};

/// vigie's data directory: `--data-dir`, `$VIGIE_DATA_DIR`, then
/// `$XDG_DATA_HOME/vigie`, then `~/.local/share/vigie`.
pub fn data_dir(args: &DataDirArgs) -> anyhow::Result<PathBuf> {
    if let Some(d) = &args.data_dir {
        return Ok(d.clone());
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
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub audit: AuditConfig,
    #[serde(default)]
    pub sync: Option<vigie_sync::Feeds>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuditConfig {
    pub fail_on: Option<Threshold>,
    #[serde(default)]
    pub ignore: Vec<Ignore>,
}

/// An advisory the audit does not report, and why.
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
