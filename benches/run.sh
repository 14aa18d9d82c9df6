#!/usr/bin/env bash
# Regenerates BENCHMARKS.md: the hand-written method and notes (benches/BENCHMARKS.head.md),
# the machine, then the runtime scenarios, generation time and compile time, all measured now.
#
#   benches/run.sh            everything (about 15 minutes on 2 cores)
#   benches/run.sh --no-compile   skip the compile-time builds
#   QUICK=1 benches/run.sh    a smoke run on small payloads (not for publishing)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCHES="$ROOT/benches"
OUT="$ROOT/BENCHMARKS.md"
COMPILE=1
[ "${1:-}" = "--no-compile" ] && COMPILE=0

echo "building krest-bench (release) ..." >&2
(cd "$BENCHES" && cargo build --release -q)
BIN="$BENCHES/target/release/krest-bench"

TMP="$(mktemp -d /tmp/krest-bench.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

ARGS=()
[ -n "${QUICK:-}" ] && ARGS+=(--quick)
"$BIN" "${ARGS[@]}" > "$TMP/runtime.md"
"$BENCHES/gen-time.sh" > "$TMP/gen.md"
if [ "$COMPILE" = 1 ]; then
    "$BENCHES/compile-time.sh" > "$TMP/compile.md"
else
    echo "(not run: \`--no-compile\`)" > "$TMP/compile.md"
fi

{
    cat "$BENCHES/BENCHMARKS.head.md"
    echo
    echo "## Machine and versions (this run)"
    echo
    echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB of memory, $(uname -sr)"
    echo "- $(rustc --version); krest-bench built with \`--release\` (default release profile)"
    echo "- $(cd "$BENCHES" && cargo tree -q --depth 1 -e normal 2>/dev/null | grep -E ' (kube|k8s-openapi|reqwest|hyper|hyper-util|serde_json|sonic-rs|simd-json) ' | sed 's/^[^a-z]*//' | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
    echo
    echo "## Runtime: the same work four ways, interleaved"
    echo
    cat "$TMP/runtime.md"
    echo "## Generation time (client-gen CLI, release build)"
    echo
    cat "$TMP/gen.md"
    echo
    echo "## Compile time (\`benches/compile-time.sh\`)"
    echo
    cat "$TMP/compile.md"
} > "$OUT"
echo "wrote $OUT" >&2
