//! Estate-wide questions: who uses a package (by purl, name, version or range), who is hit
//! by an advisory.
//!
//! A name matches a package when it is equal after `vigie_versions::normalize_name` in the
//! package's ecosystem, or when it is the artifact of a Maven `group:artifact`. A version
//! part is an exact version (equal in the ecosystem's scheme: `1.0` is `1.0.0` in PEP 440), a
//! `vers:` range (package-url/vers-spec) or a native range (`<2.17.1`, `>=1.0,<2`, `^4.17`),
//! read with the ecosystem's own syntax (`vigie_versions::vers::from_native`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::{Deserialize, Serialize};
use vigie_model::{Ecosystem, Purl, Relation, Scope};
use vigie_versions::Scheme;
use vigie_versions::vers::{self, VersRange};

use crate::storage::{Storage, short_name};
use crate::{Error, FindingRecord, Result, SnapshotId};

/// Which versions a query asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum VersionMatch {
    /// Every version.
    Any,
    /// One version, equal in the ecosystem's scheme.
    Exact(String),
    /// A `vers:` range.
    Vers(String),
    /// A range in the package manager's own syntax.
    Native(String),
}

/// A `who-uses` question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageQuery {
    /// Set when the question is a purl.
    pub ecosystem: Option<Ecosystem>,
    /// The package name as asked (normalised when matched).
    pub name: String,
    /// Which versions.
    pub version: VersionMatch,
}

impl PackageQuery {
    /// Reads `pkg:type/ns/name[@version]`, `name`, `name@version`, `name@vers:...` or
    /// `name@<range>` (`@scope/name@1.0` keeps its scope).
    pub fn parse(q: &str) -> Result<PackageQuery> {
        let q = q.trim();
        if q.starts_with("pkg:") {
            // A range after the purl (`pkg:pypi/celery@<5.2.2`, `pkg:npm/lodash@vers:...`)
            // is not purl syntax: the purl without it, and the range read as for a name.
            let split = q
                .rfind('@')
                .and_then(|i| Some((q.get(..i)?, q.get(i + 1..)?)))
                .filter(|(head, _)| head.contains('/'));
            let (text, range) = match split {
                Some((head, tail)) => match version_match(tail)? {
                    v @ (VersionMatch::Vers(_) | VersionMatch::Native(_)) => (head, Some(v)),
                    _ => (q, None),
                },
                None => (q, None),
            };
            let purl = text
                .parse::<Purl>()
                .or_else(|_| Purl::parse_lenient(text))
                .map_err(|e| Error::Invalid(format!("{q}: {e}")))?;
            let c = vigie_model::Component::from_purl(&purl);
            let version = match range {
                Some(v) => v,
                None => c.version.map_or(VersionMatch::Any, VersionMatch::Exact),
            };
            return Ok(PackageQuery {
                ecosystem: Some(c.ecosystem),
                name: c.name,
                version,
            });
        }
        let (name, version) = match q.rfind('@').filter(|&i| i > 0) {
            Some(i) => (q.get(..i).unwrap_or(q), q.get(i + 1..)),
            None => (q, None),
        };
        if name.trim().is_empty() {
            return Err(Error::Invalid(format!("{q:?}: no package name")));
        }
        let version = match version {
            None => VersionMatch::Any,
            Some(v) => version_match(v)?,
        };
        Ok(PackageQuery {
            ecosystem: None,
            name: name.trim().to_owned(),
            version,
        })
    }
}

/// What the text after `@` asks for: any version (empty or `*`), a `vers:` range (checked
/// here), a range in the package manager's syntax, or one version.
fn version_match(v: &str) -> Result<VersionMatch> {
    Ok(match v.trim() {
        "" | "*" => VersionMatch::Any,
        v if v.starts_with("vers:") => {
            vers::parse(v).map_err(|e| Error::Invalid(e.to_string()))?;
            VersionMatch::Vers(v.to_owned())
        }
        v if v.starts_with(['<', '>', '=', '!', '~', '^'])
            || v.contains([' ', ',', '|', '*', '[', '(']) =>
        {
            VersionMatch::Native(v.to_owned())
        }
        v => VersionMatch::Exact(v.to_owned()),
    })
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn a_purl_with_a_range_asks_for_the_range() {
        let q = PackageQuery::parse("pkg:pypi/celery@<5.2.2").unwrap();
        assert_eq!(q.ecosystem, Some(Ecosystem::PyPI));
        assert_eq!(q.name, "celery");
        assert_eq!(q.version, VersionMatch::Native("<5.2.2".into()));
        let q = PackageQuery::parse("pkg:npm/%40angular/core@vers:npm/>=1.0.0|<2.0.0").unwrap();
        assert_eq!(q.name, "@angular/core");
        assert_eq!(
            q.version,
            VersionMatch::Vers("vers:npm/>=1.0.0|<2.0.0".into())
        );
        // A plain purl keeps its exact version, or asks for any.
        let q = PackageQuery::parse("pkg:npm/lodash@4.17.21").unwrap();
        assert_eq!(q.version, VersionMatch::Exact("4.17.21".into()));
        let q = PackageQuery::parse("pkg:npm/lodash").unwrap();
        assert_eq!(q.version, VersionMatch::Any);
        // The same range, asked by name, reads the same.
        let by_name = PackageQuery::parse("celery@<5.2.2").unwrap();
        assert_eq!(by_name.version, VersionMatch::Native("<5.2.2".into()));
        assert!(PackageQuery::parse("pkg:npm/lodash@vers:bogus").is_err());
    }
}

