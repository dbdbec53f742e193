//! The compiled lifecycle knowledge: every product with its cycles and
//! versions, compiled from the mirror's two archives, stored as one JSON
//! document, and the lookups matching needs (by name or alias, by package
//! URL, by image repository), rebuilt on load.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::archive::{self, ArchiveError, Limits};
use crate::front_matter::parse_product;
use crate::image::{CONVENTIONS, purl_image_keys};
use crate::product::Product;
use crate::release_data::parse_versions;

/// The version of the stored form; [`Knowledge::from_json`] refuses others.
pub const FORMAT: u32 = 1;

/// Something of the input that was left out, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file (archive path or `products/<name>.md`).
    pub file: String,
    /// The release cycle, when only that cycle was left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<String>,
    /// Why, for people.
    pub reason: String,
}

impl Skipped {
    /// A whole file left out.
    pub fn new(file: &str, reason: impl Into<String>) -> Skipped {
        Skipped {
            file: file.to_owned(),
            cycle: None,
            reason: reason.into(),
        }
    }

    /// One cycle of a file left out.
    pub fn cycle(file: &str, cycle: &str, reason: impl Into<String>) -> Skipped {
        Skipped {
            file: file.to_owned(),
            cycle: Some(cycle.to_owned()),
            reason: reason.into(),
        }
    }
}

/// What a compile read and left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompileReport {
    /// Products kept.
    pub products: usize,
    /// Release cycles kept, all products.
    pub cycles: usize,
    /// Versions with a date kept from release-data.
    pub versions: usize,
    /// release-data files of no known product (ignored).
    pub unmatched_release_files: Vec<String>,
    /// Files, cycles and archive entries left out, with the reason.
    pub skipped: Vec<Skipped>,
}

/// The lifecycle knowledge. Build it with [`Knowledge::compile`] (from the
/// mirror) or [`Knowledge::from_json`] (from the index).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Knowledge {
    /// [`FORMAT`].
    pub format: u32,
    /// Every product, sorted by name.
    pub products: Vec<Product>,
    #[serde(skip)]
    index: Index,
}

#[derive(Clone, Debug, Default)]
struct Index {
    by_name: HashMap<String, usize>,
    by_purl: HashMap<String, usize>,
    by_image: HashMap<String, usize>,
    /// Component purls already matched to products (or to none).
    components: crate::components::ProductMemo,
}

/// Why stored knowledge could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Not JSON of the stored form.
    #[error("not lifecycle knowledge: {0}")]
    Json(#[from] serde_json::Error),
    /// Another format version (compile again with `vigie sync`).
    #[error("lifecycle knowledge of format {found}, this vigie reads format {FORMAT}")]
    Format {
        /// The format found.
        found: u32,
    },
}

impl Knowledge {
    /// The memo of [`Knowledge::component_detections`].
    pub(crate) fn product_memo(&self) -> &crate::components::ProductMemo {
        &self.index.components
    }

    /// Compiles the knowledge from the bytes of `endoflife/products.tar.gz`
    /// and, when given, `endoflife/release-data.tar.gz`. A file that does
    /// not parse is listed in the report and skipped; only an archive that
    /// cannot be read at all is an error.
    pub fn compile(
        products_tgz: &[u8],
        release_data_tgz: Option<&[u8]>,
        limits: &Limits,
    ) -> Result<(Knowledge, CompileReport), ArchiveError> {
        let mut report = CompileReport::default();
        let mut products: Vec<Product> = Vec::new();
        let mut skipped = archive::for_each_file(
            products_tgz,
            limits,
            |p| archive::product_name(p).is_some(),
            |path, bytes| {
                let Some(name) = archive::product_name(path) else {
                    return;
                };
                if products.iter().any(|p| p.name == name) {
                    report
                        .skipped
                        .push(Skipped::new(path, "a second file of this product"));
                    return;
                }
                match parse_product(name, bytes) {
                    Ok((product, cycles_skipped)) => {
                        report.skipped.extend(cycles_skipped);
                        products.push(product);
                    }
                    Err(reason) => report.skipped.push(Skipped::new(path, reason)),
                }
            },
        )?;
        products.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(tgz) = release_data_tgz {
            let more = archive::for_each_file(
                tgz,
                limits,
                |p| archive::release_data_name(p).is_some(),
                |path, bytes| {
                    let Some(name) = archive::release_data_name(path) else {
                        return;
                    };
                    let Ok(i) = products.binary_search_by(|p| p.name.as_str().cmp(name)) else {
                        report.unmatched_release_files.push(name.to_owned());
                        return;
                    };
                    match parse_versions(bytes) {
                        Ok((versions, _)) => {
                            if let Some(p) = products.get_mut(i) {
                                p.versions = versions;
                            }
                        }
                        Err(reason) => report.skipped.push(Skipped::new(path, reason)),
                    }
                },
            )?;
            skipped.extend(more);
        }
        report.skipped.extend(skipped);
        report.products = products.len();
        report.cycles = products.iter().map(|p| p.cycles.len()).sum();
        report.versions = products.iter().map(|p| p.versions.len()).sum();
        Ok((Knowledge::from_products(products), report))
    }

