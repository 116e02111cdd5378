#!/usr/bin/env python3
"""Convert OMS Parquet exports (run table and per-lumisection table) into RunLedger's OMS NDJSON.

Usage:
    oms_parquet_to_ndjson.py --runs run_df.parquet --lumisections ls_df.parquet [--out FILE]

The output format is documented in design/oms-import.md: per run, one "run" line, then (when the
per-lumisection table has rows for it) one "lumisections" line with column arrays indexed by
lumisection number - 1. Runs are written in ascending order. Values are copied as they are; nulls
stay null. Requires pyarrow (tools/setup installs it into .venv).
"""
import argparse
import json
import math
import sys

try:
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - setup installs it
    sys.exit("error: pyarrow is missing; run tools/setup (it installs it into .venv) and use .venv/bin/python")

LS_KEY_COLUMNS = {"run_number", "lumisection_number", "fill_number"}
LUMI_COLUMNS = {"recorded_lumi": "recorded", "delivered_lumi": "delivered"}


def clean(value):
    """JSON-safe value: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", required=True, help="run table (Parquet), one row per run")
    parser.add_argument("--lumisections", required=True, help="lumisection table (Parquet), one row per run and LS")
    parser.add_argument("--out", default="-", help="output NDJSON file (default: standard output)")
    args = parser.parse_args()

    runs = pq.read_table(args.runs).to_pylist()
    ls_rows = pq.read_table(args.lumisections).to_pylist()

    by_run = {}
    for row in ls_rows:
        number = row.get("run_number")
        ls = row.get("lumisection_number")
        if not isinstance(number, int) or not isinstance(ls, int) or ls < 1:
            sys.exit(f"error: {args.lumisections}: row without a valid run_number and lumisection_number: {row}")
        by_run.setdefault(number, {})[ls] = row

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    seen = set()
    written_runs = written_ls = 0
    for run in sorted(runs, key=lambda r: r["run_number"]):
        number = run["run_number"]
        if number in seen:
            sys.exit(f"error: {args.runs}: run {number} appears twice")
        seen.add(number)
        attributes = {k: clean(v) for k, v in run.items() if k != "run_number"}
        rows = by_run.get(number, {})
        count = max([run.get("last_lumisection_number") or 0] + list(rows.keys()))
        out.write(json.dumps({"kind": "run", "run_number": number, "lumisections": count, "attributes": attributes},
                             sort_keys=True, separators=(",", ":")) + "\n")
        written_runs += 1
        if not rows:
            continue
        last = max(rows.keys())
        columns = sorted({k for r in rows.values() for k in r.keys()} - LS_KEY_COLUMNS)
        bits, values, lumi = {}, {}, {"recorded": [], "delivered": []}
        for name in columns:
            column = [clean(rows[ls].get(name)) if ls in rows else None for ls in range(1, last + 1)]
            if name in LUMI_COLUMNS:
                lumi[LUMI_COLUMNS[name]] = column
            elif all(v is None or isinstance(v, bool) for v in column):
                bits[name] = column
            else:
                values[name] = column
        out.write(json.dumps({"kind": "lumisections", "run_number": number, "first_ls": 1, "last_ls": last,
                              "bits": bits, "values": values, "recorded": lumi["recorded"],
                              "delivered": lumi["delivered"]}, sort_keys=True, separators=(",", ":")) + "\n")
        written_ls += len(rows)
    for number in sorted(set(by_run) - seen):
        sys.exit(f"error: {args.lumisections}: lumisections for run {number}, which the run table lacks")
    if out is not sys.stdout:
        out.close()
    print(f"converted {written_runs} runs and {written_ls} lumisections", file=sys.stderr)


if __name__ == "__main__":
    main()
