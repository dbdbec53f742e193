//! The executive report: a [`ReportModel`] rendered as one self-contained HTML file or as
//! Markdown, in English or French.
//!
//! The model is computed by the caller (the risk model, the audit, the lifecycle forecast);
//! this crate only lays it out. [`render_html`] writes a single file with inline CSS and
//! inline SVG charts (heat map, end-of-life timeline, bars), no script and no external
//! request, that prints on A4 with the executive summary on the first page;
//! [`render_markdown`] writes the same sections as tables for a wiki.
//!
//! ```
//! # use vigie_report::*;
//! # fn model() -> ReportModel { serde_json::from_str(include_str!("../tests/acme.json")).unwrap() }
//! let mut html = Vec::new();
//! render_html(&model(), Lang::Fr, &mut html).unwrap();
//! assert!(String::from_utf8(html).unwrap().contains("Synthèse"));
//! ```
//!
//! **Invariants:** pure (writes to the given `impl Write`; no clock, no file system, no
//! network); every string of the model goes through [`escape`] (one function per output
//! format) after being clipped; the size of the output is bounded by [`limits`].

pub mod escape;
pub mod format;
mod html;
pub mod limits;
mod markdown;
pub mod model;
mod svg;
pub mod text;

use std::io::Write;

pub use model::*;

/// The report's language (vigie's one [`Lang`], from `vigie-model`).
pub use vigie_model::Lang;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The writer failed.
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
    /// Not `en` or `fr`.
    #[error(transparent)]
    UnknownLang(#[from] vigie_model::UnknownLang),
}

/// Writes the report as one self-contained HTML document.
pub fn render_html(
    model: &ReportModel,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), ReportError> {
    let doc = html::document(model, lang);
    out.write_all(doc.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes the report as Markdown (GitHub/GitLab flavoured tables).
pub fn render_markdown(
    model: &ReportModel,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), ReportError> {
    let doc = markdown::document(model, lang);
    out.write_all(doc.as_bytes())?;
    out.flush()?;
    Ok(())
}
