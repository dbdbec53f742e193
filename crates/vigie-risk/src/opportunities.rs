//! Opportunities: what the estate could gain beyond removing risks. Version sprawl (one
//! library in many versions), upgrades that fix many findings at once, platforms behind their
//! latest patch, and duplicate tools (two bought tools of the same category).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use vigie_model::Ecosystem;
use vigie_versions::{Scheme, Version, normalize_name};

use crate::actions::{Action, ActionKind};
use crate::duplicates::DuplicateTools;
use crate::facts::{Family, FindingFacts, SystemFacts, VersionUses};
use crate::text::{NBSP, Text, count, list, quote};

/// How many versions a sprawl sentence names before "and N more".
const TEXT_VERSIONS: usize = 4;

/// One version of a sprawling library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionUse {
    /// The version.
    pub version: String,
    /// How many projects use it.
    pub projects: u32,
    /// It has known vulnerabilities in this audit.
    pub vulnerable: bool,
}

/// How the consolidation target was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetBasis {
    /// The newest version, in the estate or named as a fix, with no known vulnerability.
    NewestWithoutKnownVulnerability,
    /// Every version is vulnerable and no fix is known: the newest version in the estate.
    Newest,
}

/// One library in many versions across the estate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sprawl {
    /// Its ecosystem.
    pub ecosystem: Ecosystem,
    /// Its name (as first seen).
    pub name: String,
    /// Its versions, oldest first (versions that do not parse last).
    pub versions: Vec<VersionUse>,
    /// How many projects use it.
    pub projects: u32,
    /// The systems that contain them.
    pub systems: Vec<String>,
    /// The version to consolidate on.
    pub target: String,
    /// Why that one.
    pub basis: TargetBasis,
    /// How many projects are not on the target.
    pub projects_to_move: u32,
    /// The opportunity in a sentence.
    pub text: Text,
}

/// An opportunity that is also a recommended action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRef {
    /// The action's key.
    pub action: String,
    /// The opportunity in a sentence.
    pub text: Text,
}

/// An opportunity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Opportunity {
    /// One library in many versions.
    VersionSprawl(Sprawl),
    /// An upgrade that fixes several advisories at once.
    MultiFixUpgrade(ActionRef),
    /// A platform behind the latest patch of its cycle.
    PlatformBehind(ActionRef),
    /// Bought tools of one category.
    DuplicateTools(DuplicateTools),
}

impl Opportunity {
    /// The opportunity in a sentence.
    pub fn text(&self) -> &Text {
        match self {
            Opportunity::VersionSprawl(s) => &s.text,
            Opportunity::MultiFixUpgrade(a) | Opportunity::PlatformBehind(a) => &a.text,
            Opportunity::DuplicateTools(d) => &d.text,
        }
    }
}

/// Thresholds of the opportunities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// A library is sprawling from this many distinct versions (default 3).
    pub sprawl_min_versions: usize,
    /// An upgrade is an opportunity when it fixes this many advisories (default 2).
    pub multi_fix_min: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            sprawl_min_versions: 3,
            multi_fix_min: 2,
        }
    }
}

/// Every opportunity: sprawl (most versions first), multi-fix upgrades and platform patches
/// (in the order of the actions), duplicate tools (dearest first).
pub fn opportunities(
    components: &[VersionUses],
    findings: &[FindingFacts],
    systems: &[SystemFacts],
    actions: &[Action],
    t: Thresholds,
) -> Vec<Opportunity> {
    let mut out: Vec<Opportunity> = sprawl(components, findings, t.sprawl_min_versions)
        .into_iter()
        .map(Opportunity::VersionSprawl)
        .collect();
    for a in actions {
        match a.kind {
            ActionKind::PackageUpgrade if a.fixes >= t.multi_fix_min => {
                out.push(Opportunity::MultiFixUpgrade(ActionRef {
                    action: a.key.clone(),
                    text: a.text.clone(),
                }));
            }
            ActionKind::PlatformPatch => {
                out.push(Opportunity::PlatformBehind(ActionRef {
                    action: a.key.clone(),
                    text: a.text.clone(),
                }));
            }
            _ => {}
        }
    }
    out.extend(
        crate::duplicates::duplicate_tools(systems)
            .into_iter()
            .map(Opportunity::DuplicateTools),
    );
    out
}

type PackageKey = (Ecosystem, String);

