#!/usr/bin/env python3
"""Merges repeated loadgen runs of one scenario into one result of loadgen's own shape.

    repeats.py DIR NAME    reads DIR/NAME.r1.json, NAME.r2.json, ... and writes DIR/NAME.json

This VM's speed moves from one run to the next, so a single run can land anywhere in that
spread. The merged result reports each figure as the median over the runs (counts of
operations and failures as their sums, the worst latency as the maximum of the runs) and
keeps every run's headline figures under "runs", so the report can show the spread.
"""
import glob
import json
import os
import re
import statistics
import sys

SUMMED = {"operations", "ok", "failed", "elapsed_s"}


def merge(values, key=None):
    """One value from the same field of every run."""
    first = values[0]
    if isinstance(first, bool) or not isinstance(first, (int, float, dict, list)):
        return first if len(set(map(str, values))) == 1 else "; ".join(sorted(set(map(str, values))))
    if isinstance(first, dict):
        if key == "errors":  # failures by code: how many in all
            codes = {c for v in values for c in v}
            return {c: sum(v.get(c, 0) for v in values) for c in sorted(codes)}
        return {k: merge([v[k] for v in values if k in v], k) for k in first}
    if isinstance(first, list):
        if all(isinstance(r, dict) and "rpc" in r for v in values for r in v):
            names = [r["rpc"] for r in first]
            return [merge([next(r for r in v if r["rpc"] == n) for v in values
                           if any(r["rpc"] == n for r in v)]) for n in names]
        return first
    if key in SUMMED:
        return sum(values)
    if key == "max_us":
        return max(values)
    median = statistics.median(values)
    return int(median) if all(isinstance(v, int) for v in values) else round(median, 3)


def headline(run):
    """What the report prints as the spread of one run."""
    return {"ops_per_second": run.get("ops_per_second", 0),
            "cpu_ms": run.get("cost_per_operation", {}).get("cpu_ms", 0),
            "failed": run.get("failed", 0),
            "rpcs": {r["rpc"]: {k: r.get(k, 0) for k in ("per_second", "p50_us", "p99_us")}
                     for r in run.get("rpcs", [])}}


def main(directory, name):
    pattern = re.compile(re.escape(name) + r"\.r(\d+)\.json$")
    paths = sorted((p for p in glob.glob(os.path.join(directory, name + ".r*.json"))
                    if pattern.search(os.path.basename(p))),
                   key=lambda p: int(pattern.search(os.path.basename(p)).group(1)))
    runs = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            try:
                runs.append(json.load(f))
            except json.JSONDecodeError:  # a run that died mid-write is left out, not guessed
                print("repeats: %s is not a complete result; left out" % path, file=sys.stderr)
    if not runs:
        print("repeats: no runs of %s in %s" % (name, directory), file=sys.stderr)
        return 1
    merged = merge(runs)
    merged["runs"] = [headline(r) for r in runs]
    with open(os.path.join(directory, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
