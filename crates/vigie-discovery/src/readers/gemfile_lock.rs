//! `Gemfile.lock` and `gems.locked` (Bundler 1.x to 2.x).
//!
//! A line-oriented format of sections at column 0. In `GEM`, `GIT`, `PATH`
//! and `PLUGIN SOURCE` sections, `  remote:` (and `revision:`, `ref:`...)
//! say where the gems come from, and after `  specs:` each line at four
//! spaces is a gem, `name (version)`, and the lines at six spaces under it
//! are its dependencies (the edges). `DEPENDENCIES` lists what the Gemfile
//! asks for: those gems are direct, the others transitive.
//!
//! * A platform gem, `nokogiri (1.16.0-x86_64-linux)`, has version `1.16.0`;
//!   the variants of one gem at one version are one component, their
//!   platforms in the note.
//! * `PATH` gems are local code (the project's own gemspec, or a vendored
//!   gem): not components; the gem at `remote: .` names the project, and
//!   what `PATH` gems depend on counts as direct.
//! * `GIT` gems and gems of another server than rubygems.org say so in the
//!   note.
//! * `PLATFORMS`, `RUBY VERSION`, `BUNDLED WITH`, `CHECKSUMS` are ignored.
//!   Bundler does not record groups in the lock, so the scope is runtime.
//! * A spec line that is not `name (version)`, or a merge conflict marker,
//!   is an `invalid-syntax` error at its line; the rest is kept.

use vigie_model::{Code, Component, Ecosystem, Relation};

use crate::hash::{HashMap, HashSet};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "gemfile-lock",
    description: "Gemfile.lock, gems.locked (Bundler)",
    ecosystem: Some(Ecosystem::RubyGems),
    matches: |name| name == "Gemfile.lock" || name == "gems.locked",
    sniff: None,
    read,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Gem,
    Git,
    Path,
    Plugin,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Source(Kind),
    Dependencies,
    Other,
}

/// One source section, while it is read.
struct Source {
    kind: Kind,
    remotes: Vec<String>,
    revision: Option<String>,
    /// Indices of `specs` gathered from this section.
    specs: Vec<usize>,
}

struct Spec {
    name: String,
    version: String,
    platform: Option<String>,
    line: u32,
    deps: Vec<String>,
    source: usize,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let mut sources: Vec<Source> = Vec::new();
    let mut specs: Vec<Spec> = Vec::new();
    let mut direct_names: Option<HashSet<String>> = None;
    let mut section = Section::Other;
    let mut in_specs = false;
    let mut known_section = false;
    for (i, raw) in input.text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if ["<<<<<<<", "=======", ">>>>>>>"]
            .iter()
            .any(|m| line.starts_with(m))
        {
            out.error(Code::InvalidSyntax, "a merge conflict marker")
                .line = Some(n);
            section = Section::Other;
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let text = line.trim();
        if indent == 0 {
            in_specs = false;
            section = match text {
                "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => {
                    let kind = match text {
                        "GEM" => Kind::Gem,
                        "GIT" => Kind::Git,
                        "PATH" => Kind::Path,
                        _ => Kind::Plugin,
                    };
                    sources.push(Source {
                        kind,
                        remotes: Vec::new(),
                        revision: None,
                        specs: Vec::new(),
                    });
                    Section::Source(kind)
                }
                "DEPENDENCIES" => {
                    direct_names.get_or_insert_with(HashSet::default);
                    Section::Dependencies
                }
                _ => Section::Other,
            };
            known_section |= section != Section::Other
                || matches!(
                    text,
                    "PLATFORMS" | "RUBY VERSION" | "BUNDLED WITH" | "CHECKSUMS"
                );
            continue;
        }
        match section {
            Section::Source(_) => {
                let Some(source) = sources.last_mut() else {
                    continue;
                };
                match indent {
                    2 => {
                        in_specs = text == "specs:";
                        if let Some(remote) = text.strip_prefix("remote:") {
                            source.remotes.push(remote.trim().to_owned());
                        } else if let Some(rev) = text.strip_prefix("revision:") {
                            source.revision = Some(rev.trim().to_owned());
                        }
                    }
                    4 if in_specs => match parse_spec(text) {
                        Some((name, version, platform)) => {
                            source.specs.push(specs.len());
                            specs.push(Spec {
                                name: name.to_owned(),
                                version: version.to_owned(),
                                platform: platform.map(str::to_owned),
                                line: n,
                                deps: Vec::new(),
                                source: sources.len() - 1,
                            });
                        }
                        None => {
                            out.error(
                                Code::InvalidSyntax,
                                format!("not a gem and its version, `name (1.2.3)`: `{text}`"),
                            )
                            .line = Some(n);
                        }
                    },
                    6 if in_specs => {
                        // Only under a gem of this section.
                        if let Some(spec) = source.specs.last().and_then(|&k| specs.get_mut(k)) {
                            spec.deps.push(dep_name(text).to_owned());
                        }
                    }
                    _ => {}
                }
            }
            Section::Dependencies => {
                if let Some(names) = direct_names.as_mut() {
                    names.insert(dep_name(text).to_owned());
                }
            }
            Section::Other => {}
        }
    }
    if !known_section && !input.text.trim().is_empty() {
        out.error(
            Code::UnexpectedContent,
            "no GEM, GIT, PATH or DEPENDENCIES section: not a Gemfile.lock",
        );
        return;
    }
    emit(out, &sources, &specs, direct_names);
}

