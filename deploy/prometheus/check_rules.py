#!/usr/bin/env python3
"""Checks deploy/prometheus/oms-rules.yml without promtool (not packaged in Debian here):
the file parses as a rule file, every rule has what Prometheus requires, and every oms_*,
grpc_server_* and process_* series an expression names is one the services export (its
name appears in the C++ sources), so a renamed metric cannot leave an alert silent.
Usage: check_rules.py RULES_FILE SOURCE_FILE..."""
import re
import sys

import yaml

EXPORTED_PREFIXES = ("oms_", "grpc_server_", "process_")
SUFFIXES = ("_bucket", "_sum", "_count")


def main():
    rules_path, sources = sys.argv[1], sys.argv[2:]
    code = "".join(open(path, encoding="utf-8").read() for path in sources)
    with open(rules_path, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    problems = []
    recorded = set()
    seen_rules = 0
    for group in document.get("groups", []):
        if not group.get("name"):
            problems.append("a group without a name")
        for rule in group.get("rules", []):
            seen_rules += 1
            name = rule.get("record") or rule.get("alert")
            if not name or not rule.get("expr"):
                problems.append(f"rule {rule!r}: needs record or alert, and expr")
                continue
            if rule.get("record"):
                recorded.add(rule["record"])
            if rule.get("alert") and not rule.get("annotations", {}).get("summary"):
                problems.append(f"alert {name}: no summary annotation")
            # Recorded series ("oms:x:rate5m") are this file's own; label values and
            # strings are not metric names either.
            expr = re.sub(r"[a-z_]+:[a-z0-9_:]+", " ", rule["expr"])
            expr = re.sub(r'"[^"]*"', " ", expr)
            for metric in re.findall(r"\b([a-z_][a-z0-9_]*)\b", expr):
                if not metric.startswith(EXPORTED_PREFIXES):
                    continue
                base = metric
                for suffix in SUFFIXES:
                    if base.endswith(suffix) and base[: -len(suffix)] in code:
                        base = base[: -len(suffix)]
                if f'"{base}"' not in code:
                    problems.append(f"{name}: {metric} is not exported by any service")
    if seen_rules == 0:
        problems.append("no rules at all")
    for problem in problems:
        print("check_rules:", problem)
    print(f"check_rules: {seen_rules} rules, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
