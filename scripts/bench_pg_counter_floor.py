#!/usr/bin/env python3
"""What one counter-row update costs inside PostgreSQL, against the counting the program does.

Needs the database `nok_bench_recompute` that `nok bench recompute --postgres URL` fills (10 000
organisations) and `pgbench` (Debian's postgresql-client). Works on a copy of `survey_counter`
(`bench_counter_copy`, dropped afterwards) and runs, with prepared statements, transactions that update the
counter rows of 1 and of 100 random organisations:

* `program`: the grouped upsert the insert statement runs (`crates/store/src/counting.rs`): deltas from the
  masks, one SUM per counter column, ON CONFLICT DO UPDATE of all 41 columns;
* `update_then_insert`: an alternative tried on 04.12.2026 and not adopted: a plain UPDATE of the counters
  that exist from the same grouped deltas, then the upsert of the rest (`NOT IN` the updated keys, a hashed
  subplan); it measured 0.5–1.4 µs per row slower than `program`;
* `constants`: the same upsert with the deltas already computed (no GROUP BY, no mask arithmetic);
* `update_all`: a plain UPDATE of all 41 columns from the same grouped deltas (what the program runs for
  the counters that exist already);
* `update_constants`: a plain UPDATE of all 41 columns by constants (no GROUP BY, no ON CONFLICT);
* `one_column`: a plain UPDATE of one column of the same rows — the least any counter row update costs.

The per-row figure is (100-row latency − 1-row latency) / 99, so the transaction's fixed costs (round trip,
commit) drop out. Usage: scripts/bench_pg_counter_floor.py [--host 127.0.0.1] [--user postgres] [-t 500]
"""

import argparse
import os
import re
import subprocess
import tempfile

CHANNELS = ["qr_poster", "qr_paper", "qr_screen", "website_widget", "invitation", "portal",
            "operator_interview", "phone", "paper", "api"]
TABLE = "bench_counter_copy"
DB = "nok_bench_recompute"


def columns():
    """(column, SUM over rows r, delta of one row r), in the column order of survey_counter."""
    out = [("responses", "COUNT(*)", "1")]
    for bit in range(15):
        q = bit + 1
        yes = f"(((r.asked & r.yes) >> {bit}) & 1)"
        no = f"(((r.asked & ~r.yes) >> {bit}) & 1)"
        out.append((f"q{q}_yes", f"SUM({yes})", yes))
        out.append((f"q{q}_no", f"SUM({no})", no))
    for c in CHANNELS:
        case = f"(CASE WHEN r.channel = '{c}' THEN 1 ELSE 0 END)"
        out.append((f"ch_{c}", f"SUM({case})", case))
    return out


def source(rows):
    # Distinct organisations 1..10 000 (one per hundred), random answers, one channel.
    return (f"(SELECT g * 100 - (random() * 99)::int AS organization_id, 2026 AS period, 'api'::text AS channel, "
            f"32767 AS asked, (random() * 32767)::int AS yes FROM generate_series(1, {rows}) g) r")


def statements(rows):
    cols = columns()
    names = ", ".join(c for c, _, _ in cols)
    add = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c, _, _ in cols)
    upsert = f"INSERT INTO {TABLE} (organization_id, period, {names}) SELECT r.organization_id, r.period, "
    conflict = f" ON CONFLICT (organization_id, period) DO UPDATE SET {add};\n"
    return {
        "program": upsert + ", ".join(s for _, s, _ in cols) + f" FROM {source(rows)} GROUP BY 1, 2 ORDER BY 1, 2"
        + conflict,
        "update_then_insert": f"WITH deltas AS (SELECT r.organization_id, r.period, "
        + ", ".join(f"{s} AS {c}" for c, s, _ in cols)
        + f" FROM {source(rows)} GROUP BY 1, 2 ORDER BY 1, 2), "
        f"updated AS (UPDATE {TABLE} c SET " + ", ".join(f"{c} = c.{c} + d.{c}" for c, _, _ in cols)
        + " FROM deltas d WHERE c.organization_id = d.organization_id AND c.period = d.period "
        "RETURNING c.organization_id, c.period) "
        f"INSERT INTO {TABLE} (organization_id, period, {names}) SELECT d.organization_id, d.period, "
        + ", ".join(f"d.{c}" for c, _, _ in cols)
        + " FROM deltas d WHERE (d.organization_id, d.period) NOT IN (SELECT u.organization_id, u.period "
        "FROM updated u) ORDER BY 1, 2" + conflict,
        "constants": upsert + ", ".join("1" for _ in cols) + f" FROM {source(rows)}" + conflict,
        "update_all": f"UPDATE {TABLE} c SET " + ", ".join(f"{c} = c.{c} + d.{c}" for c, _, _ in cols)
        + f" FROM (SELECT r.organization_id, r.period, "
        + ", ".join(f"{s} AS {c}" for c, s, _ in cols)
        + f" FROM {source(rows)} GROUP BY 1, 2 ORDER BY 1, 2) d "
        "WHERE c.organization_id = d.organization_id AND c.period = d.period;\n",
        "update_constants": f"UPDATE {TABLE} c SET " + ", ".join(f"{c} = c.{c} + 1" for c, _, _ in cols)
        + f" FROM {source(rows)} WHERE c.organization_id = r.organization_id AND c.period = r.period;\n",
        "one_column": f"UPDATE {TABLE} c SET responses = c.responses + 1 FROM {source(rows)} "
        "WHERE c.organization_id = r.organization_id AND c.period = r.period;\n",
    }


def psql(args, sql):
    subprocess.run(["psql", "-q", "-h", args.host, "-U", args.user, "-d", DB, "-v", "ON_ERROR_STOP=1",
                    "-c", "SET client_min_messages = warning", "-c", sql], check=True)


def latency_ms(args, path):
    # Without waiting for the WAL flush at commit: the flush is the same for every variant and its jitter
    # (milliseconds) would otherwise hide differences of microseconds per row.
    env = dict(os.environ, PGOPTIONS="-c synchronous_commit=off")
    out = subprocess.run(["pgbench", "-M", "prepared", "-n", "-h", args.host, "-U", args.user, "-f", path,
                          "-t", str(args.t), DB], check=True, capture_output=True, text=True, env=env).stdout
    return float(re.search(r"latency average = ([0-9.]+) ms", out).group(1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--user", default="postgres")
    p.add_argument("-t", type=int, default=500, help="transactions per measurement")
    args = p.parse_args()
    psql(args, f"DROP TABLE IF EXISTS {TABLE}; CREATE TABLE {TABLE} (LIKE survey_counter INCLUDING ALL) "
               f"WITH (fillfactor = 50); INSERT INTO {TABLE} SELECT * FROM survey_counter;")
    psql(args, f"VACUUM ANALYZE {TABLE}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = {}
            for rows in (1, 100):
                for name, sql in statements(rows).items():
                    path = os.path.join(tmp, f"{name}_{rows}.sql")
                    with open(path, "w") as f:
                        f.write(sql)
                    files[(name, rows)] = path
            for name in ("program", "update_then_insert", "constants", "update_all", "update_constants", "one_column"):
                one, hundred = latency_ms(args, files[(name, 1)]), latency_ms(args, files[(name, 100)])
                per_row = (hundred - one) / 99 * 1000
                print(f"{name:>18}: 1 row {one:6.3f} ms, 100 rows {hundred:6.3f} ms per transaction "
                      f"-> {per_row:5.1f} µs per counter row")
    finally:
        psql(args, f"DROP TABLE IF EXISTS {TABLE}")


if __name__ == "__main__":
    main()
