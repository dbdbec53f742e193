//! `.nvmrc` (nvm) and `.node-version` (nodenv, fnm, Volta...): the Node.js
//! version, on the first line that is not a comment. `v18.17.0` and `18` are
//! versions, `lts/hydrogen` is Node.js 18 by its LTS codename; `lts/*`,
//! `node`, `stable`, `latest` float and are reported unpinned.

use super::util::{declare, numbered, strip_comment};
use super::{Detector, Input, Output};
use crate::cycle::node_lts_major;

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "node-version",
    description: "nvm .nvmrc and .node-version",
    matches: |name| name == ".nvmrc" || name == ".node-version",
    sniff: None,
    detect,
};

fn detect(input: &Input<'_>, out: &mut Output) {
    let Some((line, text)) = numbered(input.text).find(|(_, l)| !strip_comment(l).is_empty())
    else {
        return;
    };
    let v = strip_comment(text);
    let codename = v
        .strip_prefix("lts/")
        .or_else(|| v.strip_prefix("LTS/"))
        .and_then(node_lts_major);
    if let Some(major) = codename {
        let d = out.runtime("nodejs", v, Some(major.to_owned()), Some(line));
        d.note = Some(format!("LTS codename of Node.js {major}"));
    } else if v
        .trim_start_matches(['v', 'V'])
        .starts_with(|c: char| c.is_ascii_digit())
    {
        declare(out, "nodejs", v, Some(line));
    } else {
        let d = out.runtime("nodejs", v, None, Some(line));
        d.note = Some(format!("`{v}` floats: it follows the newest release"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (Option<String>, String) {
        let mut out = Output::new(".nvmrc", "node-version");
        detect(
            &Input {
                path: ".nvmrc",
                text,
            },
            &mut out,
        );
        let d = out.detections.remove(0);
        (d.version, d.written)
    }

    #[test]
    fn forms() {
        assert_eq!(
            one("v18.17.0\n"),
            (Some("18.17.0".into()), "v18.17.0".into())
        );
        assert_eq!(one("# c\n20"), (Some("20".into()), "20".into()));
        assert_eq!(
            one("lts/hydrogen"),
            (Some("18".into()), "lts/hydrogen".into())
        );
        assert_eq!(one("lts/*"), (None, "lts/*".into()));
        assert_eq!(one("node"), (None, "node".into()));
    }
}
