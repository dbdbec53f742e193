//! `compatible_with_project` against the FSF's licence compatibility matrix
//! (gnu.org/licenses/gpl-faq.html#AllCompatibility), its licence list
//! (gnu.org/licenses/license-list.html), and the texts; worked out by hand.

use crate::common;

use vigie_licence::Compat::{self, Compatible, Incompatible, Unknown};

const CASES: &[(&str, &str, Compat, &str)] = &[
    // FSF list, Apache 2.0: "not compatible with GPL version 2".
    ("GPL-2.0-only", "Apache-2.0", Incompatible, "apache2-gpl2"),
    (
        "GPL-3.0-only",
        "Apache-2.0",
        Compatible,
        "weak-or-permissive",
    ),
    // A permissive project cannot ship GPL code under its own licence.
    ("MIT", "GPL-2.0-only", Incompatible, "copyleft-into-other"),
    (
        "Apache-2.0",
        "GPL-3.0-or-later",
        Incompatible,
        "copyleft-into-other",
    ),
    ("MIT", "AGPL-3.0-only", Incompatible, "copyleft-into-other"),
    // Matrix, "copy code under GPLv2 only" into "GPLv3 or later": NO.
    (
        "GPL-3.0-or-later",
        "GPL-2.0-only",
        Incompatible,
        "gpl2only-gpl3",
    ),
    // "copy code under GPLv2 or later" into "GPLv3 or later": OK.
    (
        "GPL-3.0-or-later",
        "GPL-2.0-or-later",
        Compatible,
        "gnu-family",
    ),
    // "copy code under GPLv3" into "GPLv2 only": NO.
    (
        "GPL-2.0-only",
        "GPL-3.0-only",
        Incompatible,
        "gpl3-gpl2only",
    ),
    // "copy code under GPLv3" into "GPLv2 or later": OK, combination under v3.
    ("GPL-2.0-or-later", "GPL-3.0-only", Compatible, "gnu-family"),
    ("GPL-2.0-or-later", "GPL-2.0-only", Compatible, "gnu-family"),
    // "use a library under LGPLv2.1" into GPLv2 only / GPLv3: OK.
    ("GPL-2.0-only", "LGPL-2.1-only", Compatible, "gnu-family"),
    ("GPL-3.0-only", "LGPL-2.1-only", Compatible, "gnu-family"),
    // "use a library under LGPLv3" into "GPLv2 only": NO.
    (
        "GPL-2.0-only",
        "LGPL-3.0-only",
        Incompatible,
        "lgpl3-gpl2only",
    ),
    // "copy code under GPLv2 only" into "LGPLv2.1 only": only by conveying
    // the project under the GPL (note 7): the project's licence is not kept.
    (
        "LGPL-2.1-only",
        "GPL-2.0-only",
        Incompatible,
        "copyleft-into-other",
    ),
    // GPL-3.0 s.13 / AGPL-3.0 s.13.
    ("GPL-3.0-only", "AGPL-3.0-only", Compatible, "agpl-gpl3"),
    (
        "AGPL-3.0-or-later",
        "GPL-3.0-or-later",
        Compatible,
        "agpl-gpl3",
    ),
    // Weak copyleft stays on its own files.
    ("MIT", "LGPL-2.1-only", Compatible, "weak-or-permissive"),
    (
        "LicenseRef-Proprietary",
        "MPL-2.0",
        Compatible,
        "weak-or-permissive",
    ),
    // MPL-2.0 s.3.3 secondary licences, unless Exhibit B.
    ("GPL-2.0-only", "MPL-2.0", Compatible, "weak-or-permissive"),
    (
        "GPL-2.0-only",
        "MPL-2.0-no-copyleft-exception",
        Incompatible,
        "gpl-incompatible",
    ),
    // FSF list: EPL-1.0, CDDL, the original BSD, OpenSSL are GPL-incompatible.
    ("GPL-3.0-only", "EPL-1.0", Incompatible, "gpl-incompatible"),
    ("GPL-2.0-only", "CDDL-1.0", Incompatible, "gpl-incompatible"),
    (
        "GPL-3.0-only",
        "BSD-4-Clause",
        Incompatible,
        "gpl-incompatible",
    ),
    (
        "GPL-2.0-or-later",
        "OpenSSL",
        Incompatible,
        "gpl-incompatible",
    ),
    // Creative Commons declared BY-SA 4.0 one-way compatible with GPLv3.
    (
        "GPL-3.0-only",
        "CC-BY-SA-4.0",
        Compatible,
        "one-way-into-gnu",
    ),
    (
        "GPL-2.0-only",
        "CC-BY-SA-4.0",
        Incompatible,
        "copyleft-into-other",
    ),
    // A linking exception keeps the GPL on the component only.
    (
        "MIT",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        Compatible,
        "weak-or-permissive",
    ),
    // Not a compatibility question: a person must read the terms.
    ("MIT", "BUSL-1.1", Unknown, "review-needed"),
    ("MIT", "LicenseRef-foo", Unknown, "review-needed"),
    ("MIT", "CC0-1.0", Compatible, "public-domain"),
    ("GPL-2.0-only", "GPL-2.0-only", Compatible, "same-licence"),
    // Deprecated ids are upgraded first (GPL-2.0 is GPL-2.0-only).
    ("GPL-3.0", "GPL-2.0", Incompatible, "gpl2only-gpl3"),
];

#[test]
fn rule_table() {
    let Some(kb) = common::kb() else { return };
    for (project, component, compat, rule) in CASES {
        let p = kb.list().parse(project).expect("valid");
        let c = kb.list().parse(component).expect("valid");
        let r = kb.compatible_with_project(&p, &c);
        assert_eq!(
            (r.compat, r.rule),
            (*compat, *rule),
            "{component} into {project}"
        );
        assert!(!r.explain().en.is_empty() && !r.explain().fr.is_empty());
    }
}

#[test]
fn expressions() {
    let Some(kb) = common::kb() else { return };
    let check = |p: &str, c: &str| {
        let p = kb.list().parse(p).expect("valid");
        kb.compatible_with_project(&p, &kb.list().parse(c).expect("valid"))
    };
    // OR: one compatible option suffices, and it is named.
    let r = check("GPL-3.0-only", "MIT OR GPL-2.0-only");
    assert_eq!((r.compat, r.component.as_str()), (Compatible, "MIT"));
    // AND: the worst part decides.
    let r = check("GPL-3.0-only", "MIT AND GPL-2.0-only");
    assert_eq!(
        (r.compat, r.component.as_str()),
        (Incompatible, "GPL-2.0-only")
    );
    // A dual-licensed project must satisfy each of its licences.
    let r = check("MIT OR GPL-2.0-only", "Apache-2.0");
    assert_eq!(
        (r.compat, r.project.as_str()),
        (Incompatible, "GPL-2.0-only")
    );
}
