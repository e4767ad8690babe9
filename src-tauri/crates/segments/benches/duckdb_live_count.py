#!/usr/bin/env python3
"""DuckDB side of the live-count benchmark (run by benches/live_count.rs).

Usage: duckdb_live_count.py WORKSPACE.rebound QUERIES.json RUNS

Copies the tables the segment SQL reads out of the workspace (through the
sqlite3 command-line tool, as CSV) into an in-memory DuckDB database, then runs
each query of QUERIES.json -- the very SQL rebound-segments compiled for the
live count, with the same bound parameters, translated only where the SQLite
dialect differs (`x IS 'v'` is `x IS NOT DISTINCT FROM 'v'` in DuckDB) -- once
cold and RUNS times warm. Prints one JSON object on stdout:
{"load_s": .., "duckdb": "1.x", "results": [{"name", "count", "cold_ms", "best_ms", "median_ms"} | {"name", "error"}]}.
Loading is not timed into the queries: only the live count is compared.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

import duckdb

TABLES = {
    "people": ("id BIGINT, first_seen_at BIGINT, country VARCHAR, time_zone VARCHAR, locale VARCHAR, properties VARCHAR",
               "SELECT id, first_seen_at, country, time_zone, locale, properties FROM people"),
    "events": ("id BIGINT, person_id BIGINT, ts BIGINT, name VARCHAR, device_id BIGINT, product_id BIGINT, page VARCHAR, "
               "source VARCHAR, value_minor BIGINT, currency VARCHAR",
               "SELECT id, person_id, ts, name, device_id, product_id, page, source, value_minor, currency FROM events"),
    "products": ("id BIGINT, external_id VARCHAR, category VARCHAR, price_minor BIGINT",
                 "SELECT id, external_id, category, price_minor FROM products"),
    "devices": ("id BIGINT, person_id BIGINT, category VARCHAR, first_seen_at BIGINT",
                "SELECT id, person_id, category, first_seen_at FROM devices"),
    "consent": ("id BIGINT, person_id BIGINT, channel VARCHAR, status VARCHAR, recorded_at BIGINT",
                "SELECT id, person_id, channel, status, recorded_at FROM consent"),
}


def load(con, workspace, folder):
    for table, (columns, select) in TABLES.items():
        path = os.path.join(folder, f"{table}.csv")
        with open(path, "wb") as out:
            subprocess.run(["sqlite3", "-readonly", "-csv", workspace, select], stdout=out, check=True)
        types = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in columns.split(", "))
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header=false, columns={{{types}}})")
        os.remove(path)


def translate(sql):
    # SQLite's `IS` compares any two values; DuckDB spells it IS NOT DISTINCT FROM.
    return re.sub(r"\bIS (?=['?])", "IS NOT DISTINCT FROM ", sql)


def main():
    workspace, queries_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(queries_path) as f:
        queries = json.load(f)
    con = duckdb.connect()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        load(con, workspace, folder)
    load_s = time.perf_counter() - started
    results = []
    for q in queries:
        sql = f"SELECT count(*), coalesce(sum(CAST(consented AS INTEGER)), 0) FROM ({translate(q['sql'])}) AS s"
        try:
            timings = []
            row = None
            for _ in range(runs + 1):
                t = time.perf_counter()
                row = con.execute(sql, q["params"]).fetchone()
                timings.append((time.perf_counter() - t) * 1000)
            cold, warm = timings[0], sorted(timings[1:])
            members = row[1] if q["leave_out"] else row[0]
            results.append({"name": q["name"], "count": members, "cold_ms": cold, "best_ms": warm[0], "median_ms": warm[len(warm) // 2]})
        except duckdb.Error as e:
            results.append({"name": q["name"], "error": str(e).splitlines()[0]})
    print(json.dumps({"load_s": load_s, "duckdb": duckdb.__version__, "results": results}))


if __name__ == "__main__":
    main()
