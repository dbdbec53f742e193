//! Go `go.mod`: the module's requirements, with `replace` applied, checked
//! against `go.sum`.
//!
//! The file is read line by line as the `go` command reads it: directives
//! (`module`, `go`, `toolchain`, `require`, `replace`, `exclude`, ...) on one
//! line or in a `( ... )` block, `//` comments, quoted paths. An unknown
//! directive is an `invalid-syntax` error on its line; the rest is kept.
//!
//! - Each `require` is a component, named by its module path, with its
//!   version as written (`v1.2.3`, pseudo-versions, `+incompatible`).
//!   `// indirect` marks a transitive requirement, the others are direct.
//! - `replace old [v] => new v` renames the component (a note keeps the
//!   original); a version-specific replace wins over a module-wide one, and
//!   a replace of a module version that is not required does nothing.
//!   `replace old => ./local/path` makes the module local code, like the
//!   project itself: the component is dropped (as osv-scanner does), with a
//!   `local-replace` warning so that it is not silent.
//! - `exclude` and `retract` name versions that are *not* used: never
//!   components.
//! - The Go standard library is a component `stdlib` (as in osv-scanner and
//!   the Go vulnerability database), at the `toolchain` version if there is
//!   one, else at the `go` version, written like module versions (`v1.22.5`).
//!   The `go` line is the minimum version: the toolchain that builds may be
//!   newer, and the note says so.
//!
//! `go.sum`, beside the file, is read through [`crate::FileSource`]: a
//! required (or replacement) module version that has no line in it gives a
//! `not-in-go-sum` warning, and a missing `go.sum` one `go-sum-missing`
//! warning when there are requirements. The `module` line names the project.

use vigie_model::{Code, Component, Ecosystem, Relation};

use crate::hash::{HashMap, HashSet};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "go-mod",
    description: "Go go.mod (with replace directives, checked against go.sum)",
    ecosystem: Some(Ecosystem::Go),
    matches: |name| name == "go.mod",
    sniff: None,
    read,
};

/// Syntax errors reported at most, per file.
const MAX_ERRORS: usize = 20;

struct Require {
    path: String,
    version: String,
    indirect: bool,
    line: u32,
}

struct Replace {
    old: String,
    old_version: Option<String>,
    new: String,
    new_version: Option<String>,
    line: u32,
}

/// Splits a line into tokens (quoted strings unquoted) and its `//` comment.
fn tokenize(line: &str) -> Result<(Vec<String>, &str), &'static str> {
    let mut tokens = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("//") {
            return Ok((tokens, comment.trim()));
        }
        let mut chars = rest.char_indices();
        let first = chars.next().map(|(_, c)| c);
        let (token, len) = match first {
            Some('"') => {
                let mut out = String::new();
                let mut escaped = false;
                let mut end = None;
                for (i, c) in chars {
                    match (escaped, c) {
                        (false, '\\') => escaped = true,
                        (false, '"') => {
                            end = Some(i + 1);
                            break;
                        }
                        _ => {
                            out.push(c);
                            escaped = false;
                        }
                    }
                }
                (out, end.ok_or("unterminated quoted string")?)
            }
            Some('`') => {
                let end = rest[1..].find('`').ok_or("unterminated raw string")?;
                (rest[1..=end].to_owned(), end + 2)
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '"' || c == '`')
                    .unwrap_or(rest.len());
                let end = match rest[..end].find("//") {
                    Some(0) | None => end,
                    Some(i) => i,
                };
                (rest[..end].to_owned(), end)
            }
        };
        tokens.push(token);
        rest = rest[len..].trim_start();
    }
    Ok((tokens, ""))
}

/// `// indirect` or `// indirect; ...`, as the `go` command reads it.
fn is_indirect(comment: &str) -> bool {
    comment == "indirect" || comment.starts_with("indirect;")
}

