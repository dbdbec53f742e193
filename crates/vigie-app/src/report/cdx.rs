//! `vigie report -f cyclonedx`: one CycloneDX 1.6 JSON BOM of a stored snapshot, with its
//! vulnerability findings as `vulnerabilities` and the triage decisions as VEX `analysis`.
//!
//! Components are streamed from the store straight to the output (an estate has millions);
//! only the bom-refs of the components some vulnerability affects are kept, then the
//! `vulnerabilities` array is written after `components` and `dependencies`.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{Value, json};
use vigie_export::vex::{self, Decision, Occurrence};
use vigie_findings::Family;
use vigie_store::{EffectiveState, FindingStatus, SnapshotId, Store};

/// The project's name: the last part of its path (the store's bulk reads give no name).
pub fn project_name(path: &str) -> &str {
    path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path)
}

/// The bom-ref of the `i`th project (path order), as in the inventory BOM.
fn project_ref(i: usize, path: &str) -> String {
    format!("project-{i}:{path}")
}

/// Writes the BOM of `snapshot` with the triage in force on `today`.
pub fn write(
    store: &dyn Store,
    snapshot: SnapshotId,
    today: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let info = store
        .snapshots()?
        .into_iter()
        .find(|s| s.id == snapshot)
        .ok_or_else(|| anyhow::anyhow!("no snapshot {snapshot}"))?;
    let statuses: Vec<FindingStatus> = store
        .effective_triage(snapshot, today)?
        .into_iter()
        .filter(|s| s.finding.family == Family::Vulnerability)
        .collect();
    // project path → purl → bom-refs of the components, for the affected ones only (looked
    // up by borrowed text: no allocation per streamed component).
    let mut refs: HashMap<String, HashMap<String, Vec<String>>> = HashMap::new();
    for s in &statuses {
        if let Some(purl) = &s.finding.purl {
            refs.entry(s.finding.project_path.clone())
                .or_default()
                .insert(purl.clone(), Vec::new());
        }
    }
    let paths = store.project_paths(snapshot)?;
    let roots = info.meta.roots.join(", ");
    let head = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": vex::serial_number(&[&info.meta.taken_at, &roots, &snapshot.to_string(), today]),
        "version": 1,
        "metadata": {
            "timestamp": info.meta.taken_at,
            "tools": {"components": [{"type": "application", "name": "vigie", "version": env!("CARGO_PKG_VERSION")}]},
            "component": {
                "type": "application", "bom-ref": "estate",
                "name": if roots.is_empty() { "." } else { &roots },
                "properties": [
                    {"name": "vigie:snapshot", "value": snapshot.to_string()},
                    {"name": "vigie:triage-as-of", "value": today},
                ],
            },
        },
    });
    let head = serde_json::to_string(&head)?;
    // The head without its closing brace: the arrays follow.
    out.write_all(
        head.get(..head.len().saturating_sub(1))
            .unwrap_or("{")
            .as_bytes(),
    )?;
    out.write_all(b",\"components\":[")?;
    let mut stream = Stream {
        out,
        paths: &paths,
        next: 0,
        open: None,
        index: 0,
        error: None,
    };
    store.for_each_component(snapshot, &mut |row| {
        if stream.error.is_some() {
            return;
        }
        if let Err(e) = stream.enter(row.project_path) {
            stream.error = Some(e);
            return;
        }
        let Some((pi, path)) = &stream.open else {
            return;
        };
        let bom_ref = format!("{}#{}", project_ref(*pi, path), stream.index);
        stream.index += 1;
        let c = vex::stored_component(
            &bom_ref,
            row.ecosystem,
            row.name,
            row.version,
            row.purl,
            row.licence,
        );
        let sep: &[u8] = if stream.index > 1 { b"," } else { b"" };
        let r = stream
            .out
            .write_all(sep)
            .and_then(|()| serde_json::to_writer(&mut *stream.out, &c).map_err(Into::into));
        if let Err(e) = r {
            stream.error = Some(e);
            return;
        }
        if let Some(list) = refs
            .get_mut(row.project_path)
            .and_then(|p| p.get_mut(row.purl))
        {
            list.push(bom_ref);
        }
    })?;
    if let Some(e) = stream.error.take() {
        return Err(e.into());
    }
    stream.enter_rest()?;
    let project_refs: Vec<String> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| project_ref(i, p))
        .collect();
    let out = stream.out;
    out.write_all(b"],\"dependencies\":")?;
    serde_json::to_writer(
        &mut *out,
        &json!([{"ref": "estate", "dependsOn": project_refs}]),
    )?;
    let justifications: Vec<Option<String>> = statuses
        .iter()
        .map(|s| {
            s.triage
                .as_ref()
                .and_then(|t| t.input.justification.map(|j| j.as_str()))
        })
        .collect();
    let occurrences: Vec<Occurrence<'_>> = statuses
        .iter()
        .zip(&justifications)
        .map(|(s, justification)| {
            let f = &s.finding;
            let refs = f
                .purl
                .as_deref()
                .and_then(|purl| refs.get(&f.project_path)?.get(purl));
            Occurrence {
                id: &f.id,
                aliases: &f.aliases,
                rating: f.rating,
                finding: f.detail.vulnerability().map(|d| &d.finding),
                refs: refs.map_or(&[][..], Vec::as_slice),
                version: f.component().and_then(|(_, _, v)| v),
                decision: s.triage.as_ref().map(|t| Decision {
                    state: t.input.state.as_str(),
                    justification: justification.as_deref(),
                    until: t.input.until.as_deref(),
                    in_force: s.effective != EffectiveState::AcceptanceExpired,
                    reason: &t.input.reason,
                    by: &t.input.by,
                    at: &t.input.at,
                }),
            }
        })
        .collect();
    out.write_all(b",\"vulnerabilities\":")?;
    serde_json::to_writer(&mut *out, &Value::Array(vex::vulnerabilities(&occurrences)))?;
    out.write_all(b"}\n")?;
    Ok(())
}

