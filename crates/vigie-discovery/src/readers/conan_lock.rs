//! `conan.lock` (C and C++, Conan 1 and Conan 2).
//!
//! Three shapes of JSON are read:
//!
//! * **Conan 2** (lockfile version `0.5`): flat `requires`,
//!   `build_requires`, `python_requires` (and `config_requires`) arrays of
//!   references `name/version[@user/channel][#rrev[%timestamp]]`. The first
//!   array is the runtime scope, the others the build scope. The file says
//!   nothing of direct or transitive dependencies, nor of edges.
//! * **Conan 1** (versions `0.4`, `0.3`, `0.2`): a `graph_lock.nodes` map
//!   from node ids to nodes with a `ref` (or, before 0.4, a `pref` carrying
//!   the package id as well), and `requires` / `build_requires` lists of node
//!   ids. Node `"0"` (or a node with a `path`, or with no reference) is the
//!   project, and its name names the project. Nodes reached from it through
//!   `requires` only are in the runtime scope; nodes reached through a
//!   `build_requires` edge, or in the `build` context, are in the build
//!   scope. `python_requires` of a node are references (not node ids), in the
//!   build scope. Dependencies of the project node are direct.
//! * **Conan 1 before 1.28** (versions `0.1` and unversioned): the same,
//!   with UUID node ids and `requires` maps from references to node ids.
//!
//! A package present in several nodes (host and build contexts) is one
//! component, in the runtime scope if any node is. A `@user/channel` is kept
//! as purl qualifiers and noted: such a package is not from ConanCenter.
//! Revisions, package ids and timestamps are dropped. A reference without a
//! `/` has no name (`1.2.3`): it is skipped with an `invalid-reference`
//! warning. Lines are found by looking for the reference's text in the file.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use vigie_model::{Code, Component, Ecosystem, Purl, Relation, Scope};

use super::util::{parse_json_borrowed, wrong_shape};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "conan-lock",
    description: "conan.lock (Conan 1 and 2)",
    ecosystem: Some(Ecosystem::Conan),
    matches: |name| name == "conan.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow, default)]
    graph_lock: Option<GraphLock<'a>>,
    #[serde(borrow, default)]
    requires: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    build_requires: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    python_requires: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    config_requires: Option<Vec<Cow<'a, str>>>,
}

#[derive(Deserialize)]
struct GraphLock<'a> {
    #[serde(borrow, default)]
    nodes: Entries<Cow<'a, str>, Node<'a>>,
}

#[derive(Deserialize, Default)]
struct Node<'a> {
    #[serde(borrow, rename = "ref", default)]
    reference: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pref: Option<Cow<'a, str>>,
    #[serde(default)]
    requires: Option<Requires>,
    #[serde(default)]
    build_requires: Option<Requires>,
    #[serde(borrow, default)]
    python_requires: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, default)]
    path: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    context: Option<Cow<'a, str>>,
}

/// Node ids, as a list (0.3 and later) or as a map from references to ids.
#[derive(Deserialize)]
#[serde(untagged)]
enum Requires {
    List(Vec<String>),
    Map(Entries<String, String>),
}

impl Requires {
    fn ids(&self) -> Vec<&str> {
        match self {
            Requires::List(l) => l.iter().map(String::as_str).collect(),
            Requires::Map(m) => m.0.iter().map(|(_, id)| id.as_str()).collect(),
        }
    }
}

/// A JSON object kept in file order.
struct Entries<K, V>(Vec<(K, V)>);

impl<K, V> Default for Entries<K, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Vis<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    v.push(entry);
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(Vis(std::marker::PhantomData))
    }
}

/// A recipe reference, without revisions, package id nor timestamp.
#[derive(Debug, PartialEq)]
struct ConanRef<'a> {
    name: &'a str,
    version: &'a str,
    user: Option<&'a str>,
    channel: Option<&'a str>,
}

