//! Building the recommended actions from the findings (see [`crate::actions`] for the model).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use vigie_model::Ecosystem;
use vigie_versions::{Scheme, normalize_name};

use crate::actions::{Action, ActionKind, ChangeKind, Effort};
use crate::bump::bump;
use crate::facts::{Family, FindingFacts};
use crate::text::{NBSP, Text, count, date, list, quote};

/// How many versions an action's sentence names before "and N more".
const TEXT_VERSIONS: usize = 3;

/// Lifecycle kinds that call for a migration off the cycle.
const MIGRATE: [&str; 3] = ["eol-passed", "extended-support-only", "eol-soon"];

struct Acc<'a> {
    kind: ActionKind,
    ecosystem: Option<Ecosystem>,
    subject: String,
    to: Option<String>,
    note: Text,
    from: BTreeSet<String>,
    changes: BTreeMap<&'a str, ChangeKind>,
    systems: BTreeSet<&'a str>,
    findings: BTreeMap<&'a str, (u8, &'a str, bool)>,
    eol: Option<Date>,
    bumps: BTreeMap<&'a str, ChangeKind>,
}

impl<'a> Acc<'a> {
    fn new(
        kind: ActionKind,
        ecosystem: Option<Ecosystem>,
        subject: String,
        to: Option<String>,
    ) -> Self {
        Acc {
            kind,
            ecosystem,
            subject,
            to,
            note: Text::default(),
            from: BTreeSet::new(),
            changes: BTreeMap::new(),
            systems: BTreeSet::new(),
            findings: BTreeMap::new(),
            eol: None,
            bumps: BTreeMap::new(),
        }
    }

    fn add(&mut self, f: &'a FindingFacts, score: u8, label: &'a str, change: ChangeKind) {
        let slot = self
            .changes
            .entry(f.project_path.as_str())
            .or_insert(change);
        if change.points() > slot.points() {
            *slot = change;
        }
        self.systems.extend(
            f.system_refs
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty()),
        );
        self.findings
            .entry(f.key.as_str())
            .or_insert((score, label, f.known_exploited));
        if let Some(d) = f.eol_date {
            self.eol = Some(self.eol.map_or(d, |e| e.min(d)));
        }
    }
}

