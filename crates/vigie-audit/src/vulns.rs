//! The vulnerability check: components matched against the OSV advisories
//! of the knowledge index, with the OSV schema's evaluation semantics.
//!
//! For each component with a version: the advisories indexed under its
//! (ecosystem, normalised name) are evaluated; an advisory affects the
//! component when one of its `affected[]` entries for that package lists the
//! version in `versions`, or has a SEMVER or ECOSYSTEM range that contains it
//! (GIT ranges are never matched by version). Withdrawn advisories are never
//! matched. Advisories that name each other (id or alias) are one finding: a
//! CVE seen through GHSA and PYSEC is reported once, with every id.
//!
//! Affected entries whose ecosystem has a release suffix (`AlmaLinux:9`,
//! `Debian:12`) apply to a component whose purl names its release
//! (`distro=almalinux-9.4`) only when the release matches; a component that
//! does not say its release is matched against every release.

use std::collections::{BTreeSet, HashMap};

type FastState = foldhash::fast::RandomState;
use std::sync::{Arc, Mutex};

pub use vigie_findings::VulnFinding;
use vigie_knowledge::index::{Index, IndexError, PackageAdvisory};
use vigie_knowledge::osv::{Advisory, Event, KnownExploited, RangeKind};
use vigie_model::{Component, Ecosystem, Purl};
use vigie_versions::vers::VersRange;
use vigie_versions::{Scheme, Version, osv as vrange};

/// What matching one component gave.
#[derive(Clone, Debug, Default)]
pub struct ComponentMatch {
    /// Vulnerabilities and informational advisories, most severe first.
    pub findings: Vec<VulnFinding>,
    /// The smallest version above the current one that no known vulnerability
    /// of the package affects, when one of the fixed versions is such.
    pub upgrade: Option<String>,
    /// Set when the component's version could not be read by its scheme.
    pub version_error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error(transparent)]
    Index(#[from] IndexError),
}

struct CompiledRangeWithFixes {
    compiled: vrange::CompiledRange,
    /// The `fixed` events of the range, as written.
    fixed: Vec<String>,
}

struct CompiledAffected {
    /// The release suffix of the ecosystem (`9` of `AlmaLinux:9`).
    release: Option<String>,
    /// SEMVER and ECOSYSTEM ranges (GIT ranges are never matched by version).
    ranges: Vec<CompiledRangeWithFixes>,
    versions: Vec<String>,
    /// A native feed's affected range, its range of versions not affected, and its fixes
    /// (`vigie_knowledge::native`); a range that does not parse leaves the entry matching
    /// nothing by range.
    native: Option<NativeRange>,
}

struct NativeRange {
    affected: Option<VersRange>,
    unaffected: Option<VersRange>,
    fixed: Vec<String>,
}

impl NativeRange {
    /// Whether the version (as written) is affected; a version the range's scheme cannot
    /// read is not.
    fn contains(&self, version: &str) -> bool {
        let inside = self
            .affected
            .as_ref()
            .is_none_or(|r| r.contains(version).unwrap_or(false));
        let outside = self
            .unaffected
            .as_ref()
            .is_none_or(|r| r.contains(version).is_ok_and(|c| !c));
        inside && outside && (self.affected.is_some() || self.unaffected.is_some())
    }
}

struct CompiledAdvisory {
    advisory: Arc<Advisory>,
    affected: Vec<CompiledAffected>,
}

type Package = Arc<Vec<CompiledAdvisory>>;

/// Matches components against an index; safe to share between threads. Each
/// package's advisories are read and compiled once, then cached.
pub struct Matcher<'i> {
    index: &'i Index,
    /// The ecosystems the index holds advisories for.
    covered: Vec<Ecosystem>,
    /// ecosystem → package key → advisories: looked up by `&str`, without allocating, with
    /// foldhash (millions of lookups on an estate).
    cache: Mutex<HashMap<Ecosystem, HashMap<String, Package, FastState>, FastState>>,
}

