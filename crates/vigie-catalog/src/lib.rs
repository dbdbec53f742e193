//! The map of the information system: catalog entities read from YAML
//! (Backstage's descriptor format as it is, plus vigie's fields), resolved
//! into a [`Catalog`] with relations, lookups, the GDPR record of processing
//! and the checks a CTO wants.
//!
//! Pure: files are given as (path, text), the date as a parameter; no IO.
//! Field reference: `docs/catalog.md`; editors' schema:
//! `docs/schemas/catalog.v1.schema.json`.
//!
//! ```
//! let text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team}\nspec: {type: team, children: []}\n";
//! let catalog = vigie_catalog::load([("catalog-info.yaml", text)]);
//! assert!(catalog.diagnostics.is_empty());
//! ```

mod catalog;
mod check;
pub mod country;
mod diag;
mod entity_ref;
mod fields;
mod gdpr;
mod load;
mod model;
pub mod node;
mod read;
mod values;
mod vigie;

pub use catalog::{Catalog, Ownership, Relation, RelationType, load};
pub use check::CheckOptions;
pub use diag::{Code, Diagnostic, Severity};
pub use entity_ref::{DEFAULT_NAMESPACE, EntityRef, RefError};
pub use fields::ANNOTATION_PREFIX;
pub use gdpr::{ProcessingRecord, Recipient};
pub use load::{BACKSTAGE_API_VERSIONS, VIGIE_API_VERSION};
pub use model::{Entity, EntitySummary, Kind, Link, Profile, RefField, Source};
pub use values::normalize_path;
pub use vigie::{
    Contract, Cost, Criticality, Exposure, Hosting, KIND_DETAILS, LegalBasis, Lifecycle,
    PersonalData, Platform, Processor, Repository, TRANSFER_BASES, VigieInfo,
};

/// Whether a file (by its display path) is a catalog file vigie reads when
/// walking a tree: `catalog-info.yaml`/`.yml`, `*.catalog.yaml`/`.yml`, or
/// any `.yaml`/`.yml` file directly in a folder named `catalog` (those only
/// when [`looks_like_catalog`] too, see there).
pub fn is_catalog_file(path: &str) -> bool {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    let parent = dir.rsplit('/').next().unwrap_or(dir);
    yaml && (lower == "catalog-info.yaml"
        || lower == "catalog-info.yml"
        || lower.ends_with(".catalog.yaml")
        || lower.ends_with(".catalog.yml")
        || parent == "catalog")
}

/// Whether a file found only through the `catalog/` folder rule is meant as
/// a catalog: its text names an `apiVersion` of Backstage or vigie. A
/// `catalog/products.yaml` of a shop's data is then not read as entities.
pub fn looks_like_catalog(path: &str, text: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let named = name.starts_with("catalog-info.")
        || name.ends_with(".catalog.yaml")
        || name.ends_with(".catalog.yml");
    named || text.contains("backstage.io/") || text.contains(load::VIGIE_API_VERSION)
}
