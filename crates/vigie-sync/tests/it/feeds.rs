//! The list of feeds: default URLs (checked against the URLs the providers document), URL
//! overrides, and refusal of paths and names that would escape the mirror.

use vigie_sync::{DEFAULT_OSV_ECOSYSTEMS, Failure, Feeds, Format, Source};

fn url_of<'a>(sources: &'a [Source], path: &str) -> &'a str {
    sources
        .iter()
        .find(|s| s.path() == path)
        .unwrap_or_else(|| panic!("no source for {path}"))
        .url()
}

#[test]
fn default_urls_are_the_documented_ones() {
    let sources = Feeds::default().sources().expect("default feeds");
    // 20 OSV ecosystems + 2 endoflife.date archives + 2 SPDX files + KEV + 3 native
    // advisory databases.
    assert_eq!(sources.len(), DEFAULT_OSV_ECOSYSTEMS.len() + 8);
    assert_eq!(DEFAULT_OSV_ECOSYSTEMS.len(), 20);
    // Written by hand from osv.dev's data page ("download over HTTP via
    // https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"), CISA's feed page,
    // GitHub's archive links and license-list-data's json/ folder.
    let expected = [
        (
            "osv/PyPI/all.zip",
            "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
        ),
        (
            "osv/crates.io/all.zip",
            "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
        ),
        (
            "osv/OSS-Fuzz/all.zip",
            "https://osv-vulnerabilities.storage.googleapis.com/OSS-Fuzz/all.zip",
        ),
        (
            "endoflife/products.tar.gz",
            "https://codeload.github.com/endoflife-date/endoflife.date/tar.gz/refs/heads/master",
        ),
        (
            "endoflife/release-data.tar.gz",
            "https://codeload.github.com/endoflife-date/release-data/tar.gz/refs/heads/main",
        ),
        (
            "spdx/licenses.json",
            "https://raw.githubusercontent.com/spdx/license-list-data/main/json/licenses.json",
        ),
        (
            "spdx/exceptions.json",
            "https://raw.githubusercontent.com/spdx/license-list-data/main/json/exceptions.json",
        ),
        (
            "kev/known_exploited_vulnerabilities.json",
            "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
        ),
        (
            "advisories-native/nodejs-security-wg-vuln.tar.gz",
            "https://codeload.github.com/nodejs/security-wg/tar.gz/refs/heads/main",
        ),
        (
            "advisories-native/ruby-advisory-db.tar.gz",
            "https://codeload.github.com/rubysec/ruby-advisory-db/tar.gz/refs/heads/master",
        ),
        (
            "advisories-native/friendsofphp-security-advisories.tar.gz",
            "https://codeload.github.com/FriendsOfPHP/security-advisories/tar.gz/refs/heads/master",
        ),
    ];
    for (path, url) in expected {
        assert_eq!(url_of(&sources, path), url, "{path}");
    }
    for s in &sources {
        assert!(s.is_required(), "{}", s.path());
        let format = if s.path().ends_with(".zip") {
            Format::Zip
        } else if s.path().ends_with(".tar.gz") {
            Format::TarGz
        } else {
            Format::Json
        };
        assert_eq!(s.format(), format, "{}", s.path());
    }
}

#[test]
fn ecosystem_names_are_encoded_in_urls_and_kept_in_paths() {
    let feeds = Feeds {
        osv_ecosystems: vec!["GitHub Actions".into(), "Rocky Linux".into()],
        ..Feeds::default()
    };
    let sources = feeds.sources().expect("feeds");
    // OSV's bucket names these folders with a space, fetched as %20.
    assert_eq!(
        url_of(&sources, "osv/GitHub Actions/all.zip"),
        "https://osv-vulnerabilities.storage.googleapis.com/GitHub%20Actions/all.zip"
    );
    assert_eq!(
        url_of(&sources, "osv/Rocky Linux/all.zip"),
        "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip"
    );
}

#[test]
fn every_base_can_point_at_one_server() {
    let sources = Feeds::all_from("http://127.0.0.1:9/", &["Go"])
        .sources()
        .expect("feeds");
    let urls: Vec<&str> = sources.iter().map(|s| s.url()).collect();
    assert_eq!(
        urls,
        [
            "http://127.0.0.1:9/osv/Go/all.zip",
            "http://127.0.0.1:9/endoflife-date/endoflife.date/tar.gz/refs/heads/master",
            "http://127.0.0.1:9/endoflife-date/release-data/tar.gz/refs/heads/main",
            "http://127.0.0.1:9/spdx/licenses.json",
            "http://127.0.0.1:9/spdx/exceptions.json",
            "http://127.0.0.1:9/kev/known_exploited_vulnerabilities.json",
            "http://127.0.0.1:9/native/nodejs/security-wg/tar.gz/refs/heads/main",
            "http://127.0.0.1:9/native/rubysec/ruby-advisory-db/tar.gz/refs/heads/master",
            "http://127.0.0.1:9/native/FriendsOfPHP/security-advisories/tar.gz/refs/heads/master",
        ]
    );
}

#[test]
fn bad_ecosystem_names_are_refused() {
    for names in [
        vec!["../../etc"],
        vec!["a/b"],
        vec![""],
        vec!["."],
        vec!["npm", "npm"],
        vec!["bell\u{7}"],
    ] {
        let feeds = Feeds {
            osv_ecosystems: names.iter().map(|s| s.to_string()).collect(),
            ..Feeds::default()
        };
        let err = feeds.sources().expect_err(&format!("{names:?} accepted"));
        assert!(
            matches!(err.failure, Failure::BadSource(_)),
            "{names:?}: {err}"
        );
    }
}

#[test]
fn sources_stay_inside_the_mirror() {
    let url = "https://example.invalid/x";
    for path in [
        "/etc/passwd.json",
        "a/../../b.json",
        "./a.json",
        "a//b.json",
        "a\\b.json",
        ".sync/osv/x.json",
        "",
        "README.md",
    ] {
        let err = Source::new(path, url).expect_err(path);
        assert!(
            matches!(err.failure, Failure::BadSource(_)),
            "{path}: {err}"
        );
    }
    for bad_url in ["file:///etc/passwd", "ftp://x/y.json", "x.json"] {
        assert!(Source::new("a.json", bad_url).is_err(), "{bad_url}");
    }
    let ok = Source::new(
        "fingerprints/technologies/a.json",
        "HTTPS://example.invalid/a.json",
    )
    .expect("a plain source");
    assert!(ok.is_required());
    assert!(!ok.optional().is_required());
}

#[test]
fn feeds_read_from_configuration_keep_defaults() {
    let feeds: Feeds = serde_json::from_str(
        r#"{"osv-base": "https://mirror.example.invalid/osv", "osv-ecosystems": ["Go"]}"#,
    )
    .expect("config");
    assert_eq!(feeds.osv_base, "https://mirror.example.invalid/osv");
    assert_eq!(feeds.osv_ecosystems, ["Go"]);
    assert_eq!(feeds.kev_base, Feeds::default().kev_base);
    assert!(serde_json::from_str::<Feeds>(r#"{"osv_base": "x"}"#).is_err());
}