/// A catalog element linked to a project, with its system and owners.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedEntity {
    /// The element's reference (`kind:namespace/name`).
    pub entity_ref: String,
    /// Its kind (`component`, `system`, ...).
    pub kind: String,
    /// Its name.
    pub name: String,
    /// The system it belongs to: itself when it is a System.
    pub system: Option<String>,
    /// References of its owners.
    pub owners: Vec<String>,
}

/// One project using a matching package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// The project's path.
    pub project_path: String,
    /// The project's name.
    pub project_name: String,
    /// The matching package's purl.
    pub purl: String,
    /// Its version, `None` when unresolved.
    pub version: Option<String>,
    /// The scope the project gives it.
    pub scope: Scope,
    /// Direct or transitive.
    pub relation: Relation,
    /// The catalog elements linked to the project.
    pub entities: Vec<LinkedEntity>,
}

/// A [`Usage`] borrowed from the store's buffers, as [`Store::who_uses_each`] gives them.
///
/// [`Store::who_uses_each`]: crate::Store::who_uses_each
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsageRef<'a> {
    /// The project's path.
    pub project_path: &'a str,
    /// The project's name.
    pub project_name: &'a str,
    /// The matching package's purl.
    pub purl: &'a str,
    /// Its version, `None` when unresolved.
    pub version: Option<&'a str>,
    /// The scope the project gives it.
    pub scope: Scope,
    /// Direct or transitive.
    pub relation: Relation,
    /// The catalog elements linked to the project.
    pub entities: &'a [LinkedEntity],
}

impl UsageRef<'_> {
    /// An owned copy.
    pub fn to_usage(&self) -> Usage {
        Usage {
            project_path: self.project_path.to_owned(),
            project_name: self.project_name.to_owned(),
            purl: self.purl.to_owned(),
            version: self.version.map(str::to_owned),
            scope: self.scope,
            relation: self.relation,
            entities: self.entities.to_vec(),
        }
    }
}

impl Usage {
    /// A borrowed view.
    pub fn borrowed(&self) -> UsageRef<'_> {
        UsageRef {
            project_path: &self.project_path,
            project_name: &self.project_name,
            purl: &self.purl,
            version: self.version.as_deref(),
            scope: self.scope,
            relation: self.relation,
            entities: &self.entities,
        }
    }
}

/// One finding of an advisory, with who owns the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdvisoryUse {
    /// The finding.
    pub finding: FindingRecord,
    /// The name of its project.
    pub project_name: String,
    /// The catalog elements linked to its project.
    pub entities: Vec<LinkedEntity>,
}

struct Candidate {
    id: i64,
    ecosystem: Ecosystem,
    purl: String,
    version: Option<String>,
}

fn candidates(s: &dyn Storage, q: &PackageQuery) -> Result<Vec<Candidate>> {
    let ecosystems: Vec<Ecosystem> = q.ecosystem.map_or(Ecosystem::ALL.to_vec(), |e| vec![e]);
    let mut names: Vec<String> = ecosystems
        .iter()
        .map(|e| vigie_versions::normalize_name(*e, &q.name).into_owned())
        .collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for n in &names {
        for k in s.packages_named(n)? {
            let Some(ecosystem) = Ecosystem::from_osv(&k.ecosystem) else {
                continue;
            };
            if q.ecosystem.is_some_and(|e| e != ecosystem) {
                continue;
            }
            let wanted = vigie_versions::normalize_name(ecosystem, &q.name);
            let by_artifact = ecosystem == Ecosystem::Maven
                && !wanted.contains(':')
                && k.short_name == short_name(ecosystem, &wanted);
            if (k.norm_name == wanted || by_artifact)
                && !out.iter().any(|c: &Candidate| c.id == k.id)
            {
                out.push(Candidate {
                    id: k.id,
                    ecosystem,
                    purl: k.purl,
                    version: k.version,
                });
            }
        }
    }
    Ok(out)
}

