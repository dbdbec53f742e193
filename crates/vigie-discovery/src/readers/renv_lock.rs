//! `renv.lock` (R, written by renv).
//!
//! A JSON document whose `Packages` object holds one record per installed
//! package: `Package`, `Version`, `Source` and, for repository packages,
//! `Repository`. The ecosystem follows the source:
//!
//! * `Source: Repository` (or no `Source`) with a CRAN-like repository
//!   (`CRAN`, `RSPM`, `PPM`, `P3M` or any other name or URL): **CRAN**; a
//!   repository other than CRAN and its Posit mirrors is noted;
//! * `Source: Bioconductor`, or a `BioC...` repository: **Bioconductor**;
//! * `GitHub`, `GitLab`, `Bitbucket`, `git2r`, `URL`, `Local`, ...: the R
//!   package keeps the CRAN name space (its name is an R package name) with
//!   a note saying where it came from, as CRAN may not have that version;
//! * neither `Source` nor `Repository`: CRAN, noted as assumed.
//!
//! `Requirements` (renv 0.x) or `Depends`/`Imports`/`LinkingTo` (renv 1.1)
//! give the edges; `License` (renv 1.1) the licence. The file does not say
//! which packages the project uses directly, nor name the project. `R` and
//! `Bioconductor` at the top give the versions of R and of Bioconductor, which
//! are not packages of the lock.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use vigie_model::{Code, Component, Ecosystem};

use super::lenient::{Lenient, keep_map};
use super::util::{parse_json_borrowed, wrong_shape};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "renv-lock",
    description: "renv.lock (R: CRAN, Bioconductor)",
    ecosystem: Some(Ecosystem::Cran),
    matches: |name| name == "renv.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow, rename = "Packages", default)]
    packages: Option<Entries<'a, Lenient<'a, Package<'a>>>>,
    #[serde(rename = "R", default)]
    r: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
struct Package<'a> {
    #[serde(borrow, rename = "Package", default)]
    package: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "Version", default)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "Source", default)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "Repository", default)]
    repository: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "RemoteUsername", default)]
    remote_username: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "RemoteRepo", default)]
    remote_repo: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "RemoteUrl", default)]
    remote_url: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "RemoteSha", default)]
    remote_sha: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "License", default)]
    license: Option<Cow<'a, str>>,
    #[serde(rename = "Requirements", default)]
    requirements: Option<Names>,
    #[serde(rename = "Depends", default)]
    depends: Option<Names>,
    #[serde(rename = "Imports", default)]
    imports: Option<Names>,
    #[serde(rename = "LinkingTo", default)]
    linking_to: Option<Names>,
}

/// Package names: a list (`["R (>= 3.5)", "cli"]`) or a DESCRIPTION-style
/// comma-separated string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names {
    List(Vec<String>),
    Text(String),
    Other(serde::de::IgnoredAny),
}

impl Names {
    fn names(&self) -> Vec<&str> {
        let parts: Vec<&str> = match self {
            Names::List(l) => l.iter().map(String::as_str).collect(),
            Names::Text(t) => t.split(',').collect(),
            Names::Other(_) => Vec::new(),
        };
        parts
            .into_iter()
            .filter_map(|p| {
                p.split(|c: char| c == '(' || c.is_whitespace())
                    .find(|s| !s.is_empty())
            })
            .collect()
    }
}

/// The `Packages` object, in file order.
struct Entries<'a, V>(Vec<(Cow<'a, str>, V)>);

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Entries<'a, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<'a, V>(std::marker::PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for Vis<'a, V> {
            type Value = Entries<'a, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of packages")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = map.next_entry::<Borrowed<'de>, V>()? {
                    v.push((k.0, val));
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(Vis(std::marker::PhantomData))
    }
}

/// A string that borrows from the input when it has no escapes.
struct Borrowed<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Borrowed<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct W<'a>(#[serde(borrow)] Cow<'a, str>);
        W::deserialize(d).map(|w| Borrowed(w.0))
    }
}

