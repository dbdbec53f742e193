//! From a mirror directory to the knowledge index (`vigie sync`).
//!
//! Every `osv/<Ecosystem>/all.zip` of the mirror is read in parallel; records
//! that do not parse are counted and listed (the first
//! [`MAX_PROBLEMS_LISTED`] of each archive), never fatal; an archive that
//! cannot be opened at all is reported and the others go on. The same id
//! seen in two archives is one advisory (the most recently modified record,
//! with the affected packages of both). Advisories whose id or alias is in
//! the CISA KEV catalogue are flagged. The result is written with
//! [`IndexWriter`] and described by `manifest.json`.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::archive::{self, Limits};
use crate::index::{FORMAT, IndexError, IndexWriter};
use crate::kev::Kev;
use crate::osv::{self, Advisory, AffectedPackage};

/// How many problems of one source are listed by name (all are counted).
pub const MAX_PROBLEMS_LISTED: usize = 20;

pub const MANIFEST_FILE: &str = "manifest.json";

/// The lifecycle knowledge in the index (`vigie_lifecycle::Knowledge::to_json`).
pub const LIFECYCLE_FILE: &str = "lifecycle.json";

/// What one file of the mirror gave.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SourceReport {
    /// Path relative to the mirror (`osv/PyPI/all.zip`).
    pub path: String,
    /// Records read.
    pub records: usize,
    /// Records that did not parse.
    pub invalid: usize,
    /// Archive entries refused (paths, sizes, ratios).
    pub refused: usize,
    /// Range events whose version the package's scheme cannot read, or reads only as a
    /// legacy version ordered before every real one (PYSEC-2019-125's fixed `2019-09-12`):
    /// their records are kept, each event is listed among the problems.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unreadable_events: usize,
    /// The first problems, `entry: message`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// Set when the whole source could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What `vigie sync` compiled: written as `manifest.json` beside the index.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// [`crate::index::FORMAT`] of the index.
    pub format: u32,
    /// When the index was compiled (RFC 3339, given by the caller).
    pub created: String,
    /// The mirror it was compiled from.
    pub mirror: String,
    pub sources: Vec<SourceReport>,
    /// Distinct advisories (withdrawn included).
    pub advisories: usize,
    pub withdrawn: usize,
    /// Ids seen in more than one archive, merged.
    pub duplicates: usize,
    /// Distinct (ecosystem, package) keys.
    pub packages: usize,
    /// Entries of the KEV catalogue, and advisories flagged through it.
    pub kev_entries: usize,
    pub known_exploited: usize,
    /// endoflife.date products and release cycles compiled (0 without
    /// `endoflife/products.tar.gz` in the mirror).
    #[serde(default)]
    pub lifecycle_products: usize,
    #[serde(default)]
    pub lifecycle_cycles: usize,
    /// SPDX licences, exceptions and texts compiled (0 without `spdx/` in
    /// the mirror; see [`crate::licences`]).
    #[serde(default)]
    pub spdx_licences: usize,
    #[serde(default)]
    pub spdx_exceptions: usize,
    #[serde(default)]
    pub licence_texts: usize,
}

impl SourceReport {
    /// The knowledge this file belongs to ([`source_name`] of its path).
    pub fn source(&self) -> String {
        source_name(&self.path)
    }
}

/// The knowledge a mirror file belongs to, as a user names it: `OSV crates.io`
/// (`osv/crates.io/all.zip`), `CISA KEV` (every `kev/` copy), `endoflife.date products`,
/// `endoflife.date release data`, `SPDX licence list` (`licenses.json` and
/// `exceptions.json`), `SPDX licence texts`, the native feeds by their database's name
/// (`RubySec`); any other path names itself.
///
/// Two generations hold the same knowledge when they hold the same source names: this is
/// what a sync compares to refuse an index poorer than the one in use.
pub fn source_name(path: &str) -> String {
    let mut parts = path.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("osv"), Some(eco), Some("all.zip"), None) => format!("OSV {eco}"),
        (Some("kev"), Some(_), None, _) => "CISA KEV".to_owned(),
        (Some("endoflife"), Some("products.tar.gz"), None, _) => {
            "endoflife.date products".to_owned()
        }
        (Some("endoflife"), Some("release-data.tar.gz"), None, _) => {
            "endoflife.date release data".to_owned()
        }
        (Some("spdx"), Some("licenses.json" | "exceptions.json"), None, _) => {
            "SPDX licence list".to_owned()
        }
        (Some("spdx"), Some("details.tar.gz"), None, _) => "SPDX licence texts".to_owned(),
        (Some("advisories-native"), Some("nodejs-security-wg-vuln.tar.gz"), None, _) => {
            "Node.js Security WG".to_owned()
        }
        (Some("advisories-native"), Some("ruby-advisory-db.tar.gz"), None, _) => {
            "RubySec".to_owned()
        }
        (Some("advisories-native"), Some("friendsofphp-security-advisories.tar.gz"), None, _) => {
            "FriendsOfPHP".to_owned()
        }
        _ => path.to_owned(),
    }
}

