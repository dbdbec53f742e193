//! The category table (`data/categories.toml`) against the SPDX list and
//! against an independent classification: Google's licenseclassifier
//! (`license_type.go`, google/licenseclassifier), whose sets are copied
//! below as they are in that file.

use crate::common;

use serde_json::Value;
use vigie_licence::{CATEGORIES_TOML, Category, CategoryTable, Expression, LicenceItem};

/// No OSI-approved or FSF-libre licence of the list is left without a
/// category (deprecated ones through their replacement).
#[test]
fn every_osi_or_fsf_licence_has_a_category() {
    let (Some(kb), Some((l, _))) = (common::kb(), common::spdx_files()) else {
        return;
    };
    let v: Value = serde_json::from_str(&l).expect("json");
    let mut checked = 0;
    let mut missing = Vec::new();
    for x in v["licenses"].as_array().expect("array") {
        let osi = x["isOsiApproved"].as_bool().unwrap_or(false);
        let fsf = x["isFsfLibre"].as_bool().unwrap_or(false);
        if !(osi || fsf) {
            continue;
        }
        checked += 1;
        let id = x["licenseId"].as_str().expect("id");
        if kb.categories().of_id(kb.list(), id) == Category::Unknown {
            missing.push(id.to_owned());
        }
    }
    // `jq '[.licenses[] | select(.isOsiApproved or .isFsfLibre)] | length'`
    assert_eq!(checked, 204);
    assert!(missing.is_empty(), "without a category: {missing:?}");
}

/// Every identifier of the table is on the list (no typo hides a licence),
/// and every exception too.
#[test]
fn the_table_names_only_list_identifiers() {
    let Some(kb) = common::kb() else { return };
    for (id, _) in kb.categories().listed_ids() {
        let l = kb
            .list()
            .licence(id)
            .unwrap_or_else(|| panic!("{id} not on the list"));
        assert!(
            !l.deprecated,
            "{id} is deprecated: categorise its replacement"
        );
    }
    for (id, _) in kb.categories().listed_exceptions() {
        assert!(
            kb.list().exception(id).is_some(),
            "{id} not an exception of the list"
        );
    }
}

#[test]
fn duplicates_are_refused() {
    let dup = CATEGORIES_TOML.replacen("public-domain = [", "public-domain = [\"MIT\", ", 1);
    assert!(CategoryTable::from_toml(&dup).is_err());
}

/// The source-available licences the task names, and LicenseRefs.
#[test]
fn source_available_and_refs() {
    let Some(kb) = common::kb() else { return };
    for id in [
        "BUSL-1.1",
        "SSPL-1.0",
        "Elastic-2.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "PolyForm-Noncommercial-1.0.0",
        "PolyForm-Small-Business-1.0.0",
    ] {
        assert_eq!(
            kb.categories().of_id(kb.list(), id),
            Category::NonCommercialOrSourceAvailable,
            "{id}"
        );
    }
    let cat = |s: &str| {
        let e = Expression::parse(s).expect("parses");
        let Expression::Term(t) = e else {
            panic!("{s}")
        };
        kb.category(&t)
    };
    assert_eq!(
        cat("LicenseRef-Commons-Clause"),
        Category::NonCommercialOrSourceAvailable
    );
    assert_eq!(cat("licenseref-public-domain"), Category::PublicDomain);
    assert_eq!(
        cat("DocumentRef-x:LicenseRef-Public-Domain"),
        Category::Unknown
    );
    assert_eq!(cat("LicenseRef-whatever"), Category::Unknown);
    assert_eq!(cat("GPL-2.0+"), Category::StrongCopyleft);
    assert_eq!(cat("AGPL-3.0"), Category::NetworkCopyleft);
    assert_eq!(cat("lgpl-2.1"), Category::WeakCopyleft);
    assert!(matches!(
        Expression::parse("MIT").expect("parses"),
        Expression::Term(t) if matches!(t.licence, LicenceItem::Spdx { .. })
    ));
}

