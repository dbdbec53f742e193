//! Licence policy: how a project is distributed, what a licence then allows,
//! and what it obliges the company to do.

mod config;
mod evaluate;
mod preset;

use std::fmt;

use serde::Deserialize;

pub use config::{ComponentException, ConfigError, Policy, PolicyConfig};
pub use evaluate::{Choice, Decision, Reason, TermDecision};
pub use preset::preset;

use crate::i18n::{Lang, Text};

/// How a project reaches its users: what triggers the obligations of the
/// licences of what it includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DistributionModel {
    /// Used inside the company only; never given to anyone else.
    Internal,
    /// Run by the company; others use it over a network (SaaS, API, site),
    /// its server-side code is not given to them.
    NetworkService,
    /// Given to others: an installer, a binary, an appliance, a mobile app,
    /// a container image, JavaScript sent to browsers.
    DistributedBinary,
    /// A library or SDK that others build into their own products.
    Library,
}

impl Default for DistributionModel {
    /// [`DistributionModel::DistributedBinary`]: see [`DistributionModel::DEFAULT_ASSUMPTION`].
    fn default() -> Self {
        DistributionModel::DistributedBinary
    }
}

impl DistributionModel {
    /// Every model.
    pub const ALL: [DistributionModel; 4] = [
        DistributionModel::Internal,
        DistributionModel::NetworkService,
        DistributionModel::DistributedBinary,
        DistributionModel::Library,
    ];

    /// The assumption made when a project declares no model.
    pub const DEFAULT_ASSUMPTION: (&'static str, &'static str) = (
        "No distribution model declared: vigie assumes the project is distributed \
         (shipped to others as a binary), the case that triggers the most obligations, \
         so none is missed. Declare internal, network-service or library to refine.",
        "Aucun mode de distribution déclaré : vigie suppose que le projet est distribué \
         (livré à des tiers sous forme binaire), le cas qui déclenche le plus \
         d'obligations, pour n'en manquer aucune. Déclarez internal, network-service \
         ou library pour préciser.",
    );

    /// The stable machine id (`network-service`).
    pub fn id(self) -> &'static str {
        match self {
            DistributionModel::Internal => "internal",
            DistributionModel::NetworkService => "network-service",
            DistributionModel::DistributedBinary => "distributed-binary",
            DistributionModel::Library => "library",
        }
    }

    /// The model with this machine id (`internal`, `network-service`,
    /// `distributed-binary`, `library`).
    pub fn from_id(id: &str) -> Option<DistributionModel> {
        DistributionModel::ALL.into_iter().find(|m| m.id() == id)
    }

    /// The name for a report.
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, fr) = match self {
            DistributionModel::Internal => ("internal use", "usage interne"),
            DistributionModel::NetworkService => ("network service", "service en ligne"),
            DistributionModel::DistributedBinary => ("distributed binary", "binaire distribué"),
            DistributionModel::Library => ("library", "bibliothèque"),
        };
        lang.pick(en, fr)
    }

    /// Whether the software is given to others (the trigger of most licence
    /// obligations: "distribute" / "convey").
    pub fn distributes(self) -> bool {
        matches!(
            self,
            DistributionModel::DistributedBinary | DistributionModel::Library
        )
    }
}

/// The outcome for one licence or expression. Ordered: `Allowed <
/// NeedsReview < Denied`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// May be used (the obligations still apply).
    Allowed,
    /// A person must decide.
    NeedsReview,
    /// Must not be used under this distribution model.
    Denied,
}

impl Verdict {
    /// The stable machine id.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::NeedsReview => "needs-review",
            Verdict::Denied => "denied",
        }
    }

    /// The name for a report.
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, fr) = match self {
            Verdict::Allowed => ("allowed", "autorisée"),
            Verdict::NeedsReview => ("needs review", "à examiner"),
            Verdict::Denied => ("denied", "refusée"),
        };
        lang.pick(en, fr)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Something the company must do to use a component lawfully.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Obligation {
    /// Keep the copyright and licence notices; ship the licence text.
    KeepNotices,
    /// Ship the component's NOTICE file (Apache-2.0 s.4(d)).
    NoticeFile,
    /// Mark the files you changed (Apache-2.0 s.4(b), GPL-2.0 s.2(a)...).
    StateChanges,
    /// Make the source of the component, with your changes, available to
    /// those who receive it (file- or library-level copyleft).
    ShareComponentSource,
    /// LGPL: let users relink the work with a modified library (dynamic
    /// linking, or object files), and allow reverse engineering to debug it.
    AllowRelinking,
    /// Give the complete corresponding source of the whole work to those
    /// who receive it.
    ShipSource,
    /// License the whole distributed work under the same licence.
    SameLicence,
    /// Offer the source to users who interact with it over a network
    /// (AGPL-3.0 s.13).
    OfferSourceToNetworkUsers,
    /// Give the installation information of a consumer device (GPL-3.0 s.6).
    InstallationInformation,
    /// Read the restrictions of use (non-commercial, no competing service...).
    CheckLicenceTerms,
    /// Hold a licence agreement with the owner.
    CommercialAgreement,
    /// Find out the licence.
    IdentifyLicence,
}