/// Largest compressed archive read whole into memory (`endoflife/*.tar.gz`,
/// `spdx/details.tar.gz`; the real ones are under 3 MB): no more than they may inflate to.
pub(crate) const MAX_TAR_GZ: u64 = 256 << 20;

/// Largest manifest read back (a few kB: problems are listed 20 per source at most).
const MAX_MANIFEST: u64 = 64 << 20;

/// Largest KEV catalogue read (the real one is 1.3 MB).
const MAX_KEV: u64 = 64 << 20;

/// The bytes of the file at `path`, at most `max` of them: `None` when there is no such
/// file (the source is absent), an error (to report) when it cannot be read or is larger.
pub(crate) fn read_bounded(path: &Path, max: u64) -> Option<Result<Vec<u8>, String>> {
    match vigie_fs::read_bounded(path, max) {
        Err(vigie_fs::ReadError::NotFound) => None,
        Err(e) => Some(Err(format!("cannot read: {e}"))),
        Ok(bytes) => Some(Ok(bytes)),
    }
}

impl Manifest {
    /// Records that did not parse and entries refused, over all sources.
    pub fn problems(&self) -> usize {
        self.sources
            .iter()
            .map(|s| s.invalid + s.refused + usize::from(s.error.is_some()))
            .sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("{0}: not a mirror (no osv/ folder)")]
    NotAMirror(String),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The OSV archives of a mirror: `osv/<Ecosystem>/all.zip`, sorted.
pub fn osv_archives(mirror: &Path) -> Result<Vec<PathBuf>, CompileError> {
    let osv = mirror.join("osv");
    let entries = std::fs::read_dir(&osv)
        .map_err(|_| CompileError::NotAMirror(mirror.display().to_string()))?;
    let mut zips: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path().join("all.zip"))
        // Whatever is there is the source: a pipe or a folder in its place fails it (the
        // read refuses it, by name), it is not an absent feed.
        .filter(|p| p.exists())
        .collect();
    zips.sort();
    Ok(zips)
}

type Compiled = Vec<(Advisory, Vec<AffectedPackage>)>;

/// Entries per part: parts of every archive are read in parallel.
const PART: usize = 500;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The events of `affected` that their package's scheme cannot read, as problems.
fn unreadable_events(name: &str, affected: &[osv::AffectedPackage]) -> Vec<String> {
    let mut out = Vec::new();
    for a in affected {
        let Some(ecosystem) = vigie_model::Ecosystem::from_osv(&a.ecosystem) else {
            continue;
        };
        let scheme = vigie_versions::Scheme::for_ecosystem(ecosystem);
        for r in &a.ranges {
            let range = vigie_versions::osv::Range::from(r);
            for e in vigie_versions::osv::unreadable_events(scheme, &range) {
                out.push(format!("{name}: {} {}: {e}", a.ecosystem, a.name));
            }
        }
    }
    out
}

/// What one part of one archive gave.
#[derive(Default)]
struct Part {
    records: usize,
    invalid: usize,
    unreadable_events: usize,
    refused: Vec<archive::Refused>,
    problems: Vec<String>,
    error: Option<String>,
    compiled: Compiled,
}

/// Reads entries `range` of one archive.
fn read_part(zip: &Path, range: std::ops::Range<usize>, inflated: &AtomicU64) -> Part {
    let mut part = Part::default();
    let file = match vigie_fs::open_regular(zip) {
        Ok(f) => f,
        Err(e) => {
            part.error = Some(e.to_string());
            return part;
        }
    };
    let result = archive::for_each_json_in(
        BufReader::new(file),
        Limits::default(),
        Some(range),
        inflated,
        |name, bytes| {
            part.records += 1;
            match osv::compile(bytes) {
                Ok(record) => {
                    let unreadable = unreadable_events(name, &record.1);
                    part.unreadable_events += unreadable.len();
                    let room = MAX_PROBLEMS_LISTED.saturating_sub(part.problems.len());
                    part.problems.extend(unreadable.into_iter().take(room));
                    part.compiled.push(record);
                }
                Err(e) => {
                    part.invalid += 1;
                    if part.problems.len() < MAX_PROBLEMS_LISTED {
                        part.problems.push(format!("{name}: {e}"));
                    }
                }
            }
        },
    );
    match result {
        Ok(refused) => part.refused = refused,
        Err(e) => part.error = Some(e.to_string()),
    }
    part
}

