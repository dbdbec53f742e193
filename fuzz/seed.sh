#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets, one folder per target under fuzz/seeds/, from
# the public reference data ($VIGIE_DATA, default ../shared/data beside the repository) and
# the repository's own fixtures (crates/*/tests, examples). Nothing here is committed: the
# seeds are rebuilt from the data (fuzz/.gitignore). Re-running replaces them.
#
# Conventions of the inputs (see fuzz/src/lib.rs): readers that follow other files get them in
# the same input, after `\0\0`, as `path\ntext`; targets that hold several parsers take a
# first byte that chooses one.
set -euo pipefail
cd "$(dirname "$0")/.."
export VIGIE_DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
[ -d "$VIGIE_DATA/lockfiles" ] || { echo "no reference data at $VIGIE_DATA" >&2; exit 2; }
out="${1:-fuzz/seeds}"
rm -rf "$out"
mkdir -p "$out"

python3 - "$VIGIE_DATA" "$out" <<'EOF'
import gzip, hashlib, io, json, os, re, sys, tarfile, zipfile

data, out = sys.argv[1], sys.argv[2]
repo = os.getcwd()
MAX = 4 << 20  # larger files are left out (libFuzzer cuts inputs at -max_len anyway)

def put(target, content):
    if isinstance(content, str):
        content = content.encode()
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(content).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(content)
    # A large file is slow to run (a 256 KiB uv.lock: 30 runs a second): its head, cut at a
    # line, is a seed of the same shape that the fuzzer mutates a thousand times faster.
    if len(content) > 64 << 10 and b"\0\0" not in content:
        head = content[: 16 << 10]
        put(target, head[: head.rfind(b"\n") + 1] or head)

def files_under(*roots):
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", "target")]
            for n in filenames:
                p = os.path.join(dirpath, n)
                if os.path.isfile(p) and not os.path.islink(p) and os.path.getsize(p) <= MAX:
                    yield p

def read(p):
    with open(p, "rb") as f:
        return f.read()

sources = [os.path.join(data, "lockfiles"), os.path.join(data, "sbom"), os.path.join(repo, "examples")]
sources += [os.path.join(repo, "crates", c, "tests") for c in sorted(os.listdir(os.path.join(repo, "crates")))]
sources = [s for s in sources if os.path.isdir(s)]
every = list(files_under(*sources))
fixtures = os.path.join(data, "lockfiles", "osv-scanner-fixtures")