/// Parses `name/version[@user[/channel]][#rrev][%timestamp][:package_id[#prev]]`.
fn parse_ref(s: &str) -> Option<ConanRef<'_>> {
    let s = s.trim();
    let s = s.split('%').next().unwrap_or(s);
    let s = s.split(':').next().unwrap_or(s);
    let s = s.split('#').next().unwrap_or(s);
    let (nv, uc) = match s.split_once('@') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let (name, version) = nv.split_once('/')?;
    if name.is_empty() {
        return None;
    }
    let keep = |x: &'_ str| !x.is_empty() && x != "_";
    let (user, channel) = match uc.map(|u| u.split_once('/').unwrap_or((u, ""))) {
        Some((u, c)) => (Some(u).filter(|x| keep(x)), Some(c).filter(|x| keep(x))),
        None => (None, None),
    };
    Some(ConanRef {
        name,
        version: version.trim(),
        user,
        channel,
    })
}

/// The first line of each double-quoted string of the text, in one pass.
fn quoted_lines(text: &str) -> HashMap<&str, u32> {
    let bytes = text.as_bytes();
    let mut lines = HashMap::new();
    let mut line = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' {
                        j += 1;
                    } else if bytes[j] == b'\n' {
                        line += 1;
                    }
                    j += 1;
                }
                if let Some(s) = text.get(start..j.min(bytes.len())) {
                    lines.entry(s).or_insert(line);
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    lines
}

/// Components of one file, one per distinct reference.
struct Builder<'t> {
    by_ref: HashMap<String, u32>,
    lines: HashMap<&'t str, u32>,
}

impl<'t> Builder<'t> {
    /// The component of a reference, created or merged; `None` (after a
    /// warning) for a reference without a name.
    fn add(
        &mut self,
        out: &mut Output,
        raw: &str,
        scope: Scope,
        relation: Relation,
    ) -> Option<u32> {
        let line = self.lines.get(raw).copied();
        let Some(r) = parse_ref(raw) else {
            out.warning(
                Code::InvalidReference,
                format!("`{raw}` is not a `name/version` Conan reference; skipped"),
            )
            .line = line;
            return None;
        };
        let key = format!(
            "{}/{}@{}/{}",
            r.name,
            r.version,
            r.user.unwrap_or(""),
            r.channel.unwrap_or("")
        );
        if let Some(&i) = self.by_ref.get(&key) {
            if let Some(c) = out.components.get_mut(i as usize) {
                if scope == Scope::Runtime {
                    c.scope = Scope::Runtime;
                }
                if relation == Relation::Direct {
                    c.relation = Relation::Direct;
                }
            }
            return Some(i);
        }
        let version = Some(r.version).filter(|v| !v.is_empty());
        let mut c = Component::new(Ecosystem::Conan, r.name, version)
            .with_scope(scope)
            .with_relation(relation)
            .with_line(line);
        if r.user.is_some() || r.channel.is_some() {
            let mut p = Purl::for_component(Ecosystem::Conan, r.name, version);
            if let Some(u) = r.user {
                p.qualifiers.push(("user".to_owned(), u.to_owned()));
            }
            if let Some(ch) = r.channel {
                p.qualifiers.push(("channel".to_owned(), ch.to_owned()));
            }
            p.normalize();
            c.purl = p.to_string();
            c = c.with_note(format!(
                "user/channel {}/{}: not a ConanCenter reference",
                r.user.unwrap_or("_"),
                r.channel.unwrap_or("_")
            ));
        }
        if version.is_none() {
            c = c.with_note("the reference has no version");
            out.warning(Code::UnresolvedVersion, format!("`{raw}` has no version"))
                .line = line;
        }
        let i = out.push(c);
        self.by_ref.insert(key, i);
        Some(i)
    }
}

fn read(input: &Input<'_>, out: &mut Output) {
    if input.text.trim().is_empty() {
        return;
    }
    let Some(lock) = parse_json_borrowed::<Lock<'_>>(input.text, out) else {
        return;
    };
    let mut b = Builder {
        by_ref: HashMap::new(),
        lines: quoted_lines(input.text),
    };
    if let Some(graph) = lock.graph_lock {
        read_graph(&graph, &mut b, out);
        return;
    }
    if lock.requires.is_none() && lock.build_requires.is_none() && lock.python_requires.is_none() {
        wrong_shape(
            out,
            "a conan.lock has a `graph_lock` (Conan 1) or `requires` arrays (Conan 2)",
        );
        return;
    }
    let lists = [
        (lock.requires, Scope::Runtime),
        (lock.build_requires, Scope::Build),
        (lock.python_requires, Scope::Build),
        (lock.config_requires, Scope::Build),
    ];
    for (list, scope) in lists {
        for r in list.iter().flatten() {
            b.add(out, r, scope, Relation::Unknown);
        }
    }
}

