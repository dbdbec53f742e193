//! The user's licence policy: the documented TOML shape, allow/deny lists,
//! per-component exceptions, and the errors of a bad configuration.

use crate::common;

use vigie_licence::{ConfigError, DistributionModel, Policy, PolicyConfig, Reason, Verdict};

use DistributionModel::{DistributedBinary as Dist, NetworkService as Net};
use Verdict::{Allowed, Denied};

const EXAMPLE: &str = r#"
default-model = "network-service"
allow = ["MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "agpl-3.0"]
deny = ["WTFPL"]

[[exception]]
component = "pkg:npm/left-pad"
licences = ["BUSL-1.1"]
reason = "Approved by legal, 2026-03-01, LEG-12"
"#;

#[test]
fn user_configuration() {
    let Some(kb) = common::kb() else { return };
    let config: PolicyConfig = toml::from_str(EXAMPLE).expect("the documented shape");
    let p = Policy::new(&config, kb).expect("valid");
    assert_eq!(p.default_model(), Net);
    let eval = |expr: &str, comp: Option<&str>| {
        p.evaluate(kb, &kb.list().parse(expr).expect("valid"), Net, comp)
    };
    // "agpl-3.0" is upgraded to AGPL-3.0-only, then allowed despite the preset.
    let d = eval("AGPL-3.0-only", None);
    assert_eq!(d.verdict, Allowed);
    assert!(
        matches!(d.terms[0].reasons.last(), Some(Reason::AllowList(e)) if e == "AGPL-3.0-only")
    );
    assert_eq!(eval("WTFPL", None).verdict, Denied);
    // The exception names BUSL-1.1 for left-pad only, any version.
    assert_eq!(
        eval("BUSL-1.1", Some("pkg:npm/left-pad@1.3.0")).verdict,
        Allowed
    );
    assert_eq!(
        eval("BUSL-1.1", Some("pkg:npm/right-pad@1.0.0")).verdict,
        Denied
    );
    assert_eq!(
        eval("SSPL-1.0", Some("pkg:npm/left-pad@1.3.0")).verdict,
        Denied
    );
    let d = eval("BUSL-1.1", Some("pkg:npm/left-pad@1.3.0"));
    assert!(d.explain().fr.contains("Approved by legal"));
    // An entry without WITH matches the licence with any exception.
    assert_eq!(
        eval("WTFPL WITH Classpath-exception-2.0", None).verdict,
        Denied
    );
    // An entry with WITH matches that combination only.
    let d = eval("GPL-2.0-only WITH Classpath-exception-2.0", None);
    assert!(matches!(
        d.terms[0].reasons.last(),
        Some(Reason::AllowList(_))
    ));
    let d = eval("GPL-2.0-only", None);
    assert!(matches!(
        d.terms[0].reasons.last(),
        Some(Reason::Preset { .. })
    ));

    assert_eq!(
        Policy::new(&PolicyConfig::default(), kb)
            .expect("empty")
            .default_model(),
        Dist
    );
}

#[test]
fn configuration_errors() {
    let Some(kb) = common::kb() else { return };
    let bad = |s: &str| -> ConfigError {
        let c: PolicyConfig = toml::from_str(s).expect("toml");
        Policy::new(&c, kb).expect_err(s)
    };
    assert!(matches!(
        bad(r#"allow = ["Apache 2"]"#),
        ConfigError::Licence { field: "allow", .. }
    ));
    assert!(matches!(
        bad(r#"deny = ["MIT OR ISC"]"#),
        ConfigError::Licence { field: "deny", .. }
    ));
    assert!(matches!(
        bad(r#"allow = ["MIT"]
deny = ["mit"]"#),
        ConfigError::Both(_)
    ));
    assert!(matches!(
        bad("[[exception]]\ncomponent = \"left-pad\"\nreason = \"x\""),
        ConfigError::Component { .. }
    ));
    assert!(matches!(
        bad("[[exception]]\ncomponent = \"pkg:npm/a\"\nreason = \" \""),
        ConfigError::NoReason(_)
    ));
    assert!(
        toml::from_str::<PolicyConfig>("alow = []").is_err(),
        "unknown fields refused"
    );
    assert!(toml::from_str::<PolicyConfig>("default-model = \"saas\"").is_err());
}
