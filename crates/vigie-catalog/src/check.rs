//! `check`: the reading errors, then what needs the whole catalog
//! (dangling references, wrong target kinds, cycles), then the warnings a
//! CTO wants. Pure: today's date and the inventory's project paths are given.

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use jiff::civil::Date;

use crate::Code;
use crate::catalog::{Catalog, RelationType, field_relation};
use crate::country::in_eea;
use crate::diag::Diagnostic;
use crate::entity_ref::EntityRef;
use crate::model::{Entity, Kind};
use crate::vigie::Lifecycle;

/// What the checks are evaluated against.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Today (contract renewals are counted from it).
    pub today: Date,
    /// A contract renewing within this many days is a warning (default 90).
    pub renewal_days: i32,
    /// The inventory's project paths (same base as the catalog files'
    /// paths): each should belong to some entity's repositories.
    pub projects: Vec<String>,
}

impl CheckOptions {
    /// The defaults for `today`: 90 days, no projects.
    pub fn new(today: Date) -> Self {
        CheckOptions {
            today,
            renewal_days: 90,
            projects: Vec::new(),
        }
    }
}

impl Catalog {
    /// Every diagnostic: reading errors, resolution errors, then warnings,
    /// each naming its file and line.
    pub fn check(&self, opts: &CheckOptions) -> Vec<Diagnostic> {
        let mut out = self.diagnostics.clone();
        for e in &self.entities {
            self.check_refs(e, &mut out);
            for field in ["spec.subcomponentOf", "spec.subdomainOf", "spec.parent"] {
                self.check_cycle(e, field, &mut out);
            }
            self.check_owners(e, &mut out);
            self.check_transfers(e, &mut out);
            check_contract(e, opts, &mut out);
        }
        self.check_saas(&mut out);
        for p in &opts.projects {
            if self.entities_of_repository(p).is_empty() {
                let msg = format!("project `{p}` is not in any catalog entity's repositories");
                out.push(Diagnostic::warning(Code::RepositoryNotLinked, p, 0, msg));
            }
        }
        out
    }

    fn check_refs(&self, e: &Entity, out: &mut Vec<Diagnostic>) {
        let file = &e.source.file;
        for f in &e.refs {
            match self.get(&f.target) {
                None => {
                    let msg = format!(
                        "`{}` refers to {}, which is not in the catalog",
                        f.field, f.target
                    );
                    out.push(
                        Diagnostic::error(Code::DanglingReference, file, f.line, msg)
                            .about(&e.entity_ref),
                    );
                }
                Some(_) => {
                    let allowed = field_relation(f.field).map_or(&[][..], |(_, _, k)| k);
                    if !allowed.is_empty() && !allowed.contains(&f.target.kind.as_str()) {
                        let msg = format!(
                            "`{}` must refer to a {}, not {}",
                            f.field,
                            allowed.join(" or "),
                            f.target
                        );
                        out.push(
                            Diagnostic::error(Code::WrongTargetKind, file, f.line, msg)
                                .about(&e.entity_ref),
                        );
                    }
                }
            }
        }
    }

    /// An error when following `field` from `e` comes back to `e`.
    fn check_cycle(&self, e: &Entity, field: &str, out: &mut Vec<Diagnostic>) {
        let next = |x: &Entity| -> Option<EntityRef> {
            match field {
                "spec.subcomponentOf" => x.subcomponent_of.clone(),
                "spec.subdomainOf" => x.subdomain_of.clone(),
                _ => x.parent.clone(),
            }
        };
        let mut seen = BTreeSet::new();
        let mut cur = next(e);
        while let Some(r) = cur {
            if r == e.entity_ref {
                let msg = format!("`{field}` makes a cycle through {}", e.entity_ref);
                out.push(
                    Diagnostic::error(Code::RelationCycle, &e.source.file, e.line_of(field), msg)
                        .about(&e.entity_ref),
                );
                return;
            }
            if !seen.insert(r.clone()) {
                return;
            }
            cur = self.get(&r).and_then(next);
        }
    }

    /// The people behind an owner: a user, or a group's members.
    fn people(&self, owner: &EntityRef) -> BTreeSet<EntityRef> {
        if owner.kind == Kind::User.ref_kind() {
            return self
                .get(owner)
                .map(|u| u.entity_ref.clone())
                .into_iter()
                .collect();
        }
        self.relations_from(owner)
            .filter(|r| r.kind == RelationType::HasMember)
            .map(|r| r.target.clone())
            .collect()
    }

