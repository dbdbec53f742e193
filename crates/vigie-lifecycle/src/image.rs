//! Container image references (`python:3.8-slim`,
//! `ghcr.io/org/app:1.2@sha256:...`) and the image-tag conventions that say
//! which products an image holds.
//!
//! A reference is read as Docker reads it: an optional registry (a first
//! component with a `.` or `:`, or `localhost`), a repository, an optional
//! `:tag` and `@digest`. Docker Hub's official images are
//! `docker.io/library/<name>`. The products of a repository come from the
//! products' `pkg:docker`/`pkg:oci` identifiers, then from [`CONVENTIONS`]
//! for the official images endoflife.date gives no identifier for.

use serde::{Deserialize, Serialize};

/// Longest image reference read.
const MAX_REFERENCE: usize = 512;

/// A parsed image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    /// `docker.io`, `ghcr.io`, `mcr.microsoft.com`, ...
    pub registry: String,
    /// `library/python`, `bitnami/redis`, `dotnet/aspnet`.
    pub repository: String,
    /// The tag (`3.8-slim`), when written.
    pub tag: Option<String>,
    /// The digest (`sha256:...`), when written.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference; `None` when it is not one (empty, spaces,
    /// unresolved `$VAR`, too long).
    pub fn parse(s: &str) -> Option<ImageRef> {
        let s = s.trim();
        let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '$' | '{' | '}');
        if s.is_empty() || s.len() > MAX_REFERENCE || s.contains(bad) {
            return None;
        }
        let (name, digest) = match s.split_once('@') {
            Some((n, d)) => (n, Some(d.to_owned())),
            None => (s, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name.get(last_slash..).and_then(|tail| tail.rfind(':')) {
            Some(i) => {
                let at = last_slash + i;
                (name.get(..at)?, name.get(at + 1..).map(str::to_owned))
            }
            None => (name, None),
        };
        let mut parts: Vec<&str> = name.split('/').collect();
        if parts.iter().any(|p| p.is_empty()) || tag.as_deref() == Some("") {
            return None;
        }
        let first = parts.first().copied().unwrap_or_default();
        let has_registry = parts.len() > 1 && (first.contains(['.', ':']) || first == "localhost");
        let registry = if has_registry {
            parts.remove(0).to_ascii_lowercase()
        } else {
            "docker.io".to_owned()
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
                "docker.io".to_owned()
            }
            _ => registry,
        };
        if registry == "docker.io" && parts.len() == 1 {
            parts.insert(0, "library");
        }
        Some(ImageRef {
            registry,
            repository: parts.join("/").to_ascii_lowercase(),
            tag,
            digest,
        })
    }

    /// The repository with its registry: `docker.io/library/python`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
}

/// The repository key of a product identifier `pkg:docker/...` or
/// `pkg:oci/...?repository_url=...`, for matching image references.
pub fn purl_image_keys(purl: &str) -> Vec<String> {
    let Ok(p) = vigie_model::Purl::parse_lenient(purl) else {
        return Vec::new();
    };
    let repo_url = p.qualifier("repository_url").map(|u| {
        u.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_ascii_lowercase()
    });
    let path = match &p.namespace {
        Some(ns) => format!("{ns}/{}", p.name),
        None => p.name.clone(),
    }
    .to_ascii_lowercase();
    let key = match (p.ty.as_str(), repo_url) {
        (_, Some(url)) => format!("{url}/{path}"),
        ("docker", None) if p.namespace.is_none() => format!("docker.io/library/{path}"),
        ("docker", None) => format!("docker.io/{path}"),
        _ => return Vec::new(),
    };
    let mut keys = vec![key.clone()];
    // Quay's web address (`quay.io/repository/<org>`) is not where images are pulled from.
    if let Some(rest) = key.strip_prefix("quay.io/repository/") {
        keys.push(format!("quay.io/{rest}"));
    }
    keys
}

