#!/usr/bin/env python3
"""The core's subsystems include one way only (core/README.md):

    cli -> abi -> doctor -> verify -> bundle -> base

A file may include headers of its own folder and of the folders to its
right, never to its left, and every core header by its folder
("base/errors.h"). Prints each offending line; exit 1 if there is one.

    check_include_layers.py CORE_DIR
"""
import pathlib
import re
import sys

LAYERS = ["cli", "abi", "doctor", "verify", "bundle", "base"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: check_include_layers.py CORE_DIR\n")
        return 2
    core = pathlib.Path(argv[1])
    files = sorted(p for p in (core / "src").rglob("*") if p.suffix in (".cpp", ".h"))
    files += sorted(p for p in (core / "cli").glob("*") if p.suffix in (".cpp", ".h"))
    if not files:
        sys.stderr.write(f"check_include_layers: no sources under {core}\n")
        return 2
    problems = []
    for path in files:
        layer = path.parent.name
        if layer not in LAYERS:
            problems.append(f"{path}: in no subsystem folder ({', '.join(LAYERS)})")
            continue
        allowed = LAYERS[LAYERS.index(layer):]
        text = path.read_text(encoding="utf-8")
        for m in INCLUDE.finditer(text):
            target = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            if target.startswith("trustbundle/") or target == "bundle_data.inc":
                continue  # the public header; the generated data
            folder = target.split("/", 1)[0] if "/" in target else None
            if layer == "cli" and folder is None and (path.parent / target).exists():
                continue  # the CLI's own headers, next to it
            if folder not in LAYERS:
                problems.append(f"{path}:{line}: #include \"{target}\" names no subsystem folder")
            elif folder not in allowed:
                problems.append(f"{path}:{line}: {layer}/ includes {target}: {folder}/ is above {layer}/")
    for p in problems:
        print(p)
    print(f"{len(files)} files checked, {len(problems)} include(s) against the layering")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
