//! Hostile inputs: broken and malicious product files, archives with path
//! tricks, links and bombs, oversized files, garbage for every detector.
//! Each is a listed problem, never a panic, and the good part is kept.

use std::io::Write;

use vigie_lifecycle::{ArchiveError, Knowledge, Limits, detect};

const GOOD: &str = "---\ntitle: Good\ncategory: lang\nreleases:\n  - releaseCycle: \"1\"\n    releaseDate: 2020-01-01\n    eol: false\n---\n";

/// A tar.gz of `(path, bytes, kind)`; the path is written into the header
/// as is (no check), so that `../` and absolute names can be made.
fn tgz(entries: &[(&str, &[u8], tar::EntryType)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data, kind) in entries {
        let mut h = tar::Header::new_old();
        let name = &mut h.as_old_mut().name;
        name[..path.len()].copy_from_slice(path.as_bytes());
        h.set_size(data.len() as u64);
        h.set_entry_type(*kind);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    let tar = b.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

fn file<'a>(path: &'a str, data: &'static str) -> (&'a str, &'static [u8], tar::EntryType) {
    (path, data.as_bytes(), tar::EntryType::Regular)
}

#[test]
fn broken_front_matter_is_reported_and_the_rest_kept() {
    let bytes = tgz(&[
        file("products/good.md", GOOD),
        file("products/unclosed.md", "---\ntitle: [oops\n---\n"),
        file("products/none.md", "# no front matter\n"),
        file("products/notitle.md", "---\nreleases: []\n---\n"),
        file(
            "products/baddate.md",
            "---\ntitle: X\ncategory: os\nreleases:\n  - releaseCycle: \"1\"\n    eol: 2020-02-30\n  - releaseCycle: \"2\"\n    eol: true\n---\n",
        ),
        file(
            "products/mapping.md",
            "---\ntitle: X\nreleases:\n  - releaseCycle: {a: b}\n---\n",
        ),
        file("products/README.txt", "not a product"),
    ]);
    let (k, report) = Knowledge::compile(&bytes, None, &Limits::default()).unwrap();
    let names: Vec<_> = k.products.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["baddate", "good"]);
    assert_eq!(k.product("baddate").unwrap().cycles.len(), 1);
    let mut skipped: Vec<_> = report
        .skipped
        .iter()
        .map(|s| format!("{} {}", s.file, s.cycle.as_deref().unwrap_or("-")))
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "products/baddate.md 1",
            "products/mapping.md -",
            "products/none.md -",
            "products/notitle.md -",
            "products/unclosed.md -",
        ]
    );
    assert!(report.skipped.iter().all(|s| !s.reason.is_empty()));
}

#[test]
fn alias_bomb_is_stopped_by_the_yaml_budget() {
    // "Billion laughs": 9 levels of 9 aliases, 387 million strings if expanded.
    let mut y = String::from(
        "---\ntitle: Bomb\nreleases: []\nx0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        y.push_str(&format!(
            "x{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    y.push_str("---\n");
    let bomb: &'static str = Box::leak(y.into_boxed_str());
    let bytes = tgz(&[
        file("products/bomb.md", bomb),
        file("products/good.md", GOOD),
    ]);
    let (k, report) = Knowledge::compile(&bytes, None, &Limits::default()).unwrap();
    assert_eq!(k.products.len(), 1);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].file, "products/bomb.md");
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "---\ntitle: Deep\nreleases: []\nx: {}{}\n---\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let deep: &'static str = Box::leak(deep.into_boxed_str());
    let bytes = tgz(&[file("products/deep.md", deep)]);
    let (k, report) = Knowledge::compile(&bytes, None, &Limits::default()).unwrap();
    assert!(k.products.is_empty());
    assert_eq!(report.skipped.len(), 1);
}

#[test]
fn path_tricks_and_links_are_refused() {
    let bytes = tgz(&[
        file("../products/evil.md", GOOD),
        file("products/../../evil2.md", GOOD),
        file("/products/abs.md", GOOD),
        ("products/link.md", b"", tar::EntryType::Symlink),
        file("repo-main/products/good.md", GOOD),
    ]);
    let (k, report) = Knowledge::compile(&bytes, None, &Limits::default()).unwrap();
    let names: Vec<_> = k.products.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["good"]);
    let refused: Vec<_> = report.skipped.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(
        refused,
        [
            "../products/evil.md",
            "products/../../evil2.md",
            "/products/abs.md",
            "products/link.md"
        ]
    );
}