/// Official images that endoflife.date gives no `pkg:docker` identifier
/// for, and the product whose version their tag starts with (as each image's
/// Docker Hub page documents its tags). Checked after the identifiers.
pub const CONVENTIONS: &[(&str, &str)] = &[
    ("docker.io/library/debian", "debian"),
    ("docker.io/library/ubuntu", "ubuntu"),
    ("docker.io/library/alpine", "alpine-linux"),
    ("docker.io/library/centos", "centos"),
    ("docker.io/library/fedora", "fedora"),
    ("docker.io/library/rockylinux", "rocky-linux"),
    ("docker.io/library/almalinux", "almalinux"),
    ("docker.io/library/nginx", "nginx"),
    ("docker.io/library/httpd", "apache-http-server"),
    ("docker.io/library/tomcat", "tomcat"),
    ("docker.io/library/haproxy", "haproxy"),
    ("docker.io/library/php", "php"),
    ("docker.io/library/rust", "rust"),
    ("docker.io/library/perl", "perl"),
    ("docker.io/library/erlang", "erlang"),
    ("docker.io/library/elixir", "elixir"),
    ("docker.io/library/julia", "julia"),
    ("docker.io/library/groovy", "apache-groovy"),
    ("docker.io/library/eclipse-temurin", "eclipse-temurin"),
    ("docker.io/library/ibm-semeru-runtimes", "ibm-semeru"),
    ("docker.io/library/sapmachine", "sapmachine"),
    ("docker.io/library/maven", "apache-maven"),
    ("docker.io/library/gradle", "gradle"),
    ("docker.io/library/mongo", "mongodb"),
    ("docker.io/library/rabbitmq", "rabbitmq"),
    ("docker.io/library/elasticsearch", "elasticsearch"),
    ("docker.io/library/kibana", "kibana"),
    ("docker.io/library/logstash", "logstash"),
    ("docker.io/library/cassandra", "apache-cassandra"),
    ("docker.io/library/influxdb", "influxdb"),
    ("docker.io/library/neo4j", "neo4j"),
    ("docker.io/library/solr", "solr"),
    ("docker.io/library/sonarqube", "sonarqube-community"),
    ("docker.io/library/jetty", "eclipse-jetty"),
    ("docker.io/library/kong", "kong-gateway"),
    ("docker.io/library/nextcloud", "nextcloud"),
    ("docker.io/library/mediawiki", "mediawiki"),
    ("docker.io/library/joomla", "joomla"),
    ("docker.io/grafana/grafana", "grafana"),
    ("quay.io/keycloak/keycloak", "keycloak"),
    ("mcr.microsoft.com/dotnet/sdk", "dotnet"),
    ("mcr.microsoft.com/dotnet/aspnet", "dotnet"),
    ("mcr.microsoft.com/dotnet/runtime", "dotnet"),
    ("mcr.microsoft.com/dotnet/runtime-deps", "dotnet"),
    ("mcr.microsoft.com/mssql/server", "mssqlserver"),
];

