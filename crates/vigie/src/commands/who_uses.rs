//! `vigie who-uses`: every project and system that uses a package or is hit by an advisory.

use std::io::Write;
use std::process::ExitCode;

use vigie_store::{AdvisoryUse, LinkedEntity, PackageQuery, Usage, UsageRef};

use vigie_app::admin::knowledge;
use vigie_app::hit::{AdvisoryKnowledge, IndexAnswer, Question};

use crate::cli::{ListFormat, WhoUsesArgs};
use crate::render::{Table, clean};

/// The systems (or elements) and the owners of a project, as two cells.
pub fn systems_and_owners(entities: &[LinkedEntity]) -> (String, String) {
    let mut systems: Vec<&str> = entities
        .iter()
        .map(|e| e.system.as_deref().unwrap_or(&e.entity_ref))
        .collect();
    systems.sort();
    systems.dedup();
    let mut owners: Vec<&str> = entities
        .iter()
        .flat_map(|e| e.owners.iter().map(String::as_str))
        .collect();
    owners.sort();
    owners.dedup();
    (systems.join(", "), owners.join(", "))
}

pub fn run(args: WhoUsesArgs) -> anyhow::Result<ExitCode> {
    if args
        .advisory
        .as_deref()
        .is_some_and(|id| id.trim().is_empty())
    {
        anyhow::bail!("--advisory needs an advisory id or alias (CVE-2021-44228, GHSA-…)");
    }
    let store = super::store_io::open_read_only(&args.query.store)?;
    let snapshot = super::store_io::snapshot(&*store, args.query.snapshot)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Some(id) = &args.advisory {
        match args.query.format {
            ListFormat::Json => {
                // The findings only, as always; `vigie hit ID --format json` adds what the
                // index knows of the advisory.
                let hits = store.who_uses_advisory(snapshot, id)?;
                serde_json::to_writer_pretty(&mut out, &hits)?;
                writeln!(out)?;
            }
            ListFormat::Table => {
                let knowledge = AdvisoryKnowledge::open(args.query.store.data.data_dir.as_deref())
                    .map_err(|e| format!("{e:#}"));
                let question = Question::Advisory { id: id.clone() };
                let answer = vigie_app::hit::answer(
                    &*store,
                    snapshot,
                    &question,
                    knowledge.as_ref().map_err(String::as_str),
                )?;
                advisory_table(&mut out, &answer.findings, id)?;
                if answer.findings.is_empty() {
                    writeln!(out, "{}", clean(&index_status(id, answer.index.as_ref())))?;
                    if matches!(answer.index, Some(IndexAnswer::Unknown)) {
                        let data_dir = args.query.store.data.data_dir.as_deref();
                        if let Some(covered) = knowledge::covered_ecosystems(data_dir) {
                            let uses = store.package_uses(snapshot)?;
                            let coverage = knowledge::coverage_of(&covered, &uses);
                            if let Some(gaps) = crate::render::coverage_gaps(&coverage) {
                                writeln!(
                                    out,
                                    "the snapshot uses ecosystems with no advisory source in \
                                     this index: {gaps}"
                                )?;
                            }
                        }
                    }
                }
            }
        }
    } else {
        let q = PackageQuery::parse(args.package.as_deref().unwrap_or_default())?;
        match args.query.format {
            ListFormat::Json => {
                // Printed as read: a package in thousands of projects is never held whole.
                let mut json = JsonRows::default();
                store.who_uses_each(snapshot, &q, &mut |u| {
                    json.row(&mut out, u).map_err(vigie_store::Error::Io)
                })?;
                json.finish(&mut out)?;
                writeln!(out)?;
            }
            ListFormat::Table => {
                let uses = store.who_uses(snapshot, &q)?;
                usage_table(&mut out, &uses)?;
                let data_dir = args.query.store.data.data_dir.as_deref();
                if !uses.is_empty()
                    && let Some(covered) = knowledge::covered_ecosystems(data_dir)
                {
                    let mut blind: Vec<&str> = uses
                        .iter()
                        .filter_map(|u| vigie_model::Purl::parse_lenient(&u.purl).ok())
                        .map(|p| vigie_model::Component::from_purl(&p).ecosystem.as_str())
                        .filter(|e| !covered.iter().any(|c| c == e))
                        .collect();
                    blind.sort_unstable();
                    blind.dedup();
                    if !blind.is_empty() {
                        writeln!(
                            out,
                            "{}: no advisory source in this index, whether these versions are \
                             vulnerable is not known",
                            clean(&blind.join(", "))
                        )?;
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The findings of an advisory, with their projects' systems and owners, as a table.
pub fn advisory_table(out: &mut impl Write, hits: &[AdvisoryUse], id: &str) -> std::io::Result<()> {
    let mut t = Table::new([
        "PROJECT", "FINDING", "RATING", "PACKAGE", "FIXED", "SYSTEMS", "OWNERS",
    ]);
    for h in hits {
        let (systems, owners) = systems_and_owners(&h.entities);
        let f = &h.finding;
        t.row([
            f.project_path.clone(),
            f.id.clone(),
            f.rating.to_string(),
            f.purl.clone().unwrap_or_default(),
            f.fixed.clone().unwrap_or_default(),
            systems,
            owners,
        ]);
    }
    t.write(out)?;
    writeln!(out, "{} finding(s) of {id}", hits.len())
}

/// Why an advisory has no finding: nobody uses an affected version, or the index does not
/// know the advisory (then nothing can be said), or there is no index.
pub fn index_status(id: &str, index: Option<&IndexAnswer>) -> String {
    match index {
        Some(IndexAnswer::Known { .. }) => {
            format!("{id} is in the knowledge index: no project uses an affected version")
        }
        Some(IndexAnswer::Unknown) | None => format!(
            "{id} is not in the knowledge index: whether it is used cannot be said \
             (check the id; `vigie knowledge` lists the ecosystems the index covers)"
        ),
        Some(IndexAnswer::NoIndex { reason }) => {
            format!("{id}: no knowledge index to say whether it exists: {reason}")
        }
    }
}

/// The projects that use a package, with their systems and owners, as a table.
pub fn usage_table(out: &mut impl Write, uses: &[Usage]) -> std::io::Result<()> {
    let mut t = Table::new(["PROJECT", "PACKAGE", "SCOPE", "SYSTEMS", "OWNERS"]);
    for u in uses {
        let (systems, owners) = systems_and_owners(&u.entities);
        t.row([
            u.project_path.clone(),
            u.purl.clone(),
            u.scope.as_str().to_owned(),
            systems,
            owners,
        ]);
    }
    t.write(out)?;
    let mut projects: Vec<&str> = uses.iter().map(|u| u.project_path.as_str()).collect();
    projects.dedup();
    writeln!(out, "{} project(s)", projects.len())
}

/// The who-uses rows as JSON, written as `serde_json::to_writer_pretty` writes a list of
/// [`vigie_store::Usage`], byte for byte (a test compares them), and several times faster:
/// who-uses of a package in thousands of projects prints a megabyte, and serde's writer (a
/// call per token) was the largest part of the command. Rows are built in a buffer written
/// out every 64 KiB.
#[derive(Default)]
struct JsonRows {
    b: Vec<u8>,
    rows: usize,
}

impl JsonRows {
    fn row(&mut self, out: &mut impl Write, u: &UsageRef<'_>) -> std::io::Result<()> {
        let b = &mut self.b;
        b.extend_from_slice(if self.rows == 0 { b"[\n  {" } else { b",\n  {" });
        self.rows += 1;
        field(b, 4, "project_path", true);
        json_str(b, u.project_path);
        field(b, 4, "project_name", false);
        json_str(b, u.project_name);
        field(b, 4, "purl", false);
        json_str(b, u.purl);
        field(b, 4, "version", false);
        json_opt(b, u.version);
        field(b, 4, "scope", false);
        json_str(b, u.scope.as_str());
        field(b, 4, "relation", false);
        json_str(b, u.relation.as_str());
        field(b, 4, "entities", false);
        if u.entities.is_empty() {
            b.extend_from_slice(b"[]");
        } else {
            b.push(b'[');
            for (m, e) in u.entities.iter().enumerate() {
                b.extend_from_slice(if m == 0 { b"\n      {" } else { b",\n      {" });
                field(b, 8, "entity_ref", true);
                json_str(b, &e.entity_ref);
                field(b, 8, "kind", false);
                json_str(b, &e.kind);
                field(b, 8, "name", false);
                json_str(b, &e.name);
                field(b, 8, "system", false);
                json_opt(b, e.system.as_deref());
                field(b, 8, "owners", false);
                if e.owners.is_empty() {
                    b.extend_from_slice(b"[]");
                } else {
                    b.push(b'[');
                    for (k, o) in e.owners.iter().enumerate() {
                        b.extend_from_slice(if k == 0 { b"\n" } else { b",\n" });
                        b.extend_from_slice(&[b' '; 10]);
                        json_str(b, o);
                    }
                    b.extend_from_slice(b"\n        ]");
                }
                b.extend_from_slice(b"\n      }");
            }
            b.extend_from_slice(b"\n    ]");
        }
        b.extend_from_slice(b"\n  }");
        if b.len() >= 1 << 16 {
            out.write_all(b)?;
            b.clear();
        }
        Ok(())
    }

    fn finish(mut self, out: &mut impl Write) -> std::io::Result<()> {
        self.b
            .extend_from_slice(if self.rows == 0 { b"[]" } else { b"\n]" });
        out.write_all(&self.b)
    }
}

/// `,` (unless first), a new line, `indent` spaces and `"key": `.
fn field(b: &mut Vec<u8>, indent: usize, key: &str, first: bool) {
    const SPACES: [u8; 8] = [b' '; 8];
    b.extend_from_slice(if first { b"\n" } else { b",\n" });
    b.extend_from_slice(SPACES.get(..indent).unwrap_or(&SPACES));
    b.push(b'"');
    b.extend_from_slice(key.as_bytes());
    b.extend_from_slice(b"\": ");
}

fn json_opt(b: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(b, s),
        None => b.extend_from_slice(b"null"),
    }
}

/// A JSON string, escaped as serde_json escapes: `"`, `\\` and the control characters.
fn json_str(b: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    b.push(b'"');
    // Most texts need no escape: one branch-free pass, then one copy.
    let plain = bytes
        .iter()
        .fold(true, |ok, &c| ok & (c >= 0x20) & (c != b'"') & (c != b'\\'));
    if plain {
        b.extend_from_slice(bytes);
        b.push(b'"');
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hex = |v: u8| HEX.get(usize::from(v & 0xf)).copied().unwrap_or(b'0');
    for &c in bytes {
        match c {
            b'"' => b.extend_from_slice(b"\\\""),
            b'\\' => b.extend_from_slice(b"\\\\"),
            b'\n' => b.extend_from_slice(b"\\n"),
            b'\r' => b.extend_from_slice(b"\\r"),
            b'\t' => b.extend_from_slice(b"\\t"),
            0x08 => b.extend_from_slice(b"\\b"),
            0x0c => b.extend_from_slice(b"\\f"),
            0..0x20 => b.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(c >> 4), hex(c)]),
            _ => b.push(c),
        }
    }
    b.push(b'"');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use vigie_model::{Relation, Scope};
    use vigie_store::Usage;

    use super::*;

    fn entity() -> impl Strategy<Value = LinkedEntity> {
        // Any character, control characters, quotes and backslashes made likely.
        let text = "(\\PC|[\\x00-\\x1f\"\\\\\\x7f]){0,12}";
        (
            text,
            text,
            text,
            proptest::option::of(text),
            proptest::collection::vec(text, 0..3),
        )
            .prop_map(|(entity_ref, kind, name, system, owners)| LinkedEntity {
                entity_ref,
                kind,
                name,
                system,
                owners,
            })
    }

    fn usage() -> impl Strategy<Value = Usage> {
        let text = "(\\PC|[\\x00-\\x1f\"\\\\\\x7f]){0,16}";
        let scopes = prop_oneof![
            Just(Scope::Runtime),
            Just(Scope::Dev),
            Just(Scope::Optional),
            Just(Scope::Build),
            Just(Scope::Unknown)
        ];
        let relations = prop_oneof![
            Just(Relation::Direct),
            Just(Relation::Transitive),
            Just(Relation::Unknown)
        ];
        (
            (text, text, text, proptest::option::of(text)),
            scopes,
            relations,
            proptest::collection::vec(entity(), 0..3),
        )
            .prop_map(
                |((project_path, project_name, purl, version), scope, relation, entities)| Usage {
                    project_path,
                    project_name,
                    purl,
                    version,
                    scope,
                    relation,
                    entities,
                },
            )
    }

    proptest! {
        #[test]
        fn the_json_is_serde_json_pretty_byte_for_byte(
            uses in proptest::collection::vec(usage(), 0..4)
        ) {
            let mut fast = Vec::new();
            let mut json = JsonRows::default();
            for u in &uses {
                json.row(&mut fast, &u.borrowed()).unwrap();
            }
            json.finish(&mut fast).unwrap();
            let serde = serde_json::to_vec_pretty(&uses).unwrap();
            prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(serde).unwrap());
        }
    }
}
