#!/usr/bin/env bash
# Clean `cargo build` time and peak memory of `generated` (default features; all API groups, which
# is the whole Kubernetes API, what k8s-openapi holds; each also with the `protobuf` feature, the
# codecs, which the rows without it leave out) and of `generated-crds` (the corpus CRDs'
# clientsets, all features) next to a crate depending only on k8s-openapi (newest Kubernetes
# version feature), and of what users pick today, kube (client, rustls) + k8s-openapi, in one run,
# each in a fresh target dir, all with the main workspace's dev profile (the registry crates with
# the benches' Cargo.lock).
# Prints Markdown tables on stdout; progress on stderr.
#
# Everything builds with CARGO_INCREMENTAL=0. Cargo compiles path dependencies (here
# `generated`) incrementally in the dev profile and registry crates (k8s-openapi, kube) never:
# left alone, the comparison would charge `generated` for an incremental cache that k8s-openapi
# does not write (all API groups: 20-30% more time, about 40 MiB more memory), which a user who
# takes `generated` from a registry would not pay either. The incremental figure of `generated`
# alone is printed below the tables.
#
# Two figures per crate: the whole clean build (dependencies included), and the crate's own
# compilation (its dependencies already built in that target dir, the crate itself rebuilt;
# for `generated`, both of its crates: generated-core, then generated).
# Peak memory is the most memory the build's rustc processes held at one moment, summed over
# those running at once (sampled every 20 ms, never below `/usr/bin/time -v`'s maximum resident
# set size of the largest single rustc): what a machine building it must have. Splitting a crate
# lowers the largest single process more than this, so the single figure of `generated` is
# printed below the tables too.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
K8S_OPENAPI_VERSION="0.29"
K8S_FEATURE="v1_37"

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time ..." >&2
    (apt-get update -qq && apt-get install -y -qq time) >&2
fi

export CARGO_INCREMENTAL=0
KUBE_VERSION="5"

WORK="$(mktemp -d /tmp/krest-compile-time.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# The dev profile every scratch crate uses: the main workspace's, so the builds compare alike.
PROFILE="$(awk '/^\[profile\./{p=1} /^\[/{if($0 !~ /^\[profile\./)p=0} p' "$ROOT/Cargo.toml")"

scratch() { # name, dependency line[, Cargo.lock to start from]
    local dir="$WORK/$1" lock="${3:-$ROOT/Cargo.lock}"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<EOF
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$2

[workspace]

$PROFILE
EOF
    echo "" > "$dir/src/lib.rs"
    cp "$lock" "$dir/Cargo.lock"
    (cd "$dir" && cargo fetch -q >&2)
}

# Every feature of a generated crate's manifest but `protobuf` (the API groups), quoted and
# comma-separated.
features() {
    awk '/^# client-gen: begin features/{p=1;next} /^# client-gen: end features/{p=0} p && /^[a-z]/ && $1 != "default" && $1 != "protobuf" {printf "\"%s\", ", $1}' "$1" | sed 's/, $//'
}
scratch gen_default "generated = { path = \"$ROOT/generated\" }"
scratch gen_default_pb "generated = { path = \"$ROOT/generated\", features = [\"protobuf\"] }"
scratch gen_all "generated = { path = \"$ROOT/generated\", features = [$(features "$ROOT/generated/Cargo.toml")] }"
scratch gen_all_pb "generated = { path = \"$ROOT/generated\", features = [$(features "$ROOT/generated/Cargo.toml"), \"protobuf\"] }"
scratch crds_all "generated-crds = { path = \"$ROOT/generated/crds\", features = [$(features "$ROOT/generated/crds/Cargo.toml")] }"
K8S_DEP="k8s-openapi = { version = \"$K8S_OPENAPI_VERSION\", features = [\"$K8S_FEATURE\"] }"
scratch k8s_openapi_only "$K8S_DEP" "$ROOT/benches/Cargo.lock"
# kube as the benches use it: the client with rustls (ring as its crypto provider).
scratch kube_k8s_openapi "kube = { version = \"$KUBE_VERSION\", default-features = false, features = [\"client\", \"rustls-tls\", \"ring\"] }
$K8S_DEP" "$ROOT/benches/Cargo.lock"