/// What the tokens of a tag after the version say about the image's base:
/// `(product, version)` pairs, the version `None` when the tag names the
/// product but not its release (`-alpine`). `codename_of` says which OS
/// product a codename belongs to (`bookworm` → `debian`).
pub fn base_products<'a>(
    tokens: &[&'a str],
    codename_of: impl Fn(&str) -> Option<&'static str>,
) -> Vec<(&'static str, Option<&'a str>)> {
    let mut out: Vec<(&'static str, Option<&'a str>)> = Vec::new();
    let mut push = |p: &'static str, v: Option<&'a str>| {
        if !out.iter().any(|(q, _)| *q == p) {
            out.push((p, v));
        }
    };
    let numeric = |t: &str| t.starts_with(|c: char| c.is_ascii_digit());
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).copied().filter(|t| numeric(t));
        let lower = t.to_ascii_lowercase();
        if lower == "alpine" {
            push("alpine-linux", None);
        } else if let Some(v) = t.strip_prefix("alpine").filter(|v| numeric(v)) {
            push("alpine-linux", Some(v));
        } else if lower == "debian" || lower == "ubuntu" {
            if let Some(v) = next {
                push(
                    if lower == "debian" {
                        "debian"
                    } else {
                        "ubuntu"
                    },
                    Some(v),
                );
            }
        } else if lower == "temurin" || lower == "amazoncorretto" || lower == "corretto" {
            let p = if lower == "temurin" {
                "eclipse-temurin"
            } else {
                "amazon-corretto"
            };
            if let Some(v) = next {
                push(p, Some(v));
            }
        } else if let Some(v) = t
            .strip_prefix("jdk")
            .or_else(|| t.strip_prefix("jre"))
            .filter(|v| numeric(v))
        {
            // `gradle:8.5-jdk17`, `maven:3-jdk-11`: these images are built on Temurin.
            push("eclipse-temurin", Some(v));
        } else if (lower == "jdk" || lower == "jre") && next.is_some() {
            push("eclipse-temurin", next);
        } else if let Some(os) = codename_of(&lower) {
            push(os, Some(t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> (String, Option<String>) {
        let i = ImageRef::parse(s).unwrap();
        (i.key(), i.tag)
    }

    #[test]
    fn references() {
        assert_eq!(
            r("python:3.8-slim"),
            ("docker.io/library/python".into(), Some("3.8-slim".into()))
        );
        assert_eq!(r("bitnami/redis"), ("docker.io/bitnami/redis".into(), None));
        assert_eq!(
            r("localhost:5000/team/app:1.0"),
            ("localhost:5000/team/app".into(), Some("1.0".into()))
        );
        assert_eq!(r("ghcr.io/org/App@sha256:abc").0, "ghcr.io/org/app");
        assert_eq!(r("docker.io/Library/Node:20").0, "docker.io/library/node");
        assert_eq!(
            r("index.docker.io/library/node:20").0,
            "docker.io/library/node"
        );
        assert!(ImageRef::parse("python:${TAG}").is_none());
        assert!(ImageRef::parse("").is_none());
        assert!(ImageRef::parse("a//b").is_none());
        assert!(ImageRef::parse("python:").is_none());
    }

    #[test]
    fn purl_keys() {
        assert_eq!(
            purl_image_keys("pkg:docker/library/node"),
            ["docker.io/library/node"]
        );
        assert_eq!(
            purl_image_keys("pkg:docker/nginx"),
            ["docker.io/library/nginx"]
        );
        assert_eq!(
            purl_image_keys("pkg:oci/argocd?repository_url=quay.io/argoproj"),
            ["quay.io/argoproj/argocd"]
        );
        assert_eq!(
            purl_image_keys("pkg:oci/caddy?repository_url=quay.io/repository/caddy"),
            ["quay.io/repository/caddy/caddy", "quay.io/caddy/caddy"]
        );
        assert!(purl_image_keys("pkg:pypi/django").is_empty());
    }

    #[test]
    fn bases() {
        let code = |t: &str| (t == "bookworm").then_some("debian");
        assert_eq!(
            base_products(&["slim", "bookworm"], code),
            [("debian", Some("bookworm"))]
        );
        assert_eq!(
            base_products(&["alpine3.19"], code),
            [("alpine-linux", Some("3.19"))]
        );
        assert_eq!(base_products(&["alpine"], code), [("alpine-linux", None)]);
        assert_eq!(
            base_products(&["debian", "12", "r0"], code),
            [("debian", Some("12"))]
        );
        assert_eq!(
            base_products(&["eclipse", "temurin", "17"], code),
            [("eclipse-temurin", Some("17"))]
        );
        assert_eq!(
            base_products(&["jdk17"], code),
            [("eclipse-temurin", Some("17"))]
        );
    }
}
