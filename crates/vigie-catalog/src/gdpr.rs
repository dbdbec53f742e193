//! The GDPR record of processing activities (article 30) as data: one
//! record per entity holding personal data, with its recipients and the
//! transfers outside the EEA.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::country::in_eea;
use crate::entity_ref::EntityRef;
use crate::vigie::{LegalBasis, Processor};

/// One processing activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessingRecord {
    /// The entity holding the data.
    pub entity: EntityRef,
    /// Its title, else its name.
    pub name: String,
    /// Who answers for it (owners, nearest first).
    pub owners: Vec<EntityRef>,
    /// Its system.
    pub system: Option<EntityRef>,
    /// Purposes of the processing.
    pub purposes: Vec<String>,
    /// Lawful basis.
    pub legal_basis: Option<LegalBasis>,
    /// Categories of data subjects.
    pub subjects: Vec<String>,
    /// Categories of personal data.
    pub categories: Vec<String>,
    /// Special categories or offences data.
    pub sensitive: bool,
    /// Retention period.
    pub retention: Option<String>,
    /// Where the data is hosted.
    pub hosting_country: Option<String>,
    /// Transfer basis of the hosting, when outside the EEA.
    pub hosting_transfer_basis: Option<String>,
    /// Recipients (processors).
    pub recipients: Vec<Recipient>,
}

/// A processor receiving the data, resolved through the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// Name (the entity's title or name when it is one).
    pub name: String,
    /// The catalog entity.
    pub entity: Option<EntityRef>,
    /// Country: written on the processor, else the entity's hosting country.
    pub country: Option<String>,
    /// Whether the country is outside the EEA (a transfer, GDPR chapter V).
    pub outside_eea: bool,
    /// Transfer basis: written on the processor, else the entity's.
    pub transfer_basis: Option<String>,
    /// What it does with the data.
    pub purpose: Option<String>,
}

impl Catalog {
    /// A processor's name, country and transfer basis, taking what the
    /// processor line does not say from its catalog entity.
    pub fn recipient(&self, p: &Processor) -> Recipient {
        let entity = p.entity.as_ref().and_then(|r| self.get(r));
        let hosting = entity.and_then(|e| e.vigie.hosting.as_ref());
        let country = p
            .country
            .clone()
            .or_else(|| hosting.and_then(|h| h.country.clone()));
        Recipient {
            name: entity
                .map(|e| e.title.clone().unwrap_or_else(|| e.name.clone()))
                .unwrap_or_else(|| p.name.clone()),
            entity: p.entity.clone(),
            outside_eea: country.as_deref().is_some_and(|c| !in_eea(c)),
            country,
            transfer_basis: p
                .transfer_basis
                .clone()
                .or_else(|| hosting.and_then(|h| h.transfer_basis.clone())),
            purpose: p.purpose.clone(),
        }
    }

    /// The record of processing activities: one record per entity with
    /// personal data, in catalog order.
    pub fn record_of_processing(&self) -> Vec<ProcessingRecord> {
        self.entities
            .iter()
            .filter_map(|e| {
                let pd = e.vigie.personal_data.as_ref()?;
                let hosting = e.vigie.hosting.as_ref();
                Some(ProcessingRecord {
                    entity: e.entity_ref.clone(),
                    name: e.title.clone().unwrap_or_else(|| e.name.clone()),
                    owners: self
                        .owners(&e.entity_ref)
                        .into_iter()
                        .map(|o| o.owner)
                        .collect(),
                    system: self.system_of(&e.entity_ref),
                    purposes: pd.purposes.clone(),
                    legal_basis: pd.legal_basis,
                    subjects: pd.subjects.clone(),
                    categories: pd.categories.clone(),
                    sensitive: pd.sensitive,
                    retention: pd.retention.clone(),
                    hosting_country: hosting.and_then(|h| h.country.clone()),
                    hosting_transfer_basis: hosting.and_then(|h| h.transfer_basis.clone()),
                    recipients: pd.processors.iter().map(|p| self.recipient(p)).collect(),
                })
            })
            .collect()
    }
}
