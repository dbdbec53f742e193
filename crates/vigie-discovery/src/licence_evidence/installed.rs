//! The installed and vendored metadata of a project's components, found on
//! disk beside the project (or in the cargo registry cache), matched to the
//! components by name and, where the metadata says it, version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use vigie_model::{Code, Diagnostic, Ecosystem, Project};

use super::metadata::{
    cargo_toml_licence, copyright_lines, dist_info_licence, package_json_licence, pyproject_licence,
};
use super::{ComponentEvidence, Evidence, EvidenceKind, MAX_LISTED, read_opt};
use crate::readers::util::pep503_normalize;
use crate::source::DiskSource;

/// Virtualenv folders looked for in a project folder.
const VENVS: &[&str] = &[".venv", "venv", "env", ".tox/py"];

/// Most licence files read per package for copyright lines.
const MAX_LICENCE_FILES: usize = 4;

pub(crate) struct Ctx<'a> {
    pub tree: &'a DiskSource,
    pub dir: &'a Path,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn bad(&mut self, file: &str, e: impl std::fmt::Display) {
        self.diagnostics.push(Diagnostic::warning(
            file,
            Code::InvalidLicenceEvidence,
            e.to_string(),
        ));
    }
}

/// The names of the sub-folders of `dir` (links not followed), at most
/// [`MAX_LISTED`].
fn subdirs(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .take(MAX_LISTED)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect()
}

/// Copyright lines of the licence and notice files of a package folder.
fn copyrights(source: &DiskSource, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .take(MAX_LISTED)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| {
            let u = n.to_ascii_uppercase();
            ["LICENSE", "LICENCE", "COPYING", "NOTICE", "COPYRIGHT"]
                .iter()
                .any(|p| u.starts_with(p))
        })
        .collect();
    names.sort();
    let mut out: Vec<String> = Vec::new();
    for n in names.iter().take(MAX_LICENCE_FILES) {
        if let Some((_, text)) = read_opt(source, &dir.join(n), diagnostics) {
            for l in copyright_lines(&text) {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
    }
    out
}

fn push(e: &mut ComponentEvidence, licence: Option<String>, kind: EvidenceKind, file: String) {
    if let Some(licence) = licence {
        e.licences.push(Evidence {
            licence,
            kind,
            file,
        });
    }
}

/// `node_modules/<name>/package.json` of each npm component, when its
/// version is the component's.
pub(crate) fn node_modules(ctx: &mut Ctx<'_>, p: &Project, ev: &mut [ComponentEvidence]) {
    let base = ctx.dir.join("node_modules");
    if !base.is_dir() {
        return;
    }
    for (c, e) in p.components.iter().zip(ev.iter_mut()) {
        if c.ecosystem != Ecosystem::Npm || c.name.contains("..") {
            continue;
        }
        let dir = base.join(&c.name);
        let Some((file, text)) = read_opt(ctx.tree, &dir.join("package.json"), ctx.diagnostics)
        else {
            continue;
        };
        let version = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("version").and_then(|v| v.as_str()).map(str::to_owned));
        if c.version.is_some() && version != c.version {
            continue;
        }
        match package_json_licence(&text) {
            Ok(l) => push(e, l, EvidenceKind::NodeModules, file),
            Err(err) => ctx.bad(&file, err),
        }
        e.copyright = copyrights(ctx.tree, &dir, ctx.diagnostics);
    }
}

/// The `site-packages` folders of the project's virtualenvs.
fn site_packages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for v in VENVS {
        let venv = dir.join(v);
        if !venv.is_dir() {
            continue;
        }
        let win = venv.join("Lib/site-packages");
        if win.is_dir() {
            out.push(win);
        }
        for py in subdirs(&venv.join("lib")) {
            let sp = venv.join("lib").join(py).join("site-packages");
            if sp.is_dir() {
                out.push(sp);
            }
        }
    }
    out
}

/// `*.dist-info/METADATA` in the project's virtualenvs, matched by PEP 503
/// name and version.
pub(crate) fn dist_info(ctx: &mut Ctx<'_>, p: &Project, ev: &mut [ComponentEvidence]) {
    let mut found: HashMap<String, Vec<(String, PathBuf)>> = HashMap::new();
    for sp in site_packages(ctx.dir) {
        for d in subdirs(&sp) {
            let Some(stem) = d.strip_suffix(".dist-info") else {
                continue;
            };
            let Some((name, version)) = stem.split_once('-') else {
                continue;
            };
            found
                .entry(pep503_normalize(name))
                .or_default()
                .push((version.to_owned(), sp.join(&d)));
        }
    }
    if found.is_empty() {
        return;
    }
    for (c, e) in p.components.iter().zip(ev.iter_mut()) {
        if c.ecosystem != Ecosystem::PyPI {
            continue;
        }
        let Some(installs) = found.get(&pep503_normalize(&c.name)) else {
            continue;
        };
        let hit = installs
            .iter()
            .find(|(v, _)| c.version.as_deref().is_none_or(|cv| cv == v));
        let Some((_, dir)) = hit else {
            continue;
        };
        if let Some((file, text)) = read_opt(ctx.tree, &dir.join("METADATA"), ctx.diagnostics) {
            push(e, dist_info_licence(&text), EvidenceKind::DistInfo, file);
        }
        e.copyright = copyrights(ctx.tree, dir, ctx.diagnostics);
        for l in copyrights(ctx.tree, &dir.join("licenses"), ctx.diagnostics) {
            if !e.copyright.contains(&l) {
                e.copyright.push(l);
            }
        }
    }
}

