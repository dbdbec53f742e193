//! `vigie scan --push URL`: the folders read as `vigie scan` reads them (the same walk, the
//! same readers, the lifecycle check's extra files and the licence evidence on disk), sent
//! as one gzip-compressed [`PushDocument`] to a vigie server, which runs the checks with
//! its own index and stores the snapshot. Nothing is stored locally; the token is never
//! printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::document::{
    EvidenceDoc, ExtraFile, FORMAT, FileDoc, PushDocument, PushedProjectDoc, VERSION,
};
use crate::Progress;
use crate::estate::Scanned;
use crate::licensing::Evidence;

/// The path of vigie's ingest endpoint under a server's address.
pub const SCANS_PATH: &str = "/api/v1/scans";

/// What the server answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushAnswer {
    /// The snapshot holding the pushed projects.
    pub snapshot: i64,
    /// False when the same push was already stored.
    pub created: bool,
    /// Projects pushed.
    pub projects: u64,
    /// Their components.
    pub components: u64,
    /// Their findings (0 when no check ran).
    pub findings: u64,
    /// Whether the server ran the checks (false: it has no knowledge index yet).
    pub checked: bool,
    /// Projects carried forward from the previous latest snapshot.
    pub carried: u64,
}

/// What to push.
pub struct PushRequest<'a> {
    /// The folders.
    pub paths: &'a [PathBuf],
    /// The name each folder's projects are filed under on the server (else the folder as
    /// given when it is a plain relative path, else its name).
    pub project: Option<&'a str>,
    /// The commit the folders are at, when known.
    pub commit: Option<String>,
    /// Files over this size are refused.
    pub max_file_size: u64,
}

/// The prefix that replaces root `root` (as given) in the pushed paths.
fn prefix(root: &Path, given: Option<&str>) -> anyhow::Result<String> {
    if let Some(p) = given {
        return Ok(p.trim_matches('/').to_owned());
    }
    let shown = root.display().to_string();
    if super::document::check_path("", &shown).is_ok() {
        return Ok(shown);
    }
    let real = root
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", root.display()))?;
    real.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .with_context(|| format!("{}: no folder name to file it under: give --project", shown))
}

/// `path` (a display path under root `root`) under `prefix`.
fn rebase(path: &str, root: &str, prefix: &str) -> String {
    let rest = path
        .strip_prefix(root)
        .unwrap_or(path)
        .trim_start_matches('/');
    if rest.is_empty() || rest == "." {
        prefix.to_owned()
    } else {
        format!("{prefix}/{rest}")
    }
}

/// Reads the folders of `req` into a push document.
pub fn document(
    req: &PushRequest<'_>,
    progress: &dyn Progress,
) -> anyhow::Result<(PushDocument, Scanned)> {
    let evidence = Evidence::on_disk(req.paths, req.max_file_size);
    let roots: Vec<(String, String)> = req
        .paths
        .iter()
        .map(|r| Ok((r.display().to_string(), prefix(r, req.project)?)))
        .collect::<anyhow::Result<_>>()?;
    let mut projects = Vec::new();
    let scanned = crate::estate::scan(
        req.paths,
        req.max_file_size,
        Some(vigie_audit::lifecycle::reads),
        progress,
        |chunk| {
            for s in chunk {
                let p = &s.project;
                if p.files.is_empty() && s.extras.is_empty() {
                    continue;
                }
                // The longest root the project is under.
                let (root, prefix) = roots
                    .iter()
                    .filter(|(r, _)| {
                        p.path == *r || p.path.starts_with(&format!("{r}/")) || r == "."
                    })
                    .max_by_key(|(r, _)| r.len())
                    .cloned()
                    .unwrap_or_else(|| (String::new(), p.path.clone()));
                let at = |path: &str| rebase(path, &root, &prefix);
                let gathered = evidence.gather(p);
                projects.push(PushedProjectDoc {
                    path: at(&p.path),
                    name: p.name.clone(),
                    files: p
                        .files
                        .iter()
                        .map(|f| FileDoc {
                            path: at(&f.path),
                            format: f.format.clone(),
                            components: f.components,
                        })
                        .collect(),
                    components: p.components.clone(),
                    dependencies: p.dependencies.clone(),
                    extras: s
                        .extras
                        .iter()
                        .map(|(path, text)| ExtraFile {
                            path: at(path),
                            text: text.clone(),
                        })
                        .collect(),
                    evidence: Some(EvidenceDoc::from_evidence(&gathered)),
                });
            }
            Ok(())
        },
    )?;
    let doc = PushDocument {
        format: FORMAT.to_owned(),
        version: VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: req.commit.clone(),
        projects,
    };
    Ok((doc, scanned))
}

/// The endpoint of server `url` (its address, or the endpoint itself).
pub fn endpoint(url: &str) -> String {
    let url = url.trim_end_matches('/');
    if url.ends_with(SCANS_PATH) {
        url.to_owned()
    } else {
        format!("{url}{SCANS_PATH}")
    }
}

/// Sends `doc` to server `url` with `token`; an error names the URL, the HTTP status and
/// the server's problem detail.
pub fn send(url: &str, token: &str, doc: &PushDocument) -> anyhow::Result<PushAnswer> {
    let url = endpoint(url);
    let json = serde_json::to_vec(doc)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json)?;
    let body = gz.finish()?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .user_agent(concat!("vigie/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let response = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .send(&body[..])
        .with_context(|| format!("push to {url}"))?;
    let status = response.status();
    let text = response
        .into_body()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    if !status.is_success() {
        let detail = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| {
                v.get("detail")
                    .or_else(|| v.get("title"))
                    .and_then(|d| d.as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| text.chars().take(500).collect());
        bail!("push to {url}: HTTP {status}: {detail}");
    }
    serde_json::from_str(&text)
        .with_context(|| format!("push to {url}: HTTP {status}: the answer is not vigie's"))
}
