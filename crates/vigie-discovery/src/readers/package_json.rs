//! `package.json`: names the project (`name`). Its components come from the
//! lockfile beside it (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock).
//!
//! The lockfile readers that cannot tell direct dependencies by themselves
//! (package-lock v1, yarn.lock) read the `package.json` beside them with
//! [`neighbour_manifest`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use vigie_model::Ecosystem;

use super::package_lock::parse_json_checked;
use crate::hash::HashSet;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "package-json",
    description: "npm package.json (project name only; components come from the lockfile)",
    ecosystem: Some(Ecosystem::Npm),
    matches: |name| name == "package.json",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    name: Text,
}

fn read(input: &Input<'_>, out: &mut Output) {
    if let Some(m) = parse_json_checked::<Manifest>(input.text, out) {
        out.project_name = m.name.0.filter(|n| !n.trim().is_empty());
    }
}

/// The dependencies a `package.json` declares, `(name, range)` in file order.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Deps {
    #[serde(default)]
    pub dependencies: Pairs,
    #[serde(default)]
    pub dev_dependencies: Pairs,
    #[serde(default)]
    pub optional_dependencies: Pairs,
    #[serde(default)]
    pub peer_dependencies: Pairs,
    /// Whether the project has workspaces (members have their own manifests).
    #[serde(default)]
    pub workspaces: Present,
}

impl Deps {
    /// Every dependency name (runtime, dev, optional and peer).
    pub(super) fn all_names(&self) -> HashSet<String> {
        self.dependencies
            .0
            .iter()
            .chain(&self.dev_dependencies.0)
            .chain(&self.optional_dependencies.0)
            .chain(&self.peer_dependencies.0)
            .map(|(n, _)| n.clone())
            .collect()
    }
}

/// The `package.json` in the folder of the file being read, if there is one
/// and it can be read. Its own problems are reported by its own reader.
pub(super) fn neighbour_manifest(input: &Input<'_>) -> Option<Deps> {
    let (_, text) = input.files.read_relative(input.path, "package.json").ok()?;
    serde_json::from_str::<Deps>(&text).ok()
}

/// A string value; anything else reads as nothing.
#[derive(Debug, Default)]
pub(super) struct Text(pub Option<String>);

/// A `name -> range` map; entries whose range is not a string are kept with
/// an empty range, and a value that is not a map reads as empty.
#[derive(Debug, Default)]
pub(super) struct Pairs(pub Vec<(String, String)>);

/// Whether a field is there at all (with any value).
#[derive(Debug, Default)]
pub(super) struct Present(pub bool);

/// One visitor for the three lenient types: consumes any value.
struct Lenient<T>(fn(Option<Value>) -> T);

enum Value {
    Str(String),
    Map(Vec<(String, String)>),
    Other,
}

impl<'de, T> Visitor<'de> for Lenient<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(Some(Value::Str(v.to_owned()))))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut pairs = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value::<Text>()?;
            pairs.push((k, v.0.unwrap_or_default()));
        }
        Ok((self.0)(Some(Value::Map(pairs))))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok((self.0)(None))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(|v| match v {
            Some(Value::Str(s)) => Text(Some(s)),
            _ => Text(None),
        }))
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(|v| match v {
            Some(Value::Map(m)) => Pairs(m),
            _ => Pairs(Vec::new()),
        }))
    }
}

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(|v| Present(v.is_some())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "package.json", text, &MemorySource::new())
    }

    #[test]
    fn names_the_project_only() {
        let out =
            read_text(r#"{"name": "@acme/app", "version": "1.0.0", "dependencies": {"a": "1"}}"#);
        assert_eq!(out.project_name.as_deref(), Some("@acme/app"));
        assert!(out.components.is_empty());
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn odd_names_and_bad_files() {
        let out = read_text(r#"{"name": 42, "private": true}"#);
        assert_eq!(out.project_name, None);
        assert!(out.diagnostics.is_empty());
        let out = read_text(r#"{"name": "  "}"#);
        assert_eq!(out.project_name, None);
        let out = read_text("{\n  \"name\": \"a\",\n}");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
        let out = read_text(r#"["a"]"#);
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
    }

    #[test]
    fn dependencies_for_lockfile_readers() {
        let d: Deps = serde_json::from_str(
            r#"{"dependencies": {"a": "^1", "b": {"x": 1}}, "devDependencies": ["odd"],
                "peerDependencies": {"p": "*"}, "workspaces": {"packages": ["x"]}}"#,
        )
        .unwrap();
        assert_eq!(
            d.dependencies.0,
            [
                ("a".to_owned(), "^1".to_owned()),
                ("b".to_owned(), String::new())
            ]
        );
        assert!(d.dev_dependencies.0.is_empty());
        assert!(d.workspaces.0);
        let mut names: Vec<_> = d.all_names().into_iter().collect();
        names.sort();
        assert_eq!(names, ["a", "b", "p"]);
        let files = MemorySource::new().with("p/package.json", r#"{"dependencies": {"a": "1"}}"#);
        let input = Input {
            path: "p/yarn.lock",
            text: "",
            files: &files,
        };
        assert_eq!(neighbour_manifest(&input).unwrap().dependencies.0.len(), 1);
    }
}
