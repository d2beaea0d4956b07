#!/usr/bin/env python3
"""Counts test cases from `bazel test` runs and prints `N passed, N failed` last.

Reads each run's build event protocol file (--build_event_json_file), so only these runs'
results count (`./oms test` makes two runs: the tests, then the libFuzzer smoke runs); each
file is read in turn and its results added. Only these runs' 
results count: a cached result counts as it was, a test target that failed to build counts
as one failed case, and stale test.xml files from earlier runs are never read.
"""
import json
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree


def cases_in(xml_path):
    """(passed, failed, skipped, failed names) from one gtest/JUnit XML file."""
    passed = failed = skipped = 0
    failed_names = []
    root = ElementTree.parse(xml_path).getroot()
    for case in root.iter("testcase"):
        name = "%s.%s" % (case.get("classname", ""), case.get("name", ""))
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failed_names.append(name)
        elif case.find("skipped") is not None or case.get("result") == "skipped" \
                or case.get("status") == "notrun":
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, failed_names


def local_path(uri):
    return urllib.request.url2pathname(urllib.parse.urlparse(uri).path)


def main(bep_paths):
    test_targets = set()
    results = {}  # label -> (status, xml path or None)
    for bep_path in bep_paths:
        read_events(bep_path, test_targets, results)
    return summarize(test_targets, results)


def read_events(bep_path, test_targets, results):
    with open(bep_path, encoding="utf-8") as bep:
        for line in bep:
            event = json.loads(line)
            ident = event.get("id", {})
            if "targetConfigured" in ident:
                kind = event.get("configured", {}).get("targetKind", "")
                if kind.endswith("_test rule"):
                    test_targets.add(ident["targetConfigured"]["label"])
            elif "testResult" in ident:
                label = ident["testResult"]["label"]
                result = event.get("testResult", {})
                xml = None
                for output in result.get("testActionOutput", []):
                    if output.get("name") == "test.xml":
                        xml = local_path(output["uri"])
                results[label] = (result.get("status", "NO_STATUS"), xml)


def summarize(test_targets, results):
    passed = failed = skipped = 0
    for label in sorted(test_targets | set(results)):
        if label not in results:
            failed += 1
            print("FAILED TO BUILD OR RUN: %s" % label)
            continue
        status, xml = results[label]
        counts = None
        if xml:
            try:
                counts = cases_in(xml)
            except (OSError, ElementTree.ParseError):
                counts = None
        if counts is None or sum(counts[:3]) == 0:
            # No readable cases: the target's own verdict counts as one case.
            ok = status == "PASSED"
            counts = (1, 0, 0, []) if ok else (0, 1, 0, [label])
        p, f, s, names = counts
        if status != "PASSED" and f == 0:
            f, names = 1, [label + " (%s)" % status]  # e.g. a timeout after all cases passed
        passed += p
        failed += f
        skipped += s
        for name in names:
            print("FAILED: %s %s" % (label, name))
    summary = "%d passed, %d failed" % (passed, failed)
    if skipped:
        summary += ", %d skipped" % skipped
    print(summary)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
