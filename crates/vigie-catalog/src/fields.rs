//! Reading vigie's fields, from `vigie.dev/...` annotations (flat strings)
//! and from a `spec.vigie` block (structured), into [`VigieInfo`].

use crate::Code;
use crate::country::{country_code, is_currency};
use crate::node::{Key, Node, Value};
use crate::read::Ctx;
use crate::values::{platform, repository};
use crate::vigie::{
    Contract, Cost, Criticality, Exposure, Hosting, KIND_DETAILS, LegalBasis, Lifecycle,
    PersonalData, Processor, TRANSFER_BASES, VigieInfo,
};

/// The annotation prefix of vigie's fields.
pub const ANNOTATION_PREFIX: &str = "vigie.dev/";

/// Annotation name → (path in the block, list separator when a list).
const ANNOTATIONS: [(&str, &[&str], Option<char>); 24] = [
    ("kind", &["kind"], None),
    ("lifecycle", &["lifecycle"], None),
    ("criticality", &["criticality"], None),
    ("exposure", &["exposure"], None),
    ("repositories", &["repositories"], Some(',')),
    ("platforms", &["platforms"], Some(';')),
    ("hosting-provider", &["hosting", "provider"], None),
    ("hosting-region", &["hosting", "region"], None),
    ("hosting-country", &["hosting", "country"], None),
    ("transfer-basis", &["hosting", "transferBasis"], None),
    ("personal-data", &["personalData", "categories"], Some(',')),
    (
        "personal-data-subjects",
        &["personalData", "subjects"],
        Some(','),
    ),
    (
        "personal-data-sensitive",
        &["personalData", "sensitive"],
        None,
    ),
    ("legal-basis", &["personalData", "legalBasis"], None),
    ("purposes", &["personalData", "purposes"], Some(';')),
    ("retention", &["personalData", "retention"], None),
    ("processors", &["personalData", "processors"], Some(',')),
    ("cost-per-year", &["cost"], None),
    ("contract-vendor", &["contract", "vendor"], None),
    ("contract-end", &["contract", "end"], None),
    ("renewal-date", &["contract", "renewal"], None),
    ("notice-period-days", &["contract", "noticeDays"], None),
    ("saas-category", &["saasCategory"], None),
    ("backup-owner", &["backupOwner"], None),
];

/// Turns `vigie.dev/...` annotations into the equivalent `spec.vigie`
/// block; unknown `vigie.dev/` names are `unknown-vigie-field` errors.
pub(crate) fn annotations_block(annotations: Option<&Node>, ctx: &mut Ctx) -> Option<Node> {
    let entries = annotations?.as_map()?;
    let mut root = Node {
        line: annotations.map_or(0, |a| a.line),
        value: Value::Map(Vec::new()),
    };
    let mut any = false;
    for (k, v) in entries {
        let Some(name) = k.name.strip_prefix(ANNOTATION_PREFIX) else {
            continue;
        };
        let Some((_, path, sep)) = ANNOTATIONS.iter().find(|(n, _, _)| *n == name) else {
            let msg = format!(
                "unknown vigie annotation `{}` (see docs/catalog.md)",
                k.name
            );
            ctx.error(Code::UnknownVigieField, k.line, msg);
            continue;
        };
        let Some(text) = v.as_str() else {
            // Reported as wrong-type by the annotation reader.
            continue;
        };
        let value = match sep {
            Some(c) => Value::Seq(
                text.split(*c)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Node {
                        line: v.line,
                        value: Value::String(s.to_owned()),
                    })
                    .collect(),
            ),
            None => Value::String(text.trim().to_owned()),
        };
        insert(
            &mut root,
            path,
            Node {
                line: v.line,
                value,
            },
        );
        any = true;
    }
    any.then_some(root)
}

/// Sets `path` in a tree of mappings, creating the intermediate ones.
fn insert(root: &mut Node, path: &[&str], node: Node) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let line = node.line;
    let Value::Map(entries) = &mut root.value else {
        return;
    };
    if rest.is_empty() {
        entries.push((
            Key {
                line,
                name: (*first).to_owned(),
            },
            node,
        ));
        return;
    }
    let idx = match entries.iter().position(|(k, _)| k.name == *first) {
        Some(i) => i,
        None => {
            entries.push((
                Key {
                    line,
                    name: (*first).to_owned(),
                },
                Node {
                    line,
                    value: Value::Map(Vec::new()),
                },
            ));
            entries.len() - 1
        }
    };
    if let Some((_, child)) = entries.get_mut(idx) {
        insert(child, rest, node);
    }
}