const DIRECTIVES: [&str; 10] = [
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "exclude",
    "replace",
    "retract",
    "tool",
    "ignore",
];

/// The module version of a Go release, as golang.org/x/vuln's `GoTagToSemver` gives it (and
/// so as the Go vulnerability database writes the standard library's versions): `go1.21` →
/// `v1.21.0`, `go1.19.3` → `v1.19.3`, `go1.24rc2` → `v1.24.0-rc.2`, `go1.22beta1` →
/// `v1.22.0-beta.1`, `go1.20-pre4` → `v1.20.0-pre.4`, `go1` → `v1.0.0`. The `go` prefix is
/// optional (the `go` line has none). A custom toolchain's suffix after the release
/// (`go1.21.3-corp`, `+auto`) is dropped. `None` when it is not a Go release (`go1.0` neither,
/// as for `GoTagToSemver`).
fn go_version(v: &str) -> Option<String> {
    /// The leading ASCII digits of `s` (at least one) and the rest.
    fn number(s: &str) -> Option<(&str, &str)> {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        (end > 0).then(|| s.split_at(end))
    }
    let tag = v.strip_prefix("go").unwrap_or(v);
    if tag == "1" {
        return Some("v1.0.0".to_owned());
    }
    let (major, rest) = number(tag)?;
    let (minor, rest) = number(rest.strip_prefix('.')?)?;
    let (patch, rest) = match rest.strip_prefix('.') {
        Some(r) => number(r)?,
        None if major == "1" && minor == "0" && rest.is_empty() => return None,
        None => ("0", rest),
    };
    let mut out = format!("v{major}.{minor}.{patch}");
    let mut rest = rest;
    for (label, written) in [("beta", "beta"), ("rc", "rc"), ("-pre", "pre")] {
        if let Some((n, r)) = rest.strip_prefix(label).and_then(number) {
            out.push_str(&format!("-{written}.{n}"));
            rest = r;
            break;
        }
    }
    (rest.is_empty() || rest.starts_with(['-', '+'])).then_some(out)
}

