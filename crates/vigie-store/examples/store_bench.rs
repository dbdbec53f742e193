//! Writes a synthetic estate into a fresh store and times it, then times `who_uses`.
//!
//! `cargo run --release -p vigie-store --example store_bench -- DB [PROJECTS] [COMPONENTS]`
//! (defaults 10000 and 300: three million component rows). Used by `bench/store.sh`.

use std::time::Instant;

use vigie_model::{Component, Ecosystem};
use vigie_store::{FindingRecord, Location, Mode, PackageQuery, ProjectRecord, SnapshotMeta};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args
        .next()
        .ok_or("usage: store_bench DB [PROJECTS] [COMPONENTS]")?;
    let projects: u32 = args.next().map_or(Ok(10_000), |s| s.parse())?;
    let per: u32 = args.next().map_or(Ok(300), |s| s.parse())?;
    let _ = std::fs::remove_file(&db);
    let mut store = vigie_store::open(&Location::path(&db), Mode::ReadWrite)?;
    // Packages: 20,000 names, each project draws `per` of them spread over the range, with
    // one of 5 versions; "popular-lib" is in every project.
    let mut total = 0u64;
    let mut prepare = std::time::Duration::ZERO;
    let mut write = std::time::Duration::ZERO;
    let t0 = Instant::now();
    let mut w = store.begin_snapshot(&SnapshotMeta {
        taken_at: "2026-11-26T00:00:00Z".into(),
        tool_version: "bench".into(),
        roots: vec!["/estate".into()],
        label: None,
    })?;
    for p in 0..projects {
        let t = Instant::now();
        let mut components: Vec<Component> = (0..per.saturating_sub(1))
            .map(|j| {
                let k = (p.wrapping_mul(7919) + j * 67) % 20_000;
                Component::new(
                    Ecosystem::Npm,
                    format!("pkg-{k}"),
                    Some(&format!("1.{}.0", (p + j) % 5)),
                )
            })
            .collect();
        components.push(Component::new(
            Ecosystem::Npm,
            "popular-lib",
            Some(&format!("2.{}.0", p % 10)),
        ));
        let path = format!("repo-{p}/app");
        let findings: Vec<FindingRecord> = (0..3)
            .map(|i| FindingRecord {
                key: format!("vulnerability/GHSA-{i}/{path}/{}", components[i].purl),
                family: vigie_findings::Family::Vulnerability,
                id: format!("GHSA-{i}"),
                aliases: vec![format!("CVE-2026-{i}")],
                rating: vigie_findings::Rating::High,
                project_path: path.clone(),
                purl: Some(components[i].purl.clone()),
                title: "x".into(),
                fixed: None,
                known_exploited: false,
                detail: vigie_findings::Detail::Unparsed(serde_json::json!({"id": i})),
            })
            .collect();
        prepare += t.elapsed();
        let t = Instant::now();
        w.add_project(
            &ProjectRecord {
                path,
                name: format!("app-{p}"),
                files: vec!["package-lock.json".into()],
                licence_categories: Default::default(),
                file_components: Vec::new(),
                fingerprint: None,
                uncovered: Default::default(),
            },
            &components,
            &findings,
        )?;
        write += t.elapsed();
        total += components.len() as u64;
    }
    let t = Instant::now();
    let id = w.commit()?;
    let commit = t.elapsed();
    let all = t0.elapsed();
    store.checkpoint()?;
    let stats = store.stats()?;
    println!(
        "snapshot: {projects} projects, {total} components, {} packages; store {:.2} s (add_project {:.2} s, commit {:.2} s; building inputs {:.2} s); {:.1} MB on disk",
        stats.packages,
        (write + commit).as_secs_f64(),
        write.as_secs_f64(),
        commit.as_secs_f64(),
        prepare.as_secs_f64(),
        stats.bytes as f64 / 1e6,
    );
    let _ = all;
    for q in ["popular-lib", "popular-lib@<2.5.0", "pkg:npm/pkg-42@1.2.0"] {
        let query = PackageQuery::parse(q)?;
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..21 {
            let t = Instant::now();
            n = store.who_uses(id, &query)?.len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "who_uses {q:<24} {n:>6} projects, median {:.2} ms",
            times[10].as_secs_f64() * 1e3
        );
    }
    // A second scan where one project in ten bumped one package: diff and retention.
    let mut w = store.begin_snapshot(&SnapshotMeta {
        taken_at: "2026-11-27T00:00:00Z".into(),
        tool_version: "bench".into(),
        roots: vec!["/estate".into()],
        label: None,
    })?;
    let t = Instant::now();
    for p in 0..projects {
        let components: Vec<Component> = (0..per)
            .map(|j| {
                let k = (p.wrapping_mul(7919) + j * 67) % 20_000;
                let bump = u32::from(p % 10 == 0 && j == 0);
                Component::new(
                    Ecosystem::Npm,
                    format!("pkg-{k}"),
                    Some(&format!("1.{}.{bump}", (p + j) % 5)),
                )
            })
            .collect();
        w.add_project(
            &ProjectRecord {
                path: format!("repo-{p}/app"),
                name: format!("app-{p}"),
                files: vec![],
                licence_categories: Default::default(),
                file_components: Vec::new(),
                fingerprint: None,
                uncovered: Default::default(),
            },
            &components,
            &[],
        )?;
    }
    let second = w.commit()?;
    println!(
        "second snapshot (with input building): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let d = store.diff(id, second)?;
    println!(
        "diff: {} projects changed, {} findings resolved, {:.2} s",
        d.projects_changed.len(),
        d.findings_resolved.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let pruned = store.retain(1)?;
    println!(
        "retain(1): {} snapshot(s), {} packages deleted, {:.2} s",
        pruned.snapshots,
        pruned.packages,
        t.elapsed().as_secs_f64()
    );
    // Export and import of what is left (one snapshot).
    let export = format!("{db}.export.json");
    let t = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&export)?);
    store.export(&mut out)?;
    drop(out);
    let size = std::fs::metadata(&export)?.len();
    println!(
        "export: {:.1} MB, {:.2} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let copy = format!("{db}.import.db");
    let _ = std::fs::remove_file(&copy);
    let mut fresh = vigie_store::open(&Location::path(&copy), Mode::ReadWrite)?;
    let t = Instant::now();
    fresh.import(&mut std::io::BufReader::new(std::fs::File::open(&export)?))?;
    println!("import: {:.2} s", t.elapsed().as_secs_f64());
    let _ = std::fs::remove_file(&export);
    Ok(())
}