// google/licenseclassifier license_type.go, the sets as published.
const RESTRICTED: &[&str] = &[
    "BCL",
    "CC-BY-ND-1.0",
    "CC-BY-ND-2.0",
    "CC-BY-ND-2.5",
    "CC-BY-ND-3.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-1.0",
    "CC-BY-SA-2.0",
    "CC-BY-SA-2.5",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "GPL-1.0",
    "GPL-2.0",
    "GPL-2.0-with-autoconf-exception",
    "GPL-2.0-with-bison-exception",
    "GPL-2.0-with-classpath-exception",
    "GPL-2.0-with-font-exception",
    "GPL-2.0-with-GCC-exception",
    "GPL-3.0",
    "GPL-3.0-with-autoconf-exception",
    "GPL-3.0-with-GCC-exception",
    "LGPL-2.0",
    "LGPL-2.1",
    "LGPL-3.0",
    "NPL-1.0",
    "NPL-1.1",
    "OSL-1.0",
    "OSL-1.1",
    "OSL-2.0",
    "OSL-2.1",
    "OSL-3.0",
    "QPL-1.0",
    "Sleepycat",
];
const RECIPROCAL: &[&str] = &[
    "APSL-1.0",
    "APSL-1.1",
    "APSL-1.2",
    "APSL-2.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CPL-1.0",
    "EPL-1.0",
    "EPL-2.0",
    "FreeImage",
    "IPL-1.0",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "Ruby",
];
const NOTICE: &[&str] = &[
    "AFL-1.1",
    "AFL-1.2",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0-cl8",
    "Artistic-1.0-Perl",
    "Artistic-1.0",
    "Artistic-2.0",
    "BSL-1.0",
    "BSD-2-Clause-FreeBSD",
    "BSD-2-Clause-NetBSD",
    "BSD-2-Clause",
    "BSD-3-Clause-Attribution",
    "BSD-3-Clause-Clear",
    "BSD-3-Clause-LBNL",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSD-4-Clause-UC",
    "BSD-Protection",
    "CC-BY-1.0",
    "CC-BY-2.0",
    "CC-BY-2.5",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "FTL",
    "ISC",
    "ImageMagick",
    "Libpng",
    "Lil-1.0",
    "Linux-OpenIB",
    "LPL-1.02",
    "LPL-1.0",
    "MS-PL",
    "MIT",
    "NCSA",
    "OpenSSL",
    "PHP-3.01",
    "PHP-3.0",
    "PIL",
    "Python-2.0",
    "Python-2.0-complete",
    "PostgreSQL",
    "SGI-B-1.0",
    "SGI-B-1.1",
    "SGI-B-2.0",
    "Unicode-DFS-2015",
    "Unicode-DFS-2016",
    "Unicode-TOU",
    "UPL-1.0",
    "W3C-19980720",
    "W3C-20150513",
    "W3C",
    "X11",
    "Xnet",
    "Zend-2.0",
    "zlib-acknowledgement",
    "Zlib",
    "ZPL-1.1",
    "ZPL-2.0",
    "ZPL-2.1",
];
const UNENCUMBERED: &[&str] = &["CC0-1.0", "Unlicense", "0BSD"];
const FORBIDDEN: &[&str] = &[
    "AGPL-1.0",
    "AGPL-3.0",
    "CC-BY-NC-1.0",
    "CC-BY-NC-2.0",
    "CC-BY-NC-2.5",
    "CC-BY-NC-3.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-ND-1.0",
    "CC-BY-NC-ND-2.0",
    "CC-BY-NC-ND-2.5",
    "CC-BY-NC-ND-3.0",
    "CC-BY-NC-ND-4.0",
    "CC-BY-NC-SA-1.0",
    "CC-BY-NC-SA-2.0",
    "CC-BY-NC-SA-2.5",
    "CC-BY-NC-SA-3.0",
    "CC-BY-NC-SA-4.0",
    "Commons-Clause",
    "Facebook-2-Clause",
    "Facebook-3-Clause",
    "Facebook-Examples",
    "WTFPL",
];

/// Where vigie's category differs from Google's on purpose.
const DIFFERENCES: &[(&str, &str)] = &[
    // No-derivatives: the text forbids modification; not copyleft but not
    // open source either.
    ("CC-BY-ND-1.0", "no-derivatives"),
    ("CC-BY-ND-2.0", "no-derivatives"),
    ("CC-BY-ND-2.5", "no-derivatives"),
    ("CC-BY-ND-3.0", "no-derivatives"),
    ("CC-BY-ND-4.0", "no-derivatives"),
    // Ruby's licence offers the 2-clause BSD licence as an alternative.
    ("Ruby", "dual BSD-2-Clause"),
    // Its preamble and terms keep modified versions of the work itself under
    // the same licence (against "GPL-taint"), while allowing closed
    // products around it: file-level, hence weak copyleft.
    ("BSD-Protection", "modifications stay under it"),
    // WTFPL is forbidden by Google's own policy; it sets no condition.
    ("WTFPL", "no condition"),
];

#[test]
fn agrees_with_google_licenseclassifier() {
    let Some(kb) = common::kb() else { return };
    use Category as C;
    let groups: [(&[&str], &[Category]); 5] = [
        (
            RESTRICTED,
            &[C::WeakCopyleft, C::StrongCopyleft, C::NetworkCopyleft],
        ),
        (RECIPROCAL, &[C::WeakCopyleft]),
        (NOTICE, &[C::Permissive]),
        (UNENCUMBERED, &[C::PublicDomain]),
        (
            FORBIDDEN,
            &[C::NetworkCopyleft, C::NonCommercialOrSourceAvailable],
        ),
    ];
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for (ids, allowed) in groups {
        for id in ids {
            if kb.list().licence(id).is_none() || DIFFERENCES.iter().any(|(d, _)| d == id) {
                continue;
            }
            compared += 1;
            let c = kb.categories().of_id(kb.list(), id);
            if !allowed.contains(&c) {
                disagreements.push(format!("{id}: {c}"));
            }
        }
    }
    // 129 of Google's identifiers are on the 3.28 list (counted with a
    // script over licenses.json; BCL, Lil-1.0, PIL, Python-2.0-complete,
    // Commons-Clause and the Facebook ones are not).
    assert_eq!(compared, 129 - DIFFERENCES.len());
    assert!(disagreements.is_empty(), "{disagreements:?}");
}
