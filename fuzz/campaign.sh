#!/usr/bin/env bash
# A long fuzzing campaign on one target, resumable: the corpus lives in
# BUILD/corpus/TARGET and grows run after run. See fuzz/README.md.
#
#   fuzz/campaign.sh TARGET [RUNS] [extra libFuzzer flags...]
#
# RUNS: executions (default 10000000). Env: FUZZ_BUILD_DIR (default
# build/fuzz, configured by ci/test-reliability or by hand), FUZZ_SEEDS
# (default BUILD/seeds, from fuzz/make_seeds.py). Prints one summary line
# and exits non-zero on a crash, whose input is left in BUILD/artifacts/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz/campaign.sh TARGET [RUNS] [libFuzzer flags...]}
runs=${2:-10000000}
shift $(( $# >= 2 ? 2 : 1 ))
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
seeds=${FUZZ_SEEDS:-$build/seeds}/$target
corpus=$build/corpus/$target
artifacts=$build/artifacts/$target
log=$build/logs/$target-$(date +%Y%m%dT%H%M%S).log
mkdir -p "$corpus" "$artifacts" "$build/logs" "$seeds"
[ -x "$build/tb_fuzz_$target" ] || { echo "no $build/tb_fuzz_$target: build fuzz/ first (README.md)"; exit 2; }

flags=(-runs="$runs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/")
# The verify target's certificate cache makes per-input leak checks run on
# almost every input; the corpus is replayed with leak checks at the end.
[ "$target" = verify ] && flags+=(-detect_leaks=0)
"$root/fuzz/dicts/for-target" "$target" >"$build/$target.dict" && flags+=(-dict="$build/$target.dict")
start=$(date +%s)
"$build/tb_fuzz_$target" "${flags[@]}" "$@" "$corpus" "$seeds" >"$log" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
if [ $rc -eq 0 ] && [ "$target" = verify ]; then
  "$build/tb_fuzz_$target" -runs=0 -detect_leaks=1 -timeout=10 "$corpus" >"$log.leaks" 2>&1 || rc=$?
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | head -1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | head -1)
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*$')
ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*$')
units=$(echo "$last" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*$')
crashes=$(grep -c 'Test unit written' "$log")
echo "$target: ${execs:-?} execs in $took s, ${speed:-?} exec/s, cov ${cov:-?} edges, ft ${ft:-?}," \
     "corpus ${units:-?} units, crashes $crashes, exit $rc (log: $log)"
exit $rc