# Runs a command under GNU time while sampling, every 20 ms, the summed resident memory of this
# run's rustc processes (cargo runs up to one per core at once, and a dependent crate starts as
# soon as its dependency's metadata is written, so two can overlap); prints "seconds
# peak_sum_kib largest_single_kib".
timed() {
    local log="$WORK/time.log" peak="$WORK/peak.kib"
    echo 0 > "$peak"
    (
        max=0
        while :; do
            sum=0
            for p in $(pgrep -x rustc || true); do
                grep -qF "$WORK" "/proc/$p/cmdline" 2>/dev/null || continue
                kib="$(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || true)"
                sum=$((sum + ${kib:-0}))
            done
            if [ "$sum" -gt "$max" ]; then max=$sum; echo "$max" > "$peak"; fi
            sleep 0.02
        done
    ) &
    local sampler=$!
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { kill "$sampler"; cat "$log" >&2; return 1; }
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    local wall rss
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$log")"
    rss="$(awk -F': ' '/Maximum resident set size/{print $2}' "$log")"
    # h:mm:ss or m:ss.ss -> seconds; the sampled sum is never below the largest single process.
    echo "$(echo "$wall" | awk -F: '{s=0; for(i=1;i<=NF;i++) s=s*60+$i; print s}') $(awk -v a="$(cat "$peak")" -v b="$rss" 'BEGIN{print (a>b?a:b)}') $rss"
}

declare -A FULL_S FULL_KIB OWN_S OWN_KIB OWN_SINGLE_KIB
CRATES=(gen_default gen_default_pb gen_all gen_all_pb crds_all k8s_openapi_only kube_k8s_openapi)
for crate in "${CRATES[@]}"; do
    dir="$WORK/$crate"
    target="$WORK/target-$crate"
    echo "clean build of $crate ..." >&2
    read -r s kib _ < <(cd "$dir" && timed cargo build --offline --target-dir "$target")
    FULL_S[$crate]=$s; FULL_KIB[$crate]=$kib
    [ "$crate" = kube_k8s_openapi ] && continue
    # The crate under test alone: remove its artifacts (in this private target dir only).
    # `generated` is two crates (generated-core, built first, and generated): both are rebuilt.
    case "$crate" in
        k8s_openapi_only) own=(k8s-openapi) ;;
        crds_all) own=(generated-crds) ;;
        *) own=(generated-core generated) ;;
    esac
    (cd "$dir" && cargo clean --offline -q $(printf -- '-p %s ' "${own[@]}") --target-dir "$target" >&2)
    echo "rebuild of ${own[*]} alone ..." >&2
    read -r s kib single < <(cd "$dir" && timed cargo build --offline --target-dir "$target")
    OWN_S[$crate]=$s; OWN_KIB[$crate]=$kib; OWN_SINGLE_KIB[$crate]=$single
done
# `generated` alone with all API groups again, incremental as cargo builds a path dependency.
(cd "$WORK/gen_all" && cargo clean --offline -q -p generated-core -p generated --target-dir "$WORK/target-gen_all" >&2)
echo "rebuild of generated (all API groups) alone, incremental ..." >&2
read -r INC_S INC_KIB _ < <(cd "$WORK/gen_all" && CARGO_INCREMENTAL=1 timed cargo build --offline --target-dir "$WORK/target-gen_all")