fn read(input: &Input<'_>, out: &mut Output) {
    let mut requires: Vec<Require> = Vec::new();
    let mut replaces: Vec<Replace> = Vec::new();
    let mut go: Option<(String, u32)> = None;
    let mut toolchain: Option<(String, u32)> = None;
    let mut block: Option<(&str, u32)> = None;
    let mut errors = 0usize;
    let mut error = |out: &mut Output, line: u32, msg: String| {
        errors += 1;
        if errors <= MAX_ERRORS {
            out.error(Code::InvalidSyntax, msg).line = Some(line);
        }
    };
    for (i, raw) in input.text.lines().enumerate() {
        let line = i as u32 + 1;
        let (tokens, comment) = match tokenize(raw) {
            Ok(t) => t,
            Err(why) => {
                error(out, line, why.to_owned());
                continue;
            }
        };
        let Some(first) = tokens.first() else {
            continue;
        };
        let (verb, args): (&str, &[String]) = match block {
            Some((verb, _)) => {
                if first == ")" && tokens.len() == 1 {
                    block = None;
                    continue;
                }
                (verb, &tokens[..])
            }
            None => {
                let Some(verb) = DIRECTIVES.iter().copied().find(|d| d == first) else {
                    error(
                        out,
                        line,
                        format!("unknown directive `{first}`: not a go.mod line"),
                    );
                    continue;
                };
                match &tokens[1..] {
                    [open] if open == "(" => {
                        block = Some((verb, line));
                        continue;
                    }
                    [open, close] if open == "(" && close == ")" => continue,
                    args => (verb, args),
                }
            }
        };
        match (verb, args) {
            ("module", [path]) => out.project_name = Some(path.clone()),
            ("go", [v]) => go = Some((v.clone(), line)),
            ("toolchain", [v]) => toolchain = Some((v.clone(), line)),
            ("require", [path, version])
                if [path, version]
                    .iter()
                    .any(|t| matches!(t.as_str(), "(" | ")")) =>
            {
                error(
                    out,
                    line,
                    format!(
                        "malformed `require` line: `{path} {version}` is not a module and version"
                    ),
                );
            }
            ("require", [path, version]) => {
                requires.push(Require {
                    path: path.clone(),
                    version: version.clone(),
                    indirect: is_indirect(comment),
                    line,
                });
            }
            ("replace", args) => {
                let Some(arrow) = args.iter().position(|a| a == "=>") else {
                    error(out, line, "a replace directive needs `=>`".into());
                    continue;
                };
                let (left, right) = args.split_at(arrow);
                let right = &right[1..];
                match (left, right) {
                    ([old, old_v @ ..], [new, new_v @ ..])
                        if old_v.len() <= 1 && new_v.len() <= 1 =>
                    {
                        replaces.push(Replace {
                            old: old.clone(),
                            old_version: old_v.first().cloned(),
                            new: new.clone(),
                            new_version: new_v.first().cloned(),
                            line,
                        });
                    }
                    _ => error(
                        out,
                        line,
                        "a replace directive is `old [version] => new [version]`".into(),
                    ),
                }
            }
            ("module" | "go" | "toolchain" | "require", _) => {
                error(out, line, format!("malformed `{verb}` line"));
            }
            _ => {} // exclude, retract, godebug, tool, ignore: not components
        }
    }
    if let Some((verb, line)) = block {
        error(out, line, format!("the `{verb} (` block is never closed"));
    }
    if errors > MAX_ERRORS {
        out.error(
            Code::InvalidSyntax,
            format!("{} more syntax errors not shown", errors - MAX_ERRORS),
        );
    }
    emit(input, out, &requires, &replaces);
    // The standard library.
    let (source, found) = match (&toolchain, &go) {
        (Some((t, line)), _) if t != "default" => ("toolchain", Some((t, *line))),
        (_, Some((g, line))) => ("go", Some((g, *line))),
        _ => ("", None),
    };
    if let Some((v, line)) = found {
        match go_version(v) {
            Some(v) => {
                let note = if source == "go" {
                    "Go standard library, at the `go` line's version: the minimum; the toolchain that builds may be newer"
                } else {
                    "Go standard library, at the `toolchain` line's version"
                };
                out.push(
                    Component::new(Ecosystem::Go, "stdlib", Some(&v))
                        .with_relation(Relation::Direct)
                        .with_line(Some(line))
                        .with_note(note),
                );
            }
            None => {
                out.warning(
                    Code::UnresolvedVersion,
                    format!("`{v}` is not a Go version"),
                )
                .line = Some(line);
            }
        }
    }
}