/// Reads a vigie block (from annotations or `spec.vigie`). `file` is the
/// catalog file, against whose folder repository paths are resolved.
pub(crate) fn read_vigie(block: &Node, ctx: &mut Ctx) -> VigieInfo {
    let mut info = VigieInfo::default();
    const KNOWN: [&str; 12] = [
        "kind",
        "lifecycle",
        "criticality",
        "exposure",
        "repositories",
        "platforms",
        "hosting",
        "personalData",
        "cost",
        "contract",
        "saasCategory",
        "backupOwner",
    ];
    for (k, _) in block.as_map().unwrap_or_default() {
        if !KNOWN.contains(&k.name.as_str()) {
            let msg = format!("unknown vigie field `{}` (see docs/catalog.md)", k.name);
            ctx.error(Code::UnknownVigieField, k.line, msg);
        }
    }
    info.kind_detail = one_of(ctx, block, "kind", "vigie.kind", &KIND_DETAILS);
    info.lifecycle = parsed(ctx, block, "lifecycle", "vigie.lifecycle", Lifecycle::parse);
    info.criticality = parsed(
        ctx,
        block,
        "criticality",
        "vigie.criticality",
        Criticality::parse,
    );
    info.exposure = parsed(ctx, block, "exposure", "vigie.exposure", Exposure::parse);
    let file = ctx.file.to_owned();
    info.repositories = ctx
        .strings(block, "repositories", "vigie.repositories")
        .into_iter()
        .map(|(s, _)| repository(&file, &s))
        .collect();
    info.platforms = ctx
        .strings(block, "platforms", "vigie.platforms")
        .into_iter()
        .filter_map(|(s, _)| platform(&s))
        .collect();
    if let Some(h) = ctx.map(block, "hosting", "vigie.hosting") {
        info.hosting = Some(Hosting {
            provider: ctx.string(h, "provider", "vigie.hosting.provider"),
            region: ctx.string(h, "region", "vigie.hosting.region"),
            country: country(ctx, h, "vigie.hosting.country"),
            transfer_basis: one_of(
                ctx,
                h,
                "transferBasis",
                "vigie.hosting.transferBasis",
                &TRANSFER_BASES,
            ),
        });
    }
    if let Some(p) = ctx.map(block, "personalData", "vigie.personalData") {
        info.personal_data = Some(personal_data(ctx, p));
    }
    info.cost = cost(ctx, block);
    if let Some(c) = ctx.map(block, "contract", "vigie.contract") {
        info.contract = Some(Contract {
            vendor: ctx.string(c, "vendor", "vigie.contract.vendor"),
            end: date(ctx, c, "end", "vigie.contract.end"),
            renewal: date(ctx, c, "renewal", "vigie.contract.renewal"),
            notice_days: parsed(ctx, c, "noticeDays", "vigie.contract.noticeDays", |s| {
                s.trim().parse::<u32>().ok()
            }),
            auto_renew: parsed(ctx, c, "autoRenew", "vigie.contract.autoRenew", |s| {
                s.trim().parse::<bool>().ok()
            }),
        });
    }
    info.saas_category = ctx
        .string(block, "saasCategory", "vigie.saasCategory")
        .map(|s| s.trim().to_ascii_lowercase());
    info.backup_owner = ctx.reference(block, "backupOwner", "vigie.backupOwner", Some("user"));
    info
}

