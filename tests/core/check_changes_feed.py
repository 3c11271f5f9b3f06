#!/usr/bin/env python3
"""Checks core/data/changes.atom: well-formed XML, the RFC 4287 elements a
reader relies on, and the same releases and roots as changes.json.

  check_changes_feed.py DATA_DIR      (exit 0 and one line per check)
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def one(parent, name, where):
    found = parent.findall(A + name)
    if len(found) != 1:
        raise AssertionError(f"{where}: {len(found)} <{name}> elements, RFC 4287 wants exactly one")
    return found[0]


def check_feed(data_dir):
    root = ET.parse(os.path.join(data_dir, "changes.atom")).getroot()
    assert root.tag == A + "feed", f"the root element is {root.tag}, not an Atom feed"
    for name in ("id", "title", "updated"):
        one(root, name, "feed")
    assert RFC3339.fullmatch(one(root, "updated", "feed").text or ""), "feed updated is not an RFC 3339 date"
    feed_author = root.findall(A + "author")
    entries = root.findall(A + "entry")
    ids = set()
    for i, e in enumerate(entries):
        where = f"entry {i}"
        for name in ("id", "title", "updated"):
            assert (one(e, name, where).text or "").strip(), f"{where}: empty <{name}>"
        assert RFC3339.fullmatch(one(e, "updated", where).text), f"{where}: updated is not an RFC 3339 date"
        assert feed_author or e.findall(A + "author"), f"{where}: no author, and the feed has none"
        entry_id = one(e, "id", where).text
        assert entry_id not in ids, f"{where}: id {entry_id} used twice"
        ids.add(entry_id)
    newest = max((one(e, "updated", "entry").text for e in entries), default=None)
    assert newest is None or one(root, "updated", "feed").text == newest, "feed updated is not its newest entry's"

    with open(os.path.join(data_dir, "changes.json"), encoding="utf-8") as f:
        releases = json.load(f)["releases"]
    assert len(entries) == len(releases), f"{len(entries)} entries for {len(releases)} releases"
    for e, r in zip(entries, reversed(releases)):
        assert one(e, "id", "entry").text.endswith("/v" + r["version"]), f"entry for {r['version']} is out of order"
        assert one(e, "updated", "entry").text == r["as_of"], f"{r['version']}: updated is not the data's as_of"
        text = ET.tostring(e, encoding="unicode")
        for c in r["changes"]:
            assert c["sha256"] in text, f"{r['version']}: {c['sha256']} is missing from the feed"
    return len(entries), sum(len(r["changes"]) for r in releases)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        entries, roots = check_feed(argv[1])
    except (AssertionError, ET.ParseError, OSError, KeyError, ValueError) as e:
        print(f"changes feed: FAILED: {e}")
        return 1
    print(f"changes feed: valid Atom, {entries} entries, {roots} root changes, each with its SHA-256")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