fn read_graph(graph: &GraphLock<'_>, b: &mut Builder<'_>, out: &mut Output) {
    let nodes = &graph.nodes.0;
    let by_id: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_ref(), i))
        .collect();
    let reference = |n: &Node<'_>| -> Option<String> {
        n.reference
            .as_deref()
            .or(n.pref.as_deref())
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    };
    let is_root: Vec<bool> = nodes
        .iter()
        .map(|(id, n)| id == "0" || n.path.is_some() || reference(n).is_none())
        .collect();
    let children = |n: &Node<'_>, build: bool| -> Vec<usize> {
        let r = if build {
            &n.build_requires
        } else {
            &n.requires
        };
        r.as_ref()
            .map(|r| {
                r.ids()
                    .into_iter()
                    .filter_map(|id| by_id.get(id).copied())
                    .collect()
            })
            .unwrap_or_default()
    };
    // Runtime: reached from a root through `requires` only.
    let mut runtime = vec![false; nodes.len()];
    let mut queue: VecDeque<usize> = (0..nodes.len()).filter(|&i| is_root[i]).collect();
    while let Some(i) = queue.pop_front() {
        for j in children(&nodes[i].1, false) {
            if !runtime[j] && !is_root[j] {
                runtime[j] = true;
                queue.push_back(j);
            }
        }
    }
    // Build: reached through a `build_requires` edge, then through anything.
    let mut build = vec![false; nodes.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for (_, n) in nodes {
        for j in children(n, true) {
            if !build[j] {
                build[j] = true;
                queue.push_back(j);
            }
        }
    }
    while let Some(i) = queue.pop_front() {
        for j in children(&nodes[i].1, false)
            .into_iter()
            .chain(children(&nodes[i].1, true))
        {
            if !build[j] {
                build[j] = true;
                queue.push_back(j);
            }
        }
    }
    let mut direct = vec![false; nodes.len()];
    let has_root = is_root.iter().any(|&r| r);
    for (i, (_, n)) in nodes.iter().enumerate() {
        if is_root[i] {
            for j in children(n, false).into_iter().chain(children(n, true)) {
                direct[j] = true;
            }
            if out.project_name.is_none()
                && let Some(r) = reference(n)
                && let Some(p) = parse_ref(&r)
            {
                out.project_name = Some(p.name.to_owned());
            }
        }
    }
    let mut index: Vec<Option<u32>> = vec![None; nodes.len()];
    for (i, (_, n)) in nodes.iter().enumerate() {
        if is_root[i] {
            continue;
        }
        let Some(r) = reference(n) else { continue };
        // Orphans (reached by nothing) stay in the runtime scope.
        let scope = if n.context.as_deref() == Some("build") || (!runtime[i] && build[i]) {
            Scope::Build
        } else {
            Scope::Runtime
        };
        let relation = match (has_root, direct[i]) {
            (false, _) => Relation::Unknown,
            (true, true) => Relation::Direct,
            (true, false) => Relation::Transitive,
        };
        index[i] = b.add(out, &r, scope, relation);
    }
    let mut edges = Vec::new();
    for (i, (_, n)) in nodes.iter().enumerate() {
        let from = index[i];
        for j in children(n, false).into_iter().chain(children(n, true)) {
            if let (Some(f), Some(t)) = (from, index[j]) {
                edges.push((f, t));
            }
        }
        for py in n.python_requires.iter().flatten() {
            let relation = if is_root[i] {
                Relation::Direct
            } else {
                Relation::Transitive
            };
            let to = b.add(out, py, Scope::Build, relation);
            if let (Some(f), Some(t)) = (from, to) {
                edges.push((f, t));
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    for (f, t) in edges {
        if f != t {
            out.depend(f, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_str(text: &str) -> Output {
        read_file_as(&READER, "conan.lock", text, &MemorySource::new())
    }

    #[test]
    fn references() {
        assert_eq!(
            parse_ref("zlib/1.2.11@user/channel#rrev:pkgid#prev"),
            Some(ConanRef {
                name: "zlib",
                version: "1.2.11",
                user: Some("user"),
                channel: Some("channel")
            })
        );
        assert_eq!(
            parse_ref("zlib/1.2.13#13c96f538b52e1600c40b88994de240f%1667396813.733"),
            Some(ConanRef {
                name: "zlib",
                version: "1.2.13",
                user: None,
                channel: None
            })
        );
        assert_eq!(parse_ref("zlib/1.2.11@").map(|r| r.user), Some(None));
        assert_eq!(parse_ref("zlib/1.2.11@_/_").map(|r| r.channel), Some(None));
        assert_eq!(parse_ref("1.2.3#ffa77daf83a57094149707928bdce823"), None);
        assert_eq!(parse_ref("/1.0"), None);
    }

    #[test]
    fn v1_graph_scopes_relations_and_python_requires() {
        let text = r#"{
 "graph_lock": {
  "nodes": {
   "0": {"ref": "app/1.0", "requires": ["1"], "build_requires": ["3"],
         "python_requires": ["pyreq/1.0@acme/stable#abc"], "path": "conanfile.py"},
   "1": {"ref": "libpng/1.6.39#aa", "requires": ["2"], "context": "host"},
   "2": {"ref": "zlib/1.2.13#bb", "context": "host"},
   "3": {"ref": "cmake/3.25.0#cc", "requires": ["4"], "context": "build"},
   "4": {"ref": "openssl/3.0.0#dd", "context": "build"},
   "5": {"ref": "zlib/1.2.13#bb", "context": "build"},
   "6": {"ref": "1.2.3"}
  },
  "revisions_enabled": true
 },
 "version": "0.4"
}"#;
        let out = read_str(text);
        assert_eq!(out.project_name.as_deref(), Some("app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.scope, c.relation, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("libpng", Scope::Runtime, Relation::Direct, Some(6)),
                ("zlib", Scope::Runtime, Relation::Transitive, Some(7)),
                ("cmake", Scope::Build, Relation::Direct, Some(8)),
                ("openssl", Scope::Build, Relation::Transitive, Some(9)),
                ("pyreq", Scope::Build, Relation::Direct, Some(5)),
            ]
        );
        assert_eq!(
            out.components[4].purl,
            "pkg:conan/pyreq@1.0?channel=stable&user=acme"
        );
        assert_eq!(out.dependencies, [(0, 1), (2, 3)]);
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(codes, [("invalid-reference", Some(11))]);
    }

    #[test]
    fn old_format_with_uuid_ids_and_map_requires() {
        let text = r#"{"graph_lock": {"nodes": {
  "aaa": {"pref": null, "requires": {"zlib/1.2.11@bincrafters/testing#5f49": "bbb"}},
  "bbb": {"pref": "zlib/1.2.11@bincrafters/testing#5f49:1972#5884"}
}}}"#;
        let out = read_str(text);
        assert_eq!(out.components.len(), 1);
        let c = &out.components[0];
        assert_eq!(
            (c.name.as_str(), c.version.as_deref(), c.relation),
            ("zlib", Some("1.2.11"), Relation::Direct)
        );
        assert_eq!(
            c.purl,
            "pkg:conan/zlib@1.2.11?channel=testing&user=bincrafters"
        );
        assert!(out.diagnostics.is_empty());
        assert_eq!(out.project_name, None);
    }

    #[test]
    fn v2_lists() {
        let text = r#"{
    "version": "0.5",
    "requires": ["zlib/1.2.13#13c9%1667396813.733", "fmt/10.0.0"],
    "build_requires": ["cmake/3.27.0#aa%1", "zlib/1.2.13#13c9%1667396813.733"],
    "python_requires": ["tools/1.0"],
    "config_requires": []
}"#;
        let out = read_str(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.scope, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:conan/zlib@1.2.13", Scope::Runtime, Some(3)),
                ("pkg:conan/fmt@10.0.0", Scope::Runtime, Some(3)),
                ("pkg:conan/cmake@3.27.0", Scope::Build, Some(4)),
                ("pkg:conan/tools@1.0", Scope::Build, Some(5)),
            ]
        );
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn bad_and_odd_files() {
        let out = read_str("{\"version\": \"0.5\", \"requires\": [\n1]}");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(2));
        let out = read_str("{\"something\": 1}");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_str("");
        assert!(out.diagnostics.is_empty() && out.components.is_empty());
        let out = read_str("{\"requires\": [\"zlib/\"]}");
        assert_eq!(out.components[0].version, None);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
    }
}
