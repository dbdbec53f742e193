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
    ("findings", "Findings by rating", "Constats par niveau"),
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
];

/// The words of `lang`, by key.
pub(crate) fn words(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    TEXTS
        .iter()
        .map(|(k, en, fr)| (*k, lang.pick(en, fr)))
        .collect()
}