impl Obligation {
    /// The stable machine id (`ship-source`).
    pub fn id(self) -> &'static str {
        match self {
            Obligation::KeepNotices => "keep-notices",
            Obligation::NoticeFile => "notice-file",
            Obligation::StateChanges => "state-changes",
            Obligation::ShareComponentSource => "share-component-source",
            Obligation::AllowRelinking => "allow-relinking",
            Obligation::ShipSource => "ship-source",
            Obligation::SameLicence => "same-licence",
            Obligation::OfferSourceToNetworkUsers => "offer-source-to-network-users",
            Obligation::InstallationInformation => "installation-information",
            Obligation::CheckLicenceTerms => "check-licence-terms",
            Obligation::CommercialAgreement => "commercial-agreement",
            Obligation::IdentifyLicence => "identify-licence",
        }
    }

    /// Whether the obligation applies under `model` (most are triggered by
    /// distribution; the network one by use over a network).
    pub fn applies_to(self, model: DistributionModel) -> bool {
        match self {
            Obligation::OfferSourceToNetworkUsers => model == DistributionModel::NetworkService,
            Obligation::CheckLicenceTerms
            | Obligation::CommercialAgreement
            | Obligation::IdentifyLicence => true,
            _ => model.distributes(),
        }
    }

    /// How heavy it is, to choose between the options of an `OR`.
    pub fn weight(self) -> u32 {
        match self {
            Obligation::KeepNotices | Obligation::NoticeFile | Obligation::StateChanges => 1,
            Obligation::ShareComponentSource | Obligation::AllowRelinking => 3,
            Obligation::InstallationInformation => 4,
            Obligation::ShipSource => 5,
            Obligation::CheckLicenceTerms => 6,
            Obligation::SameLicence | Obligation::OfferSourceToNetworkUsers => 8,
            Obligation::CommercialAgreement | Obligation::IdentifyLicence => 9,
        }
    }

    /// What it means, in both languages.
    pub fn explain(self) -> Text {
        let (en, fr) = match self {
            Obligation::KeepNotices => (
                "keep the copyright and licence notices and ship the licence text",
                "conserver les mentions de droit d'auteur et de licence et fournir le texte de la licence",
            ),
            Obligation::NoticeFile => (
                "ship the component's NOTICE file",
                "fournir le fichier NOTICE du composant",
            ),
            Obligation::StateChanges => (
                "mark the files you modified as changed",
                "signaler les fichiers que vous avez modifiés",
            ),
            Obligation::ShareComponentSource => (
                "make the source of this component, with your changes, available to recipients",
                "mettre à disposition des destinataires le source de ce composant, avec vos modifications",
            ),
            Obligation::AllowRelinking => (
                "link dynamically (or ship object files) so users can replace the library, and allow reverse engineering to debug it",
                "lier dynamiquement (ou fournir les fichiers objets) pour que l'utilisateur puisse remplacer la bibliothèque, et autoriser l'ingénierie inverse pour la déboguer",
            ),
            Obligation::ShipSource => (
                "give the complete corresponding source of the whole work to recipients",
                "fournir aux destinataires le source complet correspondant de l'ensemble de l'œuvre",
            ),
            Obligation::SameLicence => (
                "license the whole distributed work under the same licence",
                "placer l'ensemble de l'œuvre distribuée sous la même licence",
            ),
            Obligation::OfferSourceToNetworkUsers => (
                "offer the source of your version to users who interact with it over a network",
                "proposer le source de votre version aux utilisateurs qui l'utilisent à travers le réseau",
            ),
            Obligation::InstallationInformation => (
                "for a consumer device, give the information needed to install modified versions",
                "pour un appareil grand public, fournir les informations permettant d'installer des versions modifiées",
            ),
            Obligation::CheckLicenceTerms => (
                "read the licence's restrictions of use (non-commercial, no competing service, no modification)",
                "lire les restrictions d'usage de la licence (pas d'usage commercial, pas de service concurrent, pas de modification)",
            ),
            Obligation::CommercialAgreement => (
                "hold a licence agreement with the owner",
                "disposer d'un contrat de licence avec le titulaire des droits",
            ),
            Obligation::IdentifyLicence => (
                "find out the component's licence",
                "identifier la licence du composant",
            ),
        };
        Text::new(en, fr)
    }
}

impl fmt::Display for Obligation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
