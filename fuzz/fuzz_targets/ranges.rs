//! OSV range evaluation and `vers:` specifiers never panic, and a compiled range answers as
//! the range does.
//!
//! Input: a byte choosing the scheme and the range type, then lines: the first is the version
//! asked about, each other an event (`i`, `f`, `l` or `m` then its version: introduced, fixed,
//! last affected, limit) or, when it starts with `vers:`, a specifier evaluated on the version.

#![no_main]

use vigie_versions::Scheme;
use vigie_versions::osv::{CompiledRange, Event, Range, RangeKind, range_contains};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (b, rest) = vigie_fuzz::split_first(data);
    let scheme = Scheme::ALL[usize::from(b & 0x3f) % Scheme::ALL.len()];
    let kind = match b >> 6 {
        0 => RangeKind::Semver,
        1 | 2 => RangeKind::Ecosystem,
        _ => RangeKind::Git,
    };
    let Some(text) = vigie_fuzz::text(rest) else {
        return;
    };
    vigie_fuzz::run(data.len(), || {
        let mut lines = text.lines();
        let asked = lines.next().unwrap_or_default();
        let mut events = Vec::new();
        for line in lines {
            if line.starts_with("vers:") {
                if let Ok(range) = vigie_versions::vers::parse(line) {
                    let _ = range.contains(asked);
                    let _ = (range.scheme(), range.scheme_name(), range.constraints());
                }
                let _ = vigie_versions::vers::parse_canonical(line);
                continue;
            }
            let mut chars = line.chars();
            let tag = chars.next();
            let v = chars.as_str().to_owned();
            events.push(match tag {
                Some('i') => Event::Introduced(v),
                Some('f') => Event::Fixed(v),
                Some('l') => Event::LastAffected(v),
                _ => Event::Limit(v),
            });
        }
        let range = Range { kind, events };
        let _ = vigie_versions::osv::unreadable_events(scheme, &range);
        if let Ok(version) = scheme.parse(asked) {
            let direct = range_contains(scheme, &range, &version);
            if let Ok(compiled) = CompiledRange::new(scheme, &range) {
                let answer = compiled.contains(&version);
                if let (Ok(d), Ok(c)) = (&direct, &answer) {
                    assert_eq!(d, c, "the compiled range disagrees on {asked:?}: {range:?}");
                }
            }
        }
        for e in vigie_model::Ecosystem::ALL {
            let _ = vigie_versions::normalize_name(e, asked);
        }
    });
});