    /// Knowledge over the given products (sorted by name here).
    pub fn from_products(mut products: Vec<Product>) -> Knowledge {
        products.sort_by(|a, b| a.name.cmp(&b.name));
        let mut k = Knowledge {
            format: FORMAT,
            products,
            index: Index::default(),
        };
        k.reindex();
        k
    }

    /// The stored form: one JSON document.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Loads the stored form.
    pub fn from_json(bytes: &[u8]) -> Result<Knowledge, LoadError> {
        let mut k: Knowledge = serde_json::from_slice(bytes)?;
        if k.format != FORMAT {
            return Err(LoadError::Format { found: k.format });
        }
        k.products.sort_by(|a, b| a.name.cmp(&b.name));
        k.reindex();
        Ok(k)
    }

    fn reindex(&mut self) {
        let mut index = Index::default();
        for (i, p) in self.products.iter().enumerate() {
            index.by_name.insert(p.name.clone(), i);
        }
        for (i, p) in self.products.iter().enumerate() {
            for alias in &p.aliases {
                index.by_name.entry(alias.clone()).or_insert(i);
            }
            for purl in &p.identifiers.purl {
                if let Some(key) = purl_key(purl) {
                    index.by_purl.entry(key).or_insert(i);
                }
                for key in purl_image_keys(purl) {
                    index.by_image.entry(key).or_insert(i);
                }
            }
        }
        for (repo, name) in CONVENTIONS {
            if let Some(&i) = index.by_name.get(*name) {
                index.by_image.entry((*repo).to_owned()).or_insert(i);
            }
        }
        self.index = index;
    }

    /// A product by its name or one of its aliases (`nodejs`, `node`).
    pub fn product(&self, name: &str) -> Option<&Product> {
        let i = *self.index.by_name.get(name)?;
        self.products.get(i)
    }

    /// The product a package URL (any version) is an identifier of.
    pub fn product_for_purl(&self, purl: &str) -> Option<&Product> {
        let i = *self.index.by_purl.get(&purl_key(purl)?)?;
        self.products.get(i)
    }

    /// The product of an image repository (`docker.io/library/python`).
    pub fn product_for_image(&self, repository_key: &str) -> Option<&Product> {
        let i = *self.index.by_image.get(repository_key)?;
        self.products.get(i)
    }
}

/// A package URL without version, qualifiers or subpath, canonical, for
/// matching (`pkg:pypi/Django@4.2` → `pkg:pypi/django`).
pub fn purl_key(purl: &str) -> Option<String> {
    let mut p = vigie_model::Purl::parse_lenient(purl).ok()?;
    p.version = None;
    p.qualifiers.clear();
    p.subpath = None;
    Some(p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_keys() {
        assert_eq!(
            purl_key("pkg:pypi/Django@4.2.1").as_deref(),
            Some("pkg:pypi/django")
        );
        assert_eq!(
            purl_key("pkg:maven/org.springframework.boot/spring-boot@3.2.0?type=jar").as_deref(),
            Some("pkg:maven/org.springframework.boot/spring-boot")
        );
        assert_eq!(purl_key("not a purl"), None);
    }
}
