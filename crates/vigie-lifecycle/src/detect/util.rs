//! Helpers shared by the detectors: lines, version constraints, and the
//! record of a runtime declaration.

use crate::cycle::numeric_parts;
use crate::detect::Output;

/// The 1-based line of a byte offset.
pub use vigie_model::line_at;

/// The 1-based line where `needle` first occurs at or after byte `from`.
pub fn line_of(text: &str, needle: &str, from: usize) -> Option<u32> {
    let rest = text.get(from..)?;
    rest.find(needle).map(|i| line_at(text, from + i))
}

/// The lines of a text with their 1-based numbers.
pub fn numbered(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l))
}

/// Records a runtime declaration: `written` as the file writes it, the
/// version mapped being its lower bound when it is a constraint (`>=3.8` →
/// `3.8`). A constraint with no lower bound (`*`, `<4`) gives a detection
/// without version, reported as unpinned.
pub fn declare(out: &mut Output, product: &str, written: &str, line: Option<u32>) {
    let written = written.trim();
    if written.is_empty() {
        return;
    }
    let floor = constraint_floor(written);
    let plain = floor.as_deref() == Some(written.trim_start_matches(['v', 'V']));
    let d = out.runtime(product, written, floor, line);
    if !plain {
        d.note = Some(match &d.version {
            Some(v) => format!("lower bound {v} of `{written}`"),
            None => format!("`{written}` pins no version"),
        });
    }
}

/// The lower bound of a version constraint, in the syntaxes of npm, PEP 440,
/// Composer and RubyGems (`>=3.8,<4`, `^8.1 || ^9`, `~> 3.2`, `18.x`,
/// `1.2.3 - 2`): for each alternative the highest of its lower bounds, and
/// the lowest of the alternatives. `None` when nothing bounds it below.
pub fn constraint_floor(constraint: &str) -> Option<String> {
    let mut best: Option<String> = None;
    for alt in constraint.split('|').filter(|a| !a.trim().is_empty()) {
        let Some(floor) = alternative_floor(alt) else {
            continue;
        };
        let lower = match &best {
            Some(b) => numeric_parts(&floor) < numeric_parts(b),
            None => true,
        };
        if lower {
            best = Some(floor);
        }
    }
    best
}

fn alternative_floor(alt: &str) -> Option<String> {
    let mut floor: Option<String> = None;
    let mut pending_op = String::new();
    for token in alt.split([',', ' ', '\t']).filter(|t| !t.is_empty()) {
        let ops_len = token.len()
            - token
                .trim_start_matches(['>', '<', '=', '!', '~', '^'])
                .len();
        let (op, rest) = token.split_at(ops_len);
        if rest.is_empty() {
            pending_op = op.to_owned();
            continue;
        }
        let op = if op.is_empty() {
            std::mem::take(&mut pending_op)
        } else {
            op.to_owned()
        };
        pending_op.clear();
        if op.starts_with('<') || op == "!=" || rest == "-" {
            continue;
        }
        let v = rest
            .trim_end_matches(".*")
            .trim_end_matches(".x")
            .trim_end_matches(".X")
            .trim_start_matches(['v', 'V']);
        if numeric_parts(v).is_none() || !v.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let higher = match &floor {
            Some(f) => numeric_parts(v) > numeric_parts(f),
            None => true,
        };
        if higher {
            floor = Some(v.to_owned());
        }
        if op.is_empty() && alt.contains(" - ") {
            // `1.2.3 - 2.3.4`: the first is the floor, the second the ceiling.
            break;
        }
    }
    floor
}

/// Strips a `#` comment and surrounding whitespace from a line.
pub fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors() {
        let f = |s: &str| constraint_floor(s);
        assert_eq!(f(">=3.8"), Some("3.8".into()));
        assert_eq!(f(">=3.8,<4"), Some("3.8".into()));
        assert_eq!(f(">= 3.9, != 3.9.1"), Some("3.9".into()));
        assert_eq!(f("^8.1 || ^9.0"), Some("8.1".into()));
        assert_eq!(f("^9.0|^8.2"), Some("8.2".into()));
        assert_eq!(f("~> 3.2"), Some("3.2".into()));
        assert_eq!(f("18.x"), Some("18".into()));
        assert_eq!(f(">=18 <21"), Some("18".into()));
        assert_eq!(f("1.2.3 - 2.3.4"), Some("1.2.3".into()));
        assert_eq!(f("3.11.*"), Some("3.11".into()));
        assert_eq!(f("v18.17.0"), Some("18.17.0".into()));
        assert_eq!(f("*"), None);
        assert_eq!(f("<4"), None);
        assert_eq!(f("lts/*"), None);
        assert_eq!(f(""), None);
    }

    #[test]
    fn lines() {
        let t = "a\nbb\nccc";
        assert_eq!(line_at(t, 0), 1);
        assert_eq!(line_at(t, 3), 2);
        assert_eq!(line_at(t, 999), 3);
        assert_eq!(line_of(t, "cc", 0), Some(3));
        assert_eq!(line_of(t, "zz", 0), None);
    }
}