# Reader target -> (file-name pattern, osv-scanner fixture folders).
readers = {
    "apk_installed": (r"installed", ["apk"]),
    "bun_lock": (r"bun\.lock", []),
    "cabal_freeze": (r"cabal.*\.freeze", []),
    "cargo_lock": (r"Cargo\.lock", ["cargo"]),
    "cargo_toml": (r"Cargo\.toml", []),
    "composer_json": (r"composer\.json", []),
    "composer_lock": (r"composer\.lock", ["composer"]),
    "conan_lock": (r"conan\.lock", ["conan"]),
    "cyclonedx_json": (r"(bom|.*[.-]cdx|.*cyclonedx.*)\.json", []),
    "cyclonedx_xml": (r"(bom|.*[.-]cdx|.*cyclonedx.*)\.xml", []),
    "dpkg_status": (r"status", ["dpkg"]),
    "gemfile_lock": (r"Gemfile\.lock|gems\.locked", ["bundler"]),
    "go_mod": (r"go\.mod", ["go"]),
    "gradle_lockfile": (r".*\.lockfile", ["gradle"]),
    "gradle_verification": (r"verification-metadata\.xml", ["gradle-verification-metadata"]),
    "mix_lock": (r"mix\.lock", ["mix"]),
    "nuget_lock": (r"packages\.lock\.json", ["nuget"]),
    "package_json": (r"package\.json", []),
    "package_lock": (r"package-lock\.json|npm-shrinkwrap\.json", ["npm"]),
    "pdm_lock": (r"pdm\.lock", ["pdm"]),
    "pipfile_lock": (r"Pipfile\.lock", ["pipenv"]),
    "pnpm_lock": (r"pnpm-lock\.yaml", ["pnpm"]),
    "poetry_lock": (r"poetry\.lock", ["poetry"]),
    "pom_xml": (r"pom\.xml", ["maven"]),
    "pubspec_lock": (r"pubspec\.lock", ["pub"]),
    "pylock": (r"pylock(\..*)?\.toml", []),
    "pyproject": (r"pyproject\.toml", []),
    "renv_lock": (r"renv\.lock", ["renv"]),
    "requirements_txt": (r"requirements.*\.txt|.*\.txt", ["pip"]),
    "spdx_json": (r".*\.spdx\.json", []),
    "spdx_tag": (r".*\.spdx", []),
    "stack_lock": (r"stack.*\.yaml\.lock", []),
    "uv_lock": (r"uv\.lock", []),
    "yarn_lock": (r"yarn\.lock", ["yarn"]),
}
for target, (pattern, dirs) in readers.items():
    rx = re.compile(pattern + r"\Z")
    chosen = [p for p in every if rx.match(os.path.basename(p))]
    if target == "requirements_txt":  # every .txt of the pip fixtures, but not licences
        chosen = [p for p in chosen if "/pip/" in p or "requirements" in os.path.basename(p)]
    for d in dirs:
        chosen += list(files_under(os.path.join(fixtures, d)))
    for p in sorted(set(chosen)):
        text = read(p)
        put("read_" + target, text)
        folder = os.path.dirname(p)
        # The files a reader follows, in the same input (fuzz/src/lib.rs).
        if target == "go_mod" and os.path.isfile(os.path.join(folder, "go.sum")):
            put("read_go_mod", text + b"\0\0p/go.sum\n" + read(os.path.join(folder, "go.sum")))
        if target == "pom_xml" and os.path.isfile(os.path.join(folder, "..", "pom.xml")):
            put("read_pom_xml", text + b"\0\0p/pom.xml\n" + read(os.path.join(folder, "..", "pom.xml")))
        if target == "requirements_txt":
            extra = b""
            for m in re.finditer(rb"^\s*-[rc]\s*(\S+)", text, re.M):
                inc = os.path.join(folder, m.group(1).decode(errors="replace"))
                if os.path.isfile(inc):
                    extra += b"\0\0p/" + m.group(1) + b"\n" + read(inc)
            if extra:
                put("read_requirements_txt", text + extra)
        if target == "package_lock" and os.path.isfile(os.path.join(folder, "package.json")):
            put("read_package_json", read(os.path.join(folder, "package.json")) + b"\0\0p/package-lock.json\n" + text)
# A go.mod without go.sum, a pom with a parent in the tree, a -r chain: written by hand.
put("read_go_mod", "module x\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.1.0\n)\n\0\0p/go.sum\ngolang.org/x/net v0.1.0 h1:abc=\n")
put("read_pom_xml", "<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent><artifactId>a</artifactId><dependencies><dependency><groupId>g</groupId><artifactId>d</artifactId><version>${v}</version></dependency></dependencies></project>\0\0p/pom.xml\n<project><groupId>g</groupId><artifactId>p</artifactId><version>1</version><properties><v>2.0</v></properties></project>")
put("read_requirements_txt", "-r base.txt\nflask==2.0.1\n\0\0p/base.txt\n-c constraints.txt\nrequests>=2\n\0\0p/constraints.txt\nrequests==2.31.0\n")
# A package.json alone (its dependencies listed: every kind of range), and a workspace
# member under its root's lockfile (none listed).
put("read_package_json", '{"name": "a", "dependencies": {"react": "17.0.2", "b": "^1 || >=2 <3", '
    '"c": "npm:d@=v1.0.0-rc.1+b", "e": "file:x.tgz", "f": "github:a/b#v1", "g": "workspace:*", '
    '"h": 3, "h": "latest", "i": "git+https://u:p@h.example/x.git", "j": "*"}, '
    '"devDependencies": {"react": "v17.0.2"}, "peerDependencies": {"react": ">=16 <19"}, '
    '"optionalDependencies": ["k"]}')