fn cargo_version(text: &str) -> Option<String> {
    let v: toml::Value = toml::from_str(text).ok()?;
    Some(v.get("package")?.get("version")?.as_str()?.to_owned())
}

fn crate_dir(
    ctx: &mut Ctx<'_>,
    source: &DiskSource,
    dir: &Path,
    want: Option<&str>,
    kind: EvidenceKind,
    e: &mut ComponentEvidence,
) -> bool {
    let Some((file, text)) = read_opt(source, &dir.join("Cargo.toml"), ctx.diagnostics) else {
        return false;
    };
    if want.is_some() && cargo_version(&text).as_deref() != want {
        return false;
    }
    match cargo_toml_licence(&text) {
        Ok(l) => push(e, l, kind, file),
        Err(err) => ctx.bad(&file, err),
    }
    e.copyright = copyrights(source, dir, ctx.diagnostics);
    true
}

/// A name or version usable as one path segment (SemVer build metadata
/// `+...` included).
fn plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'+'))
        && !name.contains("..")
}

/// `vendor/<name>-<version>/Cargo.toml`, else `vendor/<name>/Cargo.toml`
/// (`cargo vendor`'s layouts), when the version is the component's.
pub(crate) fn vendored_crates(ctx: &mut Ctx<'_>, p: &Project, ev: &mut [ComponentEvidence]) {
    let base = ctx.dir.join("vendor");
    if !base.is_dir() {
        return;
    }
    let tree = ctx.tree;
    for (c, e) in p.components.iter().zip(ev.iter_mut()) {
        if c.ecosystem != Ecosystem::Cargo || !plain(&c.name) {
            continue;
        }
        let v = c.version.as_deref();
        let versioned = v.map(|v| base.join(format!("{}-{v}", c.name)));
        if !versioned.is_some_and(|d| crate_dir(ctx, tree, &d, v, EvidenceKind::Vendored, e)) {
            crate_dir(ctx, tree, &base.join(&c.name), v, EvidenceKind::Vendored, e);
        }
    }
}

/// `<registry>/<index>/<name>-<version>/Cargo.toml` of each crate with a
/// version.
pub(crate) fn cargo_registry(
    ctx: &mut Ctx<'_>,
    source: &DiskSource,
    root: &Path,
    cache: Option<&super::RegistryCache>,
    p: &Project,
    ev: &mut [ComponentEvidence],
) {
    let mut indexes: Option<Vec<String>> = None;
    for (c, e) in p.components.iter().zip(ev.iter_mut()) {
        let Some(v) = c.version.as_deref() else {
            continue;
        };
        if c.ecosystem != Ecosystem::Cargo || !plain(&c.name) || !plain(v) {
            continue;
        }
        let key = format!("{}-{v}", c.name);
        if let Some((licences, copyright)) = cache.and_then(|k| k.get(&key)) {
            e.licences.extend(licences);
            if !copyright.is_empty() {
                e.copyright = copyright;
            }
            continue;
        }
        let before = e.licences.len();
        let indexes = indexes.get_or_insert_with(|| {
            let mut i = subdirs(root);
            i.sort();
            i
        });
        for idx in indexes.iter() {
            let dir = root.join(idx).join(&key);
            if crate_dir(ctx, source, &dir, Some(v), EvidenceKind::CargoRegistry, e) {
                break;
            }
        }
        if let Some(k) = cache {
            let found = e.licences.get(before..).unwrap_or_default().to_vec();
            let copyright = if found.is_empty() {
                Vec::new()
            } else {
                e.copyright.clone()
            };
            k.put(key, (found, copyright));
        }
    }
}

/// `vendor/<vendor>/<name>/composer.json` of each Composer package.
pub(crate) fn vendored_composer(ctx: &mut Ctx<'_>, p: &Project, ev: &mut [ComponentEvidence]) {
    let base = ctx.dir.join("vendor");
    if !base.is_dir() {
        return;
    }
    for (c, e) in p.components.iter().zip(ev.iter_mut()) {
        let Some((vendor, name)) = c.name.split_once('/') else {
            continue;
        };
        if c.ecosystem != Ecosystem::Packagist || !plain(vendor) || !plain(name) {
            continue;
        }
        let dir = base.join(vendor).join(name);
        if let Some((file, text)) = read_opt(ctx.tree, &dir.join("composer.json"), ctx.diagnostics)
        {
            match package_json_licence(&text) {
                Ok(l) => push(e, l, EvidenceKind::Vendored, file),
                Err(err) => ctx.bad(&file, err),
            }
            e.copyright = copyrights(ctx.tree, &dir, ctx.diagnostics);
        }
    }
}

/// The project's own licence: the first of `Cargo.toml`, `package.json`,
/// `composer.json`, `pyproject.toml` in its folder that states one.
pub(crate) fn own_licence(ctx: &mut Ctx<'_>) -> Option<Evidence> {
    for name in [
        "Cargo.toml",
        "package.json",
        "composer.json",
        "pyproject.toml",
    ] {
        let Some((file, text)) = read_opt(ctx.tree, &ctx.dir.join(name), ctx.diagnostics) else {
            continue;
        };
        let l = match name {
            "Cargo.toml" => cargo_toml_licence(&text).map_err(|e| e.to_string()),
            "pyproject.toml" => pyproject_licence(&text).map_err(|e| e.to_string()),
            _ => package_json_licence(&text).map_err(|e| e.to_string()),
        };
        match l {
            Ok(Some(licence)) => {
                return Some(Evidence {
                    licence,
                    kind: EvidenceKind::Manifest,
                    file,
                });
            }
            Ok(None) => {}
            Err(e) => ctx.bad(&file, e),
        }
    }
    None
}
