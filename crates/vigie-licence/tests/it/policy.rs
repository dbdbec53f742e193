//! The default policy, worked out by hand from the licence texts and the
//! FSF's GPL FAQ (gnu.org/licenses/gpl-faq.html); each row says where its
//! answer comes from.

use crate::common;

use vigie_licence::{DistributionModel, Expression, Lang, Mapping, Obligation, Policy, Verdict};

use DistributionModel::{DistributedBinary as Dist, Internal, Library, NetworkService as Net};
use Obligation as O;
use Verdict::{Allowed, Denied, NeedsReview};

type Row = (
    DistributionModel,
    &'static str,
    Verdict,
    &'static [Obligation],
    &'static str,
);

const ROWS: &[Row] = &[
    (
        Net,
        "AGPL-3.0-only",
        Denied,
        &[O::SameLicence, O::OfferSourceToNetworkUsers],
        "AGPL-3.0 s.13: users interacting remotely must be offered the source",
    ),
    (
        Dist,
        "AGPL-3.0-or-later",
        NeedsReview,
        &[
            O::KeepNotices,
            O::StateChanges,
            O::ShipSource,
            O::SameLicence,
            O::InstallationInformation,
        ],
        "AGPL-3.0 s.4-6, as GPL-3.0 when conveyed",
    ),
    (
        Internal,
        "AGPL-3.0-only",
        Allowed,
        &[],
        "no conveying, no remote third-party users",
    ),
    (
        Dist,
        "GPL-3.0-only",
        NeedsReview,
        &[
            O::KeepNotices,
            O::StateChanges,
            O::ShipSource,
            O::SameLicence,
            O::InstallationInformation,
        ],
        "GPL-3.0 s.4 notices, s.5(a) changes, s.5(c) whole work, s.6 source and installation information",
    ),
    (
        Dist,
        "GPL-2.0-only",
        NeedsReview,
        &[
            O::KeepNotices,
            O::StateChanges,
            O::ShipSource,
            O::SameLicence,
        ],
        "GPL-2.0 s.1 notices, s.2(a) changes, s.2(b) whole work, s.3 source",
    ),
    (
        Library,
        "GPL-2.0-or-later",
        NeedsReview,
        &[
            O::KeepNotices,
            O::StateChanges,
            O::ShipSource,
            O::SameLicence,
        ],
        "a library linking GPL code makes its users' works covered (FAQ IfLibraryIsGPL)",
    ),
    (
        Internal,
        "GPL-3.0-only",
        Allowed,
        &[],
        "FAQ InternalDistribution: use inside one organisation is not conveying",
    ),
    (
        Net,
        "GPL-2.0-or-later",
        Allowed,
        &[],
        "FAQ UnreleasedMods: running on a server is not distribution",
    ),
    (
        Dist,
        "LGPL-2.1-only",
        Allowed,
        &[
            O::KeepNotices,
            O::StateChanges,
            O::ShareComponentSource,
            O::AllowRelinking,
        ],
        "LGPL-2.1 s.1 notices, s.2(a) changes, s.4 source of the library, s.6 relinking and reverse engineering",
    ),
    (
        Library,
        "LGPL-3.0-only",
        Allowed,
        &[
            O::KeepNotices,
            O::StateChanges,
            O::ShareComponentSource,
            O::AllowRelinking,
            O::InstallationInformation,
        ],
        "LGPL-3.0 s.4(a)-(e)",
    ),
    (Net, "LGPL-3.0-or-later", Allowed, &[], "no conveying"),
    (
        Dist,
        "MIT",
        Allowed,
        &[O::KeepNotices],
        "MIT: the notice 'shall be included in all copies'",
    ),
    (
        Net,
        "MIT",
        Allowed,
        &[],
        "notices are a condition of redistribution only",
    ),
    (
        Dist,
        "Apache-2.0",
        Allowed,
        &[O::KeepNotices, O::NoticeFile, O::StateChanges],
        "Apache-2.0 s.4(a) licence copy, (b) changed files, (c) notices, (d) NOTICE file",
    ),
    (Dist, "CC0-1.0", Allowed, &[], "CC0: waiver, no condition"),
    (
        Dist,
        "MPL-2.0",
        Allowed,
        &[O::KeepNotices, O::ShareComponentSource],
        "MPL-2.0 s.3.2(a): the Covered Software's source must be available",
    ),
    (
        Dist,
        "GPL-2.0-only WITH Classpath-exception-2.0",
        Allowed,
        &[O::KeepNotices, O::StateChanges, O::ShareComponentSource],
        "Classpath exception: linking independent modules does not extend the GPL; the library itself stays GPL",
    ),
    (
        Dist,
        "GPL-3.0-or-later WITH GCC-exception-3.1",
        Allowed,
        &[O::KeepNotices],
        "GCC Runtime Library Exception s.1: Target Code may be conveyed under terms of your choice",
    ),
    (
        Dist,
        "GPL-2.0-or-later WITH Bison-exception-2.2",
        Allowed,
        &[O::KeepNotices],
        "Bison exception: the parser skeleton in the output may be distributed under terms of your choice",
    ),
    (
        Dist,
        "MIT OR GPL-3.0-only",
        Allowed,
        &[O::KeepNotices],
        "OR: MIT chosen, the most permissive",
    ),
    (
        Net,
        "AGPL-3.0-only OR Apache-2.0",
        Allowed,
        &[],
        "OR: Apache-2.0 chosen over the denied AGPL",
    ),
    (
        Dist,
        "MIT AND GPL-2.0-only",
        NeedsReview,
        &[
            O::KeepNotices,
            O::StateChanges,
            O::ShipSource,
            O::SameLicence,
        ],
        "AND: both apply, worst verdict",
    ),
    (
        Net,
        "BUSL-1.1",
        Denied,
        &[O::CheckLicenceTerms],
        "BUSL-1.1: production use only under the Additional Use Grant",
    ),
    (
        Dist,
        "SSPL-1.0",
        Denied,
        &[O::CheckLicenceTerms],
        "SSPL-1.0 s.13",
    ),
    (
        Internal,
        "CC-BY-NC-4.0",
        NeedsReview,
        &[O::CheckLicenceTerms],
        "CC BY-NC 4.0 s.1(i): NonCommercial; a company's use is commercial",
    ),
    (
        Dist,
        "LicenseRef-foo",
        NeedsReview,
        &[O::IdentifyLicence],
        "a licence vigie does not know",
    ),
    (
        Net,
        "CPAL-1.0",
        Allowed,
        &[O::OfferSourceToNetworkUsers],
        "CPAL-1.0 s.15: network use is distribution",
    ),
    (
        Net,
        "EUPL-1.2",
        Denied,
        &[O::SameLicence, O::OfferSourceToNetworkUsers],
        "EUPL-1.2 art. 1: 'Distribution or Communication' includes on-line access",
    ),
];

