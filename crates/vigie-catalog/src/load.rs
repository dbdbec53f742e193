//! From a catalog file's text to entities: the Backstage envelope, metadata
//! and per-kind spec rules (required fields, default kinds of references),
//! then vigie's fields. Problems become diagnostics; the good entities are kept.

use crate::Code;
use crate::diag::Diagnostic;
use crate::entity_ref::{EntityRef, valid_name, valid_namespace};
use crate::fields::{annotations_block, read_vigie};
use crate::model::{Entity, Kind, Link, Profile, Source};
use crate::node::{Key, Node, Value, parse_documents};
use crate::read::Ctx;
use crate::values::repository;

/// The apiVersions read as Backstage entities.
pub const BACKSTAGE_API_VERSIONS: [&str; 2] = ["backstage.io/v1alpha1", "backstage.io/v1beta1"];
/// vigie's own apiVersion: Backstage's shape, owner and `spec.type` optional.
pub const VIGIE_API_VERSION: &str = "vigie.dev/v1";

/// Reads every entity of one catalog file (`file` is its display path).
pub fn load_file(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Entity> {
    let docs = match parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            let msg = format!("not valid YAML: {}", e.message);
            diags.push(Diagnostic::error(
                Code::InvalidYaml,
                file,
                e.line.unwrap_or(0),
                msg,
            ));
            return Vec::new();
        }
    };
    docs.iter()
        .filter_map(|doc| entity(file, doc, diags))
        .collect()
}

fn entity(file: &str, doc: &Node, diags: &mut Vec<Diagnostic>) -> Option<Entity> {
    let mut ctx = Ctx::new(file, diags);
    if doc.as_map().is_none() {
        let msg = format!(
            "a catalog document must be a mapping, not {}",
            doc.type_name()
        );
        ctx.error(Code::NotAnEntity, doc.line, msg);
        return None;
    }
    let api_version = ctx.required(doc, "apiVersion", "apiVersion")?;
    let kind_text = ctx.required(doc, "kind", "kind")?;
    let kind_line = doc.get("kind").map_or(doc.line, |n| n.line);
    if kind_text == "Template" {
        let msg = "Template entities (software templates) are not part of the map; skipped";
        ctx.diags
            .push(Diagnostic::warning(Code::IgnoredKind, file, kind_line, msg));
        return None;
    }
    let vigie_api = api_version == VIGIE_API_VERSION;
    if !vigie_api && !BACKSTAGE_API_VERSIONS.contains(&api_version.as_str()) {
        let line = doc.get("apiVersion").map_or(doc.line, |n| n.line);
        let msg = format!(
            "unknown apiVersion `{api_version}` (expected backstage.io/v1alpha1, backstage.io/v1beta1 or {VIGIE_API_VERSION})"
        );
        ctx.error(Code::UnknownApiVersion, line, msg);
        return None;
    }
    let Some(kind) = Kind::parse(&kind_text) else {
        let msg = format!(
            "unknown kind `{kind_text}` (expected Component, API, Resource, System, Domain, Group, User or Location)"
        );
        ctx.error(Code::UnknownKind, kind_line, msg);
        return None;
    };
    let Some(meta) = ctx.map(doc, "metadata", "metadata") else {
        ctx.error(Code::MissingField, doc.line, "`metadata` is required");
        return None;
    };
    let name = ctx.required(meta, "name", "metadata.name")?;
    let name_line = meta.get("name").map_or(meta.line, |n| n.line);
    if !valid_name(&name) {
        let msg = format!(
            "`metadata.name` `{name}` must be letters and digits separated by `-`, `_` or `.`, at most 63"
        );
        ctx.error(Code::InvalidName, name_line, msg);
        return None;
    }
    let namespace = ctx
        .string(meta, "namespace", "metadata.namespace")
        .unwrap_or_else(|| crate::entity_ref::DEFAULT_NAMESPACE.to_owned());
    if !valid_namespace(&namespace) {
        let line = meta.get("namespace").map_or(meta.line, |n| n.line);
        let msg = format!("`metadata.namespace` `{namespace}` is not a valid namespace");
        ctx.error(Code::InvalidName, line, msg);
        return None;
    }
    let entity_ref = EntityRef::new(kind.ref_kind(), &namespace, &name);
    ctx.entity = Some(entity_ref.to_string());
    ctx.namespace = namespace.to_ascii_lowercase();

    let mut e = Entity {
        entity_ref,
        api_version,
        kind,
        namespace,
        name,
        title: ctx.string(meta, "title", "metadata.title"),
        description: ctx.string(meta, "description", "metadata.description"),
        tags: ctx
            .strings(meta, "tags", "metadata.tags")
            .into_iter()
            .map(|(t, _)| t)
            .collect(),
        labels: ctx.string_map(meta, "labels", "metadata.labels"),
        annotations: ctx.string_map(meta, "annotations", "metadata.annotations"),
        links: links(&mut ctx, meta),
        spec_type: None,
        lifecycle: None,
        owner: None,
        system: None,
        domain: None,
        subcomponent_of: None,
        subdomain_of: None,
        parent: None,
        depends_on: Vec::new(),
        dependency_of: Vec::new(),
        provides_apis: Vec::new(),
        consumes_apis: Vec::new(),
        children: Vec::new(),
        members: Vec::new(),
        member_of: Vec::new(),
        profile: None,
        definition: None,
        targets: Vec::new(),
        presence: None,
        vigie: Default::default(),
        source: Source {
            file: file.to_owned(),
            line: doc.line,
        },
        refs: Vec::new(),
        lines: Default::default(),
    };
    let empty = Node {
        line: doc.line,
        value: Value::Map(Vec::new()),
    };
    // Errors about the spec as a whole point at its `spec:` key.
    let spec_key_line = doc.entry("spec").map_or(doc.line, |(k, _)| k.line);
    let spec_node = ctx.map(doc, "spec", "spec").map(|s| Node {
        line: spec_key_line,
        value: s.value.clone(),
    });
    let spec = match &spec_node {
        Some(s) => s,
        None => {
            if kind != Kind::User || !vigie_api {
                ctx.error(Code::MissingField, doc.line, "`spec` is required");
            }
            &empty
        }
    };
    read_spec(&mut ctx, &mut e, spec, vigie_api);

    // vigie's fields: annotations, then the `spec.vigie` block.
    let from_annotations = annotations_block(meta.get("annotations"), &mut ctx);
    let block = ctx.map(spec, "vigie", "spec.vigie").cloned();
    let merged = merge(&mut ctx, from_annotations, block);
    if let Some(b) = &merged {
        e.vigie = read_vigie(b, &mut ctx);
    }
    // A component described in a repository's own catalog-info.yaml lives there.
    let base = file.rsplit('/').next().unwrap_or(file);
    if kind == Kind::Component
        && e.vigie.repositories.is_empty()
        && matches!(base, "catalog-info.yaml" | "catalog-info.yml")
    {
        e.vigie.repositories.push(repository(file, "."));
    }
    e.refs = std::mem::take(&mut ctx.refs);
    e.lines = std::mem::take(&mut ctx.lines);
    Some(e)
}