put("read_package_json", '{"dependencies": {"a": "1.0.0"}}\0\0package-lock.json\n{}')

# SBOMs by content, whatever their names.
for p in every:
    if "/sbom/" not in p:
        continue
    head = read(p)[:4096]
    if p.endswith(".json") and b"bomFormat" in head:
        put("read_cyclonedx_json", read(p)); put("sbom_upload", read(p))
    elif p.endswith(".xml") and b"cyclonedx" in head:
        put("read_cyclonedx_xml", read(p)); put("sbom_upload", read(p))
    elif p.endswith(".json") and b"spdxVersion" in head:
        put("read_spdx_json", read(p))
    elif (p.endswith(".spdx") or p.endswith(".txt")) and b"SPDXVersion:" in head:
        put("read_spdx_tag", read(p))

# OSV records: a sample of each ecosystem, and their versions for the version targets.
SCHEMES = ["Semver", "SemverBuild", "Go", "Pep440", "Maven", "RubyGems", "NuGet", "Composer",
           "Debian", "Alpine", "Rpm", "Hackage", "Opam", "Cran", "Generic"]
by_eco = {"crates.io": 0, "Bitnami": 0, "Julia": 1, "Go": 2, "PyPI": 3, "AlmaLinux": 10,
          "Hackage": 11, "GHC": 11, "opam": 12, "CRAN": 13, "OSS-Fuzz": 14, "GIT": 14}
