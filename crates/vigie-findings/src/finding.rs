//! [`Finding`]: one finding of one check on one project, typed, as the store keeps it and
//! every output reads it.
//!
//! Every finding has the same identity and rating fields (its [`Family`], a key stable across
//! snapshots, the advisory or rule id, the [`Rating`] that thresholds and the risk model use)
//! and a per-family [`Detail`]. The detail's layout is versioned with the store: it is the JSON
//! object the store's `findings.json` column and `vigie export` have held since store schema 2
//! (export format 1), keys in sorted order:
//!
//! | family | detail |
//! |---|---|
//! | vulnerability | `{"component": {ecosystem, name, version, purl, file, line}, "finding": VulnFinding, "upgrade"}` |
//! | lifecycle | `{"finding": vigie_lifecycle::Finding}` |
//! | licence | `{"component": ComponentLicence, "finding": LicenceFinding, "model"}` |
//! | licence, `licence/unknown` | `{"components_known", "components_total", "examples", "finding": {check, message, severity}, "model", "unknown"}` |
//!
//! A detail that does not read as its family's (written by another version of vigie, or
//! damaged) is kept as it is ([`Detail::Unparsed`]): nothing stored is ever lost, and it is
//! written back unchanged.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use vigie_model::Ecosystem;

use crate::licence::{Check, ComponentLicence, LicenceFinding};
use crate::{Rating, VulnFinding};

/// The family of checks a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// A known vulnerability or advisory (OSV, with CVSS and CISA KEV).
    Vulnerability,
    /// End of life and support status of a platform, runtime or framework.
    Lifecycle,
    /// A licence that the policy denies, or that needs review or carries obligations.
    Licence,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 3] = [Family::Vulnerability, Family::Lifecycle, Family::Licence];

    /// The stable id: `vulnerability`, `lifecycle`, `licence`.
    pub fn id(self) -> &'static str {
        match self {
            Family::Vulnerability => "vulnerability",
            Family::Lifecycle => "lifecycle",
            Family::Licence => "licence",
        }
    }

    /// The family of a stable id.
    pub fn from_id(id: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// The component a vulnerability finding is about, and where it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentRef {
    /// Its ecosystem.
    pub ecosystem: Ecosystem,
    /// Its name.
    pub name: String,
    /// The version found.
    pub version: String,
    /// Its Package URL.
    pub purl: String,
    /// The file it came from, relative to the scan root.
    pub file: String,
    /// The line of that file (`null` when unknown).
    pub line: Option<u32>,
}

/// The detail of a vulnerability finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VulnerabilityDetail {
    /// The advisory (or group of aliases) as matched.
    pub finding: VulnFinding,
    /// The affected component.
    pub component: ComponentRef,
    /// The smallest version that fixes every known vulnerability of the package.
    pub upgrade: Option<String>,
}

/// The detail of a lifecycle finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LifecycleDetail {
    /// The finding as the lifecycle check gave it (platform, cycle, dates, evidence).
    pub finding: vigie_lifecycle::Finding,
}

/// The detail of a licence finding on one component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenceDetail {
    /// The finding.
    pub finding: LicenceFinding,
    /// The component and its evaluated licence.
    pub component: ComponentLicence,
    /// The project's distribution model (`distributed-binary`...).
    pub model: String,
}

/// The one unknown-licence finding of a project: its counts and first components.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnknownLicencesDetail {
    /// The check (always [`Check::Unknown`]), its rating and the message.
    pub finding: UnknownLicenceFinding,
    /// Components without a known licence.
    pub unknown: usize,
    /// Components counted in the project.
    pub components_total: usize,
    /// Of those, with a known licence.
    pub components_known: usize,
    /// The purls of the first components without a known licence.
    pub examples: Vec<String>,
    /// The project's distribution model.
    pub model: String,
}

/// The check, rating and message of an unknown-licence finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnknownLicenceFinding {
    /// [`Check::Unknown`].
    pub check: Check,
    /// Its rating.
    pub severity: Rating,
    /// What was found, in English and French.
    pub message: [String; 2],
}

