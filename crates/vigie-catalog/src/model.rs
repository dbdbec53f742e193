//! The resolved entities: Backstage's envelope, metadata and spec fields,
//! vigie's additions, and where each came from.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::entity_ref::EntityRef;
use crate::vigie::{Criticality, Exposure, VigieInfo};

/// The kinds of entity vigie reads (Backstage's system model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Kind {
    /// A piece of software.
    Component,
    /// An interface between components.
    #[serde(rename = "API")]
    Api,
    /// Infrastructure a component needs at runtime (database, bucket, SaaS...).
    Resource,
    /// A collection of components, APIs and resources.
    System,
    /// A business area grouping systems.
    Domain,
    /// A team or organisational unit.
    Group,
    /// A person.
    User,
    /// A pointer to other catalog files.
    Location,
}

impl Kind {
    /// Every kind, in documentation order.
    pub const ALL: [Kind; 8] = [
        Kind::Component,
        Kind::Api,
        Kind::Resource,
        Kind::System,
        Kind::Domain,
        Kind::Group,
        Kind::User,
        Kind::Location,
    ];

    /// The kind as Backstage spells it (`API` for [`Kind::Api`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Component => "Component",
            Kind::Api => "API",
            Kind::Resource => "Resource",
            Kind::System => "System",
            Kind::Domain => "Domain",
            Kind::Group => "Group",
            Kind::User => "User",
            Kind::Location => "Location",
        }
    }

    /// The kind of `text`, compared case-insensitively.
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(text))
    }

    /// The lower-case form used in entity references.
    pub fn ref_kind(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Api => "api",
            Kind::Resource => "resource",
            Kind::System => "system",
            Kind::Domain => "domain",
            Kind::Group => "group",
            Kind::User => "user",
            Kind::Location => "location",
        }
    }
}

/// A link of `metadata.links`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// The URL.
    pub url: String,
    /// Its title, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// `spec.profile` of a Group or User.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Where an entity was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The catalog file, as given to [`crate::load`].
    pub file: String,
    /// 1-based line where the entity's document starts.
    pub line: u32,
}

/// One reference field of an entity, with its line (for errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefField {
    /// The field, as written (`spec.owner`, `spec.dependsOn`, ...).
    pub field: &'static str,
    /// The resolved reference.
    pub target: EntityRef,
    /// 1-based line of the reference.
    pub line: u32,
}

/// A catalog entity, resolved: references are full [`EntityRef`]s.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    /// `kind:namespace/name`, lower-cased.
    pub entity_ref: EntityRef,
    /// `apiVersion` as written.
    pub api_version: String,
    /// The kind.
    pub kind: Kind,
    /// `metadata.namespace` (default `default`).
    pub namespace: String,
    /// `metadata.name` as written.
    pub name: String,
    /// `metadata.title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `metadata.description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `metadata.tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `metadata.labels`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// `metadata.annotations`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// `metadata.links`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// `spec.type`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub spec_type: Option<String>,
    /// `spec.lifecycle` (Backstage's: `experimental`, `production`, `deprecated`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<String>,
    /// `spec.owner`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<EntityRef>,
    /// `spec.system`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<EntityRef>,
    /// `spec.domain` of a System.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<EntityRef>,
    /// `spec.subcomponentOf` of a Component.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcomponent_of: Option<EntityRef>,
    /// `spec.subdomainOf` of a Domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdomain_of: Option<EntityRef>,
    /// `spec.parent` of a Group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<EntityRef>,
    /// `spec.dependsOn`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<EntityRef>,
    /// `spec.dependencyOf`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependency_of: Vec<EntityRef>,
    /// `spec.providesApis`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provides_apis: Vec<EntityRef>,
    /// `spec.consumesApis`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumes_apis: Vec<EntityRef>,
    /// `spec.children` of a Group.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<EntityRef>,
    /// `spec.members` of a Group.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<EntityRef>,
    /// `spec.memberOf` of a User.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<EntityRef>,
    /// `spec.profile` of a Group or User.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// `spec.definition` of an API (the text, or a `$text` placeholder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// `spec.target` and `spec.targets` of a Location.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// `spec.presence` of a Location (`required` or `optional`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence: Option<String>,
    /// vigie's additions.
    pub vigie: VigieInfo,
    /// Where it was written.
    pub source: Source,
    /// Every reference field with its line (not serialized).
    #[serde(skip)]
    pub refs: Vec<RefField>,
    /// Lines of other fields (`spec.vigie.contract.renewal`, ...), not serialized.
    #[serde(skip)]
    pub lines: BTreeMap<String, u32>,
}

impl Entity {
    /// The line of a field, or of the entity when the field is unknown.
    pub fn line_of(&self, field: &str) -> u32 {
        self.lines.get(field).copied().unwrap_or(self.source.line)
    }

    /// The compact summary of this entity.
    pub fn summary(&self) -> EntitySummary {
        let mut owners: Vec<EntityRef> = self.owner.iter().cloned().collect();
        owners.extend(self.vigie.backup_owner.iter().cloned());
        EntitySummary {
            entity_ref: self.entity_ref.clone(),
            kind: self.kind,
            name: self.name.clone(),
            title: self.title.clone(),
            owners,
            system: self.system.clone(),
            criticality: self.vigie.criticality,
            exposure: self.vigie.exposure,
            personal_data: self.vigie.personal_data.is_some(),
            repositories: self
                .vigie
                .repositories
                .iter()
                .filter_map(|r| r.path.clone().or_else(|| r.url.clone()))
                .collect(),
        }
    }
}

/// One line per entity: what a table of the estate or a store row needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntitySummary {
    /// `kind:namespace/name`.
    pub entity_ref: EntityRef,
    /// The kind.
    pub kind: Kind,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.title`.
    pub title: Option<String>,
    /// `spec.owner`, then the backup owner.
    pub owners: Vec<EntityRef>,
    /// `spec.system`.
    pub system: Option<EntityRef>,
    /// Business criticality (1–5).
    pub criticality: Option<Criticality>,
    /// Internet exposure.
    pub exposure: Option<Exposure>,
    /// Whether it holds personal data.
    pub personal_data: bool,
    /// Repository paths (resolved) or URLs.
    pub repositories: Vec<String>,
}