/// Whether a candidate's version is one the query asks for.
fn version_matches(
    q: &VersionMatch,
    c: &Candidate,
    native: &mut HashMap<Ecosystem, Option<VersRange>>,
) -> Result<bool> {
    let Some(v) = c.version.as_deref() else {
        return Ok(matches!(q, VersionMatch::Any));
    };
    Ok(match q {
        VersionMatch::Any => true,
        VersionMatch::Exact(want) => {
            let scheme = Scheme::for_ecosystem(c.ecosystem);
            match scheme.compare(v, want) {
                Ok(o) => o.is_eq(),
                Err(_) => v == want,
            }
        }
        VersionMatch::Vers(r) => vers::parse(r)
            .map_err(|e| Error::Invalid(e.to_string()))?
            .contains(v)
            .unwrap_or(false),
        VersionMatch::Native(r) => {
            let range = match native.entry(c.ecosystem) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(slot) => {
                    slot.insert(match vers::from_native(c.ecosystem.purl_type(), r) {
                        Ok(range) => Some(range),
                        Err(vers::VersError::UnsupportedScheme(_)) => None,
                        Err(e) => return Err(Error::Invalid(e.to_string())),
                    })
                }
            };
            range
                .as_ref()
                .is_some_and(|range| range.contains(v).unwrap_or(false))
        }
    })
}

impl LinkedEntity {
    /// An element as read: its system is itself when it is a System.
    pub(crate) fn new(
        entity_ref: String,
        kind: String,
        name: String,
        system: Option<String>,
        owners: Vec<String>,
    ) -> LinkedEntity {
        let system = match system {
            Some(s) => Some(s),
            None if kind.eq_ignore_ascii_case("system") => Some(entity_ref.clone()),
            None => None,
        };
        LinkedEntity {
            entity_ref,
            kind,
            name,
            system,
            owners,
        }
    }
}

/// The catalog elements linked to a project.
pub(crate) fn linked_entities(
    s: &dyn Storage,
    snapshot: SnapshotId,
    project_id: i64,
) -> Result<Vec<LinkedEntity>> {
    Ok(s.linked_entities(snapshot, Some(project_id))?
        .into_iter()
        .map(|(_, e)| e)
        .collect())
}

/// A set of list ids (the hits, sorted by list): a bitmap over their range when it is not too
/// sparse, else a binary search.
struct ListSet<'a> {
    min: i64,
    bits: Vec<u64>,
    hits: &'a [(usize, i64, u8)],
}

impl<'a> ListSet<'a> {
    /// At most this many bits (512 KiB).
    const MAX_BITS: i64 = 1 << 22;