/// What a finding says beyond its identity, per family.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    /// A vulnerability or informational advisory on a component.
    Vulnerability(Box<VulnerabilityDetail>),
    /// An end-of-life or support finding on a platform.
    Lifecycle(Box<LifecycleDetail>),
    /// A licence finding on a component.
    Licence(Box<LicenceDetail>),
    /// The components of a project without a known licence.
    UnknownLicences(Box<UnknownLicencesDetail>),
    /// A detail that does not read as its family's, kept as stored.
    Unparsed(Value),
}

impl Detail {
    /// Reads the stored JSON text of a finding of `family`; what does not read as the
    /// family's detail is kept as [`Detail::Unparsed`] (an error only when the text is not
    /// JSON at all).
    pub fn from_json_str(family: Family, text: &str) -> serde_json::Result<Detail> {
        let typed = match family {
            Family::Vulnerability => serde_json::from_str(text).map(Detail::Vulnerability),
            Family::Lifecycle => serde_json::from_str(text).map(Detail::Lifecycle),
            Family::Licence => serde_json::from_str(text)
                .map(Detail::Licence)
                .or_else(|_| serde_json::from_str(text).map(Detail::UnknownLicences)),
        };
        match typed {
            Ok(d) => Ok(d),
            Err(_) => serde_json::from_str(text).map(Detail::Unparsed),
        }
    }

    /// Reads a detail of `family` from a JSON value; what does not read as the family's
    /// detail is kept as [`Detail::Unparsed`].
    pub fn from_value(family: Family, value: Value) -> Detail {
        let typed = match family {
            Family::Vulnerability => typed(&value, Detail::Vulnerability),
            Family::Lifecycle => typed(&value, Detail::Lifecycle),
            Family::Licence => {
                typed(&value, Detail::Licence).or_else(|| typed(&value, Detail::UnknownLicences))
            }
        };
        typed.unwrap_or(Detail::Unparsed(value))
    }

    /// The detail as the JSON object the store keeps (keys sorted).
    pub fn to_value(&self) -> serde_json::Result<Value> {
        match self {
            Detail::Vulnerability(d) => serde_json::to_value(d),
            Detail::Lifecycle(d) => serde_json::to_value(d),
            Detail::Licence(d) => serde_json::to_value(d),
            Detail::UnknownLicences(d) => serde_json::to_value(d),
            Detail::Unparsed(v) => Ok(v.clone()),
        }
    }

    /// The vulnerability detail, when it is one.
    pub fn vulnerability(&self) -> Option<&VulnerabilityDetail> {
        match self {
            Detail::Vulnerability(d) => Some(d),
            _ => None,
        }
    }

    /// The lifecycle detail, when it is one.
    pub fn lifecycle(&self) -> Option<&LifecycleDetail> {
        match self {
            Detail::Lifecycle(d) => Some(d),
            _ => None,
        }
    }

    /// The licence detail, when it is one.
    pub fn licence(&self) -> Option<&LicenceDetail> {
        match self {
            Detail::Licence(d) => Some(d),
            _ => None,
        }
    }

    /// The unknown-licences detail, when it is one.
    pub fn unknown_licences(&self) -> Option<&UnknownLicencesDetail> {
        match self {
            Detail::UnknownLicences(d) => Some(d),
            _ => None,
        }
    }
}

fn typed<T: serde::de::DeserializeOwned>(
    value: &Value,
    wrap: fn(Box<T>) -> Detail,
) -> Option<Detail> {
    Box::<T>::deserialize(value).ok().map(wrap)
}

/// One finding of one check on one project.
///
/// Serialised (store export, `vigie show -f json`...) as the flat record vigie has always
/// written: `key, family, id, aliases, rating, project_path, purl, title, fixed,
/// known_exploited` and the detail under `json`.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable across snapshots (family + finding id + project path + purl or platform): triage
    /// and diff are keyed by it. Unique within a snapshot.
    pub key: String,
    /// The family of the check.
    pub family: Family,
    /// The advisory or rule id.
    pub id: String,
    /// Other ids of the same advisory.
    pub aliases: Vec<String>,
    /// The rating thresholds and the risk model use (the family's rating policy applied).
    pub rating: Rating,
    /// The path of the project it was found in.
    pub project_path: String,
    /// The component's purl, for component findings.
    pub purl: Option<String>,
    /// A one-line title, in English.
    pub title: String,
    /// The fixing version or the upgrade target, when known.
    pub fixed: Option<String>,
    /// On CISA's Known Exploited Vulnerabilities catalogue.
    pub known_exploited: bool,
    /// What the family says beyond that.
    pub detail: Detail,
}

