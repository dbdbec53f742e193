//! The keys under which free-text licence names and URLs are looked up.

/// Words that never change which licence a name means.
const NOISE: &[&str] = &[
    "the", "license", "licence", "licenses", "licences", "version", "ver", "v",
];

/// The loose key of a licence name (see `data/aliases.toml`): `"The MIT
/// License (MIT)"` → `"mit"`, `"Apache License, Version 2.0"` →
/// `"apache 2.0"`, `"LGPL v2.1+"` → `"lgpl 2.1+"`.
pub fn name_key(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut words: Vec<&str> = Vec::new();
    for raw in cleaned.split_whitespace() {
        let mut w = raw.trim_end_matches('.');
        if !w.chars().any(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        if let Some(rest) = w.strip_prefix('v')
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            w = rest;
        }
        if NOISE.contains(&w) || words.contains(&w) {
            continue;
        }
        words.push(w);
    }
    words.join(" ")
}

/// The key of a URL, or `None` when `text` is not an http(s) URL: no
/// scheme, no `www.`, no query or fragment, no trailing `/` or
/// `.html`/`.htm`/`.php`/`.txt`/`.md`, lower case.
pub fn url_key(text: &str) -> Option<String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let mut rest = rest.trim_end_matches('/');
    for ext in [".html", ".htm", ".php", ".txt", ".md"] {
        if let Some(r) = rest.strip_suffix(ext) {
            rest = r;
            break;
        }
    }
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return None;
    }
    Some(rest.to_owned())
}

/// The last path segment of a URL key under one of the hosts whose pages
/// are named by SPDX identifiers (`spdx.org/licenses/MIT`,
/// `opensource.org/licenses/Apache-2.0`, `choosealicense.com/licenses/mit`).
pub fn id_in_url(key: &str) -> Option<&str> {
    const PREFIXES: &[&str] = &[
        "spdx.org/licenses/",
        "opensource.org/licenses/",
        "opensource.org/license/",
        "choosealicense.com/licenses/",
    ];
    PREFIXES
        .iter()
        .find_map(|p| key.strip_prefix(p))
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected keys worked out by hand from the rules in data/aliases.toml.
    #[test]
    fn name_keys() {
        assert_eq!(name_key("The MIT License (MIT)"), "mit");
        assert_eq!(name_key("Apache License, Version 2.0"), "apache 2.0");
        assert_eq!(name_key("LGPL v2.1+"), "lgpl 2.1+");
        assert_eq!(name_key("ISC License (ISCL)"), "isc iscl");
        assert_eq!(
            name_key("Eclipse Distribution License - v 1.0"),
            "eclipse distribution 1.0"
        );
        assert_eq!(
            name_key("Eclipse Distribution License v. 1.0"),
            "eclipse distribution 1.0"
        );
        assert_eq!(name_key("lgpl_v2_1"), "lgpl 2 1");
        assert_eq!(name_key("  "), "");
    }

    #[test]
    fn url_keys() {
        assert_eq!(
            url_key("http://www.apache.org/licenses/LICENSE-2.0.txt").as_deref(),
            Some("apache.org/licenses/license-2.0")
        );
        assert_eq!(
            url_key("https://opensource.org/licenses/MIT/").as_deref(),
            Some("opensource.org/licenses/mit")
        );
        assert_eq!(url_key("MIT"), None);
        assert_eq!(id_in_url("spdx.org/licenses/mit"), Some("mit"));
        assert_eq!(id_in_url("spdx.org/licenses/"), None);
    }
}
