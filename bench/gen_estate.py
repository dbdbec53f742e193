#!/usr/bin/env python3
"""Lay out a synthetic estate of N repositories from the real lockfiles in the
reference data, with versions varied deterministically.

Repository i gets the lockfile (and manifest, where there is one) of template
i mod T, where the templates are the real lockfiles of ../shared/data/lockfiles.
In each copy, some version numbers are bumped: on every line that carries a
version x.y.z, the patch number is raised by one when hash(i, line) % 4 == 0.
The same (N, data) always gives the same bytes.

Usage: bench/gen_estate.py [--repos 10000] [--data ../shared/data] OUT
"""

import argparse
import hashlib
import os
import re
import sys

# (folder under lockfiles/, files copied together, the name each gets)
TEMPLATES = [
    ("rust-lang-cargo", ["Cargo.lock", "Cargo.toml"]),
    ("astral-sh-ruff", ["Cargo.lock", "Cargo.toml"]),
    ("astral-sh-ruff", ["uv.lock", "pyproject.toml"]),
    ("python-poetry-poetry", ["poetry.lock", "pyproject.toml"]),
    ("pypi-warehouse", ["package-lock.json", "package.json"]),
    ("pypi-warehouse", ["requirements-main.txt"]),
    ("bookstack", ["composer.lock", "composer.json"]),
    ("bookstack", ["package-lock.json", "package.json"]),
    ("excalidraw", ["yarn.lock", "package.json"]),
    ("prettier", ["yarn.lock", "package.json"]),
    ("vite", ["pnpm-lock.yaml", "package.json"]),
    ("prometheus", ["go.mod", "go.sum"]),
    ("prometheus", [("web-ui-pnpm-lock.yaml", "pnpm-lock.yaml")]),
    ("openstreetmap-website", ["Gemfile.lock"]),
    ("openstreetmap-website", ["yarn.lock"]),
    ("rubygems.org", ["Gemfile.lock"]),
    ("spring-petclinic", ["pom.xml"]),
]

VERSION = re.compile(rb"(\d+)\.(\d+)\.(\d+)")


def load(data):
    templates = []
    for folder, files in TEMPLATES:
        out = []
        for f in files:
            src, dst = (f, f) if isinstance(f, str) else f
            with open(os.path.join(data, "lockfiles", folder, src), "rb") as fh:
                lines = fh.read().split(b"\n")
            # Lines worth varying: those that carry a version number.
            idx = [n for n, l in enumerate(lines) if VERSION.search(l) and (b"version" in l.lower() or dst in ("go.mod", "Gemfile.lock", "requirements-main.txt"))]
            out.append((dst, lines, idx))
        templates.append(out)
    return templates


def bump(line):
    m = VERSION.search(line)
    patch = int(m.group(3)) + 1
    return line[: m.start(3)] + str(patch).encode() + line[m.end(3):]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--repos", type=int, default=10000)
    ap.add_argument("--data", default=os.environ.get("VIGIE_DATA", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../shared/data")))
    a = ap.parse_args()
    templates = load(a.data)
    total = 0
    for i in range(a.repos):
        repo = os.path.join(a.out, f"team-{i % 100:02d}", f"repo-{i:05d}")
        os.makedirs(repo, exist_ok=True)
        for dst, lines, idx in templates[i % len(templates)]:
            lines = list(lines)
            for n in idx:
                h = hashlib.blake2b(f"{i}:{n}".encode(), digest_size=2).digest()
                if h[0] % 4 == 0:
                    lines[n] = bump(lines[n])
            body = b"\n".join(lines)
            total += len(body)
            with open(os.path.join(repo, dst), "wb") as fh:
                fh.write(body)
    print(f"{a.repos} repositories, {total / 1e6:.0f} MB, in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