/// Applies the replaces, pushes the components, and checks them in go.sum.
fn emit(input: &Input<'_>, out: &mut Output, requires: &[Require], replaces: &[Replace]) {
    let mut index: HashMap<(String, String), u32> = HashMap::default();
    let mut to_check: Vec<(String, String, u32)> = Vec::new();
    for r in requires {
        let replace = replaces
            .iter()
            .rev()
            .find(|x| x.old == r.path && x.old_version.as_ref() == Some(&r.version))
            .or_else(|| {
                replaces
                    .iter()
                    .rev()
                    .find(|x| x.old == r.path && x.old_version.is_none())
            });
        let (name, version, note) = match replace {
            Some(x) => match &x.new_version {
                Some(v) => (
                    x.new.clone(),
                    v.clone(),
                    Some(format!(
                        "replaces {} {} (replace directive, line {})",
                        r.path, r.version, x.line
                    )),
                ),
                None => {
                    out.warning(
                        Code::LocalReplace,
                        format!(
                            "{} {} is replaced by the local folder `{}`: local code, not a component",
                            r.path, r.version, x.new
                        ),
                    )
                    .line = Some(x.line);
                    continue;
                }
            },
            None => (r.path.clone(), r.version.clone(), None),
        };
        let relation = if r.indirect {
            Relation::Transitive
        } else {
            Relation::Direct
        };
        if let Some(&at) = index.get(&(name.clone(), version.clone())) {
            if let Some(c) = out.components.get_mut(at as usize)
                && relation == Relation::Direct
            {
                c.relation = Relation::Direct;
            }
            continue;
        }
        let mut c = Component::new(Ecosystem::Go, &name, Some(&version))
            .with_relation(relation)
            .with_line(Some(r.line));
        if let Some(n) = note {
            c = c.with_note(n);
        }
        let at = out.push(c);
        index.insert((name.clone(), version.clone()), at);
        to_check.push((name, version, r.line));
    }
    if to_check.is_empty() {
        return;
    }
    match input.files.read_relative(input.path, "go.sum") {
        Ok((_, sum)) => {
            let listed: HashSet<(&str, &str)> = sum
                .lines()
                .filter_map(|l| {
                    let mut f = l.split_whitespace();
                    let path = f.next()?;
                    let v = f.next()?;
                    Some((path, v.strip_suffix("/go.mod").unwrap_or(v)))
                })
                .collect();
            for (name, version, line) in to_check {
                if !listed.contains(&(name.as_str(), version.as_str())) {
                    out.warning(
                        Code::NotInGoSum,
                        format!(
                            "{name} {version} has no line in go.sum: its content is not confirmed"
                        ),
                    )
                    .line = Some(line);
                }
            }
        }
        Err(e) => {
            out.warning(
                Code::GoSumMissing,
                format!("go.sum could not be read ({e}): the versions are not confirmed"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn codes(out: &Output) -> Vec<&str> {
        out.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    const MOD: &str = r#"module example.com/app // the app

go 1.21.0
toolchain go1.22.5

require example.com/single v1.0.0
require (
	example.com/direct v1.2.3
	"example.com/quoted" v0.1.0 // indirect
	example.com/old v0.0.0-20210630005230-0f9fa26af87c // indirect; kept for x
	example.com/incompat v2.0.0+incompatible
	example.com/local v1.0.0
	example.com/absent v1.0.0
)
exclude example.com/direct v1.2.2
replace example.com/old => example.com/new v0.2.0
replace (
	example.com/direct v9.9.9 => example.com/never v1.0.0
	example.com/local => ../local
)
retract v0.9.0
"#;

    const SUM: &str = "example.com/single v1.0.0 h1:x=\n\
example.com/direct v1.2.3/go.mod h1:x=\n\
example.com/quoted v0.1.0 h1:x=\n\
example.com/new v0.2.0 h1:x=\n\
example.com/incompat v2.0.0+incompatible h1:x=\n";

    /// The cases of golang.org/x/vuln's `GoTagToSemver` (its `semver_test.go` and the
    /// regular expression it documents: `^go(\d+\.\d+)(\.\d+|)((beta|rc|-pre)(\d+))?$`,
    /// `go1` special-cased, `go1.0` refused), with and without the `go` prefix.
    #[test]
    fn go_releases_as_go_tag_to_semver_writes_them() {
        for (tag, want) in [
            ("go1.19", Some("v1.19.0")),
            ("go1.20-pre4", Some("v1.20.0-pre.4")),
            ("go1.21", Some("v1.21.0")),
            ("go1.19.3", Some("v1.19.3")),
            ("1.24rc2", Some("v1.24.0-rc.2")),
            ("go1.27rc1", Some("v1.27.0-rc.1")),
            ("1.22beta1", Some("v1.22.0-beta.1")),
            ("go1.21.0", Some("v1.21.0")),
            ("go1", Some("v1.0.0")),
            ("go1.0", None),
            ("go1.21rc", None),
            ("latest", None),
            // A custom toolchain's suffix (not a Go tag) is dropped, the release kept.
            ("go1.21.3-corp", Some("v1.21.3")),
        ] {
            assert_eq!(go_version(tag).as_deref(), want, "{tag}");
        }
        // Through the reader: the `toolchain` line wins over the `go` line.
        let out = read_file_as(
            &READER,
            "go.mod",
            "module m\ngo 1.24rc2\ntoolchain go1.27rc1\n",
            &MemorySource::new(),
        );
        let stdlib: Vec<_> = out.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(stdlib, ["pkg:golang/stdlib@v1.27.0-rc.1"]);
        let out = read_file_as(
            &READER,
            "go.mod",
            "module m\ngo 1.24rc2\n",
            &MemorySource::new(),
        );
        assert_eq!(out.components[0].version.as_deref(), Some("v1.24.0-rc.2"));
    }

    #[test]
    fn requires_replaces_stdlib_and_go_sum() {
        let files = MemorySource::new().with("svc/go.sum", SUM);
        let out = read_file_as(&READER, "svc/go.mod", MOD, &files);
        assert_eq!(out.project_name.as_deref(), Some("example.com/app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.relation, c.line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:golang/example.com/single@v1.0.0",
                    Relation::Direct,
                    Some(6)
                ),
                (
                    "pkg:golang/example.com/direct@v1.2.3",
                    Relation::Direct,
                    Some(8)
                ),
                (
                    "pkg:golang/example.com/quoted@v0.1.0",
                    Relation::Transitive,
                    Some(9)
                ),
                (
                    "pkg:golang/example.com/new@v0.2.0",
                    Relation::Transitive,
                    Some(10)
                ),
                (
                    "pkg:golang/example.com/incompat@v2.0.0%2Bincompatible",
                    Relation::Direct,
                    Some(11)
                ),
                (
                    "pkg:golang/example.com/absent@v1.0.0",
                    Relation::Direct,
                    Some(13)
                ),
                ("pkg:golang/stdlib@v1.22.5", Relation::Direct, Some(4)),
            ]
        );
        assert!(
            out.components[3]
                .note
                .as_deref()
                .unwrap()
                .contains("replaces example.com/old")
        );
        assert_eq!(codes(&out), ["local-replace", "not-in-go-sum"]);
        assert_eq!(out.diagnostics[0].line, Some(19));
        assert_eq!(out.diagnostics[1].line, Some(13));
    }

    #[test]
    fn stdlib_from_the_go_line_and_missing_go_sum() {
        let text = "module m\ngo 1.17\nrequire a.b/c v1.0.0\n";
        let out = read_file_as(&READER, "go.mod", text, &MemorySource::new());
        assert_eq!(out.components[1].purl, "pkg:golang/stdlib@v1.17.0");
        assert!(
            out.components[1]
                .note
                .as_deref()
                .unwrap()
                .contains("minimum")
        );
        assert_eq!(codes(&out), ["go-sum-missing"]);
    }

    #[test]
    fn bad_lines_are_located_and_the_rest_is_kept() {
        let text = "module m\nthis is not go.mod\nrequire a.b/c v1.0.0\nrequire \"unterminated v1\nrequire (\n";
        let out = read_file_as(&READER, "go.mod", text, &MemorySource::new());
        assert_eq!(out.components.len(), 1);
        let errors: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.code == "invalid-syntax")
            .map(|d| d.line)
            .collect();
        assert_eq!(errors, [Some(2), Some(4), Some(5)]);
    }

    #[test]
    fn duplicate_after_replacement_is_one_component() {
        let text = "require (\n a.b/x v1.0.0 // indirect\n a.b/x v2.0.0\n)\nreplace a.b/x => c.d/y v3.0.0\n";
        let out = read_file_as(&READER, "go.mod", text, &MemorySource::new());
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].relation, Relation::Direct);
        assert_eq!(out.components[0].purl, "pkg:golang/c.d/y@v3.0.0");
    }
}