fn personal_data(ctx: &mut Ctx, p: &Node) -> PersonalData {
    let list = |ctx: &mut Ctx, key: &str, path: &str| -> Vec<String> {
        ctx.strings(p, key, path)
            .into_iter()
            .map(|(s, _)| s)
            .collect()
    };
    let mut pd = PersonalData {
        categories: list(ctx, "categories", "vigie.personalData.categories"),
        subjects: list(ctx, "subjects", "vigie.personalData.subjects"),
        sensitive: parsed(ctx, p, "sensitive", "vigie.personalData.sensitive", |s| {
            s.trim().parse::<bool>().ok()
        })
        .unwrap_or(false),
        legal_basis: parsed(
            ctx,
            p,
            "legalBasis",
            "vigie.personalData.legalBasis",
            LegalBasis::parse,
        ),
        purposes: list(ctx, "purposes", "vigie.personalData.purposes"),
        retention: ctx.string(p, "retention", "vigie.personalData.retention"),
        processors: Vec::new(),
    };
    let path = "vigie.personalData.processors";
    let items: Vec<Node> = match p.get("processors").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(_) => p.get("processors").into_iter().cloned().collect(),
    };
    for item in &items {
        if let Some(text) = item.scalar() {
            let entity = ctx.parse_ref(&text, item.line, path, Some("resource"));
            pd.processors.push(Processor {
                name: text,
                entity,
                country: None,
                transfer_basis: None,
                purpose: None,
                line: item.line,
            });
        } else if item.as_map().is_some() {
            let name = ctx.required(item, "name", "vigie.personalData.processors.name");
            let entity = ctx.reference(item, "entity", path, Some("resource"));
            pd.processors.push(Processor {
                name: name.unwrap_or_default(),
                entity,
                country: country(ctx, item, "vigie.personalData.processors.country"),
                transfer_basis: one_of(
                    ctx,
                    item,
                    "transferBasis",
                    "vigie.personalData.processors.transferBasis",
                    &TRANSFER_BASES,
                ),
                purpose: ctx.string(item, "purpose", "vigie.personalData.processors.purpose"),
                line: item.line,
            });
        } else {
            let msg = format!(
                "`{path}` items must be entity references or mappings, not {}",
                item.type_name()
            );
            ctx.error(Code::WrongType, item.line, msg);
        }
    }
    pd
}

/// A field parsed by `parse`; an `invalid-value` error when it refuses.
fn parsed<T>(
    ctx: &mut Ctx,
    parent: &Node,
    key: &str,
    path: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let text = ctx.string(parent, key, path)?;
    let v = parse(&text);
    if v.is_none() {
        let line = parent.get(key).map_or(parent.line, |n| n.line);
        let msg = format!("`{path}`: `{text}` is not a valid value (see docs/catalog.md)");
        ctx.error(Code::InvalidValue, line, msg);
    }
    v
}

fn one_of(ctx: &mut Ctx, parent: &Node, key: &str, path: &str, allowed: &[&str]) -> Option<String> {
    parsed(ctx, parent, key, path, |s| {
        let t = s.trim().to_ascii_lowercase();
        allowed.contains(&t.as_str()).then_some(t)
    })
}

fn date(ctx: &mut Ctx, parent: &Node, key: &str, path: &str) -> Option<jiff::civil::Date> {
    let text = ctx.string(parent, key, path)?;
    match text.trim().parse::<jiff::civil::Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            let line = parent.get(key).map_or(parent.line, |n| n.line);
            let msg = format!("`{path}`: `{text}` is not a YYYY-MM-DD date");
            ctx.error(Code::InvalidDate, line, msg);
            None
        }
    }
}

fn country(ctx: &mut Ctx, parent: &Node, path: &str) -> Option<String> {
    let text = ctx.string(parent, "country", path)?;
    match country_code(&text) {
        Some(c) => Some(c.to_owned()),
        None => {
            let line = parent.get("country").map_or(parent.line, |n| n.line);
            let msg = format!("`{path}`: `{text}` is not an ISO 3166-1 alpha-2 country code");
            ctx.error(Code::InvalidCountry, line, msg);
            None
        }
    }
}

/// `cost: "12000 EUR"` or `cost: {amount: 12000, currency: EUR}` (per year).
fn cost(ctx: &mut Ctx, block: &Node) -> Option<Cost> {
    let node = block.get("cost")?;
    ctx.lines.insert("vigie.cost".to_owned(), node.line);
    let (amount, currency) = match &node.value {
        Value::Map(_) => (
            ctx.required(node, "amount", "vigie.cost.amount")?,
            ctx.required(node, "currency", "vigie.cost.currency")?,
        ),
        _ => {
            let text = ctx.string(block, "cost", "vigie.cost")?;
            let mut parts = text.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(a), Some(c), None) => (a.to_owned(), c.to_owned()),
                _ => {
                    let msg = format!("`vigie.cost`: `{text}` is not `<amount> <currency>`");
                    ctx.error(Code::InvalidValue, node.line, msg);
                    return None;
                }
            }
        }
    };
    let value = amount
        .replace('_', "")
        .parse::<f64>()
        .ok()
        .filter(|a| a.is_finite() && *a >= 0.0);
    if value.is_none() || !is_currency(&currency) {
        let msg = format!(
            "`vigie.cost`: `{amount} {currency}` is not a non-negative amount and an ISO 4217 currency"
        );
        ctx.error(Code::InvalidValue, node.line, msg);
    }
    Some(Cost {
        amount: value?,
        currency: is_currency(&currency).then_some(currency)?,
    })
}