    fn new(hits: &'a [(usize, i64, u8)]) -> ListSet<'a> {
        let (min, max) = match (hits.first(), hits.last()) {
            (Some(a), Some(b)) => (a.1, b.1),
            _ => (0, -1),
        };
        let span = max.saturating_sub(min).saturating_add(1);
        let mut bits = Vec::new();
        if (1..=Self::MAX_BITS).contains(&span) {
            bits = vec![0u64; (span as usize).div_ceil(64)];
            for h in hits {
                let at = (h.1 - min) as usize;
                if let Some(w) = bits.get_mut(at / 64) {
                    *w |= 1 << (at % 64);
                }
            }
        }
        ListSet { min, bits, hits }
    }

    fn contains(&self, list: i64) -> bool {
        if self.bits.is_empty() {
            return self.hits.binary_search_by_key(&list, |h| h.1).is_ok();
        }
        let Some(at) = list
            .checked_sub(self.min)
            .and_then(|d| usize::try_from(d).ok())
        else {
            return false;
        };
        self.bits
            .get(at / 64)
            .is_some_and(|w| w & (1 << (at % 64)) != 0)
    }
}

/// Past this many lists, `who_uses` reads the snapshot's projects and links in two
/// statements instead of looking each list up.
const BULK_LISTS: usize = 256;

/// The linked elements of every project of `snapshot` that has some (as many as the
/// snapshot's links).
fn linked_of(s: &dyn Storage, snapshot: SnapshotId) -> Result<HashMap<i64, Vec<LinkedEntity>>> {
    let mut out: HashMap<i64, Vec<LinkedEntity>> = HashMap::new();
    for (id, e) in s.linked_entities(snapshot, None)? {
        out.entry(id).or_default().push(e);
    }
    Ok(out)
}

pub(crate) fn who_uses_each(
    s: &dyn Storage,
    snapshot: SnapshotId,
    q: &PackageQuery,
    f: &mut dyn FnMut(&UsageRef<'_>) -> Result<()>,
) -> Result<()> {
    let mut native = HashMap::new();
    // Each matching package's postings: the lists that hold it, with scope and relation.
    let mut hits: Vec<(usize, i64, u8)> = Vec::new();
    let mut postings = Vec::new();
    let candidates = candidates(s, q)?;
    for (i, c) in candidates.iter().enumerate() {
        if !version_matches(&q.version, c, &mut native)? {
            continue;
        }
        postings.clear();
        s.postings(c.id, &mut |data| {
            crate::lists::decode_postings(data, &mut postings)
        })?;
        hits.extend(postings.iter().map(|&(list, how)| (i, list, how)));
    }
    let scope = |how: u8| crate::storage::scope_of(i64::from(how >> 2));
    let relation = |how: u8| crate::storage::relation_of(i64::from(how & 3));
    // A list is shared by the projects (of any snapshot) with those components. Many lists:
    // the snapshot's directory, one blob already in path order, each row given as it is
    // read; few: the index on projects(list_id, snapshot_id), then a sort.
    if hits.len() > BULK_LISTS {
        hits.sort_unstable_by_key(|h| h.1);
        let wanted = ListSet::new(&hits);
        let linked = linked_of(s, snapshot)?;
        // The matching candidates of one project, by purl: (purl, candidate, how).
        let mut row: Vec<(&str, usize, u8)> = Vec::new();
        crate::directory::with(s, snapshot, |data| {
            let mut dir = crate::directory::Directory::new(data)?;
            while let Some(e) = dir.next_entry()? {
                if !wanted.contains(e.list) {
                    continue;
                }
                let group = hits.get(hits.partition_point(|h| h.1 < e.list)..);
                let group = group.unwrap_or_default();
                let n = group.iter().take_while(|h| h.1 == e.list).count();
                row.clear();
                for &(i, _, how) in group.get(..n).unwrap_or_default() {
                    if let Some(c) = candidates.get(i) {
                        row.push((c.purl.as_str(), i, how));
                    }
                }
                row.sort_by(|a, b| a.0.cmp(b.0));
                row.dedup_by(|a, b| a.0 == b.0);
                let (path, name) = (dir.path()?, dir.text(e.name)?);
                let entities = linked.get(&e.project).map_or(&[][..], Vec::as_slice);
                for &(purl, i, how) in &row {
                    let version = candidates.get(i).and_then(|c| c.version.as_deref());
                    f(&UsageRef {
                        project_path: path,
                        project_name: name,
                        purl,
                        version,
                        scope: scope(how),
                        relation: relation(how),
                        entities,
                    })?;
                }
            }
            Ok(())
        })
    } else {
        let mut out: Vec<Usage> = Vec::new();
        for &(i, list, how) in &hits {
            let Some(c) = candidates.get(i) else { continue };
            let ps = s.projects_with_list(snapshot, list)?;
            for (id, project_path, project_name) in ps {
                out.push(Usage {
                    project_path,
                    project_name,
                    purl: c.purl.clone(),
                    version: c.version.clone(),
                    scope: scope(how),
                    relation: relation(how),
                    entities: linked_entities(s, snapshot, id)?,
                });
            }
        }
        out.sort_by(|a, b| (&a.project_path, &a.purl).cmp(&(&b.project_path, &b.purl)));
        out.dedup_by(|a, b| a.project_path == b.project_path && a.purl == b.purl);
        out.iter().try_for_each(|u| f(&u.borrowed()))
    }
}

pub(crate) fn who_uses_advisory(
    s: &dyn Storage,
    snapshot: SnapshotId,
    id: &str,
) -> Result<Vec<AdvisoryUse>> {
    let findings = s.findings_by_advisory(snapshot, id.trim())?;
    if findings.is_empty() {
        return Ok(Vec::new());
    }
    let projects = s.projects(snapshot)?;
    findings
        .into_iter()
        .map(|finding| {
            let at = projects.binary_search_by(|p| p.path.as_str().cmp(&finding.project_path));
            let p = at.ok().and_then(|i| projects.get(i)).ok_or_else(|| {
                Error::Corrupt(format!("project {:?} missing", finding.project_path))
            })?;
            Ok(AdvisoryUse {
                project_name: p.name.clone(),
                entities: linked_entities(s, snapshot, p.id)?,
                finding,
            })
        })
        .collect()
}