/// The actions that remove these findings; `scores[i]` and `labels[i]` are the score and the
/// group of `findings[i]`. Highest risk removed per point of effort first.
pub fn recommend(findings: &[FindingFacts], scores: &[u8], labels: &[String]) -> Vec<Action> {
    let mut accs: BTreeMap<String, Acc<'_>> = BTreeMap::new();
    // Platform migrations first collect the (product, cycle) pairs that need one.
    let migrate: BTreeSet<(String, String)> = findings
        .iter()
        .filter(|f| {
            f.family == Family::Lifecycle
                && MIGRATE.contains(&f.kind.trim().to_ascii_lowercase().as_str())
        })
        .filter_map(|f| {
            f.platform
                .as_ref()
                .map(|p| (p.product.trim().to_string(), p.cycle.trim().to_string()))
        })
        .collect();
    for ((f, &score), label) in findings.iter().zip(scores).zip(labels) {
        let kind = f.kind.trim().to_ascii_lowercase();
        match f.family {
            Family::Vulnerability => {
                let (Some(p), Some(to)) = (&f.package, f.fixed_in.as_deref().map(str::trim)) else {
                    continue;
                };
                if to.is_empty() {
                    continue;
                }
                let name = normalize_name(p.ecosystem, &p.name).into_owned();
                let key = format!("package-upgrade:{}:{}@{}", p.ecosystem.as_str(), name, to);
                let acc = accs.entry(key).or_insert_with(|| {
                    Acc::new(
                        ActionKind::PackageUpgrade,
                        Some(p.ecosystem),
                        p.name.trim().to_string(),
                        Some(to.to_string()),
                    )
                });
                // One version comparison per distinct from-version of the action.
                let from = p.version.trim();
                let change = match acc.bumps.get(from) {
                    Some(c) => *c,
                    None => {
                        let c = ChangeKind::from_bump_pub(bump(p.ecosystem, from, to));
                        acc.bumps.insert(from, c);
                        acc.from.insert(from.to_string());
                        c
                    }
                };
                acc.add(f, score, label, change);
            }
            Family::Lifecycle => {
                let Some(p) = &f.platform else { continue };
                let pc = (p.product.trim().to_string(), p.cycle.trim().to_string());
                let subject = format!("{} {}", pc.0, pc.1);
                if migrate.contains(&pc) {
                    let key = format!("platform-migration:{}:{}", pc.0, pc.1);
                    let acc = accs.entry(key).or_insert_with(|| {
                        Acc::new(ActionKind::PlatformMigration, None, subject.clone(), None)
                    });
                    acc.add(f, score, label, ChangeKind::PlatformMigration);
                }
                if kind == "behind-latest" {
                    let Some(latest) = p.latest.as_deref().map(str::trim).filter(|l| !l.is_empty())
                    else {
                        continue;
                    };
                    let key = format!("platform-patch:{}:{}@{}", pc.0, pc.1, latest);
                    let acc = accs.entry(key).or_insert_with(|| {
                        Acc::new(
                            ActionKind::PlatformPatch,
                            None,
                            subject.clone(),
                            Some(latest.to_string()),
                        )
                    });
                    acc.add(f, score, label, ChangeKind::PlatformPatch);
                }
            }
            Family::Licence => {
                if kind != "denied" && kind != "incompatible" {
                    continue;
                }
                let Some(p) = &f.package else { continue };
                let name = normalize_name(p.ecosystem, &p.name).into_owned();
                let key = format!(
                    "licence-replacement:{}:{}:{}",
                    p.ecosystem.as_str(),
                    name,
                    f.id.trim()
                );
                let acc = accs.entry(key).or_insert_with(|| {
                    let mut a = Acc::new(
                        ActionKind::LicenceReplacement,
                        Some(p.ecosystem),
                        p.name.trim().to_string(),
                        None,
                    );
                    let why = if kind == "denied" {
                        Text::new("denied by the policy", "refusée par la politique")
                    } else {
                        Text::new(
                            "incompatible with the project",
                            "incompatible avec le projet",
                        )
                    };
                    let l = quote(&f.id);
                    a.note = Text::new(format!("{l}, {}", why.en), format!("{l}, {}", why.fr));
                    a
                });
                acc.from.insert(p.version.trim().to_string());
                acc.add(f, score, label, ChangeKind::LicenceReplacement);
            }
        }
    }
    let mut actions: Vec<Action> = accs
        .into_iter()
        .map(|(key, acc)| finish(key, acc))
        .collect();
    actions.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(b.risk_removed.cmp(&a.risk_removed))
            .then_with(|| a.key.cmp(&b.key))
    });
    actions
}

