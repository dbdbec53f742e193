//! Every word of the report, in English and in French, in one place for translators.
//!
//! Conventions: British English; French per the Imprimerie nationale — typographic apostrophe
//! (’), a narrow no-break space (U+202F, written `\u{202f}`) before `:` `;` `?` `!` and `%`
//! and inside « », accents on capitals (« Élevé »). Sentences with values are templates
//! whose `{name}` placeholders [`fill`] replaces in a single pass (a value is never
//! re-scanned). Counted nouns are `(singular, plural)` pairs for [`crate::format::count`]
//! (French takes the singular for 0 and 1), so adjectives in them agree.

use crate::Lang;
use crate::model::{Effort, Family, Level, LicenceCategory, Rating};

/// A counted noun: singular, plural.
pub type Noun = (&'static str, &'static str);

/// The texts of one language. Field names say where a text goes: section titles by name,
/// `col_*` column headers, `n_*` counted nouns, the rest sentences and labels.
pub struct Texts {
    /// `lang` attribute of the document.
    pub code: &'static str,
    /// The document title.
    pub title: &'static str,
    /// Subtitle: `{estate}`, `{current}`.
    pub subtitle: &'static str,
    /// Added to the subtitle when there is a previous snapshot: `{previous}`.
    pub compared_with: &'static str,
    /// `{date}`.
    pub generated_on: &'static str,
    /// Section titles.
    pub summary: &'static str,
    pub top_risks: &'static str,
    pub top_actions: &'static str,
    pub register: &'static str,
    pub actions: &'static str,
    pub trend: &'static str,
    pub heat_map: &'static str,
    pub eol: &'static str,
    pub licences: &'static str,
    pub by_system: &'static str,
    pub by_owner: &'static str,
    pub appendix: &'static str,
    /// The posture sentence: `{estate}`, `{risks}`, `{critical}`, `{high}`, `{systems}`,
    /// `{projects}`, `{components}`, `{findings}`.
    pub posture: &'static str,
    pub risks_by_level: &'static str,
    pub findings_by_family: &'static str,
    /// Column headers.
    pub col_rank: &'static str,
    pub col_risk: &'static str,
    pub col_risks: &'static str,
    pub col_level: &'static str,
    pub col_likelihood: &'static str,
    pub col_impact: &'static str,
    pub col_score: &'static str,
    pub col_why: &'static str,
    pub col_systems: &'static str,
    pub col_owners: &'static str,
    pub col_action: &'static str,
    pub col_effort: &'static str,
    pub col_risk_removed: &'static str,
    pub col_findings_fixed: &'static str,
    pub col_kev: &'static str,
    pub col_product: &'static str,
    pub col_cycle: &'static str,
    pub col_eol: &'static str,
    pub col_projects: &'static str,
    pub col_category: &'static str,
    pub col_components: &'static str,
    pub col_system: &'static str,
    pub col_owner: &'static str,
    pub col_total: &'static str,
    pub col_findings: &'static str,
    pub col_family: &'static str,
    pub col_id: &'static str,
    pub col_rating: &'static str,
    pub col_component: &'static str,
    pub col_project: &'static str,
    pub col_title: &'static str,
    pub col_previous: &'static str,
    /// How effort is estimated.
    pub effort_note: &'static str,
    /// The trend sentence: `{previous}`, `{new}`, `{worsened}`, `{improved}`, `{resolved}`.
    pub trend_sentence: &'static str,
    pub no_trend: &'static str,
    pub trend_new: &'static str,
    pub trend_worsened: &'static str,
    pub trend_improved: &'static str,
    pub trend_resolved: &'static str,
    /// Heat map axes and cell tooltip: `{likelihood}`, `{impact}`, `{risks}`.
    pub axis_likelihood: &'static str,
    pub axis_impact: &'static str,
    pub cell_title: &'static str,
    /// EOL chart: the today marker, an ended cycle, an EOL bar tooltip (`{product}`,
    /// `{cycle}`, `{date}`).
    pub today: &'static str,
    pub already_ended: &'static str,
    pub eol_bar_title: &'static str,
    pub no_eol: &'static str,
    /// `{pct}`, `{components}`, `{denied}`, `{review}`.
    pub licence_sentence: &'static str,
    /// The vulnerability check saw every ecosystem of the estate.
    pub coverage_full: &'static str,
    /// `{list}`: the ecosystems it could not see, each as [`coverage_item`](Texts::coverage_item).
    pub coverage_gaps: &'static str,
    /// `{ecosystem}`, `{components}` (an [`n_components`](Texts::n_components) count).
    pub coverage_item: &'static str,
    /// Appendix note: `{shown}`, `{total}`.
    pub appendix_note: &'static str,
    pub appendix_intro: &'static str,
    /// When a list has nothing.
    pub none: &'static str,
    /// `{n}` (an [`n_more`](Texts::n_more) count) more items of a list ("and 3 more").
    pub and_more: &'static str,
    /// Footer: `{current}`.
    pub footer: &'static str,
    /// Counted nouns.
    pub n_risks: Noun,
    pub n_critical: Noun,
    pub n_high: Noun,
    pub n_systems: Noun,
    pub n_projects: Noun,
    pub n_components: Noun,
    pub n_findings: Noun,
    pub n_new: Noun,
    pub n_worsened: Noun,
    pub n_improved: Noun,
    pub n_resolved: Noun,
    pub n_denied: Noun,
    pub n_review: Noun,
    pub n_more_rows: Noun,
    pub n_more: Noun,
    /// Enumerations.
    pub levels: [&'static str; 4],
    /// Ratings, critical first, unrated last.
    pub ratings: [&'static str; 5],
    pub families: [&'static str; 4],
    pub efforts: [&'static str; 4],
    pub categories: [&'static str; 8],
}

/// The texts of `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

impl Texts {
    /// The name of a risk level.
    pub fn level(&self, l: Level) -> &'static str {
        self.levels[l as usize]
    }
    /// The name of a finding rating (feminine in French: « gravité élevée »).
    pub fn rating(&self, r: Rating) -> &'static str {
        let i = match r {
            Rating::Critical => 0,
            Rating::High => 1,
            Rating::Medium => 2,
            Rating::Low => 3,
            Rating::None => 4,
        };
        self.ratings[i]
    }
    /// The name of a family.
    pub fn family(&self, f: Family) -> &'static str {
        self.families[f as usize]
    }
    /// The name of an effort.
    pub fn effort(&self, e: Effort) -> &'static str {
        self.efforts[e as usize]
    }
    /// The name of a licence category.
    pub fn category(&self, c: LicenceCategory) -> &'static str {
        self.categories[c as usize]
    }
}