impl<'i> Matcher<'i> {
    pub fn new(index: &'i Index) -> Matcher<'i> {
        let covered = Ecosystem::ALL
            .into_iter()
            .filter(|e| index.ecosystems().iter().any(|i| i == e.as_str()))
            .collect();
        Matcher {
            index,
            covered,
            cache: Mutex::new(HashMap::default()),
        }
    }

    fn package(&self, ecosystem: Ecosystem, name: &str) -> Result<Package, MatchError> {
        let key = vigie_knowledge::package_key(ecosystem.as_str(), name);
        if let Some(p) = self
            .cache
            .lock()
            .ok()
            .and_then(|c| c.get(&ecosystem)?.get(key.as_ref()).cloned())
        {
            return Ok(p);
        }
        let raw = self.index.lookup(ecosystem.as_str(), &key)?;
        let scheme = Scheme::for_ecosystem(ecosystem);
        let compiled: Package = Arc::new(raw.into_iter().map(|p| compile(p, scheme)).collect());
        if let Ok(mut c) = self.cache.lock() {
            c.entry(ecosystem)
                .or_default()
                .insert(key.into_owned(), compiled.clone());
        }
        Ok(compiled)
    }

    /// True when the index holds advisories for `ecosystem`. A component of an ecosystem it
    /// does not cover cannot be said free of known vulnerabilities: it is not checked.
    pub fn covers(&self, ecosystem: Ecosystem) -> bool {
        self.covered.contains(&ecosystem)
    }

    /// The advisories that affect a component. Components without a version
    /// give nothing (they are counted as unchecked by the caller).
    pub fn match_component(&self, c: &Component) -> Result<ComponentMatch, MatchError> {
        let mut out = ComponentMatch::default();
        let Some(version_text) = c.version.as_deref() else {
            return Ok(out);
        };
        let package = self.package(c.ecosystem, &c.name)?;
        if package.is_empty() {
            return Ok(out);
        }
        let scheme = Scheme::for_ecosystem(c.ecosystem);
        let version = match scheme.parse(version_text) {
            Ok(v) => v,
            Err(e) => {
                out.version_error = Some(e.to_string());
                return Ok(out);
            }
        };
        let release = component_release(c);
        let mut hits: Vec<(&CompiledAdvisory, Vec<String>)> = Vec::new();
        for adv in package.iter() {
            if adv.advisory.withdrawn.is_some() {
                continue;
            }
            if let Some(fixed) = affects(adv, scheme, &version, version_text, release.as_deref()) {
                hits.push((adv, fixed));
            }
        }
        if hits.is_empty() {
            return Ok(out);
        }
        out.findings = group(&hits);
        if c.ecosystem == Ecosystem::Go {
            // OSV writes Go versions without the `v` that go.mod needs.
            for f in &mut out.findings {
                for v in &mut f.fixed {
                    go_v(v);
                }
            }
        }
        if out.findings.iter().any(|f| !f.kind.is_informational()) {
            out.upgrade = smallest_upgrade(&package, scheme, &version, release.as_deref());
            if c.ecosystem == Ecosystem::Go
                && let Some(u) = &mut out.upgrade
            {
                go_v(u);
            }
        }
        Ok(out)
    }
}

/// `1.9.1` → `v1.9.1`.
fn go_v(version: &mut String) {
    if !version.starts_with('v') {
        version.insert(0, 'v');
    }
}

fn compile(p: PackageAdvisory, scheme: Scheme) -> CompiledAdvisory {
    let affected = p
        .affected
        .into_iter()
        .map(|a| CompiledAffected {
            release: a
                .ecosystem
                .split_once(':')
                .map(|(_, r)| r.trim().to_owned())
                .filter(|r| !r.is_empty()),
            ranges: a
                .ranges
                .into_iter()
                .filter(|r| r.kind != RangeKind::Git)
                .filter_map(|r| {
                    let fixed = r
                        .events
                        .iter()
                        .filter_map(|e| match e {
                            Event::Fixed(v) => Some(v.clone()),
                            _ => None,
                        })
                        .collect();
                    let range = vrange::Range::from(&r);
                    // A range whose versions the scheme cannot read cannot be
                    // evaluated; the advisory's other ranges still can.
                    vrange::CompiledRange::new(scheme, &range)
                        .ok()
                        .map(|compiled| CompiledRangeWithFixes { compiled, fixed })
                })
                .collect(),
            native: (a.vers.is_some() || a.unaffected_vers.is_some()).then(|| NativeRange {
                affected: a
                    .vers
                    .as_deref()
                    .and_then(|v| vigie_versions::vers::parse(v).ok()),
                unaffected: a
                    .unaffected_vers
                    .as_deref()
                    .and_then(|v| vigie_versions::vers::parse(v).ok()),
                fixed: a.fixed,
            }),
            versions: a.versions,
        })
        .collect();
    CompiledAdvisory {
        advisory: Arc::new(p.advisory),
        affected,
    }
}

/// The release a component says it belongs to: the `distro` qualifier of its
/// purl without the distribution name (`almalinux-9.4` → `9.4`).
fn component_release(c: &Component) -> Option<String> {
    if !c.purl.contains("distro=") {
        return None;
    }
    let purl = Purl::parse_lenient(&c.purl).ok()?;
    let distro = purl
        .qualifiers
        .iter()
        .find(|(k, _)| k == "distro")
        .map(|(_, v)| v.as_str())?;
    let release = distro.rsplit_once('-').map_or(distro, |(_, r)| r);
    Some(release.to_owned())
}

/// Does a suffix release (`9`) cover the component's release (`9.4`)?
fn release_matches(suffix: Option<&str>, component: Option<&str>) -> bool {
    match (suffix, component) {
        (Some(s), Some(c)) => c == s || c.strip_prefix(s).is_some_and(|rest| rest.starts_with('.')),
        _ => true,
    }
}

/// The fixed versions of the matching ranges when the advisory affects the
/// version, `None` when it does not.
fn affects(
    adv: &CompiledAdvisory,
    scheme: Scheme,
    version: &Version,
    version_text: &str,
    release: Option<&str>,
) -> Option<Vec<String>> {
    let mut hit = false;
    let mut fixed = Vec::new();
    for a in &adv.affected {
        if !release_matches(a.release.as_deref(), release) {
            continue;
        }
        let listed = a
            .versions
            .iter()
            .any(|v| v == version_text || scheme.parse(v).is_ok_and(|p| p.cmp(version).is_eq()));
        let mut in_range = false;
        for r in &a.ranges {
            if r.compiled.contains(version).unwrap_or(false) {
                in_range = true;
                fixed.extend(r.fixed.iter().cloned());
            }
        }
        if let Some(n) = &a.native
            && n.contains(version_text)
        {
            in_range = true;
            fixed.extend(n.fixed.iter().cloned());
        }
        if listed || in_range {
            hit = true;
            if listed && !in_range {
                // A version list alone: the fixes are the ranges', if any.
                for r in &a.ranges {
                    fixed.extend(r.fixed.iter().cloned());
                }
            }
        }
    }
    if !hit {
        return None;
    }
    fixed.sort();
    fixed.dedup();
    Some(fixed)
}

/// Groups advisories that name each other into one finding each.
fn group(hits: &[(&CompiledAdvisory, Vec<String>)]) -> Vec<VulnFinding> {
    // Union-find over the hits, joined when they share an id or alias.
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, (adv, _)) in hits.iter().enumerate() {
        let a = &adv.advisory;
        for id in std::iter::once(&a.id).chain(&a.aliases) {
            let id = id.to_ascii_uppercase();
            match owner.get(&id) {
                Some(&j) => {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    parent[ri] = rj;
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..hits.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut findings: Vec<VulnFinding> = groups
        .into_values()
        .map(|members| {
            let lead = members
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    let (a, b) = (&hits[a].0.advisory, &hits[b].0.advisory);
                    rank(a).cmp(&rank(b)).then_with(|| b.id.cmp(&a.id))
                })
                .unwrap_or(members[0]);
            let lead_adv = &hits[lead].0.advisory;
            let mut ids = BTreeSet::new();
            let mut records = BTreeSet::new();
            let mut fixed = BTreeSet::new();
            let mut known_exploited = None::<KnownExploited>;
            let mut kind = lead_adv.kind;
            for &m in &members {
                let a = &hits[m].0.advisory;
                ids.insert(a.id.clone());
                records.insert(a.id.clone());
                ids.extend(a.aliases.iter().cloned());
                fixed.extend(hits[m].1.iter().cloned());
                if known_exploited.is_none() {
                    known_exploited = a.known_exploited.clone();
                }
                // A vulnerability in the group makes the whole group one.
                if !a.kind.is_informational() {
                    kind = a.kind;
                }
            }
            ids.remove(&lead_adv.id);
            VulnFinding {
                kind,
                id: lead_adv.id.clone(),
                aliases: ids.into_iter().collect(),
                advisories: records.into_iter().collect(),
                summary: lead_adv.summary.clone(),
                severity: lead_adv.severity.clone(),
                known_exploited,
                fixed: fixed.into_iter().collect(),
                url: lead_adv.url.clone(),
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        finding_rank(b)
            .cmp(&finding_rank(a))
            .then_with(|| a.id.cmp(&b.id))
    });
    findings
}

/// Orders advisories: known exploited, then by rating, then with a score.
fn rank(a: &Advisory) -> (bool, Option<vigie_knowledge::cvss::Rating>, bool) {
    (
        a.known_exploited.is_some(),
        a.severity.as_ref().map(|s| s.rating),
        a.severity.as_ref().is_some_and(|s| s.score.is_some()),
    )
}

fn finding_rank(f: &VulnFinding) -> (bool, bool, Option<vigie_knowledge::cvss::Rating>) {
    (
        !f.kind.is_informational(),
        f.known_exploited.is_some(),
        f.severity.as_ref().map(|s| s.rating),
    )
}

/// The smallest fixed version above `current` that no vulnerability of the
/// package (withdrawn and informational ones aside) affects.
fn smallest_upgrade(
    package: &[CompiledAdvisory],
    scheme: Scheme,
    current: &Version,
    release: Option<&str>,
) -> Option<String> {
    let mut candidates: Vec<(Version, String)> = Vec::new();
    for adv in package {
        if adv.advisory.withdrawn.is_some() || adv.advisory.kind.is_informational() {
            continue;
        }
        for a in &adv.affected {
            if !release_matches(a.release.as_deref(), release) {
                continue;
            }
            let native = a.native.iter().flat_map(|n| &n.fixed);
            for f in a.ranges.iter().flat_map(|r| &r.fixed).chain(native) {
                if let Ok(v) = scheme.parse(f)
                    && v > *current
                {
                    candidates.push((v, f.clone()));
                }
            }
        }
    }
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    candidates.dedup_by(|a, b| a.0 == b.0);
    candidates.into_iter().find_map(|(v, text)| {
        let clean = package.iter().all(|adv| {
            adv.advisory.withdrawn.is_some()
                || adv.advisory.kind.is_informational()
                || affects(adv, scheme, &v, &text, release).is_none()
        });
        clean.then_some(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases() {
        assert!(release_matches(Some("9"), Some("9.4")));
        assert!(release_matches(Some("9"), Some("9")));
        assert!(!release_matches(Some("9"), Some("8.10")));
        assert!(!release_matches(Some("1"), Some("10")));
        assert!(release_matches(Some("9"), None));
        assert!(release_matches(None, Some("9")));
    }
}
