//! What a finding key was before vigie changed how it spells one of its parts.
//!
//! A key is stable across snapshots (triage and diff use it), but it is made of what the
//! readers give, and a reader may learn to spell a component better. When it does, the
//! decisions recorded under the former spelling must still apply: [`former_key`] gives the
//! key as the earlier vigie wrote it, and the store's effective triage looks both up.

/// The spelling `key` had in an earlier vigie, when it had another one.
///
/// One change so far (issue 17): a Composer package keeps its own version in its purl
/// (`pkg:composer/aws/aws-crt-php@v1.2.6`, as trivy and syft write it), where the
/// `composer.lock` reader used to drop one leading `v` (or `V`) before a digit
/// (`…@1.2.6`). The keys of vulnerability and licence findings end with the component's purl,
/// so theirs changed with it; lifecycle keys hold no purl.
///
/// ```
/// use vigie_findings::former_key;
///
/// let key = "vulnerability/GHSA-x/app/pkg:composer/aws/aws-crt-php@v1.2.6";
/// let old = "vulnerability/GHSA-x/app/pkg:composer/aws/aws-crt-php@1.2.6";
/// assert_eq!(former_key(key).as_deref(), Some(old));
/// assert_eq!(former_key(old), None);
/// assert_eq!(former_key("vulnerability/GHSA-x/app/pkg:npm/a@v1.0.0"), None);
/// ```
pub fn former_key(key: &str) -> Option<String> {
    // The purl is the key's last part: `vendor/name` (no `:`, `@` encoded), then the version
    // (its `/` encoded).
    const TYPE: &str = "/pkg:composer/";
    let name_at = key.rfind(TYPE)? + TYPE.len();
    let (name, version) = key.get(name_at..)?.split_once('@')?;
    if name.contains(':') || name.matches('/').count() > 1 || version.contains('/') {
        return None;
    }
    let bare = version.strip_prefix(['v', 'V'])?;
    if !bare.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}{name}@{bare}", key.get(..name_at)?))
}

#[cfg(test)]
mod tests {
    use super::former_key;

    #[test]
    fn only_a_composer_version_tagged_with_v_had_another_spelling() {
        let k = |purl: &str| format!("licence/licence-denied/shop/api/{purl}");
        let cases = [
            (
                "pkg:composer/laravel/framework@v10.48.22",
                Some("pkg:composer/laravel/framework@10.48.22"),
            ),
            ("pkg:composer/a/b@V2", Some("pkg:composer/a/b@2")),
            ("pkg:composer/a/b@dev-main", None),
            ("pkg:composer/a/b@very", None),
            ("pkg:composer/a/b@v", None),
            ("pkg:composer/a/b", None),
            ("pkg:composer/a/b@1.0.0", None),
            ("pkg:golang/x/y@v1.2.3", None),
        ];
        for (purl, was) in cases {
            assert_eq!(former_key(&k(purl)), was.map(k), "{purl}");
        }
        // A project path that looks like a purl is not the purl.
        for key in [
            "vulnerability/X/pkg:composer/a/b@v1/pkg:npm/c@v2",
            "vulnerability/X/pkg:composer/a/pkg:npm/c@v2",
            "vulnerability/X/pkg:composer/pkg:npm/c@v2",
        ] {
            assert_eq!(former_key(key), None, "{key}");
        }
        assert_eq!(
            former_key("lifecycle/eol-passed/php/app/composer.json:3"),
            None
        );
    }
}