/// `name (1.2.3)` or `name (1.2.3-x86_64-linux)`.
fn parse_spec(text: &str) -> Option<(&str, &str, Option<&str>)> {
    let (name, rest) = text.split_once(" (")?;
    let full = rest.strip_suffix(')')?;
    if name.is_empty() || name.contains(' ') || full.is_empty() || full.contains(' ') {
        return None;
    }
    Some(match full.split_once('-') {
        Some((v, platform)) => (name, v, Some(platform)),
        None => (name, full, None),
    })
}

/// The gem name of a dependency line: `rack (~> 2.0, >= 2.2.0)`, `rails!`.
fn dep_name(text: &str) -> &str {
    let end = text.find([' ', '!', '(']).unwrap_or(text.len());
    &text[..end]
}

fn is_rubygems(remote: &str) -> bool {
    let host = remote.split("://").nth(1).unwrap_or(remote);
    let host = host.split('/').next().unwrap_or(host);
    host == "rubygems.org" || host.ends_with(".rubygems.org")
}

fn emit(
    out: &mut Output,
    sources: &[Source],
    specs: &[Spec],
    direct_names: Option<HashSet<String>>,
) {
    let local = |s: &Spec| sources.get(s.source).is_some_and(|x| x.kind == Kind::Path);
    // What local gems depend on is asked for by the project itself.
    let mut direct = direct_names;
    for s in specs.iter().filter(|s| local(s)) {
        if let Some(d) = direct.as_mut() {
            d.extend(s.deps.iter().cloned());
        }
        let at_root = sources
            .get(s.source)
            .is_some_and(|x| x.remotes.iter().any(|r| r == "." || r == "./"));
        if at_root && out.project_name.is_none() {
            out.project_name = Some(s.name.clone());
        }
    }
    // One component per (name, version, source); platforms gathered.
    let mut key_of: HashMap<(&str, &str, usize), u32> = HashMap::default();
    let mut platforms: Vec<Vec<&str>> = Vec::new();
    let mut comp_of_spec: Vec<Option<u32>> = vec![None; specs.len()];
    for (k, s) in specs.iter().enumerate() {
        if local(s) {
            continue;
        }
        let key = (s.name.as_str(), s.version.as_str(), s.source);
        let i = match key_of.get(&key) {
            Some(&i) => i,
            None => {
                let relation = match &direct {
                    Some(d) if d.contains(&s.name) => Relation::Direct,
                    Some(_) => Relation::Transitive,
                    None => Relation::Unknown,
                };
                let mut c = Component::new(Ecosystem::RubyGems, &s.name, Some(&s.version))
                    .with_relation(relation)
                    .with_line(Some(s.line));
                if let Some(note) = sources.get(s.source).and_then(source_note) {
                    c = c.with_note(note);
                }
                let i = out.push(c);
                key_of.insert(key, i);
                platforms.push(Vec::new());
                i
            }
        };
        if let Some(p) = platforms.get_mut(i as usize) {
            p.push(s.platform.as_deref().unwrap_or("ruby"));
        }
        comp_of_spec[k] = Some(i);
    }
    for (i, p) in platforms.iter().enumerate() {
        if p.iter().all(|&x| x == "ruby") {
            continue;
        }
        let Some(c) = out.components.get_mut(i) else {
            continue;
        };
        let list = format!("platforms {}", p.join(", "));
        c.note = Some(match c.note.take() {
            Some(n) => format!("{n}; {list}"),
            None => list,
        });
    }
    let mut by_name: HashMap<&str, Vec<u32>> = HashMap::default();
    for (k, s) in specs.iter().enumerate() {
        if let Some(i) = comp_of_spec[k] {
            let v = by_name.entry(s.name.as_str()).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }
    let mut edges = HashSet::default();
    for (k, s) in specs.iter().enumerate() {
        let Some(from) = comp_of_spec[k] else {
            continue;
        };
        for d in &s.deps {
            for &to in by_name.get(d.as_str()).into_iter().flatten() {
                if to != from && edges.insert((from, to)) {
                    out.depend(from, to);
                }
            }
        }
    }
}

fn source_note(s: &Source) -> Option<String> {
    match s.kind {
        Kind::Git => {
            let remote = s.remotes.first().map_or("?", String::as_str);
            let rev = s.revision.as_deref().unwrap_or("?");
            Some(format!("from git {remote} at {rev}"))
        }
        Kind::Plugin => Some(format!(
            "from the plugin source {}",
            s.remotes.first().map_or("?", String::as_str)
        )),
        Kind::Gem => match s.remotes.as_slice() {
            [one] if !is_rubygems(one) => Some(format!("from the gem server {one}")),
            _ => None,
        },
        Kind::Path => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "Gemfile.lock", text, &MemorySource::new())
    }

    const LOCK: &str = "\
PATH
  remote: .
  specs:
    myapp (0.1.0)
      rack (~> 2.0)

GIT
  remote: https://github.com/hanami/utils.git
  revision: 5904fc9a
  branch: unstable
  specs:
    hanami-utils (2.0.0.alpha1)
      concurrent-ruby (~> 1.0)

GEM
  remote: https://rubygems.org/
  specs:
    concurrent-ruby (1.1.7)
    nokogiri (1.16.0)
      racc (~> 1.4)
    nokogiri (1.16.0-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.16.0-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.3)
    rack (2.2.3)

GEM
  remote: https://gems.example.com/
  specs:
    private-gem (3.0.0)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  hanami-utils!
  myapp!
  nokogiri (~> 1.16)
  private-gem (~> 3.0)!

CHECKSUMS
  racc (1.7.3) sha256=abc

BUNDLED WITH
   2.5.6
";

    #[test]
    fn sections_platforms_and_relations() {
        let out = read_text(LOCK);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.project_name.as_deref(), Some("myapp"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref().unwrap(),
                    c.relation,
                    c.line.unwrap(),
                )
            })
            .collect();
        use Relation::*;
        assert_eq!(
            got,
            [
                ("hanami-utils", "2.0.0.alpha1", Direct, 12),
                ("concurrent-ruby", "1.1.7", Transitive, 18),
                ("nokogiri", "1.16.0", Direct, 19),
                ("racc", "1.7.3", Transitive, 25),
                // Asked for by the project's own gemspec.
                ("rack", "2.2.3", Direct, 26),
                ("private-gem", "3.0.0", Direct, 31),
            ]
        );
        let notes: Vec<_> = out.components.iter().map(|c| c.note.as_deref()).collect();
        assert_eq!(
            notes,
            [
                Some("from git https://github.com/hanami/utils.git at 5904fc9a"),
                None,
                Some("platforms ruby, arm64-darwin, x86_64-linux"),
                None,
                None,
                Some("from the gem server https://gems.example.com/"),
            ]
        );
        assert_eq!(out.components[2].purl, "pkg:gem/nokogiri@1.16.0");
        // hanami-utils -> concurrent-ruby, nokogiri -> racc (once).
        assert_eq!(out.dependencies, [(0, 1), (2, 3)]);
    }

    #[test]
    fn bad_lines_are_located_and_the_rest_kept() {
        let text = "GEM\n  remote: https://rubygems.org/\n  specs:\n    good (1.0)\n    bad\n    also bad (1.0\n<<<<<<< HEAD\n    good2 (2.0)\n=======\nGEM\n  specs:\n    fine (3.0)\n";
        let out = read_text(text);
        let names: Vec<_> = out.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["good", "fine"]);
        let lines: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            lines,
            [
                ("invalid-syntax", Some(5)),
                ("invalid-syntax", Some(6)),
                ("invalid-syntax", Some(7)),
                ("invalid-syntax", Some(9)),
            ]
        );
        // No DEPENDENCIES section: relation unknown.
        assert_eq!(out.components[0].relation, Relation::Unknown);
    }

    #[test]
    fn not_a_lockfile() {
        let out = read_text("{\"this\": \"is json\"}\n");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_text("");
        assert!(out.diagnostics.is_empty() && out.components.is_empty());
    }

    #[test]
    fn spec_lines() {
        assert_eq!(parse_spec("ast (2.4.2)"), Some(("ast", "2.4.2", None)));
        assert_eq!(
            parse_spec("ffi (1.17.4-aarch64-linux-gnu)"),
            Some(("ffi", "1.17.4", Some("aarch64-linux-gnu")))
        );
        assert_eq!(parse_spec("ast"), None);
        assert_eq!(parse_spec("ast ()"), None);
        assert_eq!(dep_name("avo-advanced (~> 3.32)!"), "avo-advanced");
        assert_eq!(dep_name("rails!"), "rails");
    }
}