#[test]
fn oversized_entries_and_gzip_bombs() {
    let big: &'static str = Box::leak(format!("{GOOD}{}", "x".repeat(4096)).into_boxed_str());
    let limits = Limits {
        max_entry: 1024,
        max_total: 1 << 20,
        max_entries: 100,
    };
    let bytes = tgz(&[file("products/big.md", big), file("products/good.md", GOOD)]);
    let (k, report) = Knowledge::compile(&bytes, None, &limits).unwrap();
    assert_eq!(k.products.len(), 1);
    assert!(
        report.skipped[0].reason.contains("over the limit"),
        "{report:?}"
    );

    // 64 MiB of zeros compress to about 64 kB: refused at the 1 MiB total.
    let zeros: &'static [u8] = Box::leak(vec![0u8; 64 << 20].into_boxed_slice());
    let bomb = tgz(&[("products/zeros.md", zeros, tar::EntryType::Regular)]);
    assert!(bomb.len() < 1 << 20);
    let err = Knowledge::compile(&bomb, None, &limits).unwrap_err();
    assert!(matches!(err, ArchiveError::TooLarge { .. }), "{err}");

    let many: Vec<_> = (0..200).map(|_| file("products/x.txt", "x")).collect();
    let err = Knowledge::compile(&tgz(&many), None, &limits).unwrap_err();
    assert!(matches!(err, ArchiveError::TooManyEntries { .. }), "{err}");
}

#[test]
fn garbage_archives_and_release_data() {
    assert!(matches!(
        Knowledge::compile(b"not gzip at all", None, &Limits::default()),
        Err(ArchiveError::Unreadable(_))
    ));
    let products = tgz(&[
        file("products/good.md", GOOD),
        file("products/broken.md", GOOD),
    ]);
    let releases = tgz(&[
        file(
            "releases/good.json",
            "{\"versions\": {\"1.0\": {\"date\": \"2020-01-01\"}, \"1.1\": {}}}",
        ),
        file("releases/broken.json", "{\"versions\": "),
        file("releases/nobody.json", "{\"versions\": {}}"),
    ]);
    let (k, report) = Knowledge::compile(&products, Some(&releases), &Limits::default()).unwrap();
    assert_eq!(k.product("good").unwrap().versions.len(), 1);
    assert_eq!(report.unmatched_release_files, ["nobody"]);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].file, "releases/broken.json");
}

#[test]
fn detectors_never_panic_on_garbage() {
    let long_line = "FROM ".to_owned() + &"a".repeat(100_000);
    let deep_xml = "<project>".repeat(10_000);
    let deep_json = "[".repeat(10_000);
    let texts = [
        "",
        "\0\0\0",
        "{",
        "[[[",
        "---\n- - - -\n",
        "FROM\nFROM AS\nARG\nARG =\nFROM ${\nFROM $\nFROM ${A:-${B}}\n",
        "image:\nimage: \"\nimage: '\n- image: ${X:?err}\n",
        "RUBY VERSION\n",
        "go\ntoolchain\ngo 1.2 extra\n",
        "lts/\nv\n",
        long_line.as_str(),
        deep_xml.as_str(),
        deep_json.as_str(),
        "\u{feff}é€😀\r\n\r\n",
    ];
    let names = [
        ".python-version",
        "runtime.txt",
        "pyproject.toml",
        ".nvmrc",
        "package.json",
        "go.mod",
        "rust-toolchain",
        "rust-toolchain.toml",
        ".tool-versions",
        ".ruby-version",
        "Gemfile.lock",
        "composer.json",
        "pom.xml",
        "global.json",
        "a.csproj",
        "Dockerfile",
        "compose.yaml",
        "deploy.yaml",
    ];
    for name in names {
        assert!(detect::is_candidate(name), "{name}");
        for text in texts {
            let text = format!("apiVersion: v1\nkind: Pod\n{text}");
            let _ = detect::detect_file(name, &text);
            let _ = detect::detect_file(name, text.get(27..).unwrap_or(""));
        }
    }
    let huge = "3.8\n".repeat(3 << 20);
    let out = detect::detect_file(".python-version", &huge);
    assert!(out.detections.is_empty());
    assert_eq!(out.diagnostics[0].code, "file-too-large");
}
