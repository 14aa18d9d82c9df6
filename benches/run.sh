#!/usr/bin/env bash
# Regenerates BENCHMARKS.md: the hand-written method and notes (benches/BENCHMARKS.head.md),
# the machine, then the runtime scenarios, generation time and compile time, measured now.
#
#   benches/run.sh                 everything (about 7 minutes on 2 cores, plus 4 for the first build)
#   benches/run.sh runtime gen     only these parts; the others are taken from the last run
#                                  (benches/target/report/*.md) when there is one
#   QUICK=1 benches/run.sh runtime a smoke run on small payloads (not for publishing)
#
# Parts: runtime (krest-bench: the five scenarios, five clients, interleaved), cache
# (krest-bench cache: rest-runtime's watcher + store next to kube-runtime's), gen
# (benches/gen-time.sh), compile (benches/compile-time.sh), controller (controller-bench:
# rest-runtime's Controller next to kube-runtime's).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCHES="$ROOT/benches"
OUT="$ROOT/BENCHMARKS.md"
PARTS_DIR="$BENCHES/target/report"
mkdir -p "$PARTS_DIR"

PARTS=("$@")
[ ${#PARTS[@]} -eq 0 ] && PARTS=(runtime cache gen compile controller)

for part in "${PARTS[@]}"; do
    case "$part" in
        runtime)
            echo "building krest-bench (release) ..." >&2
            (cd "$BENCHES" && cargo build --release -q)
            ARGS=()
            [ -n "${QUICK:-}" ] && ARGS+=(--quick)
            "$BENCHES/target/release/krest-bench" "${ARGS[@]}" > "$PARTS_DIR/runtime.md.new"
            ;;
        cache)
            echo "building krest-bench (release) ..." >&2
            (cd "$BENCHES" && cargo build --release -q)
            ARGS=()
            [ -n "${QUICK:-}" ] && ARGS+=(--quick)
            "$BENCHES/target/release/krest-bench" cache "${ARGS[@]}" > "$PARTS_DIR/cache.md.new"
            ;;
        gen) "$BENCHES/gen-time.sh" > "$PARTS_DIR/gen.md.new" ;;
        compile) "$BENCHES/compile-time.sh" > "$PARTS_DIR/compile.md.new" ;;
        controller)
            (cd "$BENCHES" && cargo build --release -q --bin controller-bench)
            "$BENCHES/target/release/controller-bench" > "$PARTS_DIR/controller.md.new"
            ;;
        *) echo "unknown part $part (runtime, cache, gen, compile, controller)" >&2; exit 2 ;;
    esac
    {
        echo "_Measured $(date -u '+%Y-%m-%d %H:%M UTC')._"
        echo
        cat "$PARTS_DIR/$part.md.new"
    } > "$PARTS_DIR/$part.md"
    rm "$PARTS_DIR/$part.md.new"
done

part() {
    if [ -f "$PARTS_DIR/$1.md" ]; then cat "$PARTS_DIR/$1.md"; else echo "(not measured yet: \`benches/run.sh $1\`)"; fi
}

{
    cat "$BENCHES/BENCHMARKS.head.md"
    echo
    echo "## Machine and versions"
    echo
    echo "- $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB of memory, $(uname -sr)"
    echo "- $(rustc --version); krest-bench built with \`--release\` (default release profile, no target-cpu flags)"
    echo "- $(cd "$BENCHES" && cargo tree -q --depth 1 -e normal 2>/dev/null | grep -E ' (kube|k8s-openapi|reqwest|hyper|hyper-util|serde_json|sonic-rs|simd-json) ' | sed 's/^[^a-z]*//' | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
    echo
    echo "## Runtime: the same work five ways, interleaved"
    echo
    part runtime
    echo
    echo "## Caches: a watcher feeding a store, krest next to kube-runtime (\`krest-bench cache\`)"
    echo
    part cache
    echo
    echo "## Generation time (client-gen CLI, release build)"
    echo
    part gen
    echo
    echo "## Compile time (\`benches/compile-time.sh\`)"
    echo
    part compile
    echo
    echo "## Controller: rest-runtime next to kube-runtime (\`controller-bench\`)"
    echo
    part controller
} > "$OUT"
echo "wrote $OUT" >&2
