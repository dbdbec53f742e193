#!/usr/bin/env python3
"""Prints the rows of one SQL query (one column, one row per line) on a vigie store, a SQLite
file (read-only) or a PostgreSQL URL (psql): how the bench scripts pick real values.

  bench/store_sql.py DB QUERY
"""

import sqlite3
import subprocess
import sys

db, query = sys.argv[1:3]
if db.startswith(("postgres://", "postgresql://")):
    sys.stdout.write(subprocess.run(["psql", "-X", "-At", db, "-c", query], check=True,
                                    capture_output=True, text=True).stdout)
else:
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for row in c.execute(query):
        print(row[0])
