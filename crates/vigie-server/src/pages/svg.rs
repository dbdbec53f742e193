//! The map of the information system as server-side SVG: a layered layout computed here, no
//! script. Columns by kind (domains, systems, components, APIs, resources and data stores,
//! SaaS), rows grouped by system; each node a link to its page; the catalog's relations as
//! lines. Colours are classes (`vigie.css`), never inline style, so the strict CSP holds.
//! Every stored string reaches the SVG through [`escape`], clipped.

use std::collections::HashMap;
use std::fmt::Write;

use vigie_store::{CatalogData, EntityRecord};

use super::frame::encode;

const COLUMN: u32 = 200;
const ROW: u32 = 44;
const NODE_W: u32 = 180;
const NODE_H: u32 = 32;
const TOP: u32 = 30;
/// Characters of a name shown in a node.
const CLIP: usize = 22;
/// Nodes drawn at most (a bigger catalog is listed, not drawn).
pub(crate) const MAX_NODES: usize = 600;

/// The columns, in order: a key and the kinds it holds.
pub(crate) const COLUMNS: [&str; 6] = ["domain", "system", "component", "api", "resource", "saas"];

/// The column of an element, `None` for those not drawn (groups, users, locations).
pub(crate) fn column(e: &EntityRecord) -> Option<usize> {
    let kind = e.kind.to_ascii_lowercase();
    // The stored element is the catalog's, flattened: `type` is `spec.type`, `vigie.kind`
    // vigie's kind detail (`saas`, `datastore`...).
    let word = |v: Option<&serde_json::Value>| {
        v.and_then(|t| t.as_str())
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let spec_type = word(e.json.get("type"));
    let detail = word(e.json.get("vigie").and_then(|v| v.get("kind")));
    let saas = spec_type == "saas" || detail == "saas";
    match kind.as_str() {
        "domain" => Some(0),
        "system" => Some(1),
        "component" => Some(2),
        "api" => Some(3),
        "resource" if saas => Some(5),
        "resource" | "datastore" | "database" => Some(4),
        "saas" => Some(5),
        _ => None,
    }
}

/// The system an element belongs to (itself for a system).
pub(crate) fn system_of(e: &EntityRecord) -> Option<&str> {
    if e.kind.eq_ignore_ascii_case("system") {
        Some(&e.entity_ref)
    } else {
        e.system.as_deref()
    }
}

/// Text for SVG: escaped, clipped to `max` characters.
pub(crate) fn escape(s: &str, max: usize) -> String {
    let mut clipped: String = s.chars().filter(|c| !c.is_control()).take(max).collect();
    if s.chars().count() > max {
        clipped.push('…');
    }
    let mut out = String::with_capacity(clipped.len());
    for c in clipped.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The SVG of `catalog`; `class_of` gives each node's colour class (a fixed word).
pub(crate) fn map(catalog: &CatalogData, class_of: &dyn Fn(&EntityRecord) -> String) -> String {
    let mut columns: Vec<Vec<&EntityRecord>> = vec![Vec::new(); COLUMNS.len()];
    for e in &catalog.entities {
        if let Some(c) = column(e) {
            columns[c].push(e);
        }
    }
    for col in &mut columns {
        col.sort_by(|a, b| (system_of(a), a.name.as_str()).cmp(&(system_of(b), b.name.as_str())));
    }
    let mut budget = MAX_NODES;
    for col in &mut columns {
        col.truncate(budget);
        budget -= col.len();
    }
    let mut at: HashMap<&str, (u32, u32)> = HashMap::new();
    for (c, col) in columns.iter().enumerate() {
        for (r, e) in col.iter().enumerate() {
            at.insert(
                &e.entity_ref,
                (c as u32 * COLUMN + 10, TOP + r as u32 * ROW),
            );
        }
    }
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let width = COLUMNS.len() as u32 * COLUMN + 10;
    let height = TOP + rows.max(1) * ROW + 10;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">"#
    );
    let mut edges: Vec<(&str, &str)> = catalog
        .relations
        .iter()
        .map(|r| (r.source.as_str(), r.target.as_str()))
        .chain(
            catalog
                .entities
                .iter()
                .filter_map(|e| Some((e.entity_ref.as_str(), e.system.as_deref()?))),
        )
        .collect();
    edges.sort_unstable();
    edges.dedup();
    for (a, b) in edges {
        if let (Some(&(x1, y1)), Some(&(x2, y2))) = (at.get(a), at.get(b)) {
            let _ = write!(
                svg,
                r#"<line class="edge" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                x1 + NODE_W / 2,
                y1 + NODE_H / 2,
                x2 + NODE_W / 2,
                y2 + NODE_H / 2
            );
        }
    }
    for col in &columns {
        for e in col {
            let (x, y) = at[e.entity_ref.as_str()];
            let label = e.title.as_deref().unwrap_or(&e.name);
            let _ = write!(
                svg,
                r#"<a href="/systems/{href}" class="node"><title>{title}</title><rect class="{class}" x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"/><text x="{tx}" y="{ty}">{label}</text></a>"#,
                href = encode(&e.entity_ref),
                title = escape(&e.entity_ref, 200),
                class = class_of(e),
                tx = x + 8,
                ty = y + 21,
                label = escape(label, CLIP),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_escaped_in_the_map() {
        let e = EntityRecord {
            entity_ref: "system:default/<b>".into(),
            kind: "System".into(),
            name: "<script>alert(1)</script>".into(),
            title: None,
            owners: Vec::new(),
            system: None,
            criticality: None,
            internet_exposed: None,
            personal_data: false,
            repositories: Vec::new(),
            json: serde_json::Value::Null,
        };
        let svg = map(
            &CatalogData {
                entities: vec![e],
                relations: Vec::new(),
            },
            &|_| "level-none".into(),
        );
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
    }
}
