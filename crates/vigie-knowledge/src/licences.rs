//! The SPDX licence list in the index: `spdx/licenses.json` and
//! `spdx/exceptions.json` of the mirror, checked with `vigie-licence` and
//! written together as `licences.json`; the licence and exception texts of
//! `spdx/details.tar.gz` (when the mirror has it) as `licence-texts.json`.
//!
//! A missing list is not an error (licence checks then say the knowledge is
//! missing); a list that does not load is reported as a source error and not
//! written.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::compile::{CompileError, MAX_PROBLEMS_LISTED, SourceReport};

/// The SPDX list in the index: `{"licenses": "<licenses.json>",
/// "exceptions": "<exceptions.json>"}`, the two files' texts as published.
pub const LICENCES_FILE: &str = "licences.json";

/// The licence and exception texts: `{"licences": {id: text},
/// "exceptions": {id: text}}`.
pub const LICENCE_TEXTS_FILE: &str = "licence-texts.json";

/// Largest list file accepted (the real `licenses.json` is 332 kB).
const MAX_LIST: u64 = 32 << 20;

/// Largest licence file of an index read back (the list and the texts are a few MB).
const MAX_STORED: u64 = 256 << 20;

/// The texts of the SPDX licences and exceptions, by identifier.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LicenceTexts {
    /// Licence id → `licenseText`.
    pub licences: BTreeMap<String, String>,
    /// Exception id → `licenseExceptionText`.
    pub exceptions: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    licenses: String,
    exceptions: String,
}

fn read_small(path: &Path) -> Option<Result<String, String>> {
    let bytes = crate::compile::read_bounded(path, MAX_LIST)?;
    Some(bytes.and_then(|b| String::from_utf8(b).map_err(|e| format!("not UTF-8: {e}"))))
}

/// Compiles the mirror's SPDX files into `out`; the reports go in `sources`.
/// Returns (licences, exceptions, texts) counted.
pub fn compile(
    mirror: &Path,
    out: &Path,
    sources: &mut Vec<SourceReport>,
) -> Result<(usize, usize, usize), CompileError> {
    let dir = mirror.join("spdx");
    let mut report = SourceReport {
        path: "spdx/licenses.json".to_owned(),
        ..SourceReport::default()
    };
    let Some(licenses) = read_small(&dir.join("licenses.json")) else {
        return Ok((0, 0, 0));
    };
    let exceptions = read_small(&dir.join("exceptions.json"))
        .unwrap_or_else(|| Err("missing (the list needs both files)".to_owned()));
    let (licenses, exceptions) = match (licenses, exceptions) {
        (Ok(l), Ok(e)) => (l, e),
        (Err(e), _) => {
            report.error = Some(e);
            sources.push(report);
            return Ok((0, 0, 0));
        }
        (_, Err(e)) => {
            report.path = "spdx/exceptions.json".to_owned();
            report.error = Some(e);
            sources.push(report);
            return Ok((0, 0, 0));
        }
    };
    let list = match vigie_licence::LicenceList::from_json(&licenses, &exceptions) {
        Ok(l) => l,
        Err(e) => {
            if let vigie_licence::ListError::Json {
                file: "exceptions.json",
                ..
            } = e
            {
                report.path = "spdx/exceptions.json".to_owned();
            }
            report.error = Some(e.to_string());
            sources.push(report);
            return Ok((0, 0, 0));
        }
    };
    let (n_licences, n_exceptions) = (list.licences().len(), list.exceptions().len());
    report.records = n_licences + n_exceptions;
    let json = serde_json::to_vec(&Stored {
        licenses,
        exceptions,
    })
    .unwrap_or_default();
    write(&out.join(LICENCES_FILE), &json)?;
    sources.push(report);

    let mut texts = 0;
    if let Some(gz) =
        crate::compile::read_bounded(&dir.join("details.tar.gz"), crate::compile::MAX_TAR_GZ)
    {
        let mut report = SourceReport {
            path: "spdx/details.tar.gz".to_owned(),
            ..SourceReport::default()
        };
        let t = match gz {
            Ok(gz) => read_details(&gz, &mut report),
            Err(e) => {
                report.error = Some(e);
                LicenceTexts::default()
            }
        };
        texts = t.licences.len() + t.exceptions.len();
        report.records = texts;
        if report.error.is_none() {
            write(
                &out.join(LICENCE_TEXTS_FILE),
                &serde_json::to_vec(&t).unwrap_or_default(),
            )?;
        }
        sources.push(report);
    }
    Ok((n_licences, n_exceptions, texts))
}

/// The texts of `details.tar.gz`: `licenses/<id>.json` (`licenseText`) and
/// `exceptions/<id>.json` (`licenseExceptionText`), at any depth (the
/// license-list-data layout `json/details/<id>.json` counts as a licence).
pub fn read_details(gz: &[u8], report: &mut SourceReport) -> LicenceTexts {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Detail {
        license_id: Option<String>,
        license_text: Option<String>,
        license_exception_id: Option<String>,
        license_exception_text: Option<String>,
    }
    let mut texts = LicenceTexts::default();
    let mut problems = Vec::new();
    let want = |p: &str| {
        p.ends_with(".json")
            && (p.contains("licenses/") || p.contains("exceptions/") || p.contains("details/"))
    };
    let result = vigie_lifecycle::archive::for_each_file(
        gz,
        &vigie_lifecycle::Limits::default(),
        want,
        |path, bytes| match serde_json::from_slice::<Detail>(bytes) {
            Ok(d) => {
                if let (Some(id), Some(t)) = (d.license_exception_id, d.license_exception_text) {
                    texts.exceptions.insert(id, t);
                } else if let (Some(id), Some(t)) = (d.license_id, d.license_text) {
                    texts.licences.insert(id, t);
                }
            }
            Err(e) => problems.push(format!("{path}: {e}")),
        },
    );
    match result {
        Ok(refused) => {
            report.refused = refused.len();
            problems.extend(refused.iter().map(|s| format!("{}: {}", s.file, s.reason)));
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    report.invalid = problems.len() - report.refused.min(problems.len());
    report.problems = problems.into_iter().take(MAX_PROBLEMS_LISTED).collect();
    texts
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CompileError> {
    std::fs::write(path, bytes).map_err(|source| CompileError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Loads the SPDX list of an index; `None` when the index has none.
pub fn load_list(
    index_dir: &Path,
) -> Option<Result<vigie_licence::LicenceList, vigie_licence::ListError>> {
    let text = vigie_fs::read_text_bounded(&index_dir.join(LICENCES_FILE), MAX_STORED).ok()?;
    let loaded: Stored = match serde_json::from_str(&text) {
        Ok(l) => l,
        Err(source) => {
            return Some(Err(vigie_licence::ListError::Json {
                file: LICENCES_FILE,
                source,
            }));
        }
    };
    Some(vigie_licence::LicenceList::from_json(
        &loaded.licenses,
        &loaded.exceptions,
    ))
}

/// Loads the licence texts of an index; `None` when the mirror had no
/// `spdx/details.tar.gz`.
pub fn load_texts(index_dir: &Path) -> Option<LicenceTexts> {
    let bytes = vigie_fs::read_bounded(&index_dir.join(LICENCE_TEXTS_FILE), MAX_STORED).ok()?;
    serde_json::from_slice(&bytes).ok()
}
