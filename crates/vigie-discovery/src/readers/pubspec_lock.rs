//! `pubspec.lock` (Dart and Flutter, written by `dart pub` / `flutter pub`).
//!
//! A YAML document whose `packages` map names every resolved package with
//! its `dependency` kind (`direct main`, `direct dev`, `direct overridden`,
//! `transitive`), its `source` and its `version`:
//!
//! * `hosted`: a package of pub.dev (or of another pub server, noted);
//! * `git`: a component, its version being the one of its pubspec at the
//!   locked commit, with a note naming the repository and the commit;
//! * `path`: a package of the project's own tree, so part of the project and
//!   not a component (like the local packages of other formats);
//! * `sdk`: a package shipped inside the Flutter SDK (`flutter`,
//!   `flutter_test`, `sky_engine`, ...), locked at a meaningless `0.0.0` and
//!   not published on pub.dev: not a component either, the SDK is a tool of
//!   the build, not a dependency of the project.
//!
//! `direct dev` packages are in the dev scope; the file does not say which
//! transitive packages are only reached through dev packages. The `sdks`
//! section holds constraints on the Dart and Flutter SDKs, not components.
//! The file does not name the project.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::util::parse_yaml;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pubspec-lock",
    description: "pubspec.lock (Dart / Flutter)",
    ecosystem: Some(Ecosystem::Pub),
    matches: |name| name == "pubspec.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Option<Entries<Package>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Package {
    dependency: Option<String>,
    description: Option<Description>,
    source: Option<String>,
    version: Option<String>,
}