/// The line of each `"Package": "name"` of the text, in one pass.
fn package_lines(text: &str) -> HashMap<&str, u32> {
    let mut lines = HashMap::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        let Some(rest) = t.strip_prefix("\"Package\"") else {
            continue;
        };
        let rest = rest.trim_start().trim_start_matches(':').trim_start();
        if let Some(name) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
            lines.entry(name).or_insert(i as u32 + 1);
        }
    }
    lines
}

/// CRAN and the Posit mirrors of CRAN.
fn is_cran(repo: &str) -> bool {
    matches!(repo, "CRAN" | "RSPM" | "PPM" | "P3M")
        || repo.contains("cran.r-project.org")
        || repo.contains("cloud.r-project.org")
        || repo.contains("cran.rstudio.com")
        || repo.contains("packagemanager.posit.co/cran")
        || repo.contains("packagemanager.rstudio.com/cran")
}

fn read(input: &Input<'_>, out: &mut Output) {
    if input.text.trim().is_empty() {
        return;
    }
    let Some(lock) = parse_json_borrowed::<Lock<'_>>(input.text, out) else {
        return;
    };
    let Some(packages) = lock.packages else {
        if lock.r.is_none() && input.text.trim() != "{}" {
            wrong_shape(out, "a renv.lock has a `Packages` object");
        }
        return;
    };
    let packages = keep_map(input.text, "Packages", packages.0, out);
    let lines = package_lines(input.text);
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut wanted: Vec<(u32, Vec<String>)> = Vec::new();
    for (key, p) in &packages {
        let name = p.package.as_deref().unwrap_or(key).trim();
        let line = lines.get(name).copied();
        let source = p.source.as_deref().unwrap_or("");
        let repo = p.repository.as_deref().unwrap_or("");
        let (ecosystem, note) = match source {
            "Bioconductor" => (Ecosystem::Bioconductor, None),
            "Repository" | "" if repo.starts_with("BioC") => (Ecosystem::Bioconductor, None),
            "Repository" | "" if repo.is_empty() => (
                Ecosystem::Cran,
                Some(if source.is_empty() {
                    "no source recorded; assumed to be from CRAN".to_owned()
                } else {
                    "from an unnamed repository; assumed to be CRAN".to_owned()
                }),
            ),
            "Repository" | "" if is_cran(repo) => (Ecosystem::Cran, None),
            "Repository" | "" => (Ecosystem::Cran, Some(format!("from the repository {repo}"))),
            "GitHub" | "GitLab" | "Bitbucket" => {
                let mut n = format!("from {source}");
                if let (Some(u), Some(r)) = (&p.remote_username, &p.remote_repo) {
                    n.push_str(&format!(" {u}/{r}"));
                }
                if let Some(sha) = &p.remote_sha {
                    n.push_str(&format!(" at {sha}"));
                }
                (Ecosystem::Cran, Some(n))
            }
            other => {
                let mut n = format!("from source `{other}`");
                if let Some(u) = &p.remote_url {
                    n.push_str(&format!(" {u}"));
                }
                (Ecosystem::Cran, Some(n))
            }
        };
        let version = p
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let mut c = Component::new(ecosystem, name, version)
            .with_line(line)
            .with_licence(p.license.as_deref().map(str::to_owned));
        if version.is_none() {
            out.warning(
                Code::UnresolvedVersion,
                format!("package `{name}` has no version"),
            )
            .line = line;
            c = c.with_note(match note {
                Some(n) => format!("no version in the lock; {n}"),
                None => "no version in the lock".to_owned(),
            });
        } else if let Some(n) = note {
            c = c.with_note(n);
        }
        let i = out.push(c);
        index.entry(name.to_owned()).or_insert(i);
        let deps: Vec<String> = match &p.requirements {
            Some(r) => r.names().into_iter().map(str::to_owned).collect(),
            None => [&p.depends, &p.imports, &p.linking_to]
                .into_iter()
                .flatten()
                .flat_map(|n| n.names())
                .map(str::to_owned)
                .collect(),
        };
        wanted.push((i, deps));
    }
    for (from, deps) in wanted {
        for d in deps {
            if let Some(&to) = index.get(&d)
                && to != from
            {
                out.depend(from, to);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_str(text: &str) -> Output {
        read_file_as(&READER, "renv.lock", text, &MemorySource::new())
    }

    #[test]
    fn sources_notes_and_edges() {
        let text = r#"{
  "R": {"Version": "4.3.1", "Repositories": [{"Name": "CRAN", "URL": "https://cloud.r-project.org"}]},
  "Bioconductor": {"Version": "3.17"},
  "Packages": {
    "BiocGenerics": {
      "Package": "BiocGenerics",
      "Version": "0.46.0",
      "Source": "Bioconductor",
      "Requirements": ["R", "methods"]
    },
    "IRanges": {
      "Package": "IRanges",
      "Version": "2.34.1",
      "Source": "Repository",
      "Repository": "BioCsoft"
    },
    "cli": {
      "Package": "cli",
      "Version": "3.6.3",
      "Source": "Repository",
      "Repository": "RSPM",
      "License": "MIT + file LICENSE",
      "Depends": ["R (>= 3.4)"],
      "Imports": ["utils", "glue"]
    },
    "glue": {
      "Package": "glue",
      "Version": "1.7.0",
      "Source": "Repository",
      "Repository": "https://ropensci.r-universe.dev"
    },
    "mime": {
      "Package": "mime",
      "Version": "0.12.1",
      "Source": "GitHub",
      "RemoteUsername": "yihui",
      "RemoteRepo": "mime",
      "RemoteSha": "1763e0d",
      "Requirements": ["tools", "cli"]
    },
    "local": {
      "Package": "local",
      "Source": "Local",
      "RemoteUrl": "~/src/local"
    }
  }
}"#;
        let out = read_str(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.line, c.note.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:bioconductor/BiocGenerics@0.46.0", Some(6), None),
                ("pkg:bioconductor/IRanges@2.34.1", Some(12), None),
                ("pkg:cran/cli@3.6.3", Some(18), None),
                (
                    "pkg:cran/glue@1.7.0",
                    Some(27),
                    Some("from the repository https://ropensci.r-universe.dev")
                ),
                (
                    "pkg:cran/mime@0.12.1",
                    Some(33),
                    Some("from GitHub yihui/mime at 1763e0d")
                ),
                (
                    "pkg:cran/local",
                    Some(42),
                    Some("no version in the lock; from source `Local` ~/src/local")
                ),
            ]
        );
        assert_eq!(
            out.components[2].licence.as_deref(),
            Some("MIT + file LICENSE")
        );
        assert_eq!(out.dependencies, [(2, 3), (4, 2)]);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
        assert_eq!(out.diagnostics[0].line, Some(42));
    }

    #[test]
    fn empty_and_bad_files() {
        for t in ["", "{}", "{\"R\": {\"Version\": \"4.0.0\"}}"] {
            let out = read_str(t);
            assert!(
                out.components.is_empty() && out.diagnostics.is_empty(),
                "{t}"
            );
        }
        let out = read_str("[1, 2]");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        let out = read_str("{\"Other\": 1}");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_str("{\n\"Packages\": {\n\"a\": {\"Version\": 1}}}");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        // One record of the wrong type is that record's error, not the file's.
        assert_eq!(out.diagnostics[0].line, Some(3));
    }

    #[test]
    fn escaped_names_are_read() {
        let out =
            read_str(r#"{"Packages": {"a\u0062": {"Package": "a\u0062", "Version": "1.0"}}}"#);
        assert_eq!(out.components[0].name, "ab");
    }
}
