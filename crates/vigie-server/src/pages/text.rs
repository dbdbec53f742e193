//! Every word of the pages, in English and French.

use std::collections::BTreeMap;

use vigie_model::Lang;

/// `(key, English, French)`.
const TEXTS: &[(&str, &str, &str)] = &[
    ("title", "vigie — control tower", "vigie — tour de contrôle"),
    ("login", "Log in", "Se connecter"),
    ("logout", "Log out", "Se déconnecter"),
    ("user", "User name", "Nom d’utilisateur"),
    ("password", "Password", "Mot de passe"),
    (
        "bad_login",
        "Unknown user or wrong password.",
        "Utilisateur inconnu ou mot de passe erroné.",
    ),
    (
        "too_many",
        "Too many failed attempts: wait a minute.",
        "Trop d’essais manqués : attendez une minute.",
    ),
    ("sign_in_with", "Sign in with", "Se connecter avec"),
    (
        "oidc_expired",
        "The sign-in took too long or was already used: try again.",
        "La connexion a pris trop de temps ou a déjà servi : recommencez.",
    ),
    (
        "oidc_refused",
        "The identity provider’s answer was refused.",
        "La réponse du fournisseur d’identité a été refusée.",
    ),
    (
        "oidc_no_role",
        "Your groups give you no access to vigie.",
        "Vos groupes ne vous donnent pas accès à vigie.",
    ),
    (
        "oidc_disabled",
        "This account is disabled.",
        "Ce compte est désactivé.",
    ),
    ("overview", "Overview", "Vue d’ensemble"),
    ("snapshot", "Latest snapshot", "Dernier instantané"),
    ("taken_at", "Taken at", "Pris le"),
    ("label", "Label", "Libellé"),
    ("roots", "Folders", "Dossiers"),
    ("projects", "Projects", "Projets"),
    ("components", "Components", "Composants"),
    ("risks", "Risks by level", "Risques par niveau"),
    ("findings", "Findings", "Constats"),
    ("rating", "Rating", "Niveau"),
    ("count", "Count", "Nombre"),
    (
        "top_projects",
        "Projects with the most findings",
        "Projets aux constats les plus nombreux",
    ),
    ("project", "Project", "Projet"),
    (
        "no_snapshot",
        "No snapshot yet: the first scan is running or no folder was given.",
        "Pas encore d’instantané : le premier examen est en cours ou aucun dossier n’a été donné.",
    ),
    ("signed_in_as", "Signed in as", "Connecté en tant que"),
    ("critical", "Critical", "Critique"),
    ("high", "High", "Élevé"),
    ("medium", "Medium", "Moyen"),
    ("low", "Low", "Faible"),
    ("none", "None", "Aucun"),
    ("language", "Français", "English"),
    ("sections", "Sections", "Rubriques"),
    ("nav_overview", "Overview", "Vue d’ensemble"),
    ("nav_map", "Map", "Cartographie"),
    ("nav_projects", "Projects", "Projets"),
    ("nav_packages", "Packages", "Paquets"),
    ("nav_register", "Risk register", "Registre des risques"),
    ("nav_lifecycle", "Lifecycle", "Cycle de vie"),
    ("nav_licences", "Licences", "Licences"),
    ("nav_reports", "Reports", "Rapports"),
    ("are_we_hit", "Are we hit?", "Sommes-nous touchés ?"),
    (
        "ask_placeholder",
        "CVE, GHSA, purl or name@<range",
        "CVE, GHSA, purl ou nom@<plage",
    ),
    ("search", "Search", "Chercher"),
    (
        "hit_help",
        "An advisory id or alias (CVE-2021-44228, GHSA-…), a purl, or a package with a version range (log4j-core@<2.17.1).",
        "Un identifiant d’avis ou un alias (CVE-2021-44228, GHSA-…), un purl, ou un paquet avec une plage de versions (log4j-core@<2.17.1).",
    ),
    (
        "unknown_to_index",
        "unknown to the knowledge index — vigie cannot say whether you are hit (check the id, or sync the index).",
        "inconnu de l’index de connaissances — vigie ne peut pas dire si vous êtes touchés (vérifiez l’identifiant ou synchronisez l’index).",
    ),
    (
        "no_index",
        "No knowledge index.",
        "Pas d’index de connaissances.",
    ),
    ("hit_yes", "Hit", "Touchés"),
    (
        "hit_no",
        "Nothing in the latest snapshot is hit.",
        "Rien n’est touché dans le dernier instantané.",
    ),
    ("owners_to_call", "Owners to call", "Responsables à appeler"),
    ("aliases", "Aliases", "Alias"),
    ("withdrawn", "withdrawn", "retiré"),
    ("package", "Package", "Paquet"),
    ("fixed_in", "Fixed in", "Corrigé en"),
    ("no_fix", "no fix known", "pas de correctif connu"),
    ("kev_short", "known exploited", "exploitée"),
    ("component", "Component", "Composant"),
    ("scope", "Scope", "Portée"),
    ("relation", "Relation", "Relation"),
    ("owners", "Owners", "Responsables"),
    ("systems", "Systems", "Systèmes"),
    ("system", "System", "Système"),
    ("findings_lc", "findings", "constats"),
    ("compared_with", "compared with", "comparé à"),
    (
        "trend",
        "Since the previous snapshot",
        "Depuis l’instantané précédent",
    ),
    ("trend_new", "New", "Nouveaux"),
    ("trend_worsened", "Worsened", "Aggravés"),
    ("trend_improved", "Improved", "Améliorés"),
    ("trend_resolved", "Resolved", "Résolus"),
    (
        "no_previous",
        "No previous snapshot to compare with.",
        "Pas d’instantané précédent à comparer.",
    ),
    ("top_risks", "Top risks", "Principaux risques"),
    (
        "top_actions",
        "Actions that remove the most risk per effort",
        "Actions qui retirent le plus de risque par effort",
    ),
    ("level", "Level", "Niveau"),
    ("risk", "Risk", "Risque"),
    ("risks_title", "Risks", "Risques"),
    ("no_risk", "No risk.", "Aucun risque."),
    (
        "no_action",
        "No action to recommend.",
        "Aucune action à recommander.",
    ),
    ("effort_patch", "patch release", "version corrective"),
    ("effort_minor", "minor release", "version mineure"),
    ("effort_major", "major release", "version majeure"),
    ("effort_migration", "migration", "migration"),
    (
        "eol_soon",
        "End of life within 90 days",
        "Fin de vie sous 90 jours",
    ),
    (
        "no_eol_soon",
        "Nothing reaches its end of life within 90 days.",
        "Rien n’atteint sa fin de vie sous 90 jours.",
    ),
    ("product", "Product", "Produit"),
    ("eol_date", "End of life", "Fin de vie"),
    (
        "kev_in_use",
        "Known-exploited vulnerabilities in use",
        "Vulnérabilités exploitées en usage",
    ),
    (
        "no_kev",
        "No known-exploited vulnerability in use.",
        "Aucune vulnérabilité exploitée en usage.",
    ),
    (
        "licence_posture",
        "Licence posture",
        "Situation des licences",
    ),
    (
        "with_known_licence",
        "components with a known licence",
        "composants de licence connue",
    ),
    ("denied", "Denied", "Refusées"),
    ("needs_review", "To review", "À examiner"),
    ("details", "details", "détails"),
    ("freshness", "Freshness", "Fraîcheur"),
    ("last_scan", "Last scan", "Dernier examen"),
    ("index_age", "Knowledge index", "Index de connaissances"),
    (
        "catalog_warnings",
        "Catalog warnings",
        "Avertissements du catalogue",
    ),
    (
        "not_known",
        "not known (the catalog folders are not reachable)",
        "inconnu (dossiers du catalogue inaccessibles)",
    ),
    ("search_projects", "Path or name", "Chemin ou nom"),
    ("filter_owner", "Owner", "Responsable"),
    ("filter_system", "System", "Système"),
    ("filter_ecosystem", "Ecosystem", "Écosystème"),
    ("filter_licence", "Licence category", "Catégorie de licence"),
    ("any", "any", "tous"),
    (
        "has_kev",
        "has a known-exploited vulnerability",
        "a une vulnérabilité exploitée",
    ),
    ("filter", "Filter", "Filtrer"),
    ("ecosystems", "Ecosystems", "Écosystèmes"),
    ("next", "Next", "Suivants"),
    ("name", "Name", "Nom"),
    ("files", "Files", "Fichiers"),
    ("advisory", "Advisory", "Avis"),
    ("triage", "Triage", "Tri"),
    ("no_findings", "No finding.", "Aucun constat."),
    ("version", "Version", "Version"),
    ("licence", "Licence", "Licence"),
    ("unresolved", "unresolved", "non résolue"),
    ("history", "History", "Historique"),
    ("snapshot_short", "Snapshot", "Instantané"),
    (
        "package_placeholder",
        "name, purl or name@<range",
        "nom, purl ou nom@<plage",
    ),
    ("all", "All", "Tous"),
    ("first", "first", "premiers"),
    ("score", "Score", "Score"),
    ("likelihood", "likelihood", "vraisemblance"),
    ("impact", "impact", "impact"),
    ("decide", "Decide", "Décider"),
    ("decision", "Decision", "Décision"),
    (
        "justification",
        "Justification (not affected)",
        "Justification (non affecté)",
    ),
    ("until", "Accepted until", "Accepté jusqu’au"),
    ("reason", "Reason", "Raison"),
    ("record", "Record", "Enregistrer"),
    ("triage_done", "Decision recorded", "Décision enregistrée"),
    ("triage_refused", "Decision refused", "Décision refusée"),
    ("set_aside", "Set aside by triage", "Écartés par le tri"),
    ("nothing_set_aside", "Nothing set aside.", "Rien d’écarté."),
    ("state_open", "open", "ouvert"),
    ("state_in_triage", "in triage", "en cours de tri"),
    ("state_exploitable", "exploitable", "exploitable"),
    ("state_not_affected", "not affected", "non affecté"),
    ("state_false_positive", "false positive", "faux positif"),
    ("state_accepted_risk", "risk accepted", "risque accepté"),
    (
        "state_acceptance_expired",
        "acceptance expired",
        "acceptation expirée",
    ),
    ("vex_code_not_present", "code not present", "code absent"),
    (
        "vex_code_not_reachable",
        "code not reachable",
        "code inatteignable",
    ),
    (
        "vex_requires_configuration",
        "requires a configuration",
        "exige une configuration",
    ),
    (
        "vex_requires_dependency",
        "requires a dependency",
        "exige une dépendance",
    ),
    (
        "vex_requires_environment",
        "requires an environment",
        "exige un environnement",
    ),
    (
        "vex_protected_by_compiler",
        "protected by the compiler",
        "protégé par le compilateur",
    ),
    (
        "vex_protected_at_runtime",
        "protected at runtime",
        "protégé à l’exécution",
    ),
    (
        "vex_protected_at_perimeter",
        "protected at the perimeter",
        "protégé en périphérie",
    ),
    (
        "vex_protected_by_mitigating_control",
        "protected by a mitigating control",
        "protégé par une mesure d’atténuation",
    ),
    ("colour_by", "Colour by", "Couleur selon"),
    ("colour_risk", "risk", "risque"),
    ("colour_owner", "owner", "responsable"),
    ("colour_criticality", "criticality", "criticité"),
    (
        "map_columns",
        "Domains · systems · components · APIs · resources and data stores · SaaS",
        "Domaines · systèmes · composants · API · ressources et données · SaaS",
    ),
    ("criticality", "Criticality", "Criticité"),
    ("reference", "Reference", "Référence"),
    ("none_said", "not said", "non renseigné"),
    (
        "internet_exposed",
        "Exposed to the internet",
        "Exposé à internet",
    ),
    ("personal_data", "Personal data", "Données personnelles"),
    ("yes", "yes", "oui"),
    ("no", "no", "non"),
    ("contracts", "Contract", "Contrat"),
    ("parts", "Parts", "Éléments"),
    ("depends_on", "Depends on", "Dépend de"),
    ("depended_on_by", "Depended on by", "Utilisé par"),
    (
        "reports_help",
        "The executive report of each snapshot, compared with the one before, in every format and both languages.",
        "Le rapport de direction de chaque instantané, comparé au précédent, dans chaque format et les deux langues.",
    ),
    ("downloads", "Downloads", "Téléchargements"),
    ("when_past", "ended", "terminée"),
    ("when_soon", "within 90 days", "sous 90 jours"),
    ("when_year", "within a year", "sous un an"),
    ("when_later", "later", "plus tard"),
    (
        "no_eol",
        "No end-of-life date known for the platforms in use.",
        "Aucune date de fin de vie connue pour les plateformes en usage.",
    ),
    ("coverage", "licence coverage", "couverture des licences"),
    ("category", "Category", "Catégorie"),
    (
        "licence_findings",
        "Licence findings",
        "Constats de licence",
    ),
    ("cat_public-domain", "public domain", "domaine public"),
    ("cat_permissive", "permissive", "permissive"),
    ("cat_weak-copyleft", "weak copyleft", "copyleft faible"),
    ("cat_strong-copyleft", "strong copyleft", "copyleft fort"),
    (
        "cat_network-copyleft",
        "network copyleft",
        "copyleft réseau",
    ),
    (
        "cat_non-commercial-or-source-available",
        "non-commercial or source-available",
        "non commerciale ou source disponible",
    ),
    ("cat_proprietary", "proprietary", "propriétaire"),
    ("cat_unknown", "unknown", "inconnue"),
    ("unknown", "Unrated", "Non évalué"),
];