ref=k8s_openapi_only
row() {
    local c=$1 label=$2
    awk -v l="$label" -v fs="${FULL_S[$c]}" -v fk="${FULL_KIB[$c]}" -v os="${OWN_S[$c]}" -v ok="${OWN_KIB[$c]}" \
        -v rfs="${FULL_S[$ref]}" -v rfk="${FULL_KIB[$ref]}" -v ros="${OWN_S[$ref]}" -v rok="${OWN_KIB[$ref]}" \
        'BEGIN { printf "| %s | %.1f | %.2fx | %.0f | %.2fx | %.1f | %.2fx | %.0f | %.2fx |\n", l, fs, fs/rfs, fk/1024, fk/rfk, os, os/ros, ok/1024, ok/rok }'
}
echo "| crate | clean build s | / k8s-openapi | peak MiB | / k8s-openapi | crate alone s | / k8s-openapi | peak MiB | / k8s-openapi |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
row gen_default "\`generated\`, default features (core, apps)"
row gen_default_pb "\`generated\`, default features + \`protobuf\`"
row gen_all "\`generated\`, all API groups (the Kubernetes API)"
row gen_all_pb "\`generated\`, all API groups + \`protobuf\`"
row crds_all "\`generated-crds\`, all features (the 4 corpus CRD groups, on \`generated\`)"
row k8s_openapi_only "\`k8s-openapi\` $K8S_OPENAPI_VERSION ($K8S_FEATURE) alone"
echo
echo "Against what users pick today: the clean build of a crate using \`generated\` (default features, with rest-core's HTTP stack: hyper, rustls, tokio) next to one using \`kube\` $KUBE_VERSION (client, rustls-tls) and \`k8s-openapi\`."
echo
echo "| crate | clean build s | / kube + k8s-openapi | peak MiB | / kube + k8s-openapi |"
echo "|---|---:|---:|---:|---:|"
ref2=kube_k8s_openapi
row2() {
    local c=$1 label=$2
    awk -v l="$label" -v fs="${FULL_S[$c]}" -v fk="${FULL_KIB[$c]}" -v rfs="${FULL_S[$ref2]}" -v rfk="${FULL_KIB[$ref2]}" \
        'BEGIN { printf "| %s | %.1f | %.2fx | %.0f | %.2fx |\n", l, fs, fs/rfs, fk/1024, fk/rfk }'
}
row2 gen_default "\`generated\`, default features (core, apps)"
row2 gen_default_pb "\`generated\`, default features + \`protobuf\`"
row2 kube_k8s_openapi "\`kube\` $KUBE_VERSION (client, rustls-tls) + \`k8s-openapi\` $K8S_OPENAPI_VERSION ($K8S_FEATURE)"
echo
pb() { # the cost of the protobuf feature: with / without, for one row pair
    awk -v fs="${FULL_S[$2]}" -v f0="${FULL_S[$1]}" -v os="${OWN_S[$2]}" -v o0="${OWN_S[$1]}" -v ok="${OWN_KIB[$2]}" -v k0="${OWN_KIB[$1]}" \
        'BEGIN { printf "clean build %+.1f s (%.2fx), crate alone %+.1f s (%.2fx), its peak %+.0f MiB (%.2fx)", fs-f0, fs/f0, os-o0, os/o0, (ok-k0)/1024, ok/k0 }'
}
echo "What the \`protobuf\` feature (the codecs) costs, with / without in the rows above: default features $(pb gen_default gen_default_pb); all API groups $(pb gen_all gen_all_pb). The rows without it compile no codec: they are behind the feature."
echo
echo "All builds with \`CARGO_INCREMENTAL=0\` (cargo builds a path dependency incrementally, a registry crate never). \`generated\` with all API groups alone, incremental as a path dependency builds by default: $(awk -v s="$INC_S" -v k="$INC_KIB" -v rs="${OWN_S[$ref]}" -v rk="${OWN_KIB[$ref]}" 'BEGIN { printf "%.1f s (%.2fx k8s-openapi), %.0f MiB (%.2fx)", s, s/rs, k/1024, k/rk }')."
echo
echo "Peak memory is the sum over the rustc processes running at once, sampled every 20 ms. \`generated\` with all API groups alone, largest single rustc (of generated-core and generated, which mostly run one after the other): $(awk -v k="${OWN_SINGLE_KIB[gen_all]}" -v rk="${OWN_KIB[$ref]}" 'BEGIN { printf "%.0f MiB (%.2fx k8s-openapi)", k/1024, k/rk }')."
echo
echo "Load average after the builds: $(cut -d' ' -f1-3 /proc/loadavg)."