/// Replaces each `{name}` of `template` by its value, in one pass: values are inserted as they
/// are (already escaped by the caller) and never scanned for placeholders themselves.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        match after.find('}') {
            Some(close) => {
                let name = after.get(..close).unwrap_or_default();
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = after.get(close + 1..).unwrap_or_default();
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// English.
pub static EN: Texts = Texts {
    code: "en",
    title: "Software risk report",
    subtitle: "{estate} — snapshot {current}",
    compared_with: ", compared with {previous}",
    generated_on: "Generated on {date}",
    summary: "Executive summary",
    top_risks: "Top risks",
    top_actions: "Priority actions",
    register: "Risk register",
    actions: "Recommended actions",
    trend: "Trend",
    heat_map: "Heat map",
    eol: "End-of-life timeline, next 24 months",
    licences: "Licence posture",
    by_system: "Risks per system",
    by_owner: "Risks per owner",
    appendix: "Appendix: every finding",
    posture: "{estate}: {risks}, including {critical} and {high}, across {systems}. The audit of {projects} and {components} raised {findings}.",
    risks_by_level: "Risks by level",
    findings_by_family: "Findings by family",
    col_rank: "#",
    col_risk: "Risk",
    col_risks: "Risks",
    col_level: "Level",
    col_likelihood: "Likelihood",
    col_impact: "Impact",
    col_score: "Score",
    col_why: "Why",
    col_systems: "Systems",
    col_owners: "Owners",
    col_action: "Action",
    col_effort: "Effort",
    col_risk_removed: "Risk removed",
    col_findings_fixed: "Findings fixed",
    col_kev: "Known exploited",
    col_product: "Product",
    col_cycle: "Cycle",
    col_eol: "End of life",
    col_projects: "Projects",
    col_category: "Category",
    col_components: "Components",
    col_system: "System",
    col_owner: "Owner",
    col_total: "Total",
    col_findings: "Findings",
    col_family: "Family",
    col_id: "Identifier",
    col_rating: "Rating",
    col_component: "Component",
    col_project: "Project",
    col_title: "Title",
    col_previous: "Previously",
    effort_note: "Actions are ordered by risk removed per unit of effort; effort is estimated from the kind of change: patch, minor upgrade, major upgrade, platform migration.",
    trend_sentence: "Since {previous}: {new}, {worsened}, {improved} and {resolved}.",
    no_trend: "No previous snapshot: the trend starts with the next report.",
    trend_new: "New",
    trend_worsened: "Worsened",
    trend_improved: "Improved",
    trend_resolved: "Resolved",
    axis_likelihood: "Likelihood",
    axis_impact: "Impact",
    cell_title: "Likelihood {likelihood}, impact {impact}: {risks}",
    today: "Today",
    already_ended: "already ended",
    eol_bar_title: "{product} {cycle}: end of life on {date}",
    no_eol: "No end of life in the next 24 months.",
    licence_sentence: "Licence known for {pct} of the components ({components}); {denied}, {review}.",
    coverage_full: "Every ecosystem of the estate has an advisory source in the knowledge index.",
    coverage_gaps: "Not checked for vulnerabilities, as the knowledge index holds no advisory for their ecosystem: {list}.",
    coverage_item: "{ecosystem} ({components})",
    appendix_note: "The first {shown} of {total} are listed; the JSON and CSV outputs have them all.",
    appendix_intro: "Every finding of the audit, by family, most severe first.",
    none: "None.",
    and_more: "and {n}",
    footer: "Produced by vigie from snapshot {current}.",
    n_risks: ("risk", "risks"),
    n_critical: ("critical", "critical"),
    n_high: ("high", "high"),
    n_systems: ("system", "systems"),
    n_projects: ("project", "projects"),
    n_components: ("component", "components"),
    n_findings: ("finding", "findings"),
    n_new: ("new", "new"),
    n_worsened: ("worsened", "worsened"),
    n_improved: ("improved", "improved"),
    n_resolved: ("resolved", "resolved"),
    n_denied: ("denied by the policy", "denied by the policy"),
    n_review: ("to review", "to review"),
    n_more_rows: ("more row not shown", "more rows not shown"),
    n_more: ("more", "more"),
    levels: ["Critical", "High", "Medium", "Low"],
    ratings: ["Critical", "High", "Medium", "Low", "Unrated"],
    families: ["Vulnerabilities", "End of life", "Licences", "Other"],
    efforts: [
        "Patch",
        "Minor upgrade",
        "Major upgrade",
        "Platform migration",
    ],
    categories: [
        "Public domain",
        "Permissive",
        "Weak copyleft",
        "Strong copyleft",
        "Network copyleft",
        "Non-commercial or source-available",
        "Proprietary",
        "Unknown",
    ],
};

/// French.
pub static FR: Texts = Texts {
    code: "fr",
    title: "Rapport sur les risques logiciels",
    subtitle: "{estate} — instantané {current}",
    compared_with: ", comparé à {previous}",
    generated_on: "Établi le {date}",
    summary: "Synthèse",
    top_risks: "Risques principaux",
    top_actions: "Actions prioritaires",
    register: "Registre des risques",
    actions: "Actions recommandées",
    trend: "Évolution",
    heat_map: "Cartographie des risques",
    eol: "Calendrier des fins de vie, 24 prochains mois",
    licences: "Situation des licences",
    by_system: "Risques par système",
    by_owner: "Risques par responsable",
    appendix: "Annexe\u{202f}: liste des constats",
    posture: "{estate}\u{202f}: {risks}, dont {critical} et {high}, sur {systems}. L’audit de {projects} et de {components} a relevé {findings}.",
    risks_by_level: "Risques par niveau",
    findings_by_family: "Constats par famille",
    col_rank: "N°",
    col_risk: "Risque",
    col_risks: "Risques",
    col_level: "Niveau",
    col_likelihood: "Vraisemblance",
    col_impact: "Impact",
    col_score: "Score",
    col_why: "Justification",
    col_systems: "Systèmes",
    col_owners: "Responsables",
    col_action: "Action",
    col_effort: "Effort",
    col_risk_removed: "Risque éliminé",
    col_findings_fixed: "Constats corrigés",
    col_kev: "Exploitation avérée",
    col_product: "Produit",
    col_cycle: "Version",
    col_eol: "Fin de vie",
    col_projects: "Projets",
    col_category: "Catégorie",
    col_components: "Composants",
    col_system: "Système",
    col_owner: "Responsable",
    col_total: "Total",
    col_findings: "Constats",
    col_family: "Famille",
    col_id: "Identifiant",
    col_rating: "Gravité",
    col_component: "Composant",
    col_project: "Projet",
    col_title: "Intitulé",
    col_previous: "Auparavant",
    effort_note: "Les actions sont classées par risque éliminé par unité d’effort\u{202f}; l’effort est estimé d’après la nature du changement\u{202f}: correctif, mise à jour mineure, mise à jour majeure, migration de plateforme.",
    trend_sentence: "Depuis {previous}\u{202f}: {new}, {worsened}, {improved} et {resolved}.",
    no_trend: "Pas d’instantané précédent\u{202f}: l’évolution sera suivie à partir du prochain rapport.",
    trend_new: "Nouveaux",
    trend_worsened: "Aggravés",
    trend_improved: "Améliorés",
    trend_resolved: "Résolus",
    axis_likelihood: "Vraisemblance",
    axis_impact: "Impact",
    cell_title: "Vraisemblance {likelihood}, impact {impact}\u{202f}: {risks}",
    today: "Aujourd’hui",
    already_ended: "déjà atteinte",
    eol_bar_title: "{product} {cycle}\u{202f}: fin de vie le {date}",
    no_eol: "Aucune fin de vie dans les 24 prochains mois.",
    licence_sentence: "Licence connue pour {pct} des composants ({components})\u{202f}; {denied}, {review}.",
    coverage_full: "Chaque écosystème du parc a une source d’avis de sécurité dans la base de connaissances.",
    coverage_gaps: "Non vérifiés pour les vulnérabilités, faute d’avis de sécurité pour leur écosystème dans la base de connaissances\u{202f}: {list}.",
    coverage_item: "{ecosystem} ({components})",
    appendix_note: "Les {shown} premiers sur {total} sont listés\u{202f}; les sorties JSON et CSV les contiennent tous.",
    appendix_intro: "Tous les constats de l’audit, par famille, les plus graves en premier.",
    none: "Aucun.",
    and_more: "et {n}",
    footer: "Produit par vigie à partir de l’instantané {current}.",
    n_risks: ("risque", "risques"),
    n_critical: ("critique", "critiques"),
    n_high: ("élevé", "élevés"),
    n_systems: ("système", "systèmes"),
    n_projects: ("projet", "projets"),
    n_components: ("composant", "composants"),
    n_findings: ("constat", "constats"),
    n_new: ("nouveau", "nouveaux"),
    n_worsened: ("aggravé", "aggravés"),
    n_improved: ("amélioré", "améliorés"),
    n_resolved: ("résolu", "résolus"),
    n_denied: ("refusé par la politique", "refusés par la politique"),
    n_review: ("à examiner", "à examiner"),
    n_more_rows: ("ligne de plus non affichée", "lignes de plus non affichées"),
    n_more: ("autre", "autres"),
    levels: ["Critique", "Élevé", "Moyen", "Faible"],
    ratings: ["Critique", "Élevée", "Moyenne", "Faible", "Non évaluée"],
    families: ["Vulnérabilités", "Fins de vie", "Licences", "Autres"],
    efforts: [
        "Correctif",
        "Mise à jour mineure",
        "Mise à jour majeure",
        "Migration de plateforme",
    ],
    categories: [
        "Domaine public",
        "Permissive",
        "Copyleft faible",
        "Copyleft fort",
        "Copyleft réseau",
        "Non commerciale ou source disponible",
        "Propriétaire",
        "Inconnue",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_hold_no_markup() {
        // Templates are inserted unescaped around escaped values (see `html::posture_sentence`).
        for t in [&EN, &FR] {
            for s in [
                t.posture,
                t.trend_sentence,
                t.licence_sentence,
                t.subtitle,
                t.footer,
            ] {
                assert!(
                    !s.contains(['<', '>', '&', '*', '_', '`', '|', '[']),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn fill_is_single_pass() {
        assert_eq!(
            fill("a {x} b {y}", &[("x", "{y}"), ("y", "2")]),
            "a {y} b 2"
        );
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }

    #[test]
    fn french_colons_and_semicolons_have_a_narrow_space() {
        // Every « : » and « ; » in the French templates is preceded by U+202F (the check is
        // on the texts themselves, so a translator's slip is caught).
        for t in [
            FR.posture,
            FR.trend_sentence,
            FR.no_trend,
            FR.effort_note,
            FR.cell_title,
            FR.eol_bar_title,
            FR.licence_sentence,
            FR.appendix_note,
            FR.appendix,
        ] {
            for (i, c) in t.char_indices() {
                if c == ':' || c == ';' {
                    assert!(
                        t[..i].ends_with('\u{202f}'),
                        "missing narrow space in {t:?}"
                    );
                }
            }
        }
    }
}