/// Words that follow a number, `(key, English one, English more, French one, French more)`:
/// the pages write `{{ n }} {{ n | noun("projects") }}`.
const COUNTED: &[(&str, &str, &str, &str, &str)] = &[
    ("projects", "project", "projects", "projet", "projets"),
    ("systems", "system", "systems", "système", "systèmes"),
    (
        "components",
        "component",
        "components",
        "composant",
        "composants",
    ),
    ("risks", "risk", "risks", "risque", "risques"),
    ("uses", "use", "uses", "utilisation", "utilisations"),
    (
        "findings_fixed",
        "finding fixed",
        "findings fixed",
        "constat corrigé",
        "constats corrigés",
    ),
    (
        "known_exploited",
        "known exploited",
        "known exploited",
        "exploitée",
        "exploitées",
    ),
    ("days_ago", "day ago", "days ago", "jour", "jours"),
];

/// The word `key` after the number `n` in `lang`: the singular for 1 in English, for 0 and 1
/// in French ("0 projet", "1 projet", "2 projets"; "0 projects", "1 project"). `None` for a
/// key that is not in the table.
pub(crate) fn noun(lang: Lang, n: i64, key: &str) -> Option<&'static str> {
    let (_, en_one, en_more, fr_one, fr_more) = COUNTED.iter().find(|c| c.0 == key)?;
    let one = match lang {
        Lang::En => n == 1,
        Lang::Fr => n == 0 || n == 1,
    };
    Some(if one {
        lang.pick(en_one, fr_one)
    } else {
        lang.pick(en_more, fr_more)
    })
}

/// The words of `lang`, by key.
pub(crate) fn words(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    TEXTS
        .iter()
        .map(|(k, en, fr)| (*k, lang.pick(en, fr)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        let table = [
            (Lang::En, 0, "projects"),
            (Lang::En, 1, "project"),
            (Lang::En, 2, "projects"),
            (Lang::Fr, 0, "projet"),
            (Lang::Fr, 1, "projet"),
            (Lang::Fr, 2, "projets"),
        ];
        for (lang, n, want) in table {
            assert_eq!(noun(lang, n, "projects"), Some(want), "{lang:?} {n}");
        }
        assert_eq!(noun(Lang::En, 1, "days_ago"), Some("day ago"));
        assert_eq!(
            noun(Lang::Fr, 3, "findings_fixed"),
            Some("constats corrigés")
        );
        assert_eq!(noun(Lang::En, 1, "nothing"), None);
    }
}
