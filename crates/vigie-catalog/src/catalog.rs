//! The resolved catalog: entities indexed by reference, Backstage's
//! well-known relations in both directions, and the lookups built on them
//! (owners, the system of a repository, dependencies both ways).

use std::collections::{BTreeSet, HashMap, VecDeque};

use serde::Serialize;

use crate::Code;
use crate::diag::Diagnostic;
use crate::entity_ref::EntityRef;
use crate::load::load_file;
use crate::model::{Entity, EntitySummary, Kind};

/// Backstage's well-known relation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RelationType {
    /// Source is owned by target (`spec.owner`).
    OwnedBy,
    /// Inverse of `ownedBy`.
    OwnerOf,
    /// Source is part of target (`spec.system`, `subcomponentOf`, `domain`, `subdomainOf`).
    PartOf,
    /// Inverse of `partOf`.
    HasPart,
    /// `spec.providesApis`.
    ProvidesApi,
    /// Inverse of `providesApi`.
    ApiProvidedBy,
    /// `spec.consumesApis`.
    ConsumesApi,
    /// Inverse of `consumesApi`.
    ApiConsumedBy,
    /// `spec.dependsOn`.
    DependsOn,
    /// `spec.dependencyOf`, and inverse of `dependsOn`.
    DependencyOf,
    /// `spec.children` of a group.
    ParentOf,
    /// `spec.parent` of a group.
    ChildOf,
    /// `spec.memberOf` of a user.
    MemberOf,
    /// `spec.members` of a group.
    HasMember,
}

/// The relation a reference field makes, its inverse, and the kinds its
/// target may have (empty: any).
pub(crate) fn field_relation(
    field: &str,
) -> Option<(RelationType, RelationType, &'static [&'static str])> {
    use RelationType::*;
    Some(match field {
        "spec.owner" | "vigie.backupOwner" => (OwnedBy, OwnerOf, &["group", "user"]),
        "spec.system" => (PartOf, HasPart, &["system"]),
        "spec.subcomponentOf" => (PartOf, HasPart, &["component"]),
        "spec.domain" | "spec.subdomainOf" => (PartOf, HasPart, &["domain"]),
        "spec.providesApis" => (ProvidesApi, ApiProvidedBy, &["api"]),
        "spec.consumesApis" => (ConsumesApi, ApiConsumedBy, &["api"]),
        "spec.dependsOn" => (DependsOn, DependencyOf, &["component", "resource"]),
        "spec.dependencyOf" => (DependencyOf, DependsOn, &["component", "resource"]),
        "spec.parent" => (ChildOf, ParentOf, &["group"]),
        "spec.children" => (ParentOf, ChildOf, &["group"]),
        "spec.members" => (HasMember, MemberOf, &["user"]),
        "spec.memberOf" => (MemberOf, HasMember, &["group"]),
        _ => return None,
    })
}

/// One directed relation between two entities of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Relation {
    /// Where it starts.
    pub source: EntityRef,
    /// What it is.
    #[serde(rename = "type")]
    pub kind: RelationType,
    /// Where it ends.
    pub target: EntityRef,
}

/// An owner of an entity, and through which entity it owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ownership {
    /// The owner (a Group or User).
    pub owner: EntityRef,
    /// The entity whose owner it is: the entity itself, its parent
    /// component, its system or its domain.
    pub via: EntityRef,
    /// Given as `vigie.dev/backup-owner`.
    pub backup: bool,
}

/// The whole catalog, resolved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Catalog {
    /// Every entity read, in file order (duplicates dropped).
    pub entities: Vec<Entity>,
    /// Relations between entities that exist, both directions, sorted.
    pub relations: Vec<Relation>,
    /// Problems found while reading (see [`Catalog::check`] for the rest).
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    #[serde(skip)]
    index: HashMap<EntityRef, usize>,
}

/// Reads catalog files given as (display path, text) and resolves them.
pub fn load<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Catalog {
    let mut cat = Catalog::default();
    for (path, text) in files {
        for e in load_file(path, text, &mut cat.diagnostics) {
            if let Some(&i) = cat.index.get(&e.entity_ref) {
                let first = cat.entities.get(i).map(|f| f.source.clone());
                let at = first.map(|s| format!(" (first at {}:{})", s.file, s.line));
                let msg = format!(
                    "{} is defined twice{}",
                    e.entity_ref,
                    at.unwrap_or_default()
                );
                cat.diagnostics.push(
                    Diagnostic::error(Code::DuplicateEntity, &e.source.file, e.source.line, msg)
                        .about(&e.entity_ref),
                );
                continue;
            }
            cat.index.insert(e.entity_ref.clone(), cat.entities.len());
            cat.entities.push(e);
        }
    }
    let mut rels = BTreeSet::new();
    for e in &cat.entities {
        for f in &e.refs {
            let Some((fwd, inv, _)) = field_relation(f.field) else {
                continue;
            };
            if f.field == "vigie.backupOwner" || !cat.index.contains_key(&f.target) {
                continue;
            }
            rels.insert(Relation {
                source: e.entity_ref.clone(),
                kind: fwd,
                target: f.target.clone(),
            });
            rels.insert(Relation {
                source: f.target.clone(),
                kind: inv,
                target: e.entity_ref.clone(),
            });
        }
    }
    cat.relations = rels.into_iter().collect();
    cat
}

