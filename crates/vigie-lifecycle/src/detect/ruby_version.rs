//! `.ruby-version` (rbenv, rvm, chruby): `3.2.2` or `ruby-3.2.2` names the
//! `ruby` product, `jruby-9.4.5.0` the `jruby` one; other implementations
//! (`truffleruby-...`, `mruby-...`) get an `unknown-runtime` warning.

use super::util::{declare, numbered, strip_comment};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "ruby-version",
    description: "rbenv/rvm .ruby-version",
    matches: |name| name == ".ruby-version",
    sniff: None,
    detect,
};

fn detect(input: &Input<'_>, out: &mut Output) {
    let Some((line, text)) = numbered(input.text).find(|(_, l)| !strip_comment(l).is_empty())
    else {
        return;
    };
    let v = strip_comment(text);
    let v = v.split('@').next().unwrap_or(v); // rvm gemset: `3.2.2@app`
    if let Some(rest) = v.strip_prefix("jruby-") {
        out.runtime("jruby", v, Some(rest.to_owned()), Some(line));
    } else if let Some(rest) = v.strip_prefix("ruby-").or(Some(v))
        && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        declare(out, "ruby", rest, Some(line));
    } else {
        out.warning(
            Code::UnknownRuntime,
            format!("`{v}` is not a Ruby version vigie knows"),
            Some(line),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        for (text, product, version) in [
            ("3.2.2\n", "ruby", "3.2.2"),
            ("ruby-3.1.4@app\n", "ruby", "3.1.4"),
            ("jruby-9.4.5.0", "jruby", "9.4.5.0"),
        ] {
            let mut out = Output::new(".ruby-version", "ruby-version");
            detect(
                &Input {
                    path: ".ruby-version",
                    text,
                },
                &mut out,
            );
            let d = &out.detections[0];
            assert_eq!(d.subject, crate::detect::Subject::Product(product.into()));
            assert_eq!(d.version.as_deref(), Some(version));
        }
        let mut out = Output::new(".ruby-version", "ruby-version");
        detect(
            &Input {
                path: ".ruby-version",
                text: "truffleruby-23",
            },
            &mut out,
        );
        assert!(out.detections.is_empty());
    }
}