/// The `components` array being written: project wrappers opened and closed in path order.
struct Stream<'o, 'p> {
    out: &'o mut dyn Write,
    paths: &'p [String],
    /// The next path of `paths` not yet opened.
    next: usize,
    /// The open project: (index, path).
    open: Option<(usize, String)>,
    /// Components written in the open project.
    index: usize,
    error: Option<std::io::Error>,
}

impl Stream<'_, '_> {
    /// Makes `path` the open project, writing the empty projects before it.
    fn enter(&mut self, path: &str) -> std::io::Result<()> {
        if self.open.as_ref().is_some_and(|(_, p)| p == path) {
            return Ok(());
        }
        self.close()?;
        while let Some(p) = self.paths.get(self.next) {
            let i = self.next;
            self.next += 1;
            self.begin(i, p)?;
            if p == path {
                return Ok(());
            }
            self.close()?;
        }
        // Not among the paths (a store written meanwhile): a project of its own.
        let i = self.next;
        self.next += 1;
        self.begin(i, path)
    }

    fn begin(&mut self, i: usize, path: &str) -> std::io::Result<()> {
        let head = json!({
            "type": "application",
            "bom-ref": project_ref(i, path),
            "name": project_name(path),
            "properties": [{"name": "vigie:path", "value": path}],
        });
        let text = serde_json::to_string(&head)?;
        if i > 0 {
            self.out.write_all(b",")?;
        }
        self.out.write_all(
            text.get(..text.len().saturating_sub(1))
                .unwrap_or("{")
                .as_bytes(),
        )?;
        self.out.write_all(b",\"components\":[")?;
        self.open = Some((i, path.to_owned()));
        self.index = 0;
        Ok(())
    }

    fn close(&mut self) -> std::io::Result<()> {
        if self.open.take().is_some() {
            self.out.write_all(b"]}")?;
        }
        Ok(())
    }

    /// Closes the open project and writes the remaining (empty) ones.
    fn enter_rest(&mut self) -> std::io::Result<()> {
        self.close()?;
        while let Some(p) = self.paths.get(self.next) {
            let i = self.next;
            self.next += 1;
            self.begin(i, p)?;
            self.close()?;
        }
        Ok(())
    }
}