/// The flat record, as read.
#[derive(Deserialize)]
struct Wire {
    key: String,
    family: Family,
    id: String,
    aliases: Vec<String>,
    rating: Rating,
    project_path: String,
    purl: Option<String>,
    title: String,
    fixed: Option<String>,
    known_exploited: bool,
    json: Value,
}

/// The flat record, as written (borrowed: [`Wire`]'s fields in the same order).
#[derive(Serialize)]
struct WireRef<'a> {
    key: &'a str,
    family: Family,
    id: &'a str,
    aliases: &'a [String],
    rating: Rating,
    project_path: &'a str,
    purl: Option<&'a str>,
    title: &'a str,
    fixed: Option<&'a str>,
    known_exploited: bool,
    json: Value,
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireRef {
            key: &self.key,
            family: self.family,
            id: &self.id,
            aliases: &self.aliases,
            rating: self.rating,
            project_path: &self.project_path,
            purl: self.purl.as_deref(),
            title: &self.title,
            fixed: self.fixed.as_deref(),
            known_exploited: self.known_exploited,
            json: self.detail.to_value().map_err(serde::ser::Error::custom)?,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Finding, D::Error> {
        let w = Wire::deserialize(d)?;
        if !w.json.is_object() {
            return Err(D::Error::custom("a finding's `json` must be an object"));
        }
        Ok(Finding {
            detail: Detail::from_value(w.family, w.json),
            key: w.key,
            family: w.family,
            id: w.id,
            aliases: w.aliases,
            rating: w.rating,
            project_path: w.project_path,
            purl: w.purl,
            title: w.title,
            fixed: w.fixed,
            known_exploited: w.known_exploited,
        })
    }
}

impl Finding {
    /// The file the finding was read in (relative to the scan root) and its line: the
    /// component's for vulnerabilities and licences, the evidence's for lifecycle findings.
    pub fn location(&self) -> Option<(&str, Option<u32>)> {
        match &self.detail {
            Detail::Vulnerability(d) => Some((&d.component.file, d.component.line)),
            Detail::Licence(d) => Some((&d.component.file, d.component.line)),
            Detail::Lifecycle(d) => Some((&d.finding.evidence.file, d.finding.evidence.line)),
            Detail::UnknownLicences(_) | Detail::Unparsed(_) => None,
        }
    }

