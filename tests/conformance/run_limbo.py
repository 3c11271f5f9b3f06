#!/usr/bin/env python3
"""Grades `trustbundle verify` on x509-limbo and holds the line.

Runs ../shared/conformance/x509-limbo/grade.py over all 9,770 SERVER
testcases, then fails if fewer pass than RATCHET says, or if a testcase fails
that LIMBO-FAILURES.md does not list with its reason. Exit 77 (CTest's skip
code) when the corpus is absent, saying why.

Usage: run_limbo.py TRUSTBUNDLE_BINARY LIMBO_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def documented_failures():
    ids = set()
    with open(os.path.join(HERE, "LIMBO-FAILURES.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\s*[-*] `([^`]+)`", line)
            if m:
                ids.add(m.group(1))
    return ids


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    tool, limbo_dir = argv[1], argv[2]
    grader = os.path.join(limbo_dir, "grade.py")
    corpus = os.path.join(limbo_dir, "limbo.json.gz")
    if not (os.path.isfile(grader) and os.path.isfile(corpus)):
        print(f"SKIPPED: the x509-limbo corpus is not at {limbo_dir} (../shared is present only for developers and CI)")
        return 77
    with open(os.path.join(HERE, "RATCHET"), encoding="utf-8") as f:
        ratchet = int(f.read().split()[0])
    with tempfile.TemporaryDirectory() as tmp:
        out_json = os.path.join(tmp, "results.json")
        cmd = [sys.executable, grader, "-j", str(os.cpu_count() or 2), "--limbo", corpus, "--json-out", out_json,
               "--max-ids", "0", "--", tool, "verify", "{leaf}", "--untrusted", "{chain}", "--roots", "{roots}",
               "--host", "{host}", "--at", "{epoch}", "--crls", "{crls}", "--max-depth", "{depth}"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        with open(out_json, encoding="utf-8") as f:
            results = json.load(f)["results"]
    failed = {r["id"]: r for r in results if (r["outcome"] == "accept") != (r["expected"] == "SUCCESS")}
    passed = len(results) - len(failed)
    print(f"x509-limbo: {passed} of {len(results)} SERVER testcases agree (ratchet {ratchet}); grader: {summary}")
    status = 0
    if passed < ratchet:
        print(f"FAIL: {passed} is below the ratchet of {ratchet}")
        status = 1
    undocumented = sorted(set(failed) - documented_failures())
    for tid in undocumented:
        r = failed[tid]
        print(f"FAIL: {tid} ({r['outcome']}, expected {r['expected']}: {r['message']}) is not in LIMBO-FAILURES.md")
        status = 1
    fixed = sorted(documented_failures() - set(failed))
    for tid in fixed:
        print(f"note: {tid} now passes: remove it from LIMBO-FAILURES.md and raise RATCHET")
    if status == 0 and passed > ratchet:
        print(f"note: {passed} passes, above the ratchet: raise RATCHET to {passed}")
    print(f"{passed} passed, {len(failed)} failed")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
