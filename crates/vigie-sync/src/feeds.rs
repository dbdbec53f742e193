//! What to download: a [`Source`] is one mirror path and its URL; [`Feeds`] builds the list of
//! the public feeds from base URLs that the configuration (and tests) can override.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::{Deserialize, Serialize};

use crate::error::{Failure, SyncError};

/// The OSV ecosystems downloaded by default, spelled as the folders of OSV's bucket.
pub const DEFAULT_OSV_ECOSYSTEMS: &[&str] = &[
    "crates.io",
    "npm",
    "PyPI",
    "Go",
    "Maven",
    "NuGet",
    "RubyGems",
    "Packagist",
    "Pub",
    "Hex",
    "Hackage",
    "CRAN",
    "Julia",
    "opam",
    "Bitnami",
    "AlmaLinux",
    "GIT",
    "OSS-Fuzz",
    "Debian",
    "Alpine",
];

/// Longest mirror path accepted, in bytes.
const MAX_PATH_LEN: usize = 512;

/// Characters escaped in one URL path segment (an ecosystem name such as `GitHub Actions`).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// How a downloaded file is checked before it is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A zip archive: its central directory must be complete.
    Zip,
    /// A gzip-compressed tar archive: it must decompress to its end.
    TarGz,
    /// A JSON document: it must parse.
    Json,
}

impl Format {
    /// The format named by a file name's extension (`.zip`, `.tar.gz` or `.tgz`, `.json`).
    pub fn of_path(path: &str) -> Option<Format> {
        if path.ends_with(".zip") {
            Some(Format::Zip)
        } else if path.ends_with(".tar.gz") || path.ends_with(".tgz") {
            Some(Format::TarGz)
        } else if path.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Zip => "zip",
            Format::TarGz => "tar.gz",
            Format::Json => "JSON",
        }
    }
}

/// One file of the mirror and where it comes from. Built by [`Source::new`], which checks
/// that the path stays inside the mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    path: String,
    url: String,
    format: Format,
    required: bool,
}

impl Source {
    /// A required source: `path` is relative to the mirror, `/`-separated, and its extension
    /// gives the [`Format`]; `url` is `http://` or `https://`.
    pub fn new(path: &str, url: &str) -> Result<Source, SyncError> {
        let bad = |why: String| SyncError {
            path: path.to_string(),
            url: url.to_string(),
            failure: Failure::BadSource(why),
        };
        check_mirror_path(path).map_err(bad)?;
        let format = Format::of_path(path).ok_or_else(|| {
            bad("the file name must end in .zip, .tar.gz, .tgz or .json".to_string())
        })?;
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(bad(
                "the URL must start with http:// or https://".to_string()
            ));
        }
        Ok(Source {
            path: path.to_string(),
            url: url.to_string(),
            format,
            required: true,
        })
    }

    /// The same source, but a `404 Not Found` skips it instead of failing the sync.
    pub fn optional(mut self) -> Source {
        self.required = false;
        self
    }

    /// The path in the mirror (`osv/PyPI/all.zip`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The URL fetched.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How the file is checked.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether a 404 fails the sync (the default) or skips the file.
    pub fn is_required(&self) -> bool {
        self.required
    }
}

/// Checks a mirror path: relative, `/`-separated, no empty, `.` or `..` segment, no
/// backslash or control character, not inside the `.sync` metadata folder.
fn check_mirror_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.len() > MAX_PATH_LEN {
        return Err(format!("the path must have 1 to {MAX_PATH_LEN} bytes"));
    }
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return Err("the path holds a control character or a backslash".to_string());
    }
    for segment in path.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err("the path must be relative, without empty, . or .. parts".to_string());
        }
    }
    if path == ".sync" || path.starts_with(".sync/") {
        return Err("the .sync folder is reserved for metadata".to_string());
    }
    Ok(())
}

/// The public feeds and where to fetch them. Every URL is built from a base, so a site (or a
/// test) can point the whole sync at its own server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Feeds {
    /// OSV's bucket: `<osv-base>/<Ecosystem>/all.zip` → `osv/<Ecosystem>/all.zip`.
    pub osv_base: String,
    /// The OSV ecosystems to download, as OSV's bucket names them.
    pub osv_ecosystems: Vec<String>,
    /// The endoflife-date organisation's archives:
    /// `<endoflife-base>/endoflife.date/tar.gz/refs/heads/master` → `endoflife/products.tar.gz`
    /// and `<endoflife-base>/release-data/tar.gz/refs/heads/main` →
    /// `endoflife/release-data.tar.gz`.
    pub endoflife_base: String,
    /// The SPDX licence list's `json/` folder: `<spdx-base>/licenses.json` and
    /// `<spdx-base>/exceptions.json` → `spdx/`. The licence texts
    /// (`spdx/details.tar.gz`) are not downloaded: license-list-data publishes
    /// them only as one file per licence; an offline mirror may hold them.
    pub spdx_base: String,
    /// CISA's feeds folder: `<kev-base>/known_exploited_vulnerabilities.json` → `kev/`.
    pub kev_base: String,
    /// The native advisory databases' archives (GitHub's codeload):
    /// `<native-base>/nodejs/security-wg/tar.gz/refs/heads/main`,
    /// `<native-base>/rubysec/ruby-advisory-db/tar.gz/refs/heads/master` and
    /// `<native-base>/FriendsOfPHP/security-advisories/tar.gz/refs/heads/master` →
    /// `advisories-native/` ([`NATIVE`]).
    pub native_base: String,
}