    fn check_owners(&self, e: &Entity, out: &mut Vec<Diagnostic>) {
        let file = &e.source.file;
        let owners = self.owners(&e.entity_ref);
        if e.kind == Kind::System && owners.iter().all(|o| self.people(&o.owner).is_empty()) {
            let msg = if owners.is_empty() {
                "system without an owner".to_owned()
            } else {
                "system whose owners have no members: nobody to call".to_owned()
            };
            out.push(
                Diagnostic::warning(Code::SystemWithoutOwner, file, e.line_of("spec.owner"), msg)
                    .about(&e.entity_ref),
            );
        }
        let Some(c) = e.vigie.criticality.filter(|c| c.0 >= 4) else {
            return;
        };
        if e.vigie.lifecycle == Some(Lifecycle::Retired) || owners.iter().any(|o| o.backup) {
            return;
        }
        let nearest = owners
            .first()
            .map(|o| self.people(&o.owner))
            .unwrap_or_default();
        if nearest.len() < 2 {
            let msg = format!(
                "criticality {} ({}) with a single owner: name a vigie.dev/backup-owner or own it by a group of two or more",
                c.0,
                c.name()
            );
            out.push(
                Diagnostic::warning(
                    Code::CriticalSingleOwner,
                    file,
                    e.line_of("vigie.criticality"),
                    msg,
                )
                .about(&e.entity_ref),
            );
        }
    }

    fn check_transfers(&self, e: &Entity, out: &mut Vec<Diagnostic>) {
        let Some(pd) = &e.vigie.personal_data else {
            return;
        };
        let file = &e.source.file;
        if let Some(h) = &e.vigie.hosting
            && let Some(c) = &h.country
            && !in_eea(c)
            && h.transfer_basis.is_none()
        {
            let msg = format!(
                "personal data hosted in {c}, outside the EU/EEA, without a transfer basis (hosting.transferBasis)"
            );
            let line = e.line_of("vigie.hosting.country");
            out.push(
                Diagnostic::warning(Code::PersonalDataTransfer, file, line, msg)
                    .about(&e.entity_ref),
            );
        }
        for p in &pd.processors {
            let r = self.recipient(p);
            if r.outside_eea && r.transfer_basis.is_none() {
                let msg = format!(
                    "personal data sent to processor {} in {}, outside the EU/EEA, without a transfer basis",
                    r.name,
                    r.country.as_deref().unwrap_or("?")
                );
                out.push(
                    Diagnostic::warning(Code::PersonalDataTransfer, file, p.line, msg)
                        .about(&e.entity_ref),
                );
            }
        }
    }

    fn check_saas(&self, out: &mut Vec<Diagnostic>) {
        let mut by_cat: BTreeMap<&str, Vec<&Entity>> = BTreeMap::new();
        for e in &self.entities {
            if let Some(c) = &e.vigie.saas_category
                && e.vigie.lifecycle != Some(Lifecycle::Retired)
            {
                by_cat.entry(c).or_default().push(e);
            }
        }
        for (cat, es) in by_cat.into_iter().filter(|(_, es)| es.len() > 1) {
            let names: Vec<String> = es.iter().map(|e| e.entity_ref.to_string()).collect();
            for e in &es {
                let msg = format!(
                    "{} tools of SaaS category `{cat}`: {}",
                    es.len(),
                    names.join(", ")
                );
                out.push(
                    Diagnostic::warning(
                        Code::DuplicateSaasCategory,
                        &e.source.file,
                        e.line_of("vigie.saasCategory"),
                        msg,
                    )
                    .about(&e.entity_ref),
                );
            }
        }
    }
}

fn check_contract(e: &Entity, opts: &CheckOptions, out: &mut Vec<Diagnostic>) {
    let Some(c) = &e.vigie.contract else { return };
    let Some(date) = c.renewal_date() else { return };
    if e.vigie.lifecycle == Some(Lifecycle::Retired) {
        return;
    }
    let field = if c.renewal.is_some() {
        "vigie.contract.renewal"
    } else {
        "vigie.contract.end"
    };
    let line = e.line_of(field);
    let horizon = opts
        .today
        .checked_add(opts.renewal_days.days())
        .unwrap_or(Date::MAX);
    if date < opts.today {
        let msg = format!("contract renewal or end date {date} is past: update the catalog");
        out.push(
            Diagnostic::warning(Code::ContractPast, &e.source.file, line, msg).about(&e.entity_ref),
        );
    } else if date <= horizon {
        let days = opts.today.until(date).map(|s| s.get_days()).unwrap_or(0);
        let mut msg = format!("contract renews or ends on {date}, in {days} days");
        if let Some(n) = c.notice_days
            && let Ok(deadline) = date.checked_sub(i64::from(n).days())
        {
            msg.push_str(&format!("; notice ({n} days) due by {deadline}"));
        }
        out.push(
            Diagnostic::warning(Code::ContractRenewal, &e.source.file, line, msg)
                .about(&e.entity_ref),
        );
    }
}
