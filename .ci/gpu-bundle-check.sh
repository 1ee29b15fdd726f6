#!/usr/bin/env bash
# The GPU check's bundle where there is no Java, no Maven and no GPU, as on the GPU hosts minus the GPU: builds it
# from the jars `mvn -B verify` left (gpu-bundle.sh fails if it is not under 60 MiB), then runs
# `gpu-check.sh --quick` from it, mounted read-only, in a container of Debian's minimal base without Java or
# Maven, and no network. Passes when that run exits 2 (no GPU), the CPU benchmarks passed and the table file exists.
set -euo pipefail
cd "$(dirname "$0")/.."
image=cortado-ci-nojava:bookworm
start=$SECONDS

bash scripts/gpu-bundle.sh --no-build
bash .ci/debian-image.sh "$image" --variant=minbase

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
docker run --rm --network none -v "$PWD/gpu-bundle:/bundle:ro" -v "$out:/out" "$image" bash -c '
  for tool in java javac mvn; do
    if command -v "$tool"; then echo "gpu-bundle-check: $tool is on the PATH in the container"; exit 99; fi
  done
  [ -z "${JAVA_HOME:-}" ] || { echo "gpu-bundle-check: JAVA_HOME is set in the container"; exit 99; }
  exec bash /bundle/gpu-check.sh --quick --out /out' | tee "$out/console.txt" || status=$?

fail() {
  echo "gpu-bundle-check: FAILED: $*" >&2
  exit 1
}
[ "$status" -eq 2 ] || fail "gpu-check.sh exited with $status, not 2 (no GPU)"
[ -s "$out/gpu-check.txt" ] || fail "no table file gpu-check.txt in the output folder"
[ -s "$out/gpu-check-logs.tar.gz" ] || fail "no gpu-check-logs.tar.gz in the output folder"
grep -qE '^benchmarks on cpu +PASSED ' "$out/gpu-check.txt" || fail "the CPU benchmarks did not pass"
grep -qE '^mlp train 64 img/s( +-){4} +[0-9]' "$out/gpu-check.txt" || fail "the table has no CPU figure"
echo "gpu-bundle-check: passed in $((SECONDS - start)) s (no Java or Maven in the container, exit 2, CPU rows ran)"
