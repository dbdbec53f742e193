//! Duplicate tools: two or more bought tools (SaaS) of one category, and what they cost
//! together.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::SystemFacts;
use crate::text::{NBSP, Text, count, int, list, quote};

/// How many tool names a sentence names before "and N more".
const TEXT_NAMES: usize = 4;

/// Two or more bought tools of one category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateTools {
    /// The category (as first written).
    pub category: String,
    /// The systems (entity refs).
    pub systems: Vec<String>,
    /// Their names.
    pub names: Vec<String>,
    /// The sum of their known costs per year (`None` when no cost is known).
    pub combined_cost: Option<f64>,
    /// The combined cost minus the dearest known one: what keeping only the dearest would save
    /// at least (`None` when fewer than two costs are known).
    pub saving_at_least: Option<f64>,
    /// The opportunity in a sentence.
    pub text: Text,
}

/// Bought tools of one category (`saas_category`, compared trimmed and case-blind).
pub fn duplicate_tools(systems: &[SystemFacts]) -> Vec<DuplicateTools> {
    let mut by_cat: BTreeMap<String, (String, Vec<&SystemFacts>)> = BTreeMap::new();
    for s in systems {
        let Some(cat) = s
            .saas_category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        let e = by_cat
            .entry(cat.to_lowercase())
            .or_insert_with(|| (cat.to_string(), Vec::new()));
        if !e.1.iter().any(|o| o.entity_ref == s.entity_ref) {
            e.1.push(s);
        }
    }
    let mut out: Vec<DuplicateTools> = by_cat
        .into_values()
        .filter(|(_, ss)| ss.len() >= 2)
        .map(|(category, ss)| {
            let costs: Vec<f64> = ss
                .iter()
                .filter_map(|s| s.cost_per_year)
                .filter(|c| c.is_finite() && *c >= 0.0)
                .collect();
            let combined_cost = (!costs.is_empty()).then(|| costs.iter().sum::<f64>());
            let dearest = costs.iter().copied().fold(0.0f64, f64::max);
            let saving_at_least =
                (costs.len() >= 2).then(|| combined_cost.unwrap_or(0.0) - dearest);
            let names: Vec<String> = ss
                .iter()
                .map(|s| {
                    if s.name.trim().is_empty() {
                        s.entity_ref.clone()
                    } else {
                        s.name.clone()
                    }
                })
                .collect();
            let text = duplicate_text(&category, &names, combined_cost);
            DuplicateTools {
                category,
                systems: ss.iter().map(|s| s.entity_ref.clone()).collect(),
                names,
                combined_cost,
                saving_at_least,
                text,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.combined_cost
            .unwrap_or(0.0)
            .total_cmp(&a.combined_cost.unwrap_or(0.0))
            .then_with(|| a.category.cmp(&b.category))
    });
    out
}

fn duplicate_text(category: &str, names: &[String], cost: Option<f64>) -> Text {
    let c = quote(category);
    let n = count(names.len(), ("tool", "tools"), ("outil", "outils"));
    let l = list(names, TEXT_NAMES);
    let cost = cost
        .map(|x| int(x.round().clamp(0.0, 9.0e15) as i64))
        .map_or_else(Text::default, |x| {
            Text::new(
                format!(", combined cost {} a year", x.en),
                format!(", coût cumulé {} par an", x.fr),
            )
        });
    Text::new(
        format!("{} for “{c}” ({}){}: keep only one", n.en, l.en, cost.en),
        format!(
            "{} pour «{NBSP}{c}{NBSP}» ({}){}{NBSP}: n’en garder qu’un",
            n.fr, l.fr, cost.fr
        ),
    )
}
