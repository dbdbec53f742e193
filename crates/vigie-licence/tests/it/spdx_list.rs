//! The SPDX licence list itself as test data: every identifier parses and
//! round-trips, deprecated ones upgrade to a current identifier of the list.

use crate::common;

use serde_json::Value;
use vigie_licence::{Expression, LicenceItem, LicenceList, Term};

#[test]
fn the_list_loads_with_the_counts_of_sources_md() {
    let Some(kb) = common::kb() else { return };
    // SOURCES.md: "727 licences" and "84 exceptions", list 3.28.0.
    assert_eq!(kb.list().licences().len(), 727);
    assert_eq!(kb.list().exceptions().len(), 84);
    assert_eq!(kb.list().version(), "3.28.0");
}

#[test]
fn flags_are_read_as_the_json_says() {
    let (Some(kb), Some((l, _))) = (common::kb(), common::spdx_files()) else {
        return;
    };
    let v: Value = serde_json::from_str(&l).expect("json");
    let raw = v["licenses"].as_array().expect("array");
    let mut osi = 0;
    for x in raw {
        let id = x["licenseId"].as_str().expect("id");
        let lic = kb.list().licence(id).expect("listed");
        assert_eq!(
            lic.osi_approved,
            x["isOsiApproved"].as_bool().unwrap_or(false),
            "{id}"
        );
        assert_eq!(
            lic.fsf_libre,
            x["isFsfLibre"].as_bool().unwrap_or(false),
            "{id}"
        );
        assert_eq!(
            lic.deprecated,
            x["isDeprecatedLicenseId"].as_bool().unwrap_or(false),
            "{id}"
        );
        assert_eq!(lic.name, x["name"].as_str().expect("name"), "{id}");
        osi += usize::from(lic.osi_approved);
    }
    // Counted with `jq '[.licenses[] | select(.isOsiApproved)] | length'`.
    assert_eq!(osi, 149);
}

#[test]
fn every_licence_id_parses_and_round_trips() {
    let Some(kb) = common::kb() else { return };
    for l in kb.list().licences() {
        let e = kb
            .list()
            .parse(&l.id)
            .unwrap_or_else(|err| panic!("{}: {err}", l.id));
        assert_eq!(e.to_string(), l.id, "Display of the parse is the id");
        // Case-insensitive: the lower-case id parses and normalises back.
        let lower = kb
            .list()
            .parse(&l.id.to_lowercase())
            .expect("lower case parses");
        let n = kb.list().normalise(&lower).expression;
        let expected = kb.list().normalise(&e).expression;
        assert_eq!(n, expected, "{}", l.id);
        if !l.deprecated {
            assert_eq!(
                n.to_string(),
                l.id,
                "a current id is its own canonical form"
            );
        }
    }
}

#[test]
fn every_exception_parses_after_with() {
    let Some(kb) = common::kb() else { return };
    for x in kb.list().exceptions() {
        let text = format!("GPL-2.0-or-later WITH {}", x.id);
        let e = kb
            .list()
            .parse(&text)
            .unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(e.to_string(), text);
    }
}

/// Every deprecated licence upgrades to one term whose licence (and
/// exception) is current and on the list, except Net-SNMP (its list entry
/// says it stands for a stack of nine licences: no single replacement).
#[test]
fn deprecated_ids_upgrade_to_current_ids() {
    let Some(kb) = common::kb() else { return };
    let list: &LicenceList = kb.list();
    let deprecated: Vec<_> = list.licences().iter().filter(|l| l.deprecated).collect();
    assert_eq!(deprecated.len(), 32, "jq: select(.isDeprecatedLicenseId)");
    for l in deprecated {
        let n = list.normalise(&Expression::licence(&l.id)).expression;
        if l.id == "Net-SNMP" {
            assert_eq!(n.to_string(), "Net-SNMP");
            continue;
        }
        let Expression::Term(Term { licence, exception }) = &n else {
            panic!("{}: not one term", l.id)
        };
        let LicenceItem::Spdx {
            id,
            or_later: false,
        } = licence
        else {
            panic!("{}: {licence}", l.id)
        };
        let new = list.licence(id).expect("on the list");
        assert!(!new.deprecated && new.id == *id, "{} -> {id}", l.id);
        if let Some(e) = exception {
            let x = list
                .exception(&e.to_string())
                .expect("exception on the list");
            assert!(!x.deprecated, "{} -> {n}", l.id);
        }
    }
    let x = list
        .exceptions()
        .iter()
        .find(|x| x.deprecated)
        .expect("one");
    assert_eq!(list.exception_upgrade(&x.id), Some("Qt-LGPL-exception-1.1"));
}

/// The upgrades the task names, worked out from the list's entries.
#[test]
fn named_upgrades() {
    let Some(kb) = common::kb() else { return };
    for (old, new) in [
        ("GPL-2.0", "GPL-2.0-only"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("gpl-2.0+", "GPL-2.0-or-later"),
        ("LGPL-2.1+", "LGPL-2.1-or-later"),
        ("LGPL-3.0", "LGPL-3.0-only"),
        ("AGPL-3.0", "AGPL-3.0-only"),
        ("GFDL-1.3", "GFDL-1.3-only"),
        ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
        (
            "wxWindows",
            "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
        ),
        ("StandardML-NJ", "SMLNJ"),
        ("Nunit", "zlib-acknowledgement"),
        (
            "GPL-2.0-with-classpath-exception",
            "GPL-2.0-only WITH Classpath-exception-2.0",
        ),
        (
            "GPL-3.0-with-GCC-exception",
            "GPL-3.0-only WITH GCC-exception-3.1",
        ),
        ("BSD-2-Clause-FreeBSD", "BSD-2-Clause-Views"),
        // `+` on an -only id means -or-later; on -or-later it is redundant.
        ("GPL-2.0-only+", "GPL-2.0-or-later"),
        ("LGPL-2.1-or-later+", "LGPL-2.1-or-later"),
        ("Apache-2.0+", "Apache-2.0+"),
        (
            "GPL-2.0-with-classpath-exception+",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
        ),
        (
            "MIT WITH nokia-qt-exception-1.1",
            "MIT WITH Qt-LGPL-exception-1.1",
        ),
        ("mit AND (apache-2.0 OR mit)", "MIT AND (Apache-2.0 OR MIT)"),
        ("MIT AND MIT", "MIT"),
        ("MIT OR (MIT OR Apache-2.0)", "MIT OR Apache-2.0"),
    ] {
        let e = kb
            .list()
            .parse(old)
            .unwrap_or_else(|err| panic!("{old}: {err}"));
        assert_eq!(kb.list().normalise(&e).expression.to_string(), new, "{old}");
    }
}