/// `description` is a map for hosted, git and path packages, and a bare
/// string (the SDK's name) for SDK packages.
#[derive(Deserialize)]
#[serde(untagged)]
enum Description {
    Map(DescriptionMap),
    Text(#[allow(dead_code)] String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DescriptionMap {
    url: Option<String>,
    path: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    #[serde(rename = "resolved-ref")]
    resolved_ref: Option<String>,
}

/// A YAML map kept in file order, with the line of each key.
struct Entries<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of packages")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    v.push(entry);
                }
                Ok(Entries(v))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Entries<V>, E> {
                Ok(Entries(Vec::new()))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

/// The pub servers whose packages are the `Pub` ecosystem without remark.
fn is_pub_dev(url: &str) -> bool {
    let host = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    matches!(host, "pub.dev" | "pub.dartlang.org")
}

fn read(input: &Input<'_>, out: &mut Output) {
    if is_blank_yaml(input.text) {
        return;
    }
    let Some(lock) = parse_yaml::<Lock>(input, out) else {
        return;
    };
    let Some(packages) = lock.packages else {
        super::util::wrong_shape(out, "a pubspec.lock has a `packages` map");
        return;
    };
    for (key, p) in packages.0 {
        let name = key.value;
        let line = u32::try_from(key.referenced.line()).ok().filter(|&l| l > 0);
        let source = p.source.as_deref().unwrap_or("");
        if source == "path" || source == "sdk" {
            continue;
        }
        let (relation, scope) = match p.dependency.as_deref() {
            Some("direct main" | "direct overridden") => (Relation::Direct, Scope::Runtime),
            Some("direct dev") => (Relation::Direct, Scope::Dev),
            Some("transitive") => (Relation::Transitive, Scope::Runtime),
            _ => (Relation::Unknown, Scope::Runtime),
        };
        let desc = match p.description {
            Some(Description::Map(m)) => m,
            _ => DescriptionMap::default(),
        };
        let note = match source {
            "hosted" => desc
                .url
                .filter(|u| !is_pub_dev(u))
                .map(|u| format!("from the pub server {u}")),
            "git" => {
                let mut n = format!("from git {}", desc.url.as_deref().unwrap_or("(no url)"));
                if let Some(r) = desc.resolved_ref.or(desc.reference) {
                    n.push_str(&format!(" at {r}"));
                }
                if let Some(path) = desc.path.filter(|p| p != "." && !p.is_empty()) {
                    n.push_str(&format!(" (folder {path})"));
                }
                Some(n)
            }
            "" => Some("no source recorded".to_owned()),
            other => Some(format!("from source `{other}`")),
        };
        let version = p
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let mut c = Component::new(Ecosystem::Pub, name.as_str(), version)
            .with_relation(relation)
            .with_scope(scope)
            .with_line(line);
        if version.is_none() {
            c = c.with_note(match note {
                Some(n) => format!("no version locked; {n}"),
                None => "no version locked".to_owned(),
            });
            out.warning(
                Code::UnresolvedVersion,
                format!("package `{name}` has no locked version"),
            )
            .line = line;
        } else if let Some(n) = note {
            c = c.with_note(n);
        }
        out.push(c);
    }
}

/// True when the text holds nothing but blanks and comments.
fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_str(text: &str) -> Output {
        read_file_as(&READER, "pubspec.lock", text, &MemorySource::new())
    }

    #[test]
    fn kinds_sources_and_lines() {
        let text = r#"# Generated by pub
packages:
  async:
    dependency: transitive
    description:
      name: async
      sha256: "947bfcf187f74dbc5e146c9eb9c0f10c9f8b30743e341481c1e2ed3ecc18c20c"
      url: "https://pub.dev"
    source: hosted
    version: "2.11.0"
  lints:
    dependency: "direct dev"
    description:
      name: lints
      url: "https://pub.example.com/"
    source: hosted
    version: "2.1.1"
  flutter:
    dependency: "direct main"
    description: flutter
    source: sdk
    version: "0.0.0"
  shared:
    dependency: "direct overridden"
    description:
      path: "../shared"
      relative: true
    source: path
    version: "1.0.0"
  tray:
    dependency: "direct main"
    description:
      path: "packages/tray"
      ref: main
      resolved-ref: "3aa37c86e47ea748e7b5507cbe59f2c54ebdb23a"
      url: "https://github.com/example/tray"
    source: git
    version: "0.1.8"
  odd:
    dependency: "direct overridden"
    source: hosted
sdks:
  dart: ">=3.0.0 <4.0.0"
"#;
        let out = read_str(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.relation,
                    c.scope,
                    c.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "async",
                    Some("2.11.0"),
                    Relation::Transitive,
                    Scope::Runtime,
                    Some(3)
                ),
                (
                    "lints",
                    Some("2.1.1"),
                    Relation::Direct,
                    Scope::Dev,
                    Some(11)
                ),
                (
                    "tray",
                    Some("0.1.8"),
                    Relation::Direct,
                    Scope::Runtime,
                    Some(30)
                ),
                ("odd", None, Relation::Direct, Scope::Runtime, Some(39)),
            ]
        );
        assert_eq!(out.components[0].purl, "pkg:pub/async@2.11.0");
        assert_eq!(out.components[0].note, None);
        assert_eq!(
            out.components[1].note.as_deref(),
            Some("from the pub server https://pub.example.com/")
        );
        assert_eq!(
            out.components[2].note.as_deref(),
            Some(
                "from git https://github.com/example/tray at 3aa37c86e47ea748e7b5507cbe59f2c54ebdb23a (folder packages/tray)"
            )
        );
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
        assert_eq!(out.diagnostics[0].line, Some(39));
    }

    #[test]
    fn empty_and_bad_files() {
        let out = read_str("");
        assert!(out.components.is_empty() && out.diagnostics.is_empty());
        let out = read_str("# only a comment\n");
        assert!(out.components.is_empty() && out.diagnostics.is_empty());
        let out = read_str("packages: {}\n");
        assert!(out.components.is_empty() && out.diagnostics.is_empty());
        let out = read_str("packages:\n  a: [\n");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        let out = read_str("sdks:\n  dart: any\n");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            };
            text.push_str(&format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        text.push_str("packages: {}\n");
        let out = read_str(&text);
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }
}
