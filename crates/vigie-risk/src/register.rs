//! The risk register: findings rolled up into risks, one per (advisory group, lifecycle
//! product and cycle, or licence) × system, each scored and explained.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::aggregate::{Summary, summarise};
use crate::facts::{Family, FindingFacts};
use crate::groups::group_labels;
use crate::likelihood::likelihood;
use crate::score::{Factor, Level, combine};
use crate::systems::{Catalog, system_refs};
use crate::text::{NBSP, Text, count, list, quote};

/// How many package versions a risk title names before "and N more".
const TITLE_PACKAGES: usize = 3;

/// One risk: the findings of one group in one system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    /// The stable key, `family:group@system` (`-` for no system); the trend compares by it.
    pub key: String,
    /// The family of its findings.
    pub family: Family,
    /// The group: advisory id, `product cycle`, or licence.
    pub group: String,
    /// The system's entity ref; `None` for findings in no system.
    pub system: Option<String>,
    /// The system's name (its ref when the catalog does not name it).
    pub system_name: Option<String>,
    /// The system's owners.
    pub owners: Vec<String>,
    /// A one-line title.
    pub title: Text,
    /// The title of the finding that set the likelihood (the advisory's own words, untranslated).
    pub summary: String,
    /// Likelihood, 1–5: the highest of its findings.
    pub likelihood: u8,
    /// Impact, 1–5: of its system.
    pub impact: u8,
    /// Likelihood × impact.
    pub score: u8,
    /// The score's level.
    pub level: Level,
    /// Why, in words.
    pub explanation: Text,
    /// One of its findings is known to be exploited.
    pub known_exploited: bool,
    /// The keys of its findings.
    pub findings: Vec<String>,
    /// The distinct projects.
    pub projects: Vec<String>,
    /// The distinct packages or platforms, `name version`.
    pub packages: Vec<String>,
}

/// The register of one audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// The day it was scored.
    pub as_of: Date,
    /// The risks, highest score first (then known exploited first, then by key).
    pub risks: Vec<Risk>,
    /// Counts per system, per owner and estate-wide, and the heat map.
    pub summary: Summary,
}

#[derive(Default)]
struct Acc<'a> {
    best: Option<(&'a Factor, &'a FindingFacts)>,
    findings: Vec<String>,
    projects: BTreeSet<String>,
    packages: BTreeSet<String>,
    known_exploited: bool,
}

/// The register of these findings in these systems, on `today`.
pub fn build_register(findings: &[FindingFacts], catalog: &Catalog<'_>, today: Date) -> Register {
    let labels = group_labels(findings);
    let likelihoods: Vec<Factor> = findings.iter().map(|f| likelihood(f, today)).collect();
    build_with(findings, catalog, today, &labels, &likelihoods)
}

/// [`build_register`] with the groups and likelihoods of the findings already computed (by
/// index), so that [`crate::analyse`] computes them once.
pub(crate) fn build_with(
    findings: &[FindingFacts],
    catalog: &Catalog<'_>,
    today: Date,
    labels: &[String],
    likelihoods: &[Factor],
) -> Register {
    let mut accs: BTreeMap<(Family, &str, Option<&str>), Acc<'_>> = BTreeMap::new();
    for ((f, label), l) in findings.iter().zip(labels).zip(likelihoods) {
        let refs = system_refs(f);
        let targets: Vec<Option<&str>> = if refs.is_empty() {
            vec![None]
        } else {
            refs.into_iter().map(Some).collect()
        };
        for sys in targets {
            let acc = accs.entry((f.family, label.as_str(), sys)).or_default();
            if acc.best.as_ref().is_none_or(|(b, _)| l.value > b.value) {
                acc.best = Some((l, f));
            }
            acc.findings.push(f.key.clone());
            acc.projects.insert(f.project_path.clone());
            if let Some(p) = &f.package {
                acc.packages
                    .insert(format!("{} {}", p.name.trim(), p.version.trim()));
            } else if let Some(p) = &f.platform {
                acc.packages
                    .insert(format!("{} {}", p.product.trim(), p.cycle.trim()));
            }
            acc.known_exploited |= f.known_exploited;
        }
    }
    let mut risks: Vec<Risk> = accs
        .into_iter()
        .filter_map(|((family, group, sys), acc)| {
            let (l, first) = acc.best?;
            let i = catalog.impact_of(sys);
            let s = combine(l, &i);
            let system_name = sys.map(|r| catalog.name_of(r));
            let packages: Vec<String> = acc.packages.into_iter().collect();
            let projects: Vec<String> = acc.projects.into_iter().collect();
            let title = title(
                family,
                group,
                first,
                &packages,
                projects.len(),
                system_name.as_deref(),
                acc.known_exploited,
            );
            Some(Risk {
                key: format!("{}:{}@{}", family.id(), group, sys.unwrap_or("-")),
                family,
                group: group.to_string(),
                system: sys.map(str::to_string),
                system_name,
                owners: sys.map(|r| catalog.owners_of(r)).unwrap_or_default(),
                title,
                summary: quote(&first.title),
                likelihood: s.likelihood,
                impact: s.impact,
                score: s.score,
                level: s.level,
                explanation: s.explanation,
                known_exploited: acc.known_exploited,
                findings: acc.findings,
                projects,
                packages,
            })
        })
        .collect();
    sort_risks(&mut risks);
    let summary = summarise(&risks);
    Register {
        as_of: today,
        risks,
        summary,
    }
}

