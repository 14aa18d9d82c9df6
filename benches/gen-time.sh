#!/usr/bin/env bash
# Generation time of the client-gen CLI (release build): the whole Kubernetes API from its
# OpenAPI v2 document, and the three largest CRDs of the corpus.
# Median of RUNS runs, each writing into a fresh directory. Prints Markdown on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-7}"
SPEC="$ROOT/fixtures/openapi/kubernetes-swagger.json"
CRDS_DIR="${CRDS_DIR:-$ROOT/../shared/corpus/crds}"

echo "building client-gen (release) ..." >&2
(cd "$ROOT" && cargo build --release -q -p client-gen >&2)
BIN="$ROOT/target/release/client-gen"

WORK="$(mktemp -d /tmp/krest-gen-time.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

median_of_runs() { # args: client-gen arguments (without --out)
    local times=()
    for i in $(seq "$RUNS"); do
        local out="$WORK/out-$i"
        rm -rf "$out"
        local start end
        start=$(date +%s.%N)
        "$BIN" generate "$@" --out "$out" > /dev/null
        end=$(date +%s.%N)
        times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }')")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'
}

echo "| input | size | median wall time (s), $RUNS runs | target | |"
echo "|---|---:|---:|---:|---|"
spec_kb=$(( $(stat -c %s "$SPEC") / 1024 ))
t=$(median_of_runs --openapi "$SPEC" --feature-gates)
verdict=$(awk -v t="$t" 'BEGIN { print (t < 1.0) ? "met" : "**missed**" }')
echo "| Kubernetes OpenAPI v2 (\`fixtures/openapi/kubernetes-swagger.json\`) | ${spec_kb} KiB | $t | < 1 s | $verdict |"

mapfile -t CRDS < <(ls -S "$CRDS_DIR"/*.y*ml 2>/dev/null | head -3)
if [ "${#CRDS[@]}" -gt 0 ]; then
    args=()
    names=()
    for f in "${CRDS[@]}"; do args+=(--crd "$f"); names+=("$(basename "$f")"); done
    crd_kb=$(( $(cat "${CRDS[@]}" | wc -c) / 1024 ))
    t=$(median_of_runs "${args[@]}")
    echo "| three largest corpus CRDs ($(IFS=,; echo "${names[*]}" | sed 's/,/, /g')) | ${crd_kb} KiB | $t | - | |"
else
    echo "| three largest corpus CRDs | - | not measured: no CRDs in $CRDS_DIR | - | |"
fi
echo
echo "Load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)."