osv_dir = os.path.join(data, "osv")
for eco in sorted(os.listdir(osv_dir)):
    z = os.path.join(osv_dir, eco, "all.zip")
    if not os.path.isfile(z):
        continue
    with zipfile.ZipFile(z) as zf:
        names = sorted(zf.namelist())
        sample = names[:: max(1, len(names) // 40)][:40]
        records = [zf.read(n) for n in sample]
    small = io.BytesIO()
    with zipfile.ZipFile(small, "w", zipfile.ZIP_DEFLATED) as zw:
        for n, r in zip(sample[:5], records[:5]):
            zw.writestr(n, r)
    put("archive", b"\0" + small.getvalue())
    scheme = by_eco.get(eco, 14)
    for r in records:
        put("osv", r)
        try:
            rec = json.loads(r)
        except ValueError:
            continue
        for a in rec.get("affected", []):
            for rng in a.get("ranges", []):
                kind = {"SEMVER": 0, "ECOSYSTEM": 1, "GIT": 3}.get(rng.get("type"), 1)
                evs = [(k, v) for e in rng.get("events", []) for k, v in e.items()]
                vs = [v for _, v in evs if v != "0"]
                if len(vs) >= 1:
                    put("versions", bytes([scheme]) + "\n".join(vs[:3]).encode())
                tag = {"introduced": "i", "fixed": "f", "last_affected": "l", "limit": "m"}
                lines = [(a.get("versions") or vs or ["1.0"])[0]] + [tag.get(k, "m") + v for k, v in evs]
                put("ranges", bytes([scheme | (kind << 6)]) + "\n".join(lines).encode())

# Test vectors: purls, vers and version comparisons.
scheme_of = {"maven": 4, "pypi": 3, "nuget": 6, "alpine": 9, "gem": 5, "npm": 0, "deb": 8,
             "rpm": 10, "golang": 2, "composer": 7, "hackage": 11, "cran": 13, "semver": 0}
def walk_json(v, f):
    if isinstance(v, dict):
        for x in v.values():
            walk_json(x, f)
    elif isinstance(v, list):
        for x in v:
            walk_json(x, f)
    else:
        f(v)
for p in files_under(os.path.join(data, "testvectors")):
    if not p.endswith(".json"):
        continue
    try:
        doc = json.loads(read(p))
    except ValueError:
        continue
    def take(v):
        if isinstance(v, str) and v.startswith("pkg:"):
            put("purl", v)
        if isinstance(v, str) and v.startswith("vers:"):
            put("ranges", b"\x41" + b"1.0.0\n" + v.encode())
    walk_json(doc, take)
    for t in doc.get("tests", []) if isinstance(doc, dict) else []:
        inp = t.get("input") if isinstance(t, dict) else None
        if isinstance(inp, dict) and isinstance(inp.get("versions"), list):
            s = scheme_of.get(inp.get("input_scheme"), 14)
            put("versions", bytes([s]) + "\n".join(map(str, inp["versions"][:3])).encode())
        if isinstance(inp, dict) and isinstance(inp.get("purl"), str):
            put("purl", inp["purl"])

# KEV: the real catalogue and a small one.
# Native feeds: a sample of each archive's records, behind the byte that chooses the feed.
for which, (archive, pattern) in enumerate([
    ("nodejs-security-wg-vuln.tar.gz", r"^[^/]+/vuln/npm/[0-9]+\.json$"),
    ("ruby-advisory-db.tar.gz", r"^[^/]+/gems/[^/]+/[^/]+\.yml$"),
    ("friendsofphp-security-advisories.tar.gz", r"^[^/]+/[^/]+/[^/]+/[^/]+\.yaml$"),
]):
    path = os.path.join(data, "advisories-native", archive)
    if not os.path.isfile(path):
        continue
    taken = 0
    with tarfile.open(path, "r:gz") as t:
        for m in t:
            if taken >= 150 or not m.isfile() or not re.match(pattern, m.name):
                continue
            put("native", bytes([which]) + t.extractfile(m).read())
            taken += 1

kev = os.path.join(data, "kev", "known_exploited_vulnerabilities.json")
doc = json.loads(read(kev))
put("kev", read(kev))
small = dict(doc); small["vulnerabilities"] = doc["vulnerabilities"][:8]; small["count"] = 8
put("kev", json.dumps(small))

# endoflife.date: product files, with their release data after \0\0 for some; small archives.
def tar_gz(members):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w:gz") as t:
        for name, content in members:
            info = tarfile.TarInfo(name); info.size = len(content)
            t.addfile(info, io.BytesIO(content))
    return b.getvalue()
with tarfile.open(os.path.join(data, "endoflife", "products.tar.gz")) as t:
    products = {os.path.basename(m.name)[:-3]: t.extractfile(m).read()
                for m in t.getmembers() if m.isfile() and m.name.endswith(".md")}
with tarfile.open(os.path.join(data, "endoflife", "release-data.tar.gz")) as t:
    releases = {os.path.basename(m.name)[:-5]: t.extractfile(m).read()
                for m in t.getmembers() if m.isfile() and m.name.endswith(".json")}
names = sorted(products)[::8]
for n in names:
    put("endoflife", products[n])
    if n in releases:
        put("endoflife", products[n] + b"\0\0" + releases[n])
put("archive", b"\1" + tar_gz([("products/" + n + ".md", products[n]) for n in names[:4]]
                              + [("releases/" + n + ".json", releases[n]) for n in names[:4] if n in releases]))
with tarfile.open(os.path.join(data, "spdx", "details.tar.gz")) as t:
    details = [(m.name, t.extractfile(m).read()) for m in t.getmembers() if m.isfile()][:6]
put("archive", b"\2" + tar_gz(details))

# The SPDX list, whole and cut to a few entries; expressions and licence strings.
lic = json.loads(read(os.path.join(data, "spdx", "licenses.json")))
exc = json.loads(read(os.path.join(data, "spdx", "exceptions.json")))
put("spdx_list", read(os.path.join(data, "spdx", "licenses.json")) + b"\0\0" + read(os.path.join(data, "spdx", "exceptions.json")))
for step in (20, 97):
    l2 = dict(lic); l2["licenses"] = lic["licenses"][::step]
    e2 = dict(exc); e2["exceptions"] = exc["exceptions"][::step // 4]
    put("spdx_list", json.dumps(l2) + "\0\0" + json.dumps(e2))
ids = [l["licenseId"] for l in lic["licenses"]][::15]
for i, x in enumerate(ids):
    put("spdx_expression", x)
    put("spdx_expression", f"({x} OR MIT) AND Apache-2.0 WITH LLVM-exception")
for s in ["GPL-2.0+ WITH Classpath-exception-2.0", "LicenseRef-x AND DocumentRef-a:LicenseRef-b",
          "MIT/Apache-2.0", "Apache License, Version 2.0", "https://opensource.org/licenses/MIT",
          "BSD", "(MIT OR (ISC AND 0BSD))", "GPL-3.0-or-later WITH AdditionRef-y"]:
    put("spdx_expression", s)
for p in every:
    if "/sbom/" in p and p.endswith(".json"):
        for m in re.finditer(rb'"(?:licenseConcluded|licenseDeclared|expression)"\s*:\s*"([^"]{1,200})"', read(p)):
            put("spdx_expression", m.group(1))

# Catalog files and configurations of the repository.
for p in every:
    b = os.path.basename(p)
    if (b.endswith(".yaml") or b.endswith(".yml")) and ("/catalog" in p or b"backstage.io" in read(p)[:2000]):
        put("catalog", read(p))
    if b == "vigie.toml" or (b.endswith(".toml") and "/vigie-app/" in p):
        put("config", read(p))
put("config", '[audit]\nfail-on = "high"\n[[audit.ignore]]\nid = "GHSA-x"\nuntil = "2027-01-01"\nreason = "r"\n'
              '[catalog]\nfiles = ["catalog/a.yaml"]\n[lifecycle]\nhorizon-days = 90\n'
              '[licences]\ndefault-model = "saas"\nallow = ["MIT"]\n'
              '[server]\nlisten = "127.0.0.1:8080"\npublic-url = "https://v.example"\nscan-every = "6h"\n'
              'session-lifetime = "8h"\ntrusted-proxies = ["10.0.0.0/8"]\n')
for m in re.finditer(r"```toml\n(.*?)```", read(os.path.join(repo, "README.md")).decode(), re.S):
    put("config", m.group(1))

# Push documents (docs/ingest.md's example, and documents made of real purls).
example = {"format": "vigie-push", "version": 1, "tool_version": "0.1.0", "commit": "3f2c",
           "projects": [{"path": "storefront", "name": "storefront",
                         "files": [{"path": "storefront/package-lock.json", "format": "package-lock", "components": 1}],
                         "components": [{"ecosystem": "npm", "name": "lodash", "version": "4.17.20",
                                         "purl": "pkg:npm/lodash@4.17.20", "scope": "runtime", "relation": "direct",
                                         "licence": "MIT", "line": 12, "note": None}],
                         "dependencies": [[0, 0]],
                         "extras": [{"path": "storefront/Dockerfile", "text": "FROM node:16\n"}],
                         "evidence": {"own": {"licence": "MIT", "kind": "manifest", "file": "storefront/package.json"},
                                      "components": [{"licences": [{"licence": "MIT", "kind": "declared",
                                                                    "file": "storefront/package-lock.json"}],
                                                      "copyright": []}]}}]}
put("push", b"\0" + json.dumps(example).encode())
put("push", b"\1" + gzip.compress(json.dumps(example).encode(), mtime=0))
no_commit = dict(example); no_commit.pop("commit")
put("push", b"\0" + json.dumps(no_commit).encode())
EOF
for d in "$out"/*; do
  printf '%-28s %5d files\n' "$(basename "$d")" "$(ls "$d" | wc -l)"
done
