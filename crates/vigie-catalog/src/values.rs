//! Small value syntaxes of vigie's fields: platforms (`postgresql 12,
//! managed`) and repositories (paths relative to the catalog file, or URLs).

use crate::vigie::{Platform, Repository};

/// `postgresql 12, managed` → name, version, qualifiers.
pub(crate) fn platform(text: &str) -> Option<Platform> {
    let mut parts = text.split(',').map(str::trim);
    let head = parts.next().filter(|h| !h.is_empty())?;
    let (name, version) = match head.rsplit_once(' ') {
        Some((n, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => (n.trim(), Some(v)),
        _ => (head, None),
    };
    Some(Platform {
        name: name.to_ascii_lowercase(),
        version: version.map(str::to_owned),
        qualifiers: parts.filter(|q| !q.is_empty()).map(str::to_owned).collect(),
    })
}

/// A repository: a URL (`scheme://`, `git@`), or a path relative to the
/// catalog file's folder, normalised.
pub fn repository(file: &str, spec: &str) -> Repository {
    let s = spec.trim();
    if s.contains("://") || s.starts_with("git@") {
        return Repository {
            spec: s.to_owned(),
            path: None,
            url: Some(s.to_owned()),
        };
    }
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if s.starts_with('/') || dir.is_empty() {
        s.to_owned()
    } else {
        format!("{dir}/{s}")
    };
    Repository {
        spec: s.to_owned(),
        path: Some(normalize_path(&joined)),
        url: None,
    }
}

/// Removes `.` and resolves `..` segments lexically; `..` above the start
/// is kept. The empty path is `.`.
pub fn normalize_path(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => match out.last() {
                Some(&l) if l != ".." => {
                    out.pop();
                }
                _ if absolute => {}
                _ => out.push(".."),
            },
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_platforms() {
        let r = repository("examples/acme/catalog/systems.yaml", "../billing-api");
        assert_eq!(r.path.as_deref(), Some("examples/acme/billing-api"));
        let r = repository("catalog.yaml", "./storefront/");
        assert_eq!(r.path.as_deref(), Some("storefront"));
        let r = repository("a/catalog-info.yaml", ".");
        assert_eq!(r.path.as_deref(), Some("a"));
        assert_eq!(normalize_path("../../x"), "../../x");
        assert_eq!(normalize_path("/a/../../b"), "/b");
        let r = repository("x.yaml", "https://git.example.com/acme/api.git");
        assert!(r.path.is_none() && r.url.is_some());
        let p = platform("PostgreSQL 12, managed").unwrap();
        assert_eq!(
            (p.name.as_str(), p.version.as_deref(), p.qualifiers.len()),
            ("postgresql", Some("12"), 1)
        );
        let p = platform("redis").unwrap();
        assert_eq!((p.name.as_str(), p.version), ("redis", None));
    }
}
