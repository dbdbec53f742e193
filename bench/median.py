#!/usr/bin/env python3
"""Print the median (and range) of a hyperfine --export-json file.

Usage: bench/median.py FILE [s|ms] [LABEL]
"""
import json
import sys

r = json.load(open(sys.argv[1]))["results"][0]
unit = sys.argv[2] if len(sys.argv) > 2 else "s"
label = sys.argv[3] if len(sys.argv) > 3 else ""
k = 1e3 if unit == "ms" else 1.0
print(
    "%s median %.2f %s (min %.2f, max %.2f, %d runs)"
    % (label, r["median"] * k, unit, r["min"] * k, r["max"] * k, len(r["times"]))
)
