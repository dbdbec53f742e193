//! "Are we hit?": one question — an advisory id or alias, a purl, or a package name with a
//! version or a range (`log4j-core@<2.17.1`) — answered with the projects concerned, their
//! systems and owners, the fixing versions, and what the knowledge index says of the
//! advisory: known, unknown to it, or no index at all. "Unknown to the index" is never shown as
//! "0 results".

use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use vigie_knowledge::ids::AdvisoryNames;
use vigie_knowledge::index::Index;
use vigie_store::{AdvisoryUse, PackageQuery, SnapshotId, Store, Usage};

/// The prefixes of advisory ids in OSV's database and the databases it aggregates.
const ADVISORY_PREFIXES: &[&str] = &[
    "CVE-",
    "GHSA-",
    "RUSTSEC-",
    "PYSEC-",
    "GO-",
    "OSV-",
    "MAL-",
    "GSD-",
    "DSA-",
    "DLA-",
    "DTSA-",
    "USN-",
    "UBUNTU-",
    "DEBIAN-",
    "ALSA-",
    "ALBA-",
    "ALEA-",
    "RLSA-",
    "RXSA-",
    "RHSA-",
    "RHBA-",
    "RHEA-",
    "SUSE-",
    "OPENSUSE-",
    "BIT-",
    "CGA-",
    "HSEC-",
    "JLSEC-",
    "MGASA-",
    "PSF-",
    "CURL-",
    "ECHO-",
    "MINI-",
    "OESA-",
    "LBSEC-",
    "V8-",
    "ASB-",
    "PUB-",
    "RSEC-",
    "NSWG-ECO-",
    "OSVDB-",
    "FOP-",
];

/// What was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Question {
    /// An advisory id or alias, as given.
    Advisory {
        /// The id.
        id: String,
    },
    /// A package, maybe with a version or a range.
    Package {
        /// The query as given.
        text: String,
    },
}

impl Question {
    /// Reads a question: an advisory id when it starts with a known advisory prefix
    /// (whatever its case) and has no `@`, `/` or space; a package otherwise.
    pub fn parse(text: &str) -> Result<Question> {
        let text = text.trim();
        if text.is_empty() {
            anyhow::bail!("ask for an advisory id, a purl or a package name");
        }
        if text.len() > 512 {
            anyhow::bail!("a question of more than 512 characters");
        }
        let upper = text.to_ascii_uppercase();
        // After the prefix, a number (`CVE-2021-…`, `GO-2022-…`), or for the databases whose
        // ids are random or name a package (`GHSA-jfh8-…`, `BIT-wordpress-2023-…`), anything
        // with a digit: `go-yaml` or `bit-vec` stay package names.
        let is_advisory = !text.contains(['@', '/', ' '])
            && ADVISORY_PREFIXES.iter().any(|p| {
                upper.strip_prefix(p).is_some_and(|rest| {
                    let free = matches!(*p, "GHSA-" | "BIT-" | "CGA-" | "FOP-");
                    rest.starts_with(|c: char| c.is_ascii_digit())
                        || (free && rest.contains(|c: char| c.is_ascii_digit()))
                })
            });
        Ok(if is_advisory {
            Question::Advisory {
                id: text.to_owned(),
            }
        } else {
            Question::Package {
                text: text.to_owned(),
            }
        })
    }
}

/// One advisory of the index that the question names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KnownAdvisory {
    /// Its id.
    pub id: String,
    /// Its aliases.
    pub aliases: Vec<String>,
    /// Its summary.
    pub summary: String,
    /// Set when withdrawn (never matched).
    pub withdrawn: Option<String>,
    /// On CISA's list of known exploited vulnerabilities.
    pub known_exploited: bool,
    /// The packages it affects, with the versions that fix it.
    pub packages: Vec<AffectedSummary>,
}

/// A package an advisory affects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AffectedSummary {
    /// The OSV ecosystem, as the advisory writes it.
    pub ecosystem: String,
    /// The package name.
    pub name: String,
    /// The versions that fix it, as the advisory lists them.
    pub fixed: Vec<String>,
}

/// What the knowledge index says of an advisory.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum IndexAnswer {
    /// There is no knowledge index (or it predates advisory names): nothing can be said.
    NoIndex {
        /// Why, for the user.
        reason: String,
    },
    /// The index has no advisory of that id or alias.
    Unknown,
    /// The advisories of the index that the id or alias names.
    Known {
        /// Each advisory.
        advisories: Vec<KnownAdvisory>,
    },
}

/// The answer to a [`Question`].
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    /// What was asked.
    pub question: Question,
    /// The snapshot that answers.
    pub snapshot: SnapshotId,
    /// For an advisory: what the index knows of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexAnswer>,
    /// For an advisory: its findings in the snapshot (project, fixing version, owners).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<AdvisoryUse>,
    /// For a package: the projects that use it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<Usage>,
}

