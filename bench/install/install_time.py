#!/usr/bin/env python3
"""How long an install from the release artifacts takes, against an anchor
installed the same way in the same run (issue 17, "Performance"):

  pip install of the trustbundle wheel   vs  pip install of certifi's wheel
  npm install of the trustbundle tarball vs  npm install of axios's tarball
                                             (pure JavaScript, its three
                                             dependencies; ours has one)

    bench/install/install_time.py [DIST] [--runs N] [--only pip,npm]

DIST holds packaging/build-all's artifacts (default dist/). Every install is
from local files into a fresh venv / npm project (venv and project creation
not timed): pip with --no-index, npm with --offline, after one untimed
install that fills npm's cache with the dependencies. The runs alternate
between trustbundle and its anchor; medians are compared. Targets: at most
2x the anchor. A benchmark, not a test: it prints and exits 0 (1 when an
install fails, 2 on bad usage).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
TARGET = 2.0


def pinned(requirements: pathlib.Path, name: str) -> str:
    for line in requirements.read_text().splitlines():
        if line.startswith(f"{name}=="):
            return line.split()[0]
    raise SystemExit(f"install_time: {requirements} pins no {name}")


def timed(cmd: list[str], cwd: pathlib.Path | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"install_time: {' '.join(cmd)} failed ({proc.returncode})")
    return elapsed


def pip_case(dist: pathlib.Path, work: pathlib.Path, runs: int) -> tuple[list[float], list[float], str]:
    tag = "cp" + sysconfig.get_config_var("py_version_nodot")
    wheels = sorted(dist.glob(f"trustbundle-*-{tag}-{tag}-manylinux_*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"install_time: want one {tag} manylinux wheel in {dist}, found {len(wheels)}")
    anchor_dir = work / "certifi"
    certifi = pinned(REPO / "tests/python/requirements.txt", "certifi")
    timed([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:", "-d",
           str(anchor_dir), certifi])
    anchor = next(anchor_dir.glob("certifi-*.whl"))
    ours, theirs = [], []
    for i in range(runs):
        for artifact, times in ((wheels[0], ours), (anchor, theirs)):
            env = work / f"venv-{artifact.name[:8]}-{i}"
            subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
            times.append(timed([str(env / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                "--no-index", "--no-deps", str(artifact)]))
            shutil.rmtree(env)
    return ours, theirs, f"{wheels[0].name} vs {anchor.name}"


def npm_case(dist: pathlib.Path, work: pathlib.Path, runs: int) -> tuple[list[float], list[float], str]:
    tarballs = sorted(dist.glob("trustbundle-*.tgz"))
    if len(tarballs) != 1:
        raise SystemExit(f"install_time: want one npm tarball in {dist}, found {len(tarballs)}")
    manifest = json.loads((REPO / "bindings/node/package.json").read_text())
    axios = f"axios@{manifest['devDependencies']['axios']}"
    packed = work / "axios"
    packed.mkdir()
    out = subprocess.run(["npm", "pack", "--silent", axios], cwd=packed, check=True, stdout=subprocess.PIPE, text=True)
    anchor = packed / out.stdout.strip().splitlines()[-1]
    npm = ["npm", "install", "--no-audit", "--no-fund", "--silent"]

    def project(name: str) -> pathlib.Path:
        p = work / name
        p.mkdir()
        (p / "package.json").write_text('{ "name": "bench-install", "version": "1.0.0", "private": true }\n')
        return p

    for artifact in (tarballs[0], anchor):   # fills npm's cache with the dependencies
        timed(npm + ["--prefer-offline", str(artifact)], cwd=project(f"warm-{artifact.name}"))
    ours, theirs = [], []
    for i in range(runs):
        for artifact, times in ((tarballs[0], ours), (anchor, theirs)):
            times.append(timed(npm + ["--offline", str(artifact)], cwd=project(f"p{i}-{artifact.name}")))
    return ours, theirs, f"{tarballs[0].name} vs {anchor.name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", nargs="?", default=str(REPO / "dist"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="pip,npm")
    args = parser.parse_args()
    cases = {"pip": pip_case, "npm": npm_case}
    chosen = args.only.split(",")
    if args.runs < 1 or any(c not in cases for c in chosen):
        parser.error(f"--runs >= 1; --only from {','.join(cases)}")
    dist = pathlib.Path(args.dist).resolve()
    print(f"install time, median of {args.runs} alternating runs, local files only; target <= {TARGET:g}x")
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix=f"tb-bench-{name}-") as tmp:
            ours, theirs, what = cases[name](dist, pathlib.Path(tmp), args.runs)
        a, b = statistics.median(ours), statistics.median(theirs)
        verdict = "met" if a <= TARGET * b else "NOT met"
        print(f"  {name} install ({what})  {a:.2f} s  {b:.2f} s  {a / b:.2f}x  target <= {TARGET:g}x: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