impl Catalog {
    /// The entity of a reference.
    pub fn get(&self, r: &EntityRef) -> Option<&Entity> {
        self.index.get(r).and_then(|&i| self.entities.get(i))
    }

    /// Relations starting at `r`.
    pub fn relations_from<'s>(&'s self, r: &'s EntityRef) -> impl Iterator<Item = &'s Relation> {
        self.relations.iter().filter(move |rel| &rel.source == r)
    }

    /// One summary per entity.
    pub fn summaries(&self) -> Vec<EntitySummary> {
        self.entities.iter().map(Entity::summary).collect()
    }

    /// The chain of entities whose owners also own `r`: itself, its parent
    /// components, its system, the system's domain and parent domains.
    pub fn ownership_chain(&self, r: &EntityRef) -> Vec<EntityRef> {
        let mut chain = Vec::new();
        let mut next = Some(r.clone());
        while let Some(cur) = next.take() {
            if chain.contains(&cur) {
                break;
            }
            let e = self.get(&cur);
            chain.push(cur);
            next = e.and_then(|e| {
                e.subcomponent_of
                    .clone()
                    .or_else(|| e.system.clone())
                    .or_else(|| e.domain.clone())
                    .or_else(|| e.subdomain_of.clone())
            });
        }
        chain
    }

    /// Owners of `r`: its own, then those of its parent component, system
    /// and domain (each owner once, nearest first).
    pub fn owners(&self, r: &EntityRef) -> Vec<Ownership> {
        let mut out: Vec<Ownership> = Vec::new();
        for via in self.ownership_chain(r) {
            let Some(e) = self.get(&via) else { continue };
            let own = e.owner.iter().map(|o| (o, false));
            for (owner, backup) in own.chain(e.vigie.backup_owner.iter().map(|o| (o, true))) {
                if !out.iter().any(|o| &o.owner == owner) {
                    out.push(Ownership {
                        owner: owner.clone(),
                        via: via.clone(),
                        backup,
                    });
                }
            }
        }
        out
    }

    /// The system an entity belongs to: itself for a System, else its
    /// `spec.system` or that of its nearest parent component.
    pub fn system_of(&self, r: &EntityRef) -> Option<EntityRef> {
        self.ownership_chain(r)
            .into_iter()
            .find(|c| c.kind == Kind::System.ref_kind())
    }

    /// Entities whose repositories hold `path` (equal, or a folder above it).
    pub fn entities_of_repository(&self, path: &str) -> Vec<&Entity> {
        let p = crate::values::normalize_path(path);
        self.entities
            .iter()
            .filter(|e| {
                e.vigie.repositories.iter().any(|r| {
                    r.path.as_deref().is_some_and(|rp| {
                        rp == p
                            || rp == "."
                            || p.strip_prefix(rp).is_some_and(|s| s.starts_with('/'))
                    })
                })
            })
            .collect()
    }

    /// The systems of the entities whose repositories hold `path`.
    pub fn systems_of_repository(&self, path: &str) -> Vec<EntityRef> {
        let mut out: Vec<EntityRef> = Vec::new();
        for e in self.entities_of_repository(path) {
            if let Some(s) = self.system_of(&e.entity_ref)
                && !out.contains(&s)
            {
                out.push(s);
            }
        }
        out
    }

    /// Everything `r` depends on, transitively: `dependsOn`, the APIs it
    /// consumes and the components providing them. Cycle-safe, nearest first.
    pub fn depends_on(&self, r: &EntityRef) -> Vec<EntityRef> {
        use RelationType::*;
        self.reach(r, &[DependsOn, ConsumesApi, ApiProvidedBy])
    }

    /// Everything that depends on `r`, transitively (its blast radius).
    pub fn dependents(&self, r: &EntityRef) -> Vec<EntityRef> {
        use RelationType::*;
        self.reach(r, &[DependencyOf, ApiConsumedBy, ProvidesApi])
    }

    fn reach(&self, start: &EntityRef, kinds: &[RelationType]) -> Vec<EntityRef> {
        let mut adj: HashMap<&EntityRef, Vec<&EntityRef>> = HashMap::new();
        for rel in self.relations.iter().filter(|r| kinds.contains(&r.kind)) {
            adj.entry(&rel.source).or_default().push(&rel.target);
        }
        let mut seen: BTreeSet<&EntityRef> = BTreeSet::from([start]);
        let mut out = Vec::new();
        let mut queue = VecDeque::from([start]);
        while let Some(cur) = queue.pop_front() {
            for &next in adj.get(cur).map(Vec::as_slice).unwrap_or_default() {
                if seen.insert(next) {
                    out.push(next.clone());
                    queue.push_back(next);
                }
            }
        }
        out
    }
}