fn finish(key: String, acc: Acc<'_>) -> Action {
    let mut per_kind: BTreeMap<ChangeKind, u32> = BTreeMap::new();
    for k in acc.changes.values() {
        let n = per_kind.entry(*k).or_insert(0);
        *n = n.saturating_add(1);
    }
    let effort = Effort::of(per_kind);
    let risk_removed = acc
        .findings
        .values()
        .map(|(s, _, _)| u32::from(*s))
        .fold(0u32, u32::saturating_add);
    let fixes: BTreeSet<&str> = acc.findings.values().map(|(_, l, _)| *l).collect();
    let exploited: BTreeSet<&str> = acc
        .findings
        .values()
        .filter(|v| v.2)
        .map(|(_, l, _)| *l)
        .collect();
    let fixes = u32::try_from(fixes.len()).unwrap_or(u32::MAX);
    let known_exploited = u32::try_from(exploited.len()).unwrap_or(u32::MAX);
    let mut from: Vec<String> = acc.from.into_iter().collect();
    if let Some(e) = acc.ecosystem {
        // Oldest first in the ecosystem's order; versions that do not parse after.
        let scheme = Scheme::for_ecosystem(e);
        from.sort_by_cached_key(|v| match scheme.parse(v) {
            Ok(p) => (0u8, Some(p)),
            Err(_) => (1, None),
        });
    }
    let projects: Vec<String> = acc.changes.keys().map(|s| s.to_string()).collect();
    let systems: Vec<String> = acc.systems.iter().map(|s| s.to_string()).collect();
    let place = place(projects.len(), systems.len());
    let subject = quote(&acc.subject);
    let text = match acc.kind {
        ActionKind::PackageUpgrade => {
            let to = quote(acc.to.as_deref().unwrap_or(""));
            let from = list(&from, TEXT_VERSIONS);
            let v = count(
                usize::try_from(fixes).unwrap_or(0),
                ("vulnerability", "vulnerabilities"),
                ("vulnérabilité", "vulnérabilités"),
            );
            let (ke_en, ke_fr) = match known_exploited {
                0 => (String::new(), String::new()),
                n => (
                    format!(", {n} known exploited"),
                    format!(
                        ", dont {n} exploitée{} activement",
                        if n > 1 { "s" } else { "" }
                    ),
                ),
            };
            Text::new(
                format!(
                    "upgrade {subject} {} → {to} {}: fixes {}{ke_en}",
                    from.en, place.en, v.en
                ),
                format!(
                    "mettre à jour {subject} {} → {to} {}{NBSP}: corrige {}{ke_fr}",
                    from.fr, place.fr, v.fr
                ),
            )
        }
        ActionKind::PlatformPatch => {
            let to = quote(acc.to.as_deref().unwrap_or(""));
            Text::new(
                format!(
                    "update {subject} to its latest patch release {to} {}",
                    place.en
                ),
                format!(
                    "mettre {subject} à jour vers sa dernière version corrective {to} {}",
                    place.fr
                ),
            )
        }
        ActionKind::PlatformMigration => {
            let eol = acc.eol.map(date).map_or_else(Text::default, |d| {
                Text::new(
                    format!(": end of life {}", d.en),
                    format!("{NBSP}: fin de vie le {}", d.fr),
                )
            });
            Text::new(
                format!(
                    "move {subject} to a supported release cycle {}{}",
                    place.en, eol.en
                ),
                format!(
                    "faire passer {subject} à un cycle de versions maintenu {}{}",
                    place.fr, eol.fr
                ),
            )
        }
        ActionKind::LicenceReplacement => Text::new(
            format!("replace {subject} ({}) {}", acc.note.en, place.en),
            format!("remplacer {subject} ({}) {}", acc.note.fr, place.fr),
        ),
    };
    let value = f64::from(risk_removed) / f64::from(effort.points.max(1));
    Action {
        key,
        kind: acc.kind,
        ecosystem: acc.ecosystem,
        subject: acc.subject,
        from,
        to: acc.to,
        projects,
        systems,
        findings: acc.findings.keys().map(|s| s.to_string()).collect(),
        fixes,
        known_exploited,
        risk_removed,
        effort,
        value,
        text,
    }
}

/// `in 14 projects of 5 systems` / `dans 14 projets de 5 systèmes` (no systems: `in 3 projects`).
fn place(projects: usize, systems: usize) -> Text {
    let p = count(projects, ("project", "projects"), ("projet", "projets"));
    if systems == 0 {
        Text::new(format!("in {}", p.en), format!("dans {}", p.fr))
    } else {
        let s = count(systems, ("system", "systems"), ("système", "systèmes"));
        Text::new(
            format!("in {} of {}", p.en, s.en),
            format!("dans {} de {}", p.fr, s.fr),
        )
    }
}