/// Reads every archive, their parts in parallel; reports and records per
/// archive, in archive order.
fn read_archives(mirror: &Path, zips: &[PathBuf]) -> Vec<(SourceReport, Compiled)> {
    let mut reports: Vec<SourceReport> = zips
        .iter()
        .map(|zip| SourceReport {
            path: zip
                .strip_prefix(mirror)
                .unwrap_or(zip)
                .to_string_lossy()
                .replace('\\', "/"),
            ..SourceReport::default()
        })
        .collect();
    let mut jobs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (i, zip) in zips.iter().enumerate() {
        let count = vigie_fs::open_regular(zip)
            .map_err(|e| e.to_string())
            .and_then(|f| {
                archive::entry_count(BufReader::new(f), Limits::default())
                    .map_err(|e| e.to_string())
            });
        match count {
            Ok(n) => jobs.extend((0..n).step_by(PART).map(|s| (i, s..(s + PART).min(n)))),
            Err(e) => reports[i].error = Some(e),
        }
    }
    let inflated: Vec<AtomicU64> = zips.iter().map(|_| AtomicU64::new(0)).collect();
    let parts: Vec<(usize, Part)> = jobs
        .into_par_iter()
        .map(|(i, range)| (i, read_part(&zips[i], range, &inflated[i])))
        .collect();
    let mut compiled: Vec<Compiled> = zips.iter().map(|_| Vec::new()).collect();
    for (i, part) in parts {
        let r = &mut reports[i];
        r.records += part.records;
        r.invalid += part.invalid;
        r.unreadable_events += part.unreadable_events;
        r.refused += part.refused.len();
        for p in part.problems.into_iter().chain(
            part.refused
                .iter()
                .map(|x| format!("{}: {}", x.name, x.reason)),
        ) {
            if r.problems.len() < MAX_PROBLEMS_LISTED {
                r.problems.push(p);
            }
        }
        if r.error.is_none() {
            r.error = part.error;
        }
        compiled[i].extend(part.compiled);
    }
    reports.into_iter().zip(compiled).collect()
}

/// The KEV catalogue of a mirror (`kev/known_exploited_vulnerabilities*.json`,
/// every copy merged), with the problems met.
pub fn read_kev(mirror: &Path) -> (Kev, Vec<SourceReport>) {
    let mut kev = Kev::default();
    let mut reports = Vec::new();
    let Ok(entries) = std::fs::read_dir(mirror.join("kev")) else {
        return (kev, reports);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("known_exploited_vulnerabilities")
                    && n.ends_with(".json")
                    && !n.contains("schema")
            })
        })
        .collect();
    // The plain feed first: it is the newest.
    files.sort_by_key(|p| (p.file_name().map(|n| n.len()), p.clone()));
    for path in files {
        let mut report = SourceReport {
            path: format!(
                "kev/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
            ..SourceReport::default()
        };
        let bytes = read_bounded(&path, MAX_KEV)
            .unwrap_or_else(|| Err("vanished while it was read".to_owned()));
        match bytes.and_then(|b| Kev::parse(&b).map_err(|e| e.to_string())) {
            Ok(k) => {
                report.records = k.len();
                kev.extend(k);
            }
            Err(e) => report.error = Some(e),
        }
        reports.push(report);
    }
    (kev, reports)
}