    /// The component's ecosystem, name and version, for component findings.
    pub fn component(&self) -> Option<(Ecosystem, &str, Option<&str>)> {
        match &self.detail {
            Detail::Vulnerability(d) => {
                let c = &d.component;
                Some((c.ecosystem, &c.name, Some(&c.version)))
            }
            Detail::Licence(d) => {
                let c = &d.component;
                Some((c.ecosystem, &c.name, c.version.as_deref()))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::licence::Statement;

    fn finding(family: Family, detail: Detail) -> Finding {
        Finding {
            key: format!("{}/x/app/pkg:npm/a@1.0.0", family.id()),
            family,
            id: "x".into(),
            aliases: vec!["CVE-2026-1".into()],
            rating: Rating::High,
            project_path: "app".into(),
            purl: Some("pkg:npm/a@1.0.0".into()),
            title: "t".into(),
            fixed: None,
            known_exploited: false,
            detail,
        }
    }

    fn vulnerability() -> Detail {
        let f: VulnFinding = serde_json::from_value(json!({
            "kind": "vulnerability", "id": "GHSA-1", "aliases": ["CVE-2026-1"],
            "advisories": ["GHSA-1"], "summary": "s", "fixed": ["1.0.1"],
            "severity": {"rating": "high", "score": 7.5, "source": "cvss_v3",
                         "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
            "known_exploited": {"cve": "CVE-2026-1", "date_added": "2026-01-02", "ransomware": true},
        }))
        .unwrap();
        Detail::Vulnerability(Box::new(VulnerabilityDetail {
            finding: f,
            component: ComponentRef {
                ecosystem: Ecosystem::Npm,
                name: "a".into(),
                version: "1.0.0".into(),
                purl: "pkg:npm/a@1.0.0".into(),
                file: "app/package-lock.json".into(),
                line: None,
            },
            upgrade: Some("1.0.1".into()),
        }))
    }

    fn licence() -> Detail {
        Detail::Licence(Box::new(LicenceDetail {
            finding: LicenceFinding {
                check: Check::Denied,
                severity: Rating::High,
                component: 0,
                message: ["denied".into(), "refusée".into()],
            },
            component: ComponentLicence {
                ecosystem: Ecosystem::Npm,
                name: "a".into(),
                version: None,
                purl: "pkg:npm/a".into(),
                file: "app/package.json".into(),
                line: Some(3),
                statements: vec![Statement {
                    licence: "AGPL-3.0-only".into(),
                    kind: "declared".into(),
                    file: "app/package.json".into(),
                }],
                copyright: vec![],
                expression: "AGPL-3.0-only".into(),
                confidence: Some("exact".into()),
                category: vigie_licence::Category::NetworkCopyleft,
                verdict: "denied".into(),
                obligations: vec!["disclose-source".into()],
                terms: vec!["AGPL-3.0-only".into()],
                chosen: None,
                known: true,
                explanation: [String::new(), String::new()],
                obligation_ids: vec![],
                index: 0,
            },
            model: "network-service".into(),
        }))
    }

    fn unknown() -> Detail {
        Detail::UnknownLicences(Box::new(UnknownLicencesDetail {
            finding: UnknownLicenceFinding {
                check: Check::Unknown,
                severity: Rating::Low,
                message: ["2 of 3".into(), "2 sur 3".into()],
            },
            unknown: 2,
            components_total: 3,
            components_known: 1,
            examples: vec!["pkg:npm/a@1".into(), "pkg:npm/b@2".into()],
            model: "distributed-binary".into(),
        }))
    }

    #[test]
    fn every_detail_reads_back_as_its_own_kind() {
        let cases = [
            (Family::Vulnerability, vulnerability()),
            (Family::Licence, licence()),
            (Family::Licence, unknown()),
        ];
        for (family, detail) in cases {
            let value = detail.to_value().unwrap();
            // The stored text: keys in sorted order, as `vigie export` has always written.
            let text = serde_json::to_string(&value).unwrap();
            assert_eq!(Detail::from_json_str(family, &text).unwrap(), detail);
            assert_eq!(Detail::from_value(family, value), detail);
            let f = finding(family, detail);
            let again: Finding = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
            assert_eq!(again, f);
        }
    }

    #[test]
    fn the_stored_layout_is_the_documented_one() {
        let keys = |d: Detail| -> Vec<String> {
            d.to_value()
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(keys(vulnerability()), ["component", "finding", "upgrade"]);
        assert_eq!(keys(licence()), ["component", "finding", "model"]);
        assert_eq!(
            keys(unknown()),
            [
                "components_known",
                "components_total",
                "examples",
                "finding",
                "model",
                "unknown"
            ]
        );
        // `line` and `upgrade` are written as null, as the audit always wrote them.
        let mut v = vulnerability();
        if let Detail::Vulnerability(d) = &mut v {
            d.upgrade = None;
        }
        let value = v.to_value().unwrap();
        assert!(value["upgrade"].is_null() && value["component"]["line"].is_null());
        assert!(value.get("upgrade").is_some());
    }

    #[test]
    fn what_does_not_read_is_kept_as_stored() {
        let odd = json!({"finding": {"kind": "from-the-future"}, "extra": [1, 2]});
        let text = odd.to_string();
        for family in Family::ALL {
            let d = Detail::from_json_str(family, &text).unwrap();
            assert_eq!(d, Detail::Unparsed(odd.clone()));
            assert_eq!(d.to_value().unwrap(), odd);
        }
        assert!(Detail::from_json_str(Family::Lifecycle, "{not json").is_err());
        // A finding record whose detail is not an object is refused.
        let mut f = serde_json::to_value(finding(Family::Licence, unknown())).unwrap();
        f["json"] = json!("text");
        assert!(serde_json::from_value::<Finding>(f).is_err());
    }

    #[test]
    fn families_have_stable_ids() {
        for f in Family::ALL {
            assert_eq!(Family::from_id(f.id()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), json!(f.id()));
        }
        assert_eq!(Family::from_id("licences"), None);
    }
}