/// The native advisory databases: their path in the mirror and in the native base.
pub const NATIVE: [(&str, &str); 3] = [
    (
        "advisories-native/nodejs-security-wg-vuln.tar.gz",
        "nodejs/security-wg/tar.gz/refs/heads/main",
    ),
    (
        "advisories-native/ruby-advisory-db.tar.gz",
        "rubysec/ruby-advisory-db/tar.gz/refs/heads/master",
    ),
    (
        "advisories-native/friendsofphp-security-advisories.tar.gz",
        "FriendsOfPHP/security-advisories/tar.gz/refs/heads/master",
    ),
];

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            osv_base: "https://osv-vulnerabilities.storage.googleapis.com".to_string(),
            osv_ecosystems: DEFAULT_OSV_ECOSYSTEMS
                .iter()
                .map(|e| e.to_string())
                .collect(),
            endoflife_base: "https://codeload.github.com/endoflife-date".to_string(),
            spdx_base: "https://raw.githubusercontent.com/spdx/license-list-data/main/json"
                .to_string(),
            kev_base: "https://www.cisa.gov/sites/default/files/feeds".to_string(),
            native_base: "https://codeload.github.com".to_string(),
        }
    }
}

impl Feeds {
    /// Every feed on the same server: `<base>/osv`, `<base>/endoflife-date`, `<base>/spdx`,
    /// `<base>/kev`, `<base>/native` (an internal mirror of the public feeds, or a test
    /// server).
    pub fn all_from(base: &str, osv_ecosystems: &[&str]) -> Feeds {
        let base = base.trim_end_matches('/');
        Feeds {
            osv_base: format!("{base}/osv"),
            osv_ecosystems: osv_ecosystems.iter().map(|e| e.to_string()).collect(),
            endoflife_base: format!("{base}/endoflife-date"),
            spdx_base: format!("{base}/spdx"),
            kev_base: format!("{base}/kev"),
            native_base: format!("{base}/native"),
        }
    }

    /// The sources, in a stable order: OSV ecosystems as listed, then endoflife.date, SPDX,
    /// KEV, the native advisory databases. Fails on an ecosystem name that is not one path segment, or a repeated one.
    pub fn sources(&self) -> Result<Vec<Source>, SyncError> {
        let mut out = Vec::with_capacity(self.osv_ecosystems.len() + 5);
        let osv = self.osv_base.trim_end_matches('/');
        for eco in &self.osv_ecosystems {
            let url = format!("{osv}/{}/all.zip", utf8_percent_encode(eco, SEGMENT));
            let path = format!("osv/{eco}/all.zip");
            if eco.contains('/') || eco.len() > 100 {
                return Err(SyncError {
                    path,
                    url,
                    failure: Failure::BadSource(format!(
                        "the ecosystem {eco:?} must be one folder name of at most 100 bytes"
                    )),
                });
            }
            if out.iter().any(|s: &Source| s.path == path) {
                return Err(SyncError {
                    path,
                    url,
                    failure: Failure::BadSource(format!("the ecosystem {eco:?} is listed twice")),
                });
            }
            out.push(Source::new(&path, &url)?);
        }
        let eol = self.endoflife_base.trim_end_matches('/');
        out.push(Source::new(
            "endoflife/products.tar.gz",
            &format!("{eol}/endoflife.date/tar.gz/refs/heads/master"),
        )?);
        out.push(Source::new(
            "endoflife/release-data.tar.gz",
            &format!("{eol}/release-data/tar.gz/refs/heads/main"),
        )?);
        let spdx = self.spdx_base.trim_end_matches('/');
        for name in ["licenses.json", "exceptions.json"] {
            out.push(Source::new(
                &format!("spdx/{name}"),
                &format!("{spdx}/{name}"),
            )?);
        }
        let kev = self.kev_base.trim_end_matches('/');
        out.push(Source::new(
            "kev/known_exploited_vulnerabilities.json",
            &format!("{kev}/known_exploited_vulnerabilities.json"),
        )?);
        let native = self.native_base.trim_end_matches('/');
        for (path, url) in NATIVE {
            out.push(Source::new(path, &format!("{native}/{url}"))?);
        }
        Ok(out)
    }
}