/// Compiles the mirror into `out` (which must exist) and writes the manifest.
pub fn compile_mirror(mirror: &Path, out: &Path, created: &str) -> Result<Manifest, CompileError> {
    let zips = osv_archives(mirror)?;
    let (kev, kev_reports) = read_kev(mirror);
    let mut results = read_archives(mirror, &zips);
    results.extend(crate::native::read_all(mirror));

    let mut manifest = Manifest {
        format: FORMAT,
        created: created.to_owned(),
        mirror: mirror.display().to_string(),
        kev_entries: kev.len(),
        ..Manifest::default()
    };
    // Merge duplicates by id: the most recently modified record wins, the
    // affected packages of every copy are kept (deduplicated).
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut merged: Compiled = Vec::new();
    for (report, records) in results {
        manifest.sources.push(report);
        for (advisory, affected) in records {
            match by_id.get(&advisory.id) {
                Some(&i) => {
                    manifest.duplicates += 1;
                    let (kept, kept_affected) = &mut merged[i];
                    for a in affected {
                        if !kept_affected.contains(&a) {
                            kept_affected.push(a);
                        }
                    }
                    if advisory.modified > kept.modified {
                        *kept = advisory;
                    }
                }
                None => {
                    by_id.insert(advisory.id.clone(), merged.len());
                    merged.push((advisory, affected));
                }
            }
        }
    }
    manifest.sources.extend(kev_reports);

    let mut writer = IndexWriter::new();
    for (mut advisory, affected) in merged {
        manifest.advisories += 1;
        if advisory.withdrawn.is_some() {
            manifest.withdrawn += 1;
        }
        advisory.known_exploited = kev.lookup(&advisory).cloned();
        if advisory.known_exploited.is_some() {
            manifest.known_exploited += 1;
        }
        writer.add(advisory, affected);
    }
    manifest.packages = writer.len();
    writer.write(out)?;
    compile_lifecycle(mirror, out, &mut manifest)?;
    (
        manifest.spdx_licences,
        manifest.spdx_exceptions,
        manifest.licence_texts,
    ) = crate::licences::compile(mirror, out, &mut manifest.sources)?;
    let path = out.join(MANIFEST_FILE);
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    std::fs::write(&path, json).map_err(|source| CompileError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(manifest)
}

/// endoflife.date: `endoflife/products.tar.gz` (and `release-data.tar.gz`
/// when present) into `lifecycle.json`, each archive a source of its own. A
/// missing archive is not an error (lifecycle checks then say the knowledge is
/// missing); one that cannot be read is reported as a source error, and then
/// nothing is written (release data cannot be told apart from its products).
fn compile_lifecycle(
    mirror: &Path,
    out: &Path,
    manifest: &mut Manifest,
) -> Result<(), CompileError> {
    const PRODUCTS: &str = "endoflife/products.tar.gz";
    const RELEASE: &str = "endoflife/release-data.tar.gz";
    let products = read_bounded(&mirror.join(PRODUCTS), MAX_TAR_GZ);
    let release = read_bounded(&mirror.join(RELEASE), MAX_TAR_GZ);
    let mut report = SourceReport {
        path: PRODUCTS.to_owned(),
        ..SourceReport::default()
    };
    let mut release_report = release.as_ref().map(|_| SourceReport {
        path: RELEASE.to_owned(),
        ..SourceReport::default()
    });
    let products_tgz = match products {
        None => {
            // Release data without its products compiles to nothing: say so.
            if let Some(r) = &mut release_report {
                r.error = Some(format!("{PRODUCTS} is missing"));
            }
            manifest.sources.extend(release_report);
            return Ok(());
        }
        Some(Err(e)) => {
            report.error = Some(e);
            manifest.sources.push(report);
            manifest.sources.extend(release_report);
            return Ok(());
        }
        Some(Ok(bytes)) => bytes,
    };
    let release_tgz = match release {
        Some(Err(e)) => {
            if let Some(r) = &mut release_report {
                r.error = Some(e);
            }
            manifest.sources.push(report);
            manifest.sources.extend(release_report);
            return Ok(());
        }
        Some(Ok(bytes)) => Some(bytes),
        None => None,
    };
    let limits = vigie_lifecycle::Limits::default();
    match vigie_lifecycle::Knowledge::compile(&products_tgz, release_tgz.as_deref(), &limits) {
        Ok((knowledge, r)) => {
            report.records = r.products;
            report.invalid = r.skipped.len();
            report.problems = r
                .skipped
                .iter()
                .take(MAX_PROBLEMS_LISTED)
                .map(|s| match &s.cycle {
                    Some(c) => format!("{} (cycle {c}): {}", s.file, s.reason),
                    None => format!("{}: {}", s.file, s.reason),
                })
                .collect();
            if let Some(rr) = &mut release_report {
                rr.records = r.versions;
            }
            manifest.lifecycle_products = r.products;
            manifest.lifecycle_cycles = r.cycles;
            let path = out.join(LIFECYCLE_FILE);
            std::fs::write(&path, knowledge.to_json()).map_err(|source| CompileError::Io {
                path: path.display().to_string(),
                source,
            })?;
        }
        Err(e) => {
            // Which archive failed: the products alone, or the release data after them.
            let products_alone = release_tgz.is_some()
                && vigie_lifecycle::Knowledge::compile(&products_tgz, None, &limits).is_ok();
            match &mut release_report {
                Some(rr) if products_alone => rr.error = Some(e.to_string()),
                _ => report.error = Some(e.to_string()),
            }
        }
    }
    manifest.sources.push(report);
    manifest.sources.extend(release_report);
    Ok(())
}

/// Reads the manifest of a compiled index.
pub fn read_manifest(index_dir: &Path) -> Option<Manifest> {
    let bytes = read_bounded(&index_dir.join(MANIFEST_FILE), MAX_MANIFEST)?.ok()?;
    serde_json::from_slice(&bytes).ok()
}