/// Backstage's per-kind spec: required fields (relaxed under `vigie.dev/v1`)
/// and the default kind of each reference field.
fn read_spec(ctx: &mut Ctx, e: &mut Entity, spec: &Node, lenient: bool) {
    let req = |ctx: &mut Ctx, key: &str, path: &str| {
        if lenient {
            ctx.string(spec, key, path)
        } else {
            ctx.required(spec, key, path)
        }
    };
    let needs_owner = !matches!(e.kind, Kind::Group | Kind::User | Kind::Location);
    if needs_owner {
        e.owner = ctx.reference(spec, "owner", "spec.owner", Some("group"));
        if e.owner.is_none() && !lenient && spec.get("owner").is_none() {
            let msg = format!("a {} needs `spec.owner`", e.kind.as_str());
            ctx.error(Code::MissingOwner, spec.line, msg);
        }
    }
    match e.kind {
        Kind::Component | Kind::Api | Kind::Resource => {
            e.spec_type = req(ctx, "type", "spec.type");
            if e.kind != Kind::Resource {
                e.lifecycle = req(ctx, "lifecycle", "spec.lifecycle");
            }
            e.system = ctx.reference(spec, "system", "spec.system", Some("system"));
        }
        Kind::System | Kind::Domain => {
            e.spec_type = ctx.string(spec, "type", "spec.type");
        }
        Kind::Group => e.spec_type = req(ctx, "type", "spec.type"),
        Kind::User => {}
        Kind::Location => e.spec_type = ctx.string(spec, "type", "spec.type"),
    }
    match e.kind {
        Kind::Component => {
            e.subcomponent_of = ctx.reference(
                spec,
                "subcomponentOf",
                "spec.subcomponentOf",
                Some("component"),
            );
            e.provides_apis =
                ctx.references(spec, "providesApis", "spec.providesApis", Some("api"));
            e.consumes_apis =
                ctx.references(spec, "consumesApis", "spec.consumesApis", Some("api"));
            e.depends_on = ctx.references(spec, "dependsOn", "spec.dependsOn", None);
            e.dependency_of = ctx.references(spec, "dependencyOf", "spec.dependencyOf", None);
        }
        Kind::Resource => {
            e.depends_on = ctx.references(spec, "dependsOn", "spec.dependsOn", None);
            e.dependency_of = ctx.references(spec, "dependencyOf", "spec.dependencyOf", None);
        }
        Kind::Api => {
            e.definition = match spec.get("definition") {
                Some(Node {
                    value: Value::Map(m),
                    ..
                }) => m
                    .first()
                    .and_then(|(k, v)| v.scalar().map(|s| format!("{}: {s}", k.name))),
                _ => None,
            }
            .or_else(|| ctx.string(spec, "definition", "spec.definition"));
            if e.definition.is_none() && !lenient {
                ctx.error(
                    Code::MissingField,
                    spec.line,
                    "`spec.definition` is required",
                );
            }
        }
        Kind::System => e.domain = ctx.reference(spec, "domain", "spec.domain", Some("domain")),
        Kind::Domain => {
            e.subdomain_of = ctx.reference(spec, "subdomainOf", "spec.subdomainOf", Some("domain"))
        }
        Kind::Group => {
            e.parent = ctx.reference(spec, "parent", "spec.parent", Some("group"));
            if spec.get("children").is_none() && !lenient {
                ctx.error(Code::MissingField, spec.line, "`spec.children` is required");
            }
            e.children = ctx.references(spec, "children", "spec.children", Some("group"));
            e.members = ctx.references(spec, "members", "spec.members", Some("user"));
            e.profile = profile(ctx, spec);
        }
        Kind::User => {
            e.member_of = ctx.references(spec, "memberOf", "spec.memberOf", Some("group"));
            e.profile = profile(ctx, spec);
        }
        Kind::Location => {
            let mut t: Vec<String> = ctx
                .string(spec, "target", "spec.target")
                .into_iter()
                .collect();
            t.extend(
                ctx.strings(spec, "targets", "spec.targets")
                    .into_iter()
                    .map(|(s, _)| s),
            );
            if t.is_empty() {
                let msg = "a Location needs `spec.target` or `spec.targets`";
                ctx.error(Code::MissingField, spec.line, msg);
            }
            e.targets = t;
            e.presence = ctx.string(spec, "presence", "spec.presence");
        }
    }
}