/// Libraries in at least `min_versions` distinct versions.
pub fn sprawl(
    components: &[VersionUses],
    findings: &[FindingFacts],
    min_versions: usize,
) -> Vec<Sprawl> {
    // Vulnerable versions and known fixes, per package.
    let mut vulnerable: BTreeSet<(PackageKey, String)> = BTreeSet::new();
    let mut fixes: BTreeMap<PackageKey, BTreeSet<String>> = BTreeMap::new();
    for f in findings
        .iter()
        .filter(|f| f.family == Family::Vulnerability)
    {
        let Some(p) = &f.package else { continue };
        let k = (
            p.ecosystem,
            normalize_name(p.ecosystem, &p.name).into_owned(),
        );
        let kind = f.kind.trim().to_ascii_lowercase();
        if kind == "vulnerability" || kind == "malicious" {
            vulnerable.insert((k.clone(), p.version.trim().to_string()));
        }
        if let Some(fx) = f
            .fixed_in
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            fixes.entry(k).or_default().insert(fx.to_string());
        }
    }
    struct Lib<'a> {
        name: &'a str,
        versions: BTreeMap<&'a str, BTreeSet<u32>>,
        systems: BTreeSet<&'a str>,
    }
    let mut libs: BTreeMap<PackageKey, Lib<'_>> = BTreeMap::new();
    for c in components {
        let v = c.version.trim();
        if v.is_empty() {
            continue;
        }
        let k = (
            c.ecosystem,
            normalize_name(c.ecosystem, &c.name).into_owned(),
        );
        let lib = libs.entry(k).or_insert_with(|| Lib {
            name: c.name.trim(),
            versions: BTreeMap::new(),
            systems: BTreeSet::new(),
        });
        lib.versions
            .entry(v)
            .or_default()
            .extend(c.projects.iter().copied());
        lib.systems.extend(
            c.system_refs
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty()),
        );
    }
    let mut out = Vec::new();
    for (k, lib) in libs {
        if lib.versions.len() < min_versions.max(2) {
            continue;
        }
        let scheme = Scheme::for_ecosystem(k.0);
        let mut versions: Vec<(Option<Version>, VersionUse)> = lib
            .versions
            .iter()
            .map(|(v, projects)| {
                let vulnerable = vulnerable.contains(&(k.clone(), v.to_string()));
                let projects = u32::try_from(projects.len()).unwrap_or(u32::MAX);
                (
                    scheme.parse(v).ok(),
                    VersionUse {
                        version: v.to_string(),
                        projects,
                        vulnerable,
                    },
                )
            })
            .collect();
        versions.sort_by(|a, b| order(&a.0, &b.0).then_with(|| a.1.version.cmp(&b.1.version)));
        // Candidates: estate versions without known vulnerability, and the known fixes.
        let mut candidates: Vec<Version> = versions
            .iter()
            .filter(|(_, u)| !u.vulnerable)
            .filter_map(|(p, _)| p.clone())
            .collect();
        candidates.extend(
            fixes
                .get(&k)
                .into_iter()
                .flatten()
                .filter_map(|f| scheme.parse(f).ok()),
        );
        let (target, basis) = match candidates.into_iter().max() {
            Some(v) => (
                v.as_str().to_string(),
                TargetBasis::NewestWithoutKnownVulnerability,
            ),
            None => match versions
                .iter()
                .rev()
                .find(|(p, _)| p.is_some())
                .or(versions.last())
            {
                Some((_, u)) => (u.version.clone(), TargetBasis::Newest),
                None => continue,
            },
        };
        let all_projects: BTreeSet<u32> = lib.versions.values().flatten().copied().collect();
        let on_target: BTreeSet<u32> = lib
            .versions
            .get(target.as_str())
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let projects = u32::try_from(all_projects.len()).unwrap_or(u32::MAX);
        let projects_to_move =
            u32::try_from(all_projects.difference(&on_target).count()).unwrap_or(u32::MAX);
        let versions: Vec<VersionUse> = versions.into_iter().map(|(_, u)| u).collect();
        let text = sprawl_text(
            lib.name,
            &versions,
            projects,
            &target,
            basis,
            projects_to_move,
        );
        out.push(Sprawl {
            ecosystem: k.0,
            name: lib.name.to_string(),
            versions,
            projects,
            systems: lib.systems.iter().map(|s| s.to_string()).collect(),
            target,
            basis,
            projects_to_move,
            text,
        });
    }
    out.sort_by(|a, b| {
        b.versions
            .len()
            .cmp(&a.versions.len())
            .then(b.projects.cmp(&a.projects))
            .then_with(|| (a.ecosystem, &a.name).cmp(&(b.ecosystem, &b.name)))
    });
    out
}

/// Parsed versions in their order, unparsed ones after.
fn order(a: &Option<Version>, b: &Option<Version>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn sprawl_text(
    name: &str,
    versions: &[VersionUse],
    projects: u32,
    target: &str,
    basis: TargetBasis,
    to_move: u32,
) -> Text {
    let name = quote(name);
    let target = quote(target);
    let vs: Vec<String> = versions.iter().map(|v| v.version.clone()).collect();
    let n = count(
        versions.len(),
        ("version", "versions"),
        ("version", "versions"),
    );
    let p = count(
        usize::try_from(projects).unwrap_or(0),
        ("project", "projects"),
        ("projet", "projets"),
    );
    let m = count(
        usize::try_from(to_move).unwrap_or(0),
        ("project", "projects"),
        ("projet", "projets"),
    );
    let l = list(&vs, TEXT_VERSIONS);
    let why = match basis {
        TargetBasis::NewestWithoutKnownVulnerability => Text::new(
            "the newest version without known vulnerability",
            "la version la plus récente sans vulnérabilité connue",
        ),
        TargetBasis::Newest => Text::new(
            "the newest version in use (no version without known vulnerability is known)",
            "la version la plus récente en service (aucune version sans vulnérabilité connue n’est identifiée)",
        ),
    };
    Text::new(
        format!(
            "{name} is used in {} across {} ({}): consolidate on {target}, {}, by moving {}",
            n.en, p.en, l.en, why.en, m.en
        ),
        format!(
            "{name} est utilisé en {} dans {} ({}){NBSP}: consolider sur {target}, {}, en faisant migrer {}",
            n.fr, p.fr, l.fr, why.fr, m.fr
        ),
    )
}
