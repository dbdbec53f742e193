//! Parsing throughput per format family on the real files of the reference
//! data: `cargo bench -p vigie-discovery --bench throughput`.
//!
//! Each file is read once into memory, then parsed by its reader repeatedly
//! (at least 10 runs and 0.5 s); the median run gives MB/s on one core.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vigie_discovery::{MemorySource, read_file_as, registry};

/// (family, reader id, path under the data folder)
const FILES: &[(&str, &str, &str)] = &[
    ("TOML", "cargo-lock", "lockfiles/rust-lang-cargo/Cargo.lock"),
    ("TOML", "cargo-lock", "lockfiles/astral-sh-ruff/Cargo.lock"),
    ("TOML", "uv-lock", "lockfiles/astral-sh-ruff/uv.lock"),
    (
        "TOML",
        "poetry-lock",
        "lockfiles/python-poetry-poetry/poetry.lock",
    ),
    (
        "JSON",
        "package-lock",
        "lockfiles/pypi-warehouse/package-lock.json",
    ),
    (
        "JSON",
        "package-lock",
        "lockfiles/bookstack/package-lock.json",
    ),
    ("JSON", "composer-lock", "lockfiles/bookstack/composer.lock"),
    (
        "JSON",
        "cyclonedx-json",
        "sbom/cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json",
    ),
    (
        "JSON",
        "spdx-json",
        "sbom/bom-shelter-in-the-wild/spdx/julia.spdx.json",
    ),
    ("YAML", "pnpm-lock", "lockfiles/vite/pnpm-lock.yaml"),
    (
        "YAML",
        "pnpm-lock",
        "lockfiles/prometheus/web-ui-pnpm-lock.yaml",
    ),
    ("text", "yarn-lock", "lockfiles/excalidraw/yarn.lock"),
    ("text", "yarn-lock", "lockfiles/prettier/yarn.lock"),
    (
        "text",
        "gemfile-lock",
        "lockfiles/rubygems.org/Gemfile.lock",
    ),
    (
        "text",
        "requirements-txt",
        "lockfiles/pypi-warehouse/requirements-main.txt",
    ),
    ("text", "go-mod", "lockfiles/prometheus/go.mod"),
    (
        "text",
        "spdx-tag-value",
        "sbom/bom-shelter-in-the-wild/spdx/julia.spdx",
    ),
    ("XML", "pom-xml", "lockfiles/spring-petclinic/pom.xml"),
    (
        "XML",
        "cyclonedx-xml",
        "sbom/cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.xml",
    ),
];

fn data_dir() -> PathBuf {
    std::env::var_os("VIGIE_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    )
}

fn main() {
    let data = data_dir();
    println!(
        "{:<6} {:<16} {:<62} {:>9} {:>6} {:>10} {:>9}",
        "family", "reader", "file", "bytes", "comps", "median", "MB/s"
    );
    let mut families: std::collections::BTreeMap<&str, (f64, f64)> = Default::default();
    for &(family, id, rel) in FILES {
        let Some(reader) = registry::by_id(id) else {
            println!("{family:<6} {id:<16} {rel:<62} (reader not registered)");
            continue;
        };
        let path = data.join(rel);
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("{family:<6} {id:<16} {rel:<62} (missing)");
            continue;
        };
        let source = MemorySource::new();
        let display = path.to_string_lossy().into_owned();
        let mut runs = Vec::new();
        let start = Instant::now();
        let mut comps = 0;
        while runs.len() < 10 || start.elapsed() < Duration::from_millis(500) {
            let t = Instant::now();
            let out = read_file_as(reader, &display, &text, &source);
            runs.push(t.elapsed());
            comps = out.components.len();
            std::hint::black_box(out);
        }
        runs.sort();
        let median = runs[runs.len() / 2];
        let mbps = text.len() as f64 / 1e6 / median.as_secs_f64();
        let e = families.entry(family).or_default();
        e.0 += text.len() as f64;
        e.1 += median.as_secs_f64();
        println!(
            "{family:<6} {id:<16} {rel:<62} {:>9} {comps:>6} {:>8.2}ms {mbps:>9.0}",
            text.len(),
            median.as_secs_f64() * 1e3
        );
    }
    println!("\nper family (total bytes / sum of medians):");
    for (family, (bytes, secs)) in families {
        println!("{family:<6} {:>9.0} MB/s", bytes / 1e6 / secs);
    }
}