/// Highest score first, then known exploited first, then by key.
pub(crate) fn sort_risks(risks: &mut [Risk]) {
    risks.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.known_exploited.cmp(&a.known_exploited))
            .then_with(|| a.key.cmp(&b.key))
    });
}

fn title(
    family: Family,
    group: &str,
    first: &FindingFacts,
    packages: &[String],
    projects: usize,
    system: Option<&str>,
    known_exploited: bool,
) -> Text {
    let group = quote(group);
    let n = count(projects, ("project", "projects"), ("projet", "projets"));
    let place = match system {
        Some(s) => {
            let s = quote(s);
            Text::new(
                format!("in {} of {s}", n.en),
                format!("dans {} de {s}", n.fr),
            )
        }
        None => Text::new(
            format!("in {} outside any known system", n.en),
            format!("dans {} hors de tout système connu", n.fr),
        ),
    };
    let pk = list(packages, TITLE_PACKAGES);
    match family {
        Family::Vulnerability => {
            let what = if packages.is_empty() {
                Text::same(group)
            } else {
                Text::new(
                    format!("{group} in {}", pk.en),
                    format!("{group} touchant {}", pk.fr),
                )
            };
            let ke = if known_exploited {
                Text::new(", known exploited,", ", exploitée activement,")
            } else {
                Text::default()
            };
            Text::new(
                format!("{}{} {}", what.en, ke.en, place.en),
                format!("{}{} {}", what.fr, ke.fr, place.fr),
            )
        }
        Family::Lifecycle => {
            let k = lifecycle_phrase(&first.kind);
            Text::new(
                format!("{group}: {}, {}", k.en, place.en),
                format!("{group}{NBSP}: {}, {}", k.fr, place.fr),
            )
        }
        Family::Licence => {
            let k = licence_phrase(&first.kind);
            let of = if packages.is_empty() {
                Text::default()
            } else {
                Text::new(format!(" for {}", pk.en), format!(" pour {}", pk.fr))
            };
            Text::new(
                format!("{group} {}{}, {}", k.en, of.en, place.en),
                format!("{group} {}{}, {}", k.fr, of.fr, place.fr),
            )
        }
    }
}

fn lifecycle_phrase(kind: &str) -> Text {
    match kind.trim().to_ascii_lowercase().as_str() {
        "eol-passed" => Text::new("end of life passed", "fin de vie dépassée"),
        "extended-support-only" => Text::new("extended support only", "support étendu seulement"),
        "eol-soon" => Text::new("end of life soon", "fin de vie proche"),
        "security-only" => Text::new("security fixes only", "correctifs de sécurité seulement"),
        "behind-latest" => Text::new(
            "behind its latest patch",
            "en retard sur sa dernière version corrective",
        ),
        "unpinned" => Text::new("version not pinned", "version non figée"),
        "unknown-cycle" => Text::new(
            "release cycle not recognised",
            "cycle de versions non reconnu",
        ),
        other => Text::same(quote(other)),
    }
}

fn licence_phrase(kind: &str) -> Text {
    match kind.trim().to_ascii_lowercase().as_str() {
        "denied" => Text::new("denied by the policy", "refusée par la politique"),
        "incompatible" => Text::new(
            "incompatible with the project",
            "incompatible avec le projet",
        ),
        "unknown" => Text::new("unknown", "inconnue"),
        "review" => Text::new("to review", "à examiner"),
        "copyleft-obligation" => {
            Text::new("with copyleft obligations", "avec obligations de copyleft")
        }
        "low-confidence" => Text::new(
            "identified with low confidence",
            "identifiée avec un faible degré de confiance",
        ),
        other => Text::same(quote(other)),
    }
}
