//! Which catalog element holds a project's code, from the elements' `repositories`:
//! - a path (`payments/api`, `./billing`) links every project whose path is that folder or below;
//! - a URL (`https://git.example.com/acme/payments.git`, `git@host:acme/payments`) links every
//!   project one of whose folders is named like the repository (`payments`, `x/payments/api`).

use std::collections::HashMap;

/// How a repository entry is matched: a folder path, or a repository name from a URL.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RepoKey {
    Path(String),
    Name(String),
}

/// Reads a repository entry of the catalog.
pub(crate) fn repo_key(repo: &str) -> Option<RepoKey> {
    let raw = repo.trim();
    let r = raw.trim_end_matches('/');
    let r = r.strip_suffix(".git").unwrap_or(r).trim_end_matches('/');
    let url = raw.contains("://") || r.split_once(':').is_some_and(|(a, _)| a.contains('@'));
    if url {
        // The last segment after the host: none for a bare `https://host`.
        let after_scheme = r.split_once("://").map_or(r, |(_, rest)| rest);
        let name = match after_scheme.rsplit_once(['/', ':']) {
            Some((_, name)) => name,
            None => "",
        };
        return (!name.is_empty()).then(|| RepoKey::Name(name.to_owned()));
    }
    let p = clean_path(r);
    (!p.is_empty()).then(|| RepoKey::Path(p.to_owned()))
}

fn clean_path(p: &str) -> &str {
    let mut p = p.trim().trim_end_matches('/');
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

/// The `(project id, entity ref)` links of the rule in the module doc.
pub(crate) fn links(
    projects: &[(i64, String)],
    repositories: &[(String, Vec<String>)],
) -> Vec<(i64, String)> {
    let mut by_path: HashMap<String, Vec<&str>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
    for (entity, repos) in repositories {
        for r in repos {
            match repo_key(r) {
                Some(RepoKey::Path(p)) => by_path.entry(p).or_default().push(entity),
                Some(RepoKey::Name(n)) => by_name.entry(n).or_default().push(entity),
                None => {}
            }
        }
    }
    let mut out = Vec::new();
    if by_path.is_empty() && by_name.is_empty() {
        return out;
    }
    for (id, path) in projects {
        let path = clean_path(path);
        let mut prefix_end = 0;
        for segment in path.split('/') {
            prefix_end += segment.len();
            let prefix = path.get(..prefix_end).unwrap_or(path);
            prefix_end += 1;
            for e in by_path.get(prefix).into_iter().flatten() {
                out.push((*id, (*e).to_owned()));
            }
            for e in by_name.get(segment).into_iter().flatten() {
                out.push((*id, (*e).to_owned()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_entries() {
        let name = |s: &str| Some(RepoKey::Name(s.to_owned()));
        let path = |s: &str| Some(RepoKey::Path(s.to_owned()));
        assert_eq!(
            repo_key("https://git.example.com/acme/pay.git"),
            name("pay")
        );
        assert_eq!(repo_key("https://git.example.com/acme/pay/"), name("pay"));
        assert_eq!(repo_key("git@github.com:acme/pay.git"), name("pay"));
        assert_eq!(repo_key("./services/pay/"), path("services/pay"));
        assert_eq!(repo_key("pay"), path("pay"));
        assert_eq!(repo_key(""), None);
        assert_eq!(repo_key("https://"), None);
        assert_eq!(repo_key("https://git.example.com"), None);
    }

    #[test]
    fn projects_are_linked_by_folder_and_by_repository_name() {
        let projects = vec![
            (1, "services/pay/api".to_owned()),
            (2, "services/payroll".to_owned()),
            (3, "pay".to_owned()),
            (4, ".".to_owned()),
        ];
        let repos = vec![
            ("a".to_owned(), vec!["services/pay".to_owned()]),
            ("b".to_owned(), vec!["https://h/x/pay.git".to_owned()]),
        ];
        let mut got = links(&projects, &repos);
        got.sort();
        // By hand: "services/pay" is a folder prefix of project 1 only (not of "payroll");
        // the repository name "pay" is a folder of projects 1 and 3.
        let want: Vec<(i64, String)> = vec![(1, "a".into()), (1, "b".into()), (3, "b".into())];
        assert_eq!(got, want);
    }
}
