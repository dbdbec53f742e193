//! Gradle dependency lockfiles: `gradle.lockfile` and
//! `buildscript-gradle.lockfile`.
//!
//! One line per resolved module, `group:artifact:version=conf1,conf2`, the
//! configurations that resolve it after `=`; `empty=...` lists the
//! configurations that resolve nothing; `#` starts a comment. Each module
//! line is a Maven component (relation unknown: the file does not say which
//! are direct). A line of another shape is an `invalid-syntax` error on its
//! line, and the other lines are kept.
//!
//! Scope, from the configurations: everything in `buildscript-gradle.lockfile`
//! is `Build` (the build's own classpath). Otherwise a module is `Runtime` if
//! one of its configurations is a runtime classpath or one vigie does not
//! know (to stay on the safe side), else `Build` if one is a compile
//! classpath, an annotation processor (compile-only: not shipped), a Kotlin
//! compiler classpath or a known build tool's (checkstyle, detekt, jacoco,
//! ...), else `Dev` (only test configurations, or Spring Boot's
//! `developmentOnly`). A
//! module in `developmentOnly` and `runtimeClasspath` but not in
//! `productionRuntimeClasspath` is `Dev`: that is how Spring Boot keeps
//! devtools out of the production artifact.

use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "gradle-lockfile",
    description: "Gradle gradle.lockfile and buildscript-gradle.lockfile",
    ecosystem: Some(Ecosystem::Maven),
    matches: |name| name == "gradle.lockfile" || name == "buildscript-gradle.lockfile",
    sniff: None,
    read,
};

/// Bad lines reported one by one, at most.
const MAX_ERRORS: usize = 20;

/// What a configuration says about the modules it resolves.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Dev,
    Build,
    Runtime,
}

/// Configurations of build tools (linters, coverage agents): build scope.
const BUILD_TOOLS: [&str; 8] = [
    "checkstyle",
    "detekt",
    "errorprone",
    "jacoco",
    "ktlint",
    "lint",
    "pmd",
    "spotbugs",
];

fn kind(conf: &str) -> Kind {
    let c = conf.to_ascii_lowercase();
    if c.contains("test") || c == "developmentonly" {
        Kind::Dev
    } else if c.ends_with("runtimeclasspath") {
        Kind::Runtime
    } else if c.ends_with("compileclasspath")
        || c.ends_with("annotationprocessor")
        || c.starts_with("kapt")
        || c.starts_with("ksp")
        || (c.starts_with("kotlin") && (c.contains("compiler") || c.contains("klib")))
        || BUILD_TOOLS.iter().any(|t| c.contains(t))
    {
        Kind::Build
    } else {
        Kind::Runtime
    }
}

fn scope(confs: &str) -> Scope {
    let confs: Vec<&str> = confs
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let dev_only =
        confs.contains(&"developmentOnly") && !confs.contains(&"productionRuntimeClasspath");
    if dev_only {
        return Scope::Dev;
    }
    match confs.iter().map(|c| kind(c)).max() {
        Some(Kind::Runtime) => Scope::Runtime,
        Some(Kind::Build) => Scope::Build,
        Some(Kind::Dev) => Scope::Dev,
        None => Scope::Unknown,
    }
}

fn read(input: &Input<'_>, out: &mut Output) {
    let buildscript = input
        .path
        .rsplit(['/', '\\'])
        .next()
        .is_some_and(|n| n.starts_with("buildscript"));
    let mut errors = 0usize;
    for (i, raw) in input.text.lines().enumerate() {
        let line = i as u32 + 1;
        let text = raw.trim();
        if text.is_empty() || text.starts_with('#') || text.starts_with("empty=") {
            continue;
        }
        let (coords, confs) = text.split_once('=').unwrap_or((text, ""));
        let parts: Vec<&str> = coords.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            errors += 1;
            if errors <= MAX_ERRORS {
                out.error(
                    Code::InvalidSyntax,
                    format!(
                        "`{}` is not `group:artifact:version=configurations`",
                        truncate(text)
                    ),
                )
                .line = Some(line);
            }
            continue;
        };
        if [group, artifact, version]
            .iter()
            .any(|p| p.trim().is_empty() || p.contains(char::is_whitespace))
        {
            errors += 1;
            if errors <= MAX_ERRORS {
                out.error(
                    Code::InvalidSyntax,
                    format!("`{}`: empty or spaced coordinate", truncate(text)),
                )
                .line = Some(line);
            }
            continue;
        }
        let scope = if buildscript {
            Scope::Build
        } else {
            scope(confs)
        };
        out.push(
            Component::new(
                Ecosystem::Maven,
                format!("{group}:{artifact}"),
                Some(version),
            )
            .with_scope(scope)
            .with_relation(Relation::Unknown)
            .with_line(Some(line)),
        );
    }
    if errors > MAX_ERRORS {
        out.error(
            Code::InvalidSyntax,
            format!("{} more bad lines not shown", errors - MAX_ERRORS),
        );
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(80) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    const LOCK: &str = "# This is a Gradle generated file\n\
com.a:rt:1.0=compileClasspath,runtimeClasspath\n\
com.a:compile-only:2.0=compileClasspath\n\
com.a:proc:3.0=annotationProcessor\n\
com.a:junit:4.13=testCompileClasspath,testRuntimeClasspath\n\
com.a:devtools:5.0=developmentOnly,runtimeClasspath\n\
com.a:custom:6.0=myOwnConfiguration\n\
com.a:prod:7.0=developmentOnly,productionRuntimeClasspath,runtimeClasspath\n\
com.a:detekt:8.0=detekt,kotlinCompilerPluginClasspathMain\n\
empty=annotationProcessor,testAnnotationProcessor\n";

    #[test]
    fn scopes_from_configurations() {
        let out = read_file_as(&READER, "gradle.lockfile", LOCK, &MemorySource::new());
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.scope, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:maven/com.a/rt@1.0", Scope::Runtime, Some(2)),
                ("pkg:maven/com.a/compile-only@2.0", Scope::Build, Some(3)),
                ("pkg:maven/com.a/proc@3.0", Scope::Build, Some(4)),
                ("pkg:maven/com.a/junit@4.13", Scope::Dev, Some(5)),
                ("pkg:maven/com.a/devtools@5.0", Scope::Dev, Some(6)),
                ("pkg:maven/com.a/custom@6.0", Scope::Runtime, Some(7)),
                ("pkg:maven/com.a/prod@7.0", Scope::Runtime, Some(8)),
                ("pkg:maven/com.a/detekt@8.0", Scope::Build, Some(9)),
            ]
        );
    }

    #[test]
    fn buildscript_lockfile_is_build_scope() {
        let out = read_file_as(
            &READER,
            "app/buildscript-gradle.lockfile",
            LOCK,
            &MemorySource::new(),
        );
        assert_eq!(out.components.len(), 8);
        assert!(out.components.iter().all(|c| c.scope == Scope::Build));
    }

    #[test]
    fn bad_lines_are_errors_and_good_ones_kept() {
        let text = "a:b:1=x\n>>>\nc:d=y\n a : b : 1 =z\nx:y:2\n";
        let out = read_file_as(&READER, "gradle.lockfile", text, &MemorySource::new());
        assert_eq!(out.components.len(), 2);
        assert_eq!(out.components[1].scope, Scope::Unknown, "no configuration");
        let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4)]);
    }
}