#[test]
fn default_policy_table() {
    let Some(kb) = common::kb() else { return };
    let policy = Policy::default();
    for (model, expr, verdict, obligations, why) in ROWS {
        let e = kb.list().parse(expr).expect("valid");
        let d = policy.evaluate(kb, &e, *model, None);
        let mut want = obligations.to_vec();
        want.sort();
        assert_eq!(
            (d.verdict, &d.obligations),
            (*verdict, &want),
            "{model:?} {expr}: {why}"
        );
    }
}

#[test]
fn or_says_which_option() {
    let Some(kb) = common::kb() else { return };
    let e = kb.list().parse("GPL-3.0-only OR MIT").expect("valid");
    let d = Policy::default().evaluate(kb, &e, Dist, None);
    assert_eq!(d.choices.len(), 1);
    assert_eq!(d.choices[0].chosen, "MIT");
    assert_eq!(d.choices[0].options, vec!["GPL-3.0-only", "MIT"]);
    let text = d.explain();
    assert!(text.en.contains("MIT is kept"), "{}", text.en);
    assert!(text.fr.contains("MIT est retenue"), "{}", text.fr);
}

#[test]
fn special_mappings() {
    let Some(kb) = common::kb() else { return };
    let p = Policy::default();
    let d = p.evaluate_mapping(kb, &Mapping::Unlicensed, Dist, None);
    assert_eq!(
        (d.verdict, d.obligations),
        (NeedsReview, vec![O::CommercialAgreement])
    );
    let d = p.evaluate_mapping(kb, &Mapping::NoAssertion, Internal, None);
    assert_eq!(
        (d.verdict, d.obligations),
        (NeedsReview, vec![O::IdentifyLicence])
    );
    let d = p.evaluate_mapping(kb, &kb.map("Apache License, Version 2.0"), Net, None);
    assert_eq!(d.verdict, Allowed);
}

#[test]
fn texts_exist_in_both_languages() {
    for o in [
        O::KeepNotices,
        O::NoticeFile,
        O::StateChanges,
        O::ShareComponentSource,
        O::AllowRelinking,
        O::ShipSource,
        O::SameLicence,
        O::OfferSourceToNetworkUsers,
        O::InstallationInformation,
        O::CheckLicenceTerms,
        O::CommercialAgreement,
        O::IdentifyLicence,
    ] {
        let t = o.explain();
        assert!(!t.en.is_empty() && !t.fr.is_empty() && t.en != t.fr, "{o}");
        assert_eq!(t.get(Lang::Fr), t.fr);
    }
    let (en, fr) = DistributionModel::DEFAULT_ASSUMPTION;
    assert!(en.contains("distributed") && fr.contains("distribué"));
    let Some(kb) = common::kb() else { return };
    let e: Expression = kb
        .list()
        .parse("GPL-2.0-only WITH Classpath-exception-2.0")
        .expect("valid");
    let t = Policy::default().evaluate(kb, &e, Dist, None).explain();
    assert!(
        t.en.contains("Classpath-exception-2.0") && t.fr.contains("l'exception"),
        "{t:?}"
    );
}
