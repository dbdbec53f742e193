//! From the store's records to the risk model's facts: findings (from each record's `json`
//! payload, see `records.rs`), systems (from the catalog) and components (for version sprawl).
//!
//! A project belongs to the systems of the catalog elements linked to it: an element's
//! `system`, else the element itself when it stands alone (a component in no system). A
//! system's impact facts are its own and its parts' (components and resources whose `system`
//! is it): the highest criticality, exposed when one part is, personal or sensitive data when
//! one part holds some. An element in no system that is not a group, user, domain, API or
//! location (a SaaS, a standalone component) is a system of its own, so that its cost and SaaS
//! category reach the duplicate-tools opportunity.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;
use vigie_findings::Detail;
use vigie_model::Ecosystem;
use vigie_risk::{Family, FindingFacts, PackageRef, PlatformRef, SystemFacts, VersionUses};
use vigie_store::{CatalogData, EntityRecord, FindingRecord, ProjectLink};

/// Kinds of catalog elements that are never systems.
const NOT_SYSTEMS: &[&str] = &["group", "user", "domain", "api", "location", "template"];

/// The systems of the catalog and each project's system refs.
pub struct SystemMap {
    /// One per system (see the module doc).
    pub systems: Vec<SystemFacts>,
    /// Project path → system refs.
    pub by_project: HashMap<String, Vec<String>>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn sensitive(e: &EntityRecord) -> bool {
    let v = e.json.get("vigie").and_then(|v| v.get("personalData"));
    v.and_then(|p| p.get("sensitive"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn cost(e: &EntityRecord) -> Option<f64> {
    let c = e.json.get("vigie")?.get("cost")?;
    c.get("amount")
        .and_then(Value::as_f64)
        .or_else(|| c.as_f64())
        .filter(|x| x.is_finite() && *x >= 0.0)
}

fn own_facts(e: &EntityRecord) -> SystemFacts {
    SystemFacts {
        entity_ref: e.entity_ref.clone(),
        name: e.title.clone().unwrap_or_else(|| e.name.clone()),
        owners: e.owners.clone(),
        criticality: e.criticality,
        internet_exposed: e.internet_exposed,
        personal_data: e.personal_data,
        sensitive_data: sensitive(e),
        saas_category: str_at(&e.json, &["vigie", "saasCategory"]).map(str::to_owned),
        cost_per_year: cost(e),
    }
}

/// The systems and the project → systems map of a snapshot's catalog.
pub fn systems(catalog: &CatalogData, links: &[ProjectLink]) -> SystemMap {
    let kind = |e: &EntityRecord| e.kind.to_ascii_lowercase();
    let mut out: BTreeMap<&str, SystemFacts> = BTreeMap::new();
    for e in &catalog.entities {
        let k = kind(e);
        if k == "system" || (e.system.is_none() && !NOT_SYSTEMS.contains(&k.as_str())) {
            out.insert(&e.entity_ref, own_facts(e));
        }
    }
    for e in &catalog.entities {
        let Some(s) = e.system.as_deref().and_then(|s| out.get_mut(s)) else {
            continue;
        };
        s.criticality = s.criticality.max(e.criticality);
        s.internet_exposed = match (s.internet_exposed, e.internet_exposed) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        };
        s.personal_data |= e.personal_data;
        s.sensitive_data |= sensitive(e);
    }
    let system_of: HashMap<&str, &str> = catalog
        .entities
        .iter()
        .filter_map(|e| {
            let target = e.system.as_deref().unwrap_or(&e.entity_ref);
            out.contains_key(target)
                .then_some((e.entity_ref.as_str(), target))
        })
        .collect();
    let mut by_project: HashMap<String, BTreeSet<String>> = HashMap::new();
    for l in links {
        if let Some(s) = system_of.get(l.entity_ref.as_str()) {
            by_project
                .entry(l.project_path.clone())
                .or_default()
                .insert((*s).to_owned());
        }
    }
    SystemMap {
        systems: out.into_values().collect(),
        by_project: by_project
            .into_iter()
            .map(|(p, s)| (p, s.into_iter().collect()))
            .collect(),
    }
}

fn package(r: &FindingRecord) -> Option<PackageRef> {
    let (ecosystem, name, version) = r.component()?;
    let purl = match &r.detail {
        Detail::Vulnerability(d) => &d.component.purl,
        Detail::Licence(d) => &d.component.purl,
        _ => return None,
    };
    Some(PackageRef {
        ecosystem,
        name: name.to_owned(),
        version: version?.to_owned(),
        purl: purl.clone(),
    })
}

/// The facts of one stored finding.
pub fn finding(r: &FindingRecord, systems: &SystemMap) -> Option<FindingFacts> {
    let family = r.family;
    let vuln = r.detail.vulnerability();
    let lifecycle = r.detail.lifecycle().map(|d| &d.finding);
    let kind = match (&r.detail, family) {
        (Detail::Vulnerability(d), _) => d.finding.kind.as_str(),
        (Detail::Lifecycle(d), _) => d.finding.check.id(),
        (Detail::Licence(d), _) => d.finding.check.id(),
        (Detail::UnknownLicences(d), _) => d.finding.check.id(),
        (Detail::Unparsed(_), Family::Vulnerability) => "vulnerability",
        (Detail::Unparsed(_), _) => "unknown",
    };
    let days_past_eol = lifecycle
        .filter(|l| l.check == vigie_lifecycle::Check::EolPassed)
        .and_then(|l| l.days);
    let platform = (family == Family::Lifecycle).then(|| PlatformRef {
        product: lifecycle.map_or(&r.id, |l| &l.product).clone(),
        cycle: lifecycle
            .map(|l| l.cycle_label.as_deref().unwrap_or(&l.written))
            .unwrap_or("?")
            .to_owned(),
        latest: lifecycle.and_then(|l| Some(l.behind.as_ref()?.latest.clone())),
    });
    let id = match r.detail.licence() {
        Some(d) => d.component.expression.clone(),
        None => r.id.clone(),
    };
    let severity = vuln.and_then(|d| d.finding.severity.as_ref());
    let kev = vuln.and_then(|d| d.finding.known_exploited.as_ref());
    Some(FindingFacts {
        key: r.key.clone(),
        family,
        id,
        aliases: r.aliases.clone(),
        title: r.title.clone(),
        kind: kind.to_owned(),
        rating: Some(r.rating),
        cvss_score: severity.and_then(|s| s.score),
        known_exploited: r.known_exploited,
        ransomware: kev.is_some_and(|k| k.ransomware),
        days_past_eol,
        eol_date: lifecycle.and_then(|l| l.date),
        package: package(r),
        fixed_in: match family {
            Family::Vulnerability => vuln.and_then(|d| d.upgrade.clone()),
            _ => r.fixed.clone(),
        },
        platform,
        project_path: r.project_path.clone(),
        system_refs: systems
            .by_project
            .get(&r.project_path)
            .cloned()
            .unwrap_or_default(),
    })
}

/// The snapshot's components as the report uses them: counts, and the packages with their
/// projects for version sprawl (aggregated by the store, not a row per component).
#[derive(Default)]
pub struct ComponentTally {
    /// Counts, licence categories and the packages with their projects.
    pub uses: vigie_store::PackageUses,
}

impl ComponentTally {
    /// The tally of the store's per-package aggregate.
    pub fn new(uses: vigie_store::PackageUses) -> ComponentTally {
        ComponentTally { uses }
    }

    /// The versions of the libraries found in at least `min_versions` versions (the others
    /// cannot sprawl), one per (library, version), each with its projects (numbered by
    /// their place in the tally) and their systems.
    pub fn sprawl_candidates(&self, min_versions: usize, systems: &SystemMap) -> Vec<VersionUses> {
        // (ecosystem, name) → the packages (versions) of that library.
        let mut libraries: HashMap<(&str, &str), Vec<&vigie_store::PackageUse>> = HashMap::new();
        for p in &self.uses.packages {
            if p.version.is_some() {
                libraries
                    .entry((p.ecosystem.as_str(), p.name.as_str()))
                    .or_default()
                    .push(p);
            }
        }
        let mut libraries: Vec<_> = libraries
            .into_iter()
            .filter(|(_, v)| v.len() >= min_versions.max(2))
            .collect();
        libraries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::new();
        for ((eco, name), mut versions) in libraries {
            versions.sort_by(|a, b| a.version.cmp(&b.version));
            let Ok(ecosystem) = serde_json::from_value::<Ecosystem>(Value::String(eco.to_owned()))
            else {
                continue;
            };
            for p in versions {
                let Some(version) = &p.version else { continue };
                // The systems of its projects; the projects as their numbers in `uses`.
                let mut system_refs: Vec<String> = p
                    .projects
                    .iter()
                    .filter_map(|i| self.uses.projects.get(*i as usize))
                    .filter_map(|path| systems.by_project.get(path))
                    .flatten()
                    .cloned()
                    .collect();
                system_refs.sort_unstable();
                system_refs.dedup();
                out.push(VersionUses {
                    ecosystem,
                    name: name.to_owned(),
                    version: version.clone(),
                    projects: p.projects.clone(),
                    system_refs,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use vigie_risk::Rating;

    fn entity(r: &str, kind: &str, system: Option<&str>, crit: Option<u8>) -> EntityRecord {
        EntityRecord {
            entity_ref: r.into(),
            kind: kind.into(),
            name: r.rsplit('/').next().unwrap_or(r).into(),
            title: None,
            owners: vec!["group:default/team".into()],
            system: system.map(str::to_owned),
            criticality: crit,
            internet_exposed: None,
            personal_data: false,
            repositories: vec![],
            json: json!({}),
        }
    }

    #[test]
    fn systems_take_their_parts_facts_and_projects_their_systems() {
        // By hand: `shop` (criticality 2) has a public component `web` (criticality 4) and a
        // database holding sensitive personal data; `chat` is a SaaS in no system (its own
        // system, category and cost from its vigie fields); a group is never a system.
        let mut web = entity(
            "component:default/web",
            "Component",
            Some("system:default/shop"),
            Some(4),
        );
        web.internet_exposed = Some(true);
        let mut db = entity(
            "resource:default/db",
            "Resource",
            Some("system:default/shop"),
            None,
        );
        db.personal_data = true;
        db.json = json!({"vigie": {"personalData": {"sensitive": true}}});
        let mut chat = entity("resource:default/chat", "Resource", None, None);
        chat.json = json!({"vigie": {"saasCategory": "chat", "cost": {"amount": 1200.0, "currency": "EUR"}}});
        let catalog = CatalogData {
            entities: vec![
                entity("system:default/shop", "System", None, Some(2)),
                web,
                db,
                chat,
                entity("group:default/team", "Group", None, None),
            ],
            relations: vec![],
        };
        let links = vec![
            ProjectLink {
                project_path: "web".into(),
                entity_ref: "component:default/web".into(),
            },
            ProjectLink {
                project_path: "x".into(),
                entity_ref: "group:default/team".into(),
            },
        ];
        let m = systems(&catalog, &links);
        let refs: Vec<&str> = m.systems.iter().map(|s| s.entity_ref.as_str()).collect();
        assert_eq!(refs, ["resource:default/chat", "system:default/shop"]);
        let shop = &m.systems[1];
        assert_eq!(shop.criticality, Some(4));
        assert_eq!(shop.internet_exposed, Some(true));
        assert!(shop.personal_data && shop.sensitive_data);
        let chat = &m.systems[0];
        assert_eq!(chat.saas_category.as_deref(), Some("chat"));
        assert_eq!(chat.cost_per_year, Some(1200.0));
        assert_eq!(
            m.by_project.get("web"),
            Some(&vec!["system:default/shop".to_owned()])
        );
        assert_eq!(m.by_project.get("x"), None);
    }

    #[test]
    fn a_lifecycle_record_becomes_lifecycle_facts() {
        // The payload of `records.rs` for python 3.8 past its end of life (2024-10-07, 780
        // days before 2026-11-26).
        let json = json!({"finding": {"check": "eol-passed", "cycle": {"match": "cycle", "name": "3.8"},
            "cycle_label": "3.8", "date": "2024-10-07", "days": 780, "evidence": {"file": "app/.python-version", "line": 1},
            "horizon_days": 180, "kind": "runtime", "product": "python", "severity": "high",
            "title": "Python", "written": "3.8.10"}});
        let r = FindingRecord {
            key: "lifecycle/eol-passed/python/app/.python-version:1".into(),
            family: Family::Lifecycle,
            id: "eol-passed:python".into(),
            aliases: vec![],
            rating: Rating::High,
            project_path: "app".into(),
            purl: None,
            title: "Python 3.8: ...".into(),
            fixed: Some("3.13".into()),
            known_exploited: false,
            detail: Detail::from_value(Family::Lifecycle, json),
        };
        assert!(r.detail.lifecycle().is_some(), "{:?}", r.detail);
        let m = SystemMap {
            systems: vec![],
            by_project: HashMap::new(),
        };
        let f = finding(&r, &m).unwrap();
        assert_eq!(f.family, Family::Lifecycle);
        assert_eq!(f.kind, "eol-passed");
        assert_eq!(f.days_past_eol, Some(780));
        assert_eq!(f.eol_date, Some(jiff::civil::date(2024, 10, 7)));
        assert_eq!(
            f.platform
                .as_ref()
                .map(|p| (p.product.as_str(), p.cycle.as_str())),
            Some(("python", "3.8"))
        );
        assert_eq!(f.fixed_in.as_deref(), Some("3.13"));
        assert_eq!(f.rating, Some(Rating::High));
    }
}