impl Answer {
    /// The number of projects concerned.
    pub fn projects(&self) -> usize {
        let mut paths: Vec<&str> = self
            .findings
            .iter()
            .map(|f| f.finding.project_path.as_str())
            .chain(self.uses.iter().map(|u| u.project_path.as_str()))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths.len()
    }
}

/// The advisory knowledge a question reads: the index and its names, opened once.
pub struct AdvisoryKnowledge {
    index: Index,
    names: AdvisoryNames,
}

impl AdvisoryKnowledge {
    /// Opens the advisory index of the current generation of the data directory.
    pub fn open(data_dir: Option<&Path>) -> Result<AdvisoryKnowledge> {
        let generation = crate::config::current_generation(data_dir)?;
        AdvisoryKnowledge::open_index(&generation.index_dir())
    }

    /// Opens the advisory index in `dir`.
    pub fn open_index(dir: &Path) -> Result<AdvisoryKnowledge> {
        let index = Index::open(dir)?;
        let names = AdvisoryNames::open(dir).map_err(|e| {
            anyhow::anyhow!("{e} (this index predates advisory names: run `vigie sync`)")
        })?;
        Ok(AdvisoryKnowledge { index, names })
    }

    /// What the index knows of the advisory `id` (an id or an alias).
    pub fn advisory(&self, id: &str) -> Result<IndexAnswer> {
        let Some(positions) = self.names.packages(id) else {
            return Ok(IndexAnswer::Unknown);
        };
        let wanted = id.trim();
        let mut advisories: Vec<KnownAdvisory> = Vec::new();
        for p in positions {
            let Some((ecosystem, key)) = self.index.package(p) else {
                continue;
            };
            for pa in self.index.lookup(ecosystem, key)? {
                let a = &pa.advisory;
                let names_it = a.id.eq_ignore_ascii_case(wanted)
                    || a.aliases.iter().any(|x| x.eq_ignore_ascii_case(wanted));
                if !names_it {
                    continue;
                }
                let i = match advisories.iter().position(|k| k.id == a.id) {
                    Some(i) => i,
                    None => {
                        advisories.push(KnownAdvisory {
                            id: a.id.clone(),
                            aliases: a.aliases.clone(),
                            summary: a.summary.clone(),
                            withdrawn: a.withdrawn.clone(),
                            known_exploited: a.known_exploited.is_some(),
                            packages: Vec::new(),
                        });
                        advisories.len() - 1
                    }
                };
                for affected in &pa.affected {
                    let mut fixed: Vec<String> = affected.fixed_versions().cloned().collect();
                    fixed.dedup();
                    let summary = AffectedSummary {
                        ecosystem: affected.ecosystem.clone(),
                        name: affected.name.clone(),
                        fixed,
                    };
                    if !advisories[i].packages.contains(&summary) {
                        advisories[i].packages.push(summary);
                    }
                }
            }
        }
        advisories.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(IndexAnswer::Known { advisories })
    }
}

/// Answers `question` from `snapshot` of the store, and from the advisory knowledge when
/// there is one (`Err` gives the reason there is none, said in the answer).
pub fn answer(
    store: &dyn Store,
    snapshot: SnapshotId,
    question: &Question,
    knowledge: std::result::Result<&AdvisoryKnowledge, &str>,
) -> Result<Answer> {
    Ok(match question {
        Question::Advisory { id } => Answer {
            question: question.clone(),
            snapshot,
            index: Some(match knowledge {
                Ok(k) => k.advisory(id)?,
                Err(reason) => IndexAnswer::NoIndex {
                    reason: reason.to_owned(),
                },
            }),
            findings: store.who_uses_advisory(snapshot, id)?,
            uses: Vec::new(),
        },
        Question::Package { text } => Answer {
            question: question.clone(),
            snapshot,
            index: None,
            findings: Vec::new(),
            uses: store.who_uses(snapshot, &PackageQuery::parse(text)?)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advisory_ids_are_told_from_package_names() {
        for id in [
            "CVE-2021-44228",
            "ghsa-jfh8-c2jp-5v3q",
            "RUSTSEC-2023-0001",
            "GO-2022-0969",
            "BIT-wordpress-2023-2745",
        ] {
            assert_eq!(
                Question::parse(id).unwrap(),
                Question::Advisory { id: id.to_owned() },
                "{id}"
            );
        }
        for q in [
            "log4j-core@<2.17.1",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "left-pad",
            "go-yaml",
            "bit-vec",
            "cve-",
            "CVE-2021-44228 x",
        ] {
            assert_eq!(
                Question::parse(q).unwrap(),
                Question::Package { text: q.to_owned() },
                "{q}"
            );
        }
        assert!(Question::parse("  ").is_err());
        assert!(Question::parse(&"a".repeat(600)).is_err());
    }
}