/// Most variables substituted in one value.
const MAX_SUBSTITUTIONS: usize = 32;

/// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}` and
/// `${VAR:+alternative}` (Dockerfile and Compose syntax) with `lookup`;
/// `$$` is a `$`. Returns the name of the first variable that has no value
/// and no default.
pub fn substitute(s: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut count = 0;
    while let Some(i) = rest.find('$') {
        out.push_str(rest.get(..i).unwrap_or_default());
        rest = rest.get(i + 1..).unwrap_or_default();
        count += 1;
        if count > MAX_SUBSTITUTIONS {
            return Err("(too many variables)".into());
        }
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(r) = rest.strip_prefix('{') {
            let Some(end) = r.find('}') else {
                return Err(r.to_owned());
            };
            let expr = r.get(..end).unwrap_or_default();
            rest = r.get(end + 1..).unwrap_or_default();
            let (name, op, word) = match expr.find([':', '-', '+']) {
                Some(j) => {
                    let (n, tail) = expr.split_at(j);
                    let op_len = if tail.starts_with(':') { 2 } else { 1 };
                    let op = tail.get(..op_len).unwrap_or_default();
                    (n, op, tail.get(op_len..).unwrap_or_default())
                }
                None => (expr, "", ""),
            };
            let value = lookup(name);
            let set = value.as_deref().is_some_and(|v| !v.is_empty());
            match op {
                "" => out.push_str(&value.ok_or_else(|| name.to_owned())?),
                ":-" => out.push_str(if set {
                    value.as_deref().unwrap_or("")
                } else {
                    word
                }),
                "-" => out.push_str(value.as_deref().unwrap_or(word)),
                ":+" | "+" => {
                    if set {
                        out.push_str(word);
                    }
                }
                _ => return Err(name.to_owned()),
            }
        } else {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = rest.get(..len).unwrap_or_default();
            rest = rest.get(len..).unwrap_or_default();
            out.push_str(&lookup(name).ok_or_else(|| name.to_owned())?);
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The values of the `image:` keys of a YAML text (Compose services,
/// Kubernetes containers), by line, unquoted and without comments. Lines
/// are read one by one, so templated files (Helm) do not stop the reading;
/// block scalars are not told apart (an `image:` line inside one is read).
pub fn yaml_images(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (line, l) in numbered(text) {
        let t = l.trim_start();
        let t = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
        let Some(v) = t.strip_prefix("image:") else {
            continue;
        };
        let v = v.trim();
        let v = match v.chars().next() {
            Some(q @ ('"' | '\'')) => v.get(1..).and_then(|r| r.split(q).next()).unwrap_or(""),
            _ => v.split(" #").next().unwrap_or("").trim(),
        };
        if !v.is_empty() {
            out.push((line, v.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod substitution_tests {
    use super::*;

    #[test]
    fn variables() {
        let vars = |n: &str| match n {
            "TAG" => Some("3.8".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        assert_eq!(
            substitute("python:$TAG-slim", vars),
            Ok("python:3.8-slim".into())
        );
        assert_eq!(substitute("python:${TAG}", vars), Ok("python:3.8".into()));
        assert_eq!(substitute("node:${V:-18}", vars), Ok("node:18".into()));
        assert_eq!(substitute("node:${EMPTY:-18}", vars), Ok("node:18".into()));
        assert_eq!(substitute("node:${EMPTY-18}", vars), Ok("node:".into()));
        assert_eq!(substitute("a${TAG:+-x}", vars), Ok("a-x".into()));
        assert_eq!(substitute("$$x", vars), Ok("$x".into()));
        assert_eq!(substitute("python:$NOPE", vars), Err("NOPE".into()));
        assert_eq!(substitute("python:${NOPE", vars), Err("NOPE".into()));
    }

    #[test]
    fn image_lines() {
        let t = "services:\n  db:\n    image: \"postgres:11\" # main\n  web:\n    image: nginx:1.18 # c\n    command: image:x\n      - image: 'redis:5'\n";
        assert_eq!(
            yaml_images(t),
            [
                (3, "postgres:11".into()),
                (5, "nginx:1.18".into()),
                (7, "redis:5".into())
            ]
        );
    }
}