fn profile(ctx: &mut Ctx, spec: &Node) -> Option<Profile> {
    let p = ctx.map(spec, "profile", "spec.profile")?;
    Some(Profile {
        display_name: ctx.string(p, "displayName", "spec.profile.displayName"),
        email: ctx.string(p, "email", "spec.profile.email"),
    })
}

fn links(ctx: &mut Ctx, meta: &Node) -> Vec<Link> {
    let mut out = Vec::new();
    let Some(node) = meta.get("links") else {
        return out;
    };
    let Value::Seq(items) = &node.value else {
        if node.value != Value::Null {
            let msg = format!("`metadata.links` must be a list, not {}", node.type_name());
            ctx.error(Code::WrongType, node.line, msg);
        }
        return out;
    };
    for item in items {
        if item.as_map().is_none() {
            let msg = format!(
                "`metadata.links` items must be mappings, not {}",
                item.type_name()
            );
            ctx.error(Code::WrongType, item.line, msg);
            continue;
        }
        if let Some(url) = ctx.required(item, "url", "metadata.links.url") {
            let title = ctx.string(item, "title", "metadata.links.title");
            out.push(Link { url, title });
        }
    }
    out
}

/// Annotations' entries then the block's; a top-level field in both is an error.
fn merge(ctx: &mut Ctx, a: Option<Node>, b: Option<Node>) -> Option<Node> {
    let (mut a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        (a, b) => return a.or(b),
    };
    let entries: Vec<(Key, Node)> = match b.value {
        Value::Map(m) => m,
        _ => Vec::new(),
    };
    if let Value::Map(am) = &mut a.value {
        for (k, v) in entries {
            if am.iter().any(|(ak, _)| ak.name == k.name) {
                let msg = format!(
                    "vigie field `{}` is given both as an annotation and in `spec.vigie`",
                    k.name
                );
                ctx.error(Code::VigieFieldTwice, k.line, msg);
            } else {
                am.push((k, v));
            }
        }
    }
    Some(a)
}
