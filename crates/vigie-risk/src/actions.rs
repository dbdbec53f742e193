//! Recommendations: actions, not findings. Findings that one change would remove are grouped
//! into an action (upgrade a package, patch or migrate a platform, replace a licence), with
//! the risk it removes, its stated effort, and a sentence in English and French. Actions are
//! ordered by risk removed per point of effort.
//!
//! Effort is counted per project changed, in points per kind of change
//! ([`ChangeKind::points`]): a patch upgrade 1, a minor upgrade 2, a major upgrade 5 (and 5
//! for versions that cannot be compared), a platform patch 1, a platform migration 8, a
//! licence replacement 5. A project that holds several versions of the package counts once,
//! at its largest change. The risk an action removes is the sum of the scores of the findings
//! it fixes (each scored over its systems).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vigie_model::Ecosystem;

use crate::bump::Bump;
use crate::text::{NBSP, Text, count};

/// What an action does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// Upgrade a package to the version that fixes its known vulnerabilities.
    PackageUpgrade,
    /// Update a platform to the latest patch of its cycle.
    PlatformPatch,
    /// Move a platform off a cycle at or near its end of life.
    PlatformMigration,
    /// Replace a package whose licence is denied or incompatible.
    LicenceReplacement,
}

/// The kind of change in one project, which sets its effort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Patch version upgrade.
    Patch,
    /// Minor version upgrade.
    Minor,
    /// Major version upgrade.
    Major,
    /// Versions that cannot be compared: counted as major.
    UnknownVersion,
    /// Platform update within its cycle.
    PlatformPatch,
    /// Platform migration to another cycle.
    PlatformMigration,
    /// Replacement of a component for its licence.
    LicenceReplacement,
}

impl ChangeKind {
    /// The stated effort of this change in one project, in points.
    pub fn points(self) -> u32 {
        match self {
            ChangeKind::Patch | ChangeKind::PlatformPatch => 1,
            ChangeKind::Minor => 2,
            ChangeKind::Major | ChangeKind::UnknownVersion | ChangeKind::LicenceReplacement => 5,
            ChangeKind::PlatformMigration => 8,
        }
    }

    pub(crate) fn from_bump_pub(b: Bump) -> ChangeKind {
        match b {
            Bump::Patch => ChangeKind::Patch,
            Bump::Minor => ChangeKind::Minor,
            Bump::Major => ChangeKind::Major,
            Bump::Unknown => ChangeKind::UnknownVersion,
        }
    }

    /// Singular and plural, in English and French.
    fn words(self) -> ((&'static str, &'static str), (&'static str, &'static str)) {
        match self {
            ChangeKind::Patch => (
                ("patch upgrade", "patch upgrades"),
                (
                    "montée de version corrective",
                    "montées de version corrective",
                ),
            ),
            ChangeKind::Minor => (
                ("minor upgrade", "minor upgrades"),
                ("montée de version mineure", "montées de version mineure"),
            ),
            ChangeKind::Major => (
                ("major upgrade", "major upgrades"),
                ("montée de version majeure", "montées de version majeure"),
            ),
            ChangeKind::UnknownVersion => (
                (
                    "upgrade of unknown size (counted as major)",
                    "upgrades of unknown size (counted as major)",
                ),
                (
                    "montée de version d’ampleur inconnue (comptée comme majeure)",
                    "montées de version d’ampleur inconnue (comptées comme majeures)",
                ),
            ),
            ChangeKind::PlatformPatch => (
                ("platform patch", "platform patches"),
                (
                    "mise à jour corrective de plateforme",
                    "mises à jour correctives de plateforme",
                ),
            ),
            ChangeKind::PlatformMigration => (
                ("platform migration", "platform migrations"),
                ("migration de plateforme", "migrations de plateforme"),
            ),
            ChangeKind::LicenceReplacement => (
                ("component replacement", "component replacements"),
                ("remplacement de composant", "remplacements de composant"),
            ),
        }
    }
}

/// The effort of an action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effort {
    /// The largest change among its projects.
    pub kind: ChangeKind,
    /// How many projects need each kind of change.
    pub changes: BTreeMap<ChangeKind, u32>,
    /// The total, in points (at least 1).
    pub points: u32,
    /// The estimate in words: `effort 28 points: 14 minor upgrades (2 points each)`.
    pub text: Text,
}

impl Effort {
    /// The effort of these changes (one per project).
    pub fn of(changes: BTreeMap<ChangeKind, u32>) -> Effort {
        let points = changes
            .iter()
            .map(|(k, n)| k.points().saturating_mul(*n))
            .fold(0u32, u32::saturating_add)
            .max(1);
        let kind = changes
            .keys()
            .copied()
            .max_by_key(|k| (k.points(), *k))
            .unwrap_or(ChangeKind::UnknownVersion);
        let parts: Vec<Text> = changes
            .iter()
            .map(|(k, n)| {
                let (en, fr) = k.words();
                let c = count(usize::try_from(*n).unwrap_or(usize::MAX), en, fr);
                let p = k.points();
                let (pen, pfr) = if *n == 1 {
                    (
                        format!("{p} point{}", if p == 1 { "" } else { "s" }),
                        format!("{p}{NBSP}point{}", if p == 1 { "" } else { "s" }),
                    )
                } else {
                    (
                        format!("{p} point{} each", if p == 1 { "" } else { "s" }),
                        format!("{p}{NBSP}point{} chacune", if p == 1 { "" } else { "s" }),
                    )
                };
                Text::new(format!("{} ({pen})", c.en), format!("{} ({pfr})", c.fr))
            })
            .collect();
        let en: Vec<&str> = parts.iter().map(|t| t.en.as_str()).collect();
        let fr: Vec<&str> = parts.iter().map(|t| t.fr.as_str()).collect();
        let total = count(
            usize::try_from(points).unwrap_or(usize::MAX),
            ("point", "points"),
            ("point", "points"),
        );
        let text = Text::new(
            format!("effort {}: {}", total.en, en.join(", ")),
            format!(
                "effort de {}{NBSP}: {}",
                total.fr.replacen(' ', &NBSP.to_string(), 1),
                fr.join(", ")
            ),
        );
        Effort {
            kind,
            changes,
            points,
            text,
        }
    }
}

/// One recommended action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// A stable key: `package-upgrade:Maven:com.fasterxml.jackson.core:jackson-databind@2.12.7.1`.
    pub key: String,
    /// What it does.
    pub kind: ActionKind,
    /// The package's ecosystem (package actions).
    pub ecosystem: Option<Ecosystem>,
    /// The package or platform (`jackson-databind`, `python 2.7`).
    pub subject: String,
    /// The versions changed from (packages).
    pub from: Vec<String>,
    /// The version to go to (upgrades, platform patches).
    pub to: Option<String>,
    /// The projects to change.
    pub projects: Vec<String>,
    /// The systems they belong to.
    pub systems: Vec<String>,
    /// The findings it removes.
    pub findings: Vec<String>,
    /// Distinct advisories (or lifecycle or licence groups) it removes.
    pub fixes: u32,
    /// Of which known to be exploited.
    pub known_exploited: u32,
    /// The sum of the scores of the findings it removes.
    pub risk_removed: u32,
    /// Its stated effort.
    pub effort: Effort,
    /// Risk removed per point of effort: the order of the list.
    pub value: f64,
    /// The action in a sentence.
    pub text: Text,
}
